"""Ratings of help (R13): once, within the school's period, a student and a parent
separately; staff read their own without names, the administration with names."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.ratings import selectors, services
from umka.ratings.models import Rating
from umka.ratings.tests.factories import help_given
from umka.school.models import School

pytestmark = pytest.mark.django_db

SESSION = "consultations.session"
BOOKING = "bookings.booking"


@pytest.fixture
def given(clock):
    return help_given(clock)


def rate(user, kind, obj, score=5, comment=""):
    return services.rating_create(
        actor=user, kind=kind, object_id=obj.pk, score=score, comment=comment
    )


@pytest.mark.requirement("R13")
def test_student_and_parent_rate_the_same_meeting_separately(given):
    school = given.school
    by_student = rate(school.student, BOOKING, given.booking, 5, "Понятно")
    by_parent = rate(school.parent, BOOKING, given.booking, 4)
    assert by_student.staff == by_parent.staff == school.teacher
    assert by_student.student == by_parent.student == school.student
    assert AuditEntry.objects.filter(action="ratings.rated").count() == 2


@pytest.mark.requirement("R13")
def test_a_piece_of_help_is_rated_once(given):
    rate(given.school.student, SESSION, given.session, 3)
    with pytest.raises(DomainError) as refused:
        rate(given.school.student, SESSION, given.session, 5)
    assert refused.value.code == "rated_already"
    assert Rating.objects.get().score == 3


@pytest.mark.requirement("R13")
def test_rating_after_the_school_period_is_refused_with_the_date(given, clock):
    School.objects.update(rating_days=3)
    from umka.school.selectors import forget_cached_school

    forget_cached_school()
    clock.travel(given.booking.slot.ends_at + dt.timedelta(days=3, minutes=1))
    with pytest.raises(DomainError) as refused:
        rate(given.school.student, BOOKING, given.booking)
    assert refused.value.code == "period_over"
    assert "3" in refused.value.messages[0]
    assert "20.11.2026" in refused.value.messages[0]
    assert not Rating.objects.exists()


@pytest.mark.requirement("R13")
def test_score_outside_1_to_5_is_refused(given):
    for bad in (0, 6, "x"):
        with pytest.raises(DomainError):
            rate(given.school.student, BOOKING, given.booking, bad)
    assert not Rating.objects.exists()


@pytest.mark.requirement("R13")
def test_only_the_audience_and_the_family_may_rate(given):
    school = given.school
    for outsider in (school.other_student, school.other_parent, school.teacher):
        for kind, obj in ((BOOKING, given.booking), (SESSION, given.session)):
            with pytest.raises(DomainError):
                rate(outsider, kind, obj)
    assert not Rating.objects.exists()


def test_database_refuses_a_score_outside_1_to_5(given):
    from django.db import IntegrityError, transaction

    rating = rate(given.school.student, BOOKING, given.booking)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(score=6)


@pytest.mark.requirement("R13")
def test_to_rate_lists_the_help_of_the_period_with_scores_given(given):
    rate(given.school.student, BOOKING, given.booking, 4)
    rows = {row.item.kind: row for row in selectors.to_rate(given.school.student)}
    assert rows[BOOKING].score == 4
    assert rows[SESSION].score is None
    assert selectors.to_rate(given.school.other_student) == []


# --- Pages ----------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.requirement("R13")
def test_rate_page_saves_the_rating(client, given):
    url = reverse("ratings:rate", args=[SESSION, given.session.pk])
    response = login(client, given.school.student).post(
        url, {"score": "2", "comment": "Слишком быстро"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (2, "Слишком быстро")
    page = client.get(reverse("ratings:index"))
    assert "Алгебра" in page.content.decode()


@pytest.mark.requirement("R13")
def test_rate_page_shows_the_period_refusal(client, given, clock):
    clock.travel(given.booking.slot.ends_at + dt.timedelta(days=15))
    url = reverse("ratings:rate", args=[BOOKING, given.booking.pk])
    response = login(client, given.school.student).post(url, {"score": "5"})
    assert response.status_code == 400
    assert "в течение 14" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.requirement("R13", "R3")
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 200),
        ("parent", 200),
        ("other_student", 404),
        ("other_parent", 404),
        ("teacher", 404),
        ("deputy", 404),
    ],
)
def test_rate_page_role_matrix(client, given, name, status):
    user = getattr(given.school, name)
    url = reverse("ratings:rate", args=[BOOKING, given.booking.pk])
    assert login(client, user).get(url).status_code == status
    response = client.post(url, {"score": "1"})
    assert response.status_code == (302 if status == 200 else 404)
    assert Rating.objects.count() == (1 if status == 200 else 0)


def test_rate_page_anonymous_goes_to_sign_in(client, given):
    url = reverse("ratings:rate", args=[BOOKING, given.booking.pk])
    response = client.post(url, {"score": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Rating.objects.exists()


@pytest.mark.requirement("R13")
def test_a_teacher_sees_only_their_own_anonymous_ratings(client, given):
    school = given.school
    rate(school.student, BOOKING, given.booking, 2, "Мало времени")
    rate(school.parent, BOOKING, given.booking, 5, "Спасибо")
    other_session = given.session
    other_session.consultation.organiser = school.other_teacher
    other_session.consultation.save()
    rate(school.student, SESSION, other_session, 1, "Про другого учителя")
    page = login(client, school.teacher).get(reverse("ratings:index"))
    text = page.content.decode()
    assert "Мало времени" in text
    assert "Спасибо" in text
    assert "3,50" in text or "3.50" in text
    assert "Про другого учителя" not in text
    for person in (school.student, school.parent):
        assert person.last_name not in text
    for url in (
        reverse("ratings:staff"),
        reverse("ratings:low"),
        reverse("ratings:staff_detail", args=[school.teacher.pk]),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.requirement("R13")
def test_the_administration_sees_names_and_low_rated_help(client, given):
    school = given.school
    rate(school.student, BOOKING, given.booking, 2, "Мало времени")
    rate(school.parent, BOOKING, given.booking, 5)
    for overseer in (school.director, school.deputy):
        login(client, overseer)
        staff = client.get(reverse("ratings:staff")).content.decode()
        assert school.teacher.last_name in staff
        detail = client.get(
            reverse("ratings:staff_detail", args=[school.teacher.pk])
        ).content.decode()
        assert school.student.last_name in detail
        assert school.parent.last_name in detail
        low = client.get(reverse("ratings:low")).content.decode()
        assert "Мало времени" in low
        assert school.student.last_name in low


@pytest.mark.requirement("R13", "R3")
@pytest.mark.parametrize("name", ["student", "parent", "other_student", "teacher"])
def test_administration_pages_are_404_to_others(client, given, name):
    login(client, getattr(given.school, name))
    for url in (reverse("ratings:staff"), reverse("ratings:low")):
        assert client.get(url).status_code == 404


def test_school_administrator_without_oversight_sees_no_names(client, given):
    login(client, make_person(Role.ADMINISTRATOR))
    assert client.get(reverse("ratings:staff")).status_code == 404


def test_administration_list_query_count_is_pinned(
    client, given, django_assert_max_num_queries
):
    school = given.school
    rate(school.student, BOOKING, given.booking, 2)
    rate(school.parent, BOOKING, given.booking, 1)
    rate(school.student, SESSION, given.session, 1)
    login(client, school.director)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ratings:low")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("ratings:staff")).status_code == 200


def test_rate_list_query_count_does_not_grow_with_the_help(client, given):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from umka.ratings.tests.factories import held_session

    login(client, given.school.parent)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ratings:index"))
    for _ in range(3):
        held_session(given.school)
    with CaptureQueriesContext(connection) as many:
        text = client.get(reverse("ratings:index")).content.decode()
    assert text.count("/ratings/rate/consultations.session/") == 4
    assert len(many.captured_queries) == len(few.captured_queries)
