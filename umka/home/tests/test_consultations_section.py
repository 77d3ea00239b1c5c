"""«Мои консультации» on the home page: the next sessions of what a person
organises, attends, or their children attend; an empty state; bounded queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from umka.accounts.models import Role
from umka.accounts.tests.factories import ParentLinkFactory, make_person, make_student
from umka.consultations.models import Consultation
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.school.models import SchoolClass
from umka.school.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def clock(clock):
    clock.travel(NOW)
    return clock


@pytest.fixture
def school():
    return small_school()


def plan(school, **overrides) -> Consultation:
    fields = {
        "actor": school.teacher,
        "schedule": school.schedule,
        "organiser": school.teacher,
        "form": Consultation.Form.VIDEOCONFERENCE,
        "subject": school.maths,
        "classes": [school.class_7a],
        "starts_on": TUESDAY,
        "start_time": dt.time(15, 0),
        "duration_minutes": 45,
        "how_to_join": "https://meet.example.org/algebra",
    }
    fields.update(overrides)
    return planning_services.consultation_plan(**fields)


def approve(school) -> None:
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)


def section(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="consultations-home"')
    return html[start : html.index("</section>", start)]


def test_organiser_sees_own_consultations_even_in_a_draft(client, school):
    consultation = plan(school)
    text = section(client, school.teacher)
    assert "17.11" in text
    assert "15:00</time>–15:45" in text
    assert "Алгебра" in text
    assert reverse("consultations:detail", args=[consultation.pk]) in text
    assert "https://meet.example.org/algebra" in text
    assert reverse("consultations:mine") in text


def test_students_and_parents_see_nothing_before_approval(client, school):
    plan(school)
    for user in (school.student, school.parent):
        assert "Алгебра" not in section(client, user)


def test_student_sees_the_consultations_of_their_class(client, school):
    plan(school)
    approve(school)
    text = section(client, school.student)
    assert "Алгебра" in text
    assert school.teacher.short_name in text
    assert "https://meet.example.org/algebra" in text
    assert "Алгебра" not in section(client, school.other_student)


def test_parent_sees_which_child_a_consultation_is_for(client, school):
    plan(school)
    approve(school)
    text = section(client, school.parent)
    assert "Алгебра" in text
    assert school.student.first_name in text
    assert "Алгебра" not in section(client, school.other_parent)


def test_a_cancelled_session_is_shown_with_its_reason(client, school):
    occurrence = plan(school).occurrences.get()
    approve(school)
    planning_services.occurrence_cancel(
        actor=school.teacher, occurrence=occurrence, reason="Карантин"
    )
    text = section(client, school.parent)
    assert "Карантин" in text
    assert "https://meet.example.org/algebra" not in text


def test_only_the_next_two_weeks_and_at_most_ten(client, school):
    school.teacher.contract.consultation_hours = 5
    school.teacher.contract.save()
    plan(
        school,
        starts_on=dt.date(2026, 11, 11),
        duration_minutes=20,
        recurrence=Consultation.Recurrence.WEEKLY,
    )
    for day in range(12, 20):
        plan(
            school,
            starts_on=dt.date(2026, 11, day),
            start_time=dt.time(16, 0),
            duration_minutes=10,
        )
    text = section(client, school.teacher)
    assert text.count("<li") == 10
    assert "25.11" not in text  # beyond 14 days


def test_empty_state(client, school):
    text = section(client, school.student)
    assert "<li" not in text
    assert 'class="muted"' in text


def test_every_role_gets_the_section(client, school):
    for user in (school.deputy, school.director, make_person(Role.ADMINISTRATOR)):
        assert section(client, user)


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("home"))  # warm the caches (school, translations)
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("home")).status_code == 200
    return len(context.captured_queries)


def _more(school, start: int, n: int, reason: str = "") -> None:
    """n more classes, each with a child of the parent and a consultation of the
    deputy; every other one also invites the student."""
    for i in range(start, start + n):
        school_class = SchoolClass.objects.create(
            year=school.year, grade=7, letter=str(i)
        )
        child = make_student()
        EnrolmentFactory(
            student=child, school_class=school_class, starts_on=dt.date(2026, 9, 1)
        )
        ParentLinkFactory(parent=school.parent, student=child)
        plan(
            school,
            actor=school.deputy,
            organiser=school.deputy,
            subject=None,
            classes=[school_class],
            students=[school.student] if i % 2 else [],
            starts_on=dt.date(2026, 11, 16) + dt.timedelta(days=i % 5),
            start_time=dt.time(8 + i // 5, 0),
            duration_minutes=15,
            reason=reason,
        )


@pytest.mark.parametrize("who", ["parent", "student", "deputy"])
def test_section_query_count_does_not_grow(client, school, who):
    _more(school, 0, 3)
    approve(school)
    user = getattr(school, who)
    few = _queries(client, user)
    _more(school, 3, 27, reason="Дополнительная консультация")
    assert _queries(client, user) == few


def test_the_live_room_link_only_where_the_person_may_enter(client, school):
    consultation = plan(school)
    approve(school)
    occurrence = consultation.occurrences.first()
    room = reverse("rooms:occurrence", args=[occurrence.uid])
    assert room in section(client, school.student)
    assert room in section(client, school.teacher)
    # Parents follow their child's consultations but enter only when invited.
    assert room not in section(client, school.parent)
    Consultation.objects.filter(pk=consultation.pk).update(for_parents=True)
    assert room in section(client, school.parent)
