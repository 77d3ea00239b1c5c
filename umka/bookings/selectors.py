"""Reads of windows, slots and bookings, with what their pages show (fixed query
counts: list pages do not grow with the number of rows)."""

import datetime as dt

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from umka.accounts.models import User
from umka.bookings import policies
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.core import clock

#: How far back «my windows» and «my bookings» look.
RECENT = dt.timedelta(days=30)
#: Most slots listed for one organiser.
SLOT_LIMIT = 200


def _active_booking(slot_ref: str = "pk") -> QuerySet[Booking]:
    return Booking.objects.filter(slot=OuterRef(slot_ref), status__in=Booking.ACTIVE)


def active_booking_of(slot: Slot, student: User) -> Booking | None:
    """The student's active booking of this slot, if any."""
    return Booking.objects.filter(
        slot=slot, student=student, status__in=Booking.ACTIVE
    ).first()


def organisers_for(student: User, now: dt.datetime) -> QuerySet[User]:
    """Staff whose windows `student` may book and who have upcoming slots, with the
    number of free and of all such slots (2 queries with the contract)."""
    upcoming = (
        policies.slots_open_for_booking(now)
        .filter(window__organiser=OuterRef("pk"))
        .order_by()
        .values("window__organiser")
    )
    count = Count("pk")
    free = upcoming.exclude(Exists(_active_booking())).annotate(n=count).values("n")
    every = upcoming.annotate(n=count).values("n")
    return (
        policies.bookable_organisers(student, clock.local_date(now))
        .select_related("contract")
        .annotate(
            free_slots=Coalesce(Subquery(free, output_field=IntegerField()), 0),
            upcoming_slots=Coalesce(Subquery(every, output_field=IntegerField()), 0),
        )
        .filter(upcoming_slots__gt=0)
        .order_by("last_name", "first_name", "pk")
    )


def slots_for(organiser: User, student: User, now: dt.datetime) -> list[Slot]:
    """An organiser's bookable slots as `student` sees them: free or taken, whether
    theirs, whether they watch it, whether they already hold one in its window."""
    return list(
        policies.slots_open_for_booking(now)
        .filter(window__organiser=organiser)
        .select_related("window")
        .annotate(
            taken=Exists(_active_booking()),
            mine=Exists(_active_booking().filter(student=student)),
            watched=Exists(
                SlotWatch.objects.filter(slot=OuterRef("pk"), student=student)
            ),
            window_booked=Exists(
                Booking.objects.filter(
                    window=OuterRef("window"),
                    student=student,
                    status__in=Booking.ACTIVE,
                )
            ),
        )
        .order_by("starts_at", "pk")[:SLOT_LIMIT]
    )


def organiser_for(student: User, pk, now: dt.datetime) -> User | None:
    """One of organisers_for(), or None."""
    raw = str(pk or "")
    return (
        organisers_for(student, now).filter(pk=raw).first() if raw.isdigit() else None
    )


def _booking_rows(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related(
        "slot", "window", "window__organiser", "student", "booked_by"
    )


def family_bookings(user: User, now: dt.datetime) -> QuerySet[Booking]:
    """Bookings of the students `user` books for (themself, their children): the
    upcoming ones and those of the last month."""
    students = [s.pk for s in policies.students_for(user)]
    return _booking_rows(
        Booking.objects.filter(
            student__in=students, slot__starts_at__gte=now - RECENT
        ).order_by("slot__starts_at", "pk")
    )


def family_watches(user: User) -> QuerySet[SlotWatch]:
    return (
        policies.watches_visible_to(user)
        .select_related("slot", "slot__window__organiser", "student")
        .order_by("slot__starts_at", "pk")
    )


def booking_page_rows() -> QuerySet[Booking]:
    """What a booking's page shows of it (narrowed by policies.access_booking)."""
    return _booking_rows(Booking.objects.all()).select_related(
        "marked_by", "cancelled_by"
    )


def free_slots_to_move(booking: Booking, now: dt.datetime) -> list[Slot]:
    """Free slots of the same organiser a booking may move to."""
    return list(
        policies.slots_open_for_booking(now)
        .filter(window__organiser=booking.window.organiser_id)
        .exclude(pk=booking.slot_id)
        .exclude(Exists(_active_booking()))
        .exclude(
            Exists(
                Booking.objects.filter(
                    window=OuterRef("window"),
                    student=booking.student_id,
                    status__in=Booking.ACTIVE,
                ).exclude(pk=booking.pk)
            )
        )
        .filter(window__opens_at__lte=now)
        .order_by("starts_at", "pk")[:SLOT_LIMIT]
    )


def _slots_with_bookings() -> Prefetch:
    return Prefetch(
        "slots",
        queryset=Slot.objects.order_by("starts_at", "pk")
        .annotate(watchers=Count("watches"))
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status__in=Booking.ACTIVE)
                .select_related("student", "booked_by")
                .order_by("pk"),
                to_attr="active",
            )
        ),
    )


def windows_page(user: User, now: dt.datetime) -> QuerySet[BookingWindow]:
    """Windows of the last month and ahead: one's own, or everyone's for the
    administration; with slots, bookings and watcher counts (4 queries)."""
    return (
        policies.windows_visible_to(user)
        .filter(ends_at__gte=now - RECENT)
        .select_related("organiser")
        .prefetch_related(_slots_with_bookings())
        .order_by("starts_at", "pk")
    )


def window_page_rows() -> QuerySet[BookingWindow]:
    """What a window's page shows: its slots, bookings and watcher counts
    (narrowed by policies.access_window)."""
    return BookingWindow.objects.select_related("organiser").prefetch_related(
        _slots_with_bookings()
    )


__all__ = [
    "booking_page_rows",
    "family_bookings",
    "family_watches",
    "free_slots_to_move",
    "organiser_for",
    "organisers_for",
    "slots_for",
    "window_page_rows",
    "windows_page",
]
