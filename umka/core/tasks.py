"""Background tasks of the core: the outbox of tasks the queue could not take."""

from huey import crontab
from huey.contrib.djhuey import HUEY

from umka.core import outbox
from umka.core.entry_points import school_periodic_task


@school_periodic_task(crontab(minute="*"))
def drain_outbox() -> None:
    """Every minute (the worker's own thread drains every few seconds too)."""
    outbox.drain()


@HUEY.on_startup()
def _start_outbox_drainer() -> None:
    outbox.start_drainer()
