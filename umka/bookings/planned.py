"""Booking windows as planned time of their organiser (R7), for
umka.consultations.planned_time: planning a consultation counts the windows, and
opening a window counts the consultations (and the other windows)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from umka.consultations import planned_time
from umka.consultations.planned_time import Planned


def window_key(pk: int) -> str:
    return f"bookings.window:{pk}"


def windows(
    organiser, start: dt.datetime, end: dt.datetime, exclude: frozenset[str]
) -> list[Planned]:
    """The organiser's windows (not cancelled) overlapping [start, end)."""
    from umka.bookings.models import BookingWindow

    rows = BookingWindow.objects.filter(
        organiser=organiser,
        cancelled_at__isnull=True,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("pk", "starts_at", "ends_at")
    label = str(_("a window for individual consultations"))
    return [
        Planned(window_key(pk), starts_at, ends_at, label)
        for pk, starts_at, ends_at in rows
        if window_key(pk) not in exclude
    ]


planned_time.register(windows)
