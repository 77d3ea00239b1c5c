"""Individual meetings as help to rate (R13): a held booking, by the student and
by their parents (`umka.ratings.kinds`)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.accounts.policies import children_of
from umka.bookings.models import Booking
from umka.core import clock
from umka.ratings import kinds

KIND = "bookings.booking"


def held_bookings(user, since, object_id) -> list[kinds.Ratable]:
    if not (user.is_student or user.is_parent):
        return []
    whose = Q(student=user)
    if user.is_parent:
        whose |= Q(student__in=children_of(user))
    bookings = Booking.objects.filter(whose, status=Booking.Status.HELD)
    if since is not None:
        bookings = bookings.filter(slot__ends_at__gte=since)
    if object_id is not None:
        bookings = bookings.filter(pk=object_id)
    return [
        kinds.Ratable(
            kind=KIND,
            object_id=booking.pk,
            title=_("Individual consultation with %(who)s · %(when)s")
            % {
                "who": booking.window.organiser,
                "when": formats.date_format(
                    clock.local(booking.slot.starts_at), "d.m.Y H:i"
                ),
            },
            staff_id=booking.window.organiser_id,
            happened_at=booking.slot.ends_at,
            student_id=booking.student_id,
            url=reverse("bookings:detail", args=[booking.pk]),
        )
        for booking in bookings.select_related("slot", "window__organiser")[:200]
    ]


kinds.register(
    kinds.Kind(
        code=KIND,
        label=gettext_lazy("Individual consultation"),
        candidates=held_bookings,
    )
)
