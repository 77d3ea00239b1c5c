"""Reminders of booked individual consultations (R5)."""

import datetime as dt

import pytest

from umka.bookings import services
from umka.bookings.reminders import bookings_remind
from umka.bookings.tests.factories import (
    book,
    booking_school,
    open_window,
    slots,
    titles,
)
from umka.notifications.models import Notification
from umka.school.models import School

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return booking_school()


@pytest.mark.requirement("R5")
def test_reminders_go_24_hours_and_1_hour_before_each_once(school, clock):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    start = booking.slot.starts_at
    Notification.objects.all().delete()
    assert bookings_remind(start - dt.timedelta(hours=25)) == 0
    assert bookings_remind(start - dt.timedelta(hours=23)) == 1
    assert bookings_remind(start - dt.timedelta(hours=22)) == 0
    assert bookings_remind(start - dt.timedelta(minutes=55)) == 1
    assert bookings_remind(start - dt.timedelta(minutes=50)) == 0
    reminders = Notification.objects.filter(kind="bookings.reminder")
    # Student, parent (family) and the teacher, twice.
    assert reminders.count() == 6
    assert titles(school.parent)[0].startswith("Завтра")
    assert titles(school.parent)[1].startswith("Через час")


def test_a_late_booking_gets_only_the_one_hour_reminder(school, clock):
    School.objects.update(booking_cutoff_hours=0)
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    window = open_window(school)
    booking = book(school, slots(window)[0])
    assert bookings_remind(booking.slot.starts_at - dt.timedelta(minutes=30))
    assert not bookings_remind(booking.slot.starts_at - dt.timedelta(minutes=20))
    booking.refresh_from_db()
    assert booking.reminded_24h_at is not None
    assert booking.reminded_1h_at is not None


def test_no_reminder_for_a_cancelled_booking(school, clock):
    window = open_window(school)
    booking = book(school, slots(window)[0])
    services.booking_cancel(actor=school.student, booking=booking)
    assert bookings_remind(booking.slot.starts_at - dt.timedelta(hours=2)) == 0
