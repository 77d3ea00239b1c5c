"""An outbox for background tasks: a person's change never fails because the task
queue (Redis) cannot take its follow-up work.

`enqueue(task, *args, eta=None)` hands the task to Huey; when the queue raises
(Redis stopped, a network cut) the task is stored in the database (`PendingTask`)
in its own short transaction and the caller goes on. `drain()` queues what is
stored once the queue answers again: the task worker runs it a few seconds after
it starts and then every OUTBOX_DRAIN_SECONDS (`start_drainer`), and the
periodic task `core.tasks.drain_outbox` runs it every minute as a backstop.

Tasks must be idempotent or tolerate a rare second run (a drain that queued a
task but died before deleting its row queues it again); Umka's are (a delivery
claims its row, a booking's notices are written once, an import runs once).
"""

import datetime as dt
import importlib
import logging
import threading
import time

from django.conf import settings
from django.db import transaction

from umka.core import clock

logger = logging.getLogger(__name__)


def task_name(task) -> str:
    """«module:name» under which a Huey task (its TaskWrapper) is found again."""
    return f"{task.func.__module__}:{task.func.__name__}"


def find_task(name: str):
    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


def _send(task, args: list, eta: dt.datetime | None) -> None:
    if eta is not None and eta > clock.now():
        task.schedule(tuple(args), eta=eta)
    else:
        task(*args)


def enqueue(task, *args, eta: dt.datetime | None = None) -> bool:
    """Queue `task(*args)` (not before `eta`); if the queue cannot take it, keep it
    in the database for `drain`. True when queued now, False when kept."""
    from umka.core.models import PendingTask

    try:
        _send(task, list(args), eta)
        return True
    except Exception as exc:  # noqa: BLE001 - any failure of the queue
        logger.warning(
            "The task queue refused %s%s (%s): kept in the outbox",
            task_name(task),
            args,
            exc,
        )
        with transaction.atomic():
            PendingTask.objects.create(
                task=task_name(task),
                args=list(args),
                eta=eta,
                created_at=clock.now(),
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
        return False


def drain(limit: int = 500) -> int:
    """Queue the stored tasks, oldest first, and forget each once queued. Stops at
    the first refusal (the queue is still away). Returns how many were queued."""
    from umka.core.models import PendingTask

    sent = 0
    while sent < limit:
        with transaction.atomic():
            pending = (
                PendingTask.objects.select_for_update(skip_locked=True)
                .order_by("pk")
                .first()
            )
            if pending is None:
                break
            try:
                _send(find_task(pending.task), pending.args, pending.eta)
            except Exception as exc:  # noqa: BLE001 - the queue is still away
                PendingTask.objects.filter(pk=pending.pk).update(
                    attempts=pending.attempts + 1,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                )
                break
            pending.delete()
            sent += 1
    if sent:
        logger.warning("Queued %s task(s) kept while the queue was away", sent)
    return sent


_drainer_lock = threading.Lock()
_drainer: threading.Thread | None = None


def start_drainer() -> None:
    """In the task worker: drain the outbox now and every OUTBOX_DRAIN_SECONDS (one
    thread per process however many workers start)."""
    global _drainer
    with _drainer_lock:
        if _drainer is not None:
            return
        _drainer = threading.Thread(target=_drain_forever, name="outbox", daemon=True)
        _drainer.start()


def _drain_forever() -> None:
    from django.db import close_old_connections

    from umka.core.models import PendingTask

    every = float(getattr(settings, "OUTBOX_DRAIN_SECONDS", 5))
    while True:
        try:
            with clock.school_time():
                if PendingTask.objects.exists():
                    drain()
        except Exception:  # noqa: BLE001 - the database may be away too
            logger.warning("Draining the task outbox failed", exc_info=True)
        finally:
            close_old_connections()
        time.sleep(every)
