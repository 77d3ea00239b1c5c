"""The back office for bookings: read-only, for the school administrator."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person, make_student
from umka.bookings import services
from umka.bookings.models import Booking, BookingWindow, Slot, SlotWatch
from umka.bookings.tests.factories import booking_school, open_window, slots

pytestmark = pytest.mark.django_db

MODELS = ("bookingwindow", "booking", "slotwatch")
#: Measured: 10 for every list (session, user, roles, count, rows…).
MAX_QUERIES = 10


def _url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:bookings_{model}_{view}", args=args)


@pytest.fixture
def school(clock):
    return booking_school()


@pytest.fixture
def booking(school):
    window = open_window(school)
    first, second, *_ = slots(window)
    booked = services.booking_create(
        actor=school.parent,
        slot=first,
        student=school.student,
        note="Линейные уравнения",
    )
    services.booking_create(
        actor=school.classmate,
        slot=second,
        student=school.classmate,
        note="Задачи на движение",
    )
    SlotWatch.objects.create(
        slot=first, watcher=school.other_student, student=school.other_student, note="…"
    )
    return booked


@pytest.fixture
def school_admin(client):
    user = make_person(Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def _objects(booking: Booking) -> dict:
    return {
        "bookingwindow": booking.window,
        "booking": booking,
        "slotwatch": SlotWatch.objects.get(),
    }


@pytest.mark.parametrize("model", MODELS)
def test_school_administrator_opens_lists_and_pages(
    client, school_admin, booking, model
):
    obj = _objects(booking)[model]

    listing = client.get(_url(model))
    page = client.get(_url(model, "change", obj.pk))

    assert listing.status_code == 200
    assert page.status_code == 200
    assert listing.context["cl"].result_count >= 1


def test_booking_page_shows_the_notes_to_the_administrator(
    client, school_admin, booking
):
    Booking.objects.filter(pk=booking.pk).update(private_note="Нужна помощь психолога")

    page = client.get(_url("booking", "change", booking.pk))

    assert "Нужна помощь психолога" in page.content.decode()
    assert "Линейные уравнения" in page.content.decode()


def test_window_page_lists_its_slots_and_bookings(client, school_admin, booking):
    page = client.get(_url("bookingwindow", "change", booking.window_id))

    formsets = {f.formset.prefix: f for f in page.context["inline_admin_formsets"]}
    assert len(formsets["slots"].formset.queryset) == 4
    assert len(formsets["bookings"].formset.queryset) == 2


@pytest.mark.parametrize("model", MODELS)
def test_nothing_can_be_added_changed_or_deleted(client, school_admin, booking, model):
    obj = _objects(booking)[model]

    assert client.get(_url(model, "add")).status_code == 403
    assert client.get(_url(model, "delete", obj.pk)).status_code == 403
    assert client.post(_url(model, "change", obj.pk), {}).status_code == 403
    page = client.get(_url(model, "change", obj.pk))
    assert not page.context["has_change_permission"]
    assert not page.context["has_delete_permission"]


def test_delete_action_is_not_offered(client, school_admin, booking):
    response = client.get(_url("booking"))

    assert "delete_selected" not in response.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_a_teacher_has_no_access(client, school, booking, model):
    client.force_login(school.teacher)
    obj = _objects(booking)[model]

    assert client.get(_url(model)).status_code == 404
    assert client.get(_url(model, "change", obj.pk)).status_code == 404


def _many_bookings(school, count: int) -> None:
    """Rows straight in the database: only the list's queries are measured."""
    start = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    for n in range(count):
        organiser = make_person(Role.TEACHER)
        starts_at = start + dt.timedelta(days=n)
        window = BookingWindow.objects.create(
            organiser=organiser,
            created_by=organiser,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=30),
            opens_at=starts_at - dt.timedelta(days=7),
            slot_minutes=15,
        )
        slot = Slot.objects.create(
            window=window,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=15),
        )
        student = make_student()
        Booking.objects.create(
            slot=slot, window=window, student=student, booked_by=student, note="…"
        )
        SlotWatch.objects.create(
            slot=slot, watcher=school.parent, student=school.student, note="…"
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", MODELS)
def test_lists_take_a_bounded_number_of_queries(
    client, school, school_admin, model, django_assert_max_num_queries
):
    _many_bookings(school, 3)
    client.get(_url(model))  # Warm up: the first request fills per-process caches.
    few = _queries(client, _url(model))
    _many_bookings(school, 17)

    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(_url(model)).status_code == 200
    assert _queries(client, _url(model)) == few
