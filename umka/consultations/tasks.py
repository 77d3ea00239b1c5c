"""Background tasks (Huey): reminders of consultation sessions."""

from django.utils import timezone
from huey import crontab

from umka.consultations.reminders import sessions_remind
from umka.core import clock
from umka.core.entry_points import school_periodic_task


@school_periodic_task(crontab(minute="*/5"))
def remind_sessions() -> None:
    """Every 5 minutes: the day-before and hour-before reminders (each goes once)."""
    sessions_remind(timezone.now(), clock.zone())
