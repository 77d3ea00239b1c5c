"""Background tasks (Huey): reminders of booked individual consultations."""

from django.utils import timezone
from huey import crontab

from umka.bookings.reminders import bookings_remind
from umka.core.entry_points import school_periodic_task


@school_periodic_task(crontab(minute="*/5"))
def remind_bookings() -> None:
    """Every 5 minutes: reminders 24 hours and 1 hour before (each goes once)."""
    bookings_remind(timezone.now())
