"""Background tasks (Huey) of course spaces."""

from huey import crontab

from umka.core import clock
from umka.core.entry_points import school_periodic_task
from umka.courses import review_queue, sync


@school_periodic_task(crontab(minute="*/15"))
def reviews_remind_and_escalate() -> None:
    """Every 15 minutes (R13): remind teachers of work due for grading within a
    working day; send overdue reviews up to a deputy head."""
    review_queue.remind_and_escalate(clock.now())


@school_periodic_task(crontab(hour="2", minute="40"))
def spaces_nightly() -> None:
    """Every night: spaces follow teaching assignments written in bulk (imports);
    spaces of an ended year are archived."""
    sync.spaces_sync()
    sync.spaces_archive_ended()
