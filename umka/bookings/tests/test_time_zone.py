"""Bookings keep their wall-clock time when the school changes its time zone: a
15:00 slot stays 15:00 in the new zone, on the page, in the notices and in the
calendar invite; the R7 rules and clash checks keep holding (R5, R7, R8, R13)."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.bookings.invite import build_invite, invite_attachments
from umka.bookings.models import Booking, BookingWindow
from umka.bookings.tests.factories import (
    TUESDAY,
    book,
    booking_school,
    open_window,
    slots,
)
from umka.bookings.time_zone import bookings_keep_wall_clock
from umka.bookings.windows import windows_open
from umka.core import clock as school_clock
from umka.core.errors import DomainError
from umka.notifications.models import Notification
from umka.school import services as school_services
from umka.school import zone_change
from umka.school.models import School

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")


@pytest.fixture
def school(clock):
    return booking_school()


def change_zone(django_capture_on_commit_callbacks, to="Asia/Vladivostok"):
    with django_capture_on_commit_callbacks(execute=True):
        school_services.school_time_zone_change(
            actor=make_person(Role.ADMINISTRATOR),
            school=School.objects.get(),
            time_zone=to,
        )


def local(moment: dt.datetime, zone=VLADIVOSTOK) -> tuple[dt.date, dt.time]:
    local = moment.astimezone(zone)
    return local.date(), local.time()


def test_the_bookings_handler_is_registered():
    assert bookings_keep_wall_clock in zone_change._handlers


@pytest.mark.requirement("R5", "R8")
def test_a_booked_slot_stays_at_15_00_in_the_new_zone(
    school, django_capture_on_commit_callbacks
):
    window = open_window(school, start=dt.time(15), end=dt.time(16))
    booking = book(school, slots(window)[0])
    sequence = booking.sequence
    old_start = booking.slot.starts_at

    change_zone(django_capture_on_commit_callbacks)

    booking.refresh_from_db()
    booking.slot.refresh_from_db()
    window.refresh_from_db()
    assert school_clock.zone() == VLADIVOSTOK
    assert local(booking.slot.starts_at) == (TUESDAY, dt.time(15, 0))
    assert local(booking.slot.ends_at) == (TUESDAY, dt.time(15, 15))
    assert booking.slot.starts_at == old_start - dt.timedelta(hours=7)
    assert local(window.starts_at) == (TUESDAY, dt.time(15, 0))
    assert local(window.ends_at) == (TUESDAY, dt.time(16, 0))
    assert [local(s.starts_at)[1] for s in slots(window)] == [
        dt.time(15, 0),
        dt.time(15, 15),
        dt.time(15, 30),
        dt.time(15, 45),
    ]
    assert booking.sequence == sequence + 1
    assert booking.reminded_24h_at is None
    assert booking.reminded_1h_at is None
    assert str(booking.slot) == "17.11.2026 15:00–15:15"


@pytest.mark.requirement("R5", "R8")
def test_the_invite_and_its_attachment_agree_with_the_page(
    school, client, django_capture_on_commit_callbacks
):
    window = open_window(school, start=dt.time(15), end=dt.time(16))
    booking = book(school, slots(window)[0])

    change_zone(django_capture_on_commit_callbacks)

    booking = Booking.objects.select_related("slot", "window__organiser").get()
    event = Calendar.from_ical(build_invite(booking)).walk("VEVENT")[0]
    start = event["dtstart"].dt
    assert start.replace(tzinfo=None) == dt.datetime(2026, 11, 17, 15, 0)
    assert str(start.tzinfo) == "Asia/Vladivostok"
    assert start == booking.slot.starts_at
    assert event["sequence"] == booking.sequence
    notice = Notification.objects.filter(
        recipient=school.parent, kind="bookings.rescheduled"
    ).get()
    ((_name, data, _mimetype),) = invite_attachments(notice)
    attached = Calendar.from_ical(data).walk("VEVENT")[0]
    assert attached["dtstart"].dt == start
    assert attached["sequence"] == booking.sequence
    client.force_login(school.parent)
    page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "17.11.2026 15:00" in page


@pytest.mark.requirement("R5", "R8", "R13")
def test_the_family_and_the_organiser_are_told_the_old_and_new_time(
    school, django_capture_on_commit_callbacks
):
    window = open_window(school, start=dt.time(15), end=dt.time(16))
    book(school, slots(window)[0])
    empty = open_window(school, day=TUESDAY + dt.timedelta(days=1))
    Notification.objects.all().delete()

    change_zone(django_capture_on_commit_callbacks)

    for person in (school.parent, school.student):
        (notice,) = Notification.objects.filter(recipient=person)
        assert notice.kind == "bookings.rescheduled"
        assert "часовой пояс" in notice.title.lower()
        assert "15:00" in notice.title
        assert "17.11.2026 15:00 (Московское время, UTC+3)" in notice.body
        assert "17.11.2026 15:00 (Владивостокское время, UTC+10)" in notice.body
    (told,) = Notification.objects.filter(recipient=school.teacher)
    assert "2 окна" in told.title
    assert "1 запись" in told.body
    assert "18.11.2026 15:00 (Владивостокское время, UTC+10)" in told.body
    assert told.url == reverse("bookings:windows")
    kept = AuditEntry.objects.filter(action="bookings.zone_kept")
    assert kept.count() == 3  # two windows and the booking
    entry = kept.get(target_id=str(empty.pk), target_type__model="bookingwindow")
    assert entry.changes["starts_at"] == [
        "18.11.2026 15:00 (Московское время, UTC+3)",
        "18.11.2026 15:00 (Владивостокское время, UTC+10)",
    ]


@pytest.mark.requirement("R5")
def test_what_has_started_stays_and_a_future_opening_keeps_its_time(
    school, clock, django_capture_on_commit_callbacks
):
    future_opening = dt.datetime(2026, 11, 12, 10, 0, tzinfo=MOSCOW)
    later = open_window(
        school, day=TUESDAY + dt.timedelta(days=1), opens_at=future_opening
    )
    running = open_window(
        school, day=dt.date(2026, 11, 11), start=dt.time(10), end=dt.time(11)
    )
    clock.set(2026, 11, 11, 10, 30)
    before = BookingWindow.objects.get(pk=running.pk)

    change_zone(django_capture_on_commit_callbacks)

    running.refresh_from_db()
    later.refresh_from_db()
    assert (running.starts_at, running.ends_at) == (before.starts_at, before.ends_at)
    assert local(later.opens_at) == (dt.date(2026, 11, 12), dt.time(10, 0))
    assert local(later.starts_at) == (TUESDAY + dt.timedelta(days=1), dt.time(15))


@pytest.mark.requirement("R5")
def test_an_opening_that_has_passed_stays_passed(
    school, clock, django_capture_on_commit_callbacks
):
    window = open_window(school)
    opened = BookingWindow.objects.get(pk=window.pk).opens_at
    change_zone(django_capture_on_commit_callbacks)
    window.refresh_from_db()
    assert window.opens_at == opened
    assert window.opens_at <= clock.now


@pytest.mark.requirement("R7")
def test_clashes_and_weekly_hours_still_hold_after_the_change(
    school, django_capture_on_commit_callbacks
):
    open_window(school, start=dt.time(15), end=dt.time(16))

    change_zone(django_capture_on_commit_callbacks)

    def window(start, end, day=TUESDAY):
        return windows_open(
            actor=school.teacher,
            organiser=school.teacher,
            dates=[day],
            start_time=start,
            end_time=end,
            slot_minutes=15,
        )

    # 15:30 in the new zone overlaps 15:00–16:00 (also in the new zone).
    with pytest.raises(DomainError) as clash:
        window(dt.time(15, 30), dt.time(16, 30))
    assert clash.value.code == "organiser_busy"
    window(dt.time(16), dt.time(17))  # right after it: fine
    # Two consultation hours a week (the contract): the third is refused (R7).
    with pytest.raises(DomainError) as over:
        window(dt.time(10), dt.time(11), day=TUESDAY + dt.timedelta(days=1))
    assert over.value.code == "weekly_hours_exceeded"


def test_nothing_ahead_moves_nothing(school, django_capture_on_commit_callbacks):
    assert (
        bookings_keep_wall_clock(
            actor=None, old_zone=MOSCOW, new_zone=VLADIVOSTOK, request=None
        )
        == 0
    )
    assert not AuditEntry.objects.filter(action="bookings.zone_kept").exists()
