"""A student's individual consultations for the help ledger
(`umka.ledger.sources`): held or missed, with the outcome note the family reads
(never the private note for staff). One query."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from umka.bookings.models import Booking
from umka.ledger import sources


def meetings(student, start, end) -> list[sources.Entry]:
    bookings = Booking.objects.filter(
        student=student,
        status__in=[Booking.Status.HELD, Booking.Status.NO_SHOW],
        slot__starts_at__gte=start,
        slot__starts_at__lt=end,
    ).select_related("slot", "window__organiser")
    return [
        sources.Entry(
            kind=_("Individual consultation"),
            happened_at=booking.slot.starts_at,
            title=f"{booking.get_status_display()}: {booking.note}",
            staff=booking.window.organiser.full_name,
            detail=booking.outcome_note,
            url=reverse("bookings:detail", args=[booking.pk]),
        )
        for booking in bookings
    ]


sources.register(meetings)
