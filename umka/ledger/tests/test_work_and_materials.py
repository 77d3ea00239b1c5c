"""Graded work and opened materials in the ledger, and graded work as help to rate
(R13), on the deferred-work school of `courses.tests.factories`."""

import pytest
from django.urls import reverse

from umka.assignments import grading
from umka.assignments.tests.factories import make_assignment, submit
from umka.courses.tests.factories import course_school
from umka.materials.openings import opening_record
from umka.materials.tests.factories import make_material
from umka.ratings import services as rating_services
from umka.ratings.models import Rating

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(clock):
    return course_school()


@pytest.fixture
def graded(school):
    submission = submit(make_assignment(school), school.student)
    return grading.submission_grade(
        actor=school.teacher,
        submission=submission,
        version=submission.version,
        review="Верно. Молодец!",
        mark=5,
        scores={},
    )


@pytest.mark.requirement("R13")
def test_ledger_shows_graded_work_with_review_and_opened_materials(
    client, school, graded
):
    opening_record(person=school.student, material=make_material(school))
    client.force_login(school.parent)
    text = client.get(reverse("ledger:student", args=[school.student.pk])).content
    text = text.decode()
    assert "Проверенная работа" in text
    assert "Отметка 5. Верно. Молодец!" in text
    assert "Открыт материал" in text
    assert "Линейные уравнения: карточка" in text


@pytest.mark.requirement("R13")
def test_graded_work_is_rated_by_the_student_and_parent(school, graded):
    for person in (school.student, school.parent):
        rating_services.rating_create(
            actor=person,
            kind="assignments.submission",
            object_id=graded.pk,
            score=4,
        )
    assert set(Rating.objects.values_list("staff", flat=True)) == {school.teacher.pk}
    with pytest.raises(rating_services.DomainError):
        rating_services.rating_create(
            actor=school.other_parent,
            kind="assignments.submission",
            object_id=graded.pk,
            score=1,
        )


@pytest.mark.requirement("R13")
def test_graded_seminar_work_is_in_the_ledger_and_rated(client, school):
    from umka.core import clock as school_clock
    from umka.seminars.models import Work
    from umka.seminars.tests.factories import make_seminar
    from umka.seminars.tests.factories import submit as submit_work

    work = submit_work(make_seminar(school), school.student)
    Work.objects.filter(pk=work.pk).update(
        status=Work.Status.GRADED,
        mark=4,
        review="Хорошая модель, проверьте единицы.",
        graded_by=school.teacher,
        graded_at=school_clock.now(),
    )
    client.force_login(school.student)
    text = client.get(reverse("ledger:student", args=[school.student.pk])).content
    assert "Отметка 4. Хорошая модель, проверьте единицы." in text.decode()
    rating = rating_services.rating_create(
        actor=school.student, kind="seminars.work", object_id=work.pk, score=5
    )
    assert rating.staff == school.teacher
