"""Reminders of booked individual consultations, 24 hours and 1 hour before (R5).

The periodic task `tasks.remind_bookings` runs `bookings_remind` every 5 minutes;
each reminder goes once (a conditional UPDATE of the booking's marker claims it).
"""

import datetime as dt

from django.db import transaction
from django.db.models import F

from umka.bookings import notices
from umka.bookings.models import Booking
from umka.core import clock

#: Reminders before a booked consultation.
REMIND_EARLY = dt.timedelta(hours=24)
REMIND_LATE = dt.timedelta(hours=1)


def bookings_remind(now: dt.datetime | None = None) -> int:
    """Remind of booked consultations 24 hours and 1 hour before (the periodic
    task runs it every 5 minutes). Each reminder goes once: a conditional UPDATE of
    the booking's marker claims it. Returns how many reminders went."""
    now = now or clock.now()
    sent = 0
    due = (
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMIND_EARLY,
            window__cancelled_at__isnull=True,
        )
        .filter(reminded_1h_at__isnull=True)
        .select_related("slot", "window", "window__organiser", "student")
        .order_by("slot__starts_at", "pk")
    )
    for booking in due:
        late = booking.slot.starts_at <= now + REMIND_LATE
        if not late and booking.reminded_24h_at is not None:
            continue
        with transaction.atomic():
            if late:
                # An hour before; the day-before reminder is not sent after it.
                claimed = Booking.objects.filter(
                    pk=booking.pk,
                    status=Booking.Status.BOOKED,
                    reminded_1h_at__isnull=True,
                ).update(
                    reminded_1h_at=now,
                    reminded_24h_at=F("reminded_24h_at")
                    if booking.reminded_24h_at
                    else now,
                )
            else:
                claimed = Booking.objects.filter(
                    pk=booking.pk,
                    status=Booking.Status.BOOKED,
                    reminded_24h_at__isnull=True,
                ).update(reminded_24h_at=now)
            if claimed:
                notices.notify_reminder(booking, late=late)
                sent += 1
    return sent
