"""Background tasks (Huey): reminders before a request is due, escalation after."""

from huey import crontab

from umka.core.entry_points import school_periodic_task
from umka.requests import routing


@school_periodic_task(crontab(minute="*/15"))
def remind_and_escalate() -> None:
    """Every 15 minutes (R13): remind assignees of requests due within a working
    day; send overdue ones up to a deputy head."""
    routing.requests_remind()
    routing.requests_escalate()
