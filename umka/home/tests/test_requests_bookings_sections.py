"""«Мои обращения» and «Индивидуальные консультации» on the home page: what each
person sees (through the apps' policies) and a query count that does not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from umka.accounts.tests.factories import ParentLinkFactory, make_student
from umka.bookings import services as booking_services
from umka.bookings.tests.factories import (
    TUESDAY,
    booking_school,
    open_window,
    slots,
)
from umka.requests import services as request_services
from umka.requests.models import Request
from umka.requests.tests.factories import NOW as REQUESTS_NOW
from umka.requests.tests.factories import request_school, write
from umka.school.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def section(client, user, section_id: str) -> str | None:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    marker = f'id="{section_id}"'
    if marker not in html:
        return None
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # warm the caches (school, translations)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("home")).status_code == 200
    return len(context.captured_queries)


# --- Requests -------------------------------------------------------------------------


@pytest.fixture
def rclock(clock):
    clock.travel(REQUESTS_NOW)
    return clock


@pytest.fixture
def rschool(rclock):
    return request_school()


def test_student_sees_own_open_request_and_not_another_students(client, rschool):
    own = write(rschool, actor=rschool.student, topic="Дроби")
    other = write(
        rschool,
        actor=rschool.other_parent,
        student=rschool.other_student,
        topic="Корни",
    )
    text = section(client, rschool.student, "requests-home")
    assert reverse("requests:detail", args=[own.pk]) in text
    assert "Дроби" in text
    assert reverse("requests:detail", args=[other.pk]) not in text
    assert "Корни" not in text
    assert reverse("requests:list") in text


def test_closed_requests_are_not_listed_and_the_empty_state_links_to_new(
    client, rschool
):
    req = write(rschool, actor=rschool.student)
    request_services.request_close(actor=rschool.student, req=req)
    text = section(client, rschool.student, "requests-home")
    assert reverse("requests:detail", args=[req.pk]) not in text
    assert reverse("requests:new") in text


def test_parent_sees_their_childs_request(client, rschool):
    req = write(rschool)  # the parent about their child
    text = section(client, rschool.parent, "requests-home")
    assert reverse("requests:detail", args=[req.pk]) in text
    assert section(client, rschool.other_parent, "requests-home").count("<li") == 0


def test_teacher_sees_requests_assigned_to_them_overdue_first(client, rschool, rclock):
    write(rschool, topic="Первое")
    rclock.advance(days=7)  # past its deadline
    write(rschool, topic="Второе")
    other = write(rschool, addressee=Request.Addressee.ADMINISTRATION, topic="Третье")
    text = section(client, rschool.teacher, "requests-home")
    assert text.index("Первое") < text.index("Второе")  # the overdue one first
    assert text.count("is-overdue") == 2  # the row and its badge
    assert "Третье" not in text  # assigned to a deputy
    assert reverse("requests:detail", args=[other.pk]) not in text
    # Not theirs: nothing shown to a teacher with nothing assigned.
    assert section(client, rschool.other_teacher, "requests-home") is None


@pytest.mark.parametrize("who", ["student", "parent", "teacher"])
def test_requests_query_count_is_the_same_for_2_and_10(client, rschool, who):
    for _ in range(2):
        write(rschool)
    user = getattr(rschool, who)
    few = queries(client, user)
    for _ in range(8):
        write(rschool)
    assert queries(client, user) == few
    assert section(client, user, "requests-home").count("<li") == 5


# --- Bookings -------------------------------------------------------------------------


@pytest.fixture
def bclock(clock):
    return clock


@pytest.fixture
def bschool(bclock):
    return booking_school()


def _children_booked(school, window, n: int) -> list:
    """n more children of the parent in 7А, each booking the next free slot."""
    free = [s for s in slots(window) if not s.bookings.exists()]
    booked = []
    for slot in free[:n]:
        child = make_student()
        EnrolmentFactory(student=child, school_class=school.class_7a)
        ParentLinkFactory(parent=school.parent, student=child)
        booked.append(
            booking_services.booking_create(
                actor=school.parent, slot=slot, student=child, note="Дроби"
            )
        )
    return booked


def test_parent_sees_their_childs_booking(client, bschool):
    window = open_window(bschool, how_to_join="https://meet.example.org/room")
    booking = booking_services.booking_create(
        actor=bschool.parent,
        slot=slots(window)[0],
        student=bschool.student,
        note="Квадратные уравнения",
    )
    text = section(client, bschool.parent, "bookings-home")
    assert reverse("bookings:detail", args=[booking.pk]) in text
    assert "https://meet.example.org/room" in text
    assert bschool.teacher.short_name in text
    other = section(client, bschool.other_parent, "bookings-home")
    assert reverse("bookings:detail", args=[booking.pk]) not in other
    assert reverse("bookings:find") in other


def test_teacher_sees_booked_slots_of_the_next_week_only(client, bschool, bclock):
    window = open_window(bschool)
    booking = booking_services.booking_create(
        actor=bschool.student,
        slot=slots(window)[0],
        student=bschool.student,
        note="Дроби",
    )
    # A week and six hours ahead: not yet.
    assert section(client, bschool.teacher, "bookings-home") is None
    bclock.travel(dt.datetime.combine(TUESDAY, dt.time(9), tzinfo=bclock.moment.tzinfo))
    text = section(client, bschool.teacher, "bookings-home")
    assert reverse("bookings:detail", args=[booking.pk]) in text


@pytest.mark.parametrize("who", ["parent", "teacher"])
def test_bookings_query_count_is_the_same_for_2_and_10(client, bschool, bclock, who):
    window = open_window(bschool, start=dt.time(14, 0), end=dt.time(16, 0), minutes=12)
    _children_booked(bschool, window, 2)
    bclock.travel(dt.datetime.combine(TUESDAY, dt.time(9), tzinfo=bclock.moment.tzinfo))
    user = getattr(bschool, who)
    few = queries(client, user)
    bclock.travel(bclock.moment - dt.timedelta(days=7))  # before the cut-off again
    _children_booked(bschool, window, 8)
    bclock.travel(dt.datetime.combine(TUESDAY, dt.time(9), tzinfo=bclock.moment.tzinfo))
    assert queries(client, user) == few
    assert section(client, user, "bookings-home").count("<li") == 5
