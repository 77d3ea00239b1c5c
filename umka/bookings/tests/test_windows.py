"""Opening and withdrawing windows (R5, R7): their shape, the contract limits,
clashes with consultations."""

import datetime as dt
from decimal import Decimal

import pytest

from umka.audit.models import AuditEntry
from umka.bookings.models import Booking, BookingWindow, Slot
from umka.bookings.tests.factories import (
    NOW,
    TUESDAY,
    at,
    book,
    booking_school,
    open_window,
    slots,
    titles,
)
from umka.bookings.windows import window_cancel, windows_open
from umka.consultations import rules
from umka.consultations.models import Consultation
from umka.consultations.planning import services as planning_services
from umka.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return booking_school()


# --- Windows (R7) ---------------------------------------------------------------------


@pytest.mark.requirement("R5")
def test_windows_open_cuts_the_window_into_slots(school):
    window = open_window(school, how_to_join="https://meet.example.org/k")
    assert [(s.starts_at, s.ends_at) for s in slots(window)] == [
        (at(TUESDAY, 15, m), at(TUESDAY, 15, m) + dt.timedelta(minutes=15))
        for m in (0, 15, 30, 45)
    ]
    assert window.opens_at == NOW
    entry = AuditEntry.objects.get(action="bookings.window_opened")
    assert entry.changes["slots"] == 4


def test_windows_open_several_dates_at_once(school):
    windows = windows_open(
        actor=school.teacher,
        organiser=school.teacher,
        dates=[TUESDAY, TUESDAY + dt.timedelta(days=7)],
        start_time=dt.time(15, 0),
        end_time=dt.time(15, 30),
        slot_minutes=10,
    )
    assert len(windows) == 2
    assert Slot.objects.count() == 6


@pytest.mark.parametrize(
    ("start", "end", "minutes", "code"),
    [
        (dt.time(16, 0), dt.time(15, 0), 15, "window_ends_first"),
        (dt.time(15, 0), dt.time(15, 50), 15, "slots_do_not_fit"),
        (dt.time(10, 0), dt.time(14, 30), 15, "window_too_long"),
        (dt.time(15, 0), dt.time(16, 0), 3, "slot_minutes"),
    ],
)
def test_windows_open_refuses_a_bad_shape(school, start, end, minutes, code):
    with pytest.raises(DomainError) as refused:
        open_window(school, start=start, end=end, minutes=minutes)
    assert refused.value.code == code
    assert not BookingWindow.objects.exists()


def test_windows_open_refuses_the_past_and_late_opening(school, clock):
    with pytest.raises(DomainError) as refused:
        open_window(school, day=NOW.date(), start=dt.time(8, 0), end=dt.time(8, 30))
    assert refused.value.code == "window_in_past"
    with pytest.raises(DomainError) as refused:
        open_window(school, opens_at=at(TUESDAY, 16))
    assert refused.value.code == "opens_too_late"


def test_windows_open_refuses_holidays(school):
    with pytest.raises(DomainError) as refused:
        open_window(school, day=dt.date(2026, 12, 1))
    assert refused.value.code == "on_holiday"


def test_only_the_organiser_or_a_coordinator_opens_windows(school):
    with pytest.raises(DomainError):
        windows_open(
            actor=school.other_teacher,
            organiser=school.teacher,
            dates=[TUESDAY],
            start_time=dt.time(15, 0),
            end_time=dt.time(15, 30),
            slot_minutes=15,
        )
    with pytest.raises(DomainError):
        open_window(school, organiser=school.student)
    windows_open(
        actor=school.deputy,
        organiser=school.teacher,
        dates=[TUESDAY],
        start_time=dt.time(15, 0),
        end_time=dt.time(15, 30),
        slot_minutes=15,
    )


@pytest.mark.requirement("R7")
def test_windows_count_towards_the_weekly_consultation_hours(school):
    # The teacher has 2 h a week for consultations.
    open_window(school, start=dt.time(15, 0), end=dt.time(16, 30))
    with pytest.raises(DomainError) as refused:
        open_window(
            school,
            day=TUESDAY + dt.timedelta(days=1),
            start=dt.time(15, 0),
            end=dt.time(16, 0),
        )
    assert refused.value.code == "weekly_hours_exceeded"
    assert "0,5" in refused.value.messages[0]
    # The next week is free.
    open_window(school, day=TUESDAY + dt.timedelta(days=7))


@pytest.mark.requirement("R7")
def test_a_window_counts_when_a_consultation_is_planned(school):
    open_window(school, start=dt.time(15, 0), end=dt.time(16, 30))
    assert rules.weekly_load(school.teacher, TUESDAY - dt.timedelta(days=1)) == Decimal(
        "1.5"
    )
    with pytest.raises(DomainError) as refused:
        planning_services.consultation_plan(
            actor=school.teacher,
            schedule=school.schedule,
            organiser=school.teacher,
            form=Consultation.Form.VIDEOCONFERENCE,
            subject=school.maths,
            classes=[school.class_7a],
            starts_on=TUESDAY + dt.timedelta(days=2),
            start_time=dt.time(15, 0),
            duration_minutes=45,
        )
    assert refused.value.code == "weekly_hours_exceeded"


@pytest.mark.requirement("R7")
def test_a_window_does_not_clash_with_a_consultation(school):
    planning_services.consultation_plan(
        actor=school.teacher,
        schedule=school.schedule,
        organiser=school.teacher,
        form=Consultation.Form.VIDEOCONFERENCE,
        subject=school.maths,
        classes=[school.class_7a],
        starts_on=TUESDAY,
        start_time=dt.time(15, 0),
        duration_minutes=45,
    )
    with pytest.raises(DomainError) as refused:
        open_window(school, start=dt.time(15, 30), end=dt.time(16, 0))
    assert refused.value.code == "organiser_busy"
    open_window(school, start=dt.time(15, 45), end=dt.time(16, 15))


@pytest.mark.requirement("R7")
def test_other_staff_open_windows_within_working_time(school):
    open_window(school, organiser=school.deputy, start=dt.time(16, 0), end=dt.time(17))
    with pytest.raises(DomainError) as refused:
        open_window(
            school,
            organiser=school.deputy,
            day=TUESDAY + dt.timedelta(days=1),
            start=dt.time(16, 30),
            end=dt.time(17, 30),
        )
    assert refused.value.code == "outside_working_time"


def test_windows_of_one_organiser_do_not_overlap(school):
    open_window(school, start=dt.time(15, 0), end=dt.time(15, 30))
    with pytest.raises(DomainError) as refused:
        open_window(school, start=dt.time(15, 15), end=dt.time(15, 45))
    assert refused.value.code == "organiser_busy"


def test_cancelling_a_window_cancels_its_bookings_and_frees_the_hours(school):
    window = open_window(school, start=dt.time(15), end=dt.time(17))
    book(school, slots(window)[0])
    with pytest.raises(DomainError):
        window_cancel(actor=school.teacher, window=window, reason=" ")
    window_cancel(actor=school.teacher, window=window, reason="Педсовет")
    assert Booking.objects.get().status == Booking.Status.CANCELLED
    assert any("отменена" in t for t in titles(school.parent))
    # The 2 h are free again.
    open_window(school, start=dt.time(15), end=dt.time(17))
