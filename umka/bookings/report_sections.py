"""Individual meetings in the administration's reports (R13): slots offered,
booked, held, no-show, cancelled late (inside the school's cut-off); and bookings
not marked on the dashboard «Требует внимания»."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from umka.bookings.models import Booking, Slot
from umka.bookings.policies import cutoff_hours
from umka.core import clock
from umka.reports import registry
from umka.reports.figures import names, teachers_of_subject
from umka.school.models import Enrolment

ATTENTION_LIMIT = 100


def _filtered(found, scope: registry.Scope, window: str):
    if scope.staff is not None:
        found = found.filter(**{f"{window}organiser": scope.staff})
    if scope.subject is not None:
        found = found.filter(
            **{f"{window}organiser__in": teachers_of_subject(scope.subject)}
        )
    return found


def bookings_section(scope: registry.Scope) -> registry.Result:
    """Slots of windows not cancelled starting in the period are offered; a booking
    cancelled less than the cut-off before its slot is cancelled late. The class
    filter counts the bookings of its students (offered slots have no class)."""
    slots = _filtered(
        Slot.objects.filter(
            starts_at__gte=scope.start,
            starts_at__lt=scope.end,
            window__cancelled_at__isnull=True,
        ),
        scope,
        "window__",
    )
    offered = dict(
        slots.values("window__organiser_id")
        .annotate(n=Count("pk"))
        .values_list("window__organiser_id", "n")
    )
    bookings = _filtered(
        Booking.objects.filter(
            slot__starts_at__gte=scope.start, slot__starts_at__lt=scope.end
        ),
        scope,
        "window__",
    )
    if scope.school_class is not None:
        bookings = bookings.filter(
            student__in=Enrolment.objects.filter(
                school_class=scope.school_class
            ).values("student")
        )
    cutoff = dt.timedelta(hours=cutoff_hours())
    per: dict[int, dict] = defaultdict(
        lambda: dict.fromkeys(
            ("booked", "held", "no_show", "late", "cancelled", "unmarked", "ahead"), 0
        )
    )
    for organiser, status, starts, ends, cancelled_at in bookings.values_list(
        "window__organiser_id",
        "status",
        "slot__starts_at",
        "slot__ends_at",
        "cancelled_at",
    ):
        c = per[organiser]
        c["booked"] += 1
        if status == Booking.Status.CANCELLED:
            late = cancelled_at is not None and cancelled_at > starts - cutoff
            c["late" if late else "cancelled"] += 1
        elif status == Booking.Status.HELD:
            c["held"] += 1
        elif status == Booking.Status.NO_SHOW:
            c["no_show"] += 1
        elif ends <= scope.now:
            c["unmarked"] += 1
        else:
            c["ahead"] += 1
    people = set(per) | (set(offered) if scope.school_class is None else set())
    who = names(people)
    table = []
    for organiser in sorted(people, key=lambda o: who.get(o, "")):
        c = per[organiser]
        table.append(
            [
                who.get(organiser, "—"),
                offered.get(organiser, 0),
                c["booked"],
                c["held"],
                c["no_show"],
                c["late"],
                c["cancelled"],
                c["unmarked"],
                c["ahead"],
            ]
        )
    keys = ("booked", "held", "no_show", "late", "cancelled", "unmarked", "ahead")
    total = {k: sum(per[o][k] for o in people) for k in keys}
    offered_total = sum(row[1] for row in table)
    return registry.Result(
        figures=[
            registry.Figure(_("Slots offered"), offered_total),
            registry.Figure(_("Booked"), total["booked"]),
            registry.Figure(_("Held"), total["held"]),
            registry.Figure(_("Did not come"), total["no_show"]),
            registry.Figure(_("Cancelled late"), total["late"]),
        ],
        columns=[
            _("Organiser"),
            _("Slots offered"),
            _("Booked"),
            _("Held"),
            _("Did not come"),
            _("Cancelled late"),
            _("Cancelled in time"),
            _("Not marked"),
            _("Still ahead"),
        ],
        rows=table,
        totals=[_("Total"), offered_total, *(total[k] for k in keys)],
        note=_(
            "Slots starting in the period. Cancelled late: less than %(hours)s "
            "hours before the meeting."
        )
        % {"hours": cutoff_hours()},
    )


def unmarked_bookings(now: dt.datetime):
    """Meetings that ended more than a day ago and were not marked held or missed."""
    found = (
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            slot__ends_at__lt=now - dt.timedelta(days=1),
        )
        .select_related("slot", "window__organiser", "student")
        .order_by("slot__ends_at", "pk")[:ATTENTION_LIMIT]
    )
    for booking in found:
        yield registry.Line(
            kind=_("Individual meeting not marked"),
            title=f"{booking.student.short_name} · "
            + formats.date_format(clock.local(booking.slot.starts_at), "d.m.Y H:i"),
            detail=booking.window.organiser.short_name,
            due_at=booking.slot.ends_at,
            url=reverse("bookings:detail", args=[booking.pk]),
        )


registry.register(
    registry.Section(
        "bookings", _("Individual meetings"), order=20, compute=bookings_section
    )
)
registry.register_attention(unmarked_bookings)
