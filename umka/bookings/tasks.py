"""Background tasks (Huey): the notices of a new booking, and reminders of booked
individual consultations."""

from django.utils import timezone
from huey import crontab

from umka.bookings import notices
from umka.bookings.reminders import bookings_remind
from umka.core.entry_points import school_periodic_task, school_task


@school_task()
def tell_booked(booking_id: int, actor_id: int | None) -> None:
    """The notices of a booking, once it is committed (`notices.tell_booked`)."""
    notices.tell_booked(booking_id, actor_id)


@school_periodic_task(crontab(minute="*/5"))
def remind_bookings() -> None:
    """Every 5 minutes: reminders 24 hours and 1 hour before (each goes once)."""
    bookings_remind(timezone.now())
