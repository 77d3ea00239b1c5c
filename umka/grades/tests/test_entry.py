"""Entering grades by hand: one lesson's work, a grade per student (R9)."""

import datetime as dt

import pytest

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.grades import services
from umka.grades.models import Grade
from umka.grades.tests.helpers import grade_state

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 16)


def enter(school, actor=None, **overrides):
    fields = {
        "actor": actor or school.teacher,
        "school_class": school.class_7a,
        "subject": school.algebra,
        "date": DAY,
        "topic": "Линейные уравнения с параметром",
        "work_type_text": "самостоятельная",
        "values": {school.student.pk: 3, school.classmate.pk: 5},
    }
    fields.update(overrides)
    return services.grades_enter(**fields)


@pytest.mark.requirement("R9")
def test_entering_grades_creates_changes_and_takes_back(school):
    result = enter(school)
    assert (result.created, result.changed, result.removed) == (2, 0, 0)
    grade = Grade.objects.get(student=school.student)
    assert (grade.value, grade.work_type, grade.source) == (
        3,
        "самостоятельная работа",
        Grade.Source.MANUAL,
    )
    result = enter(
        school,
        topic="линейные уравнения с параметром.",
        values={school.student.pk: 4, school.classmate.pk: None},
    )
    assert (result.created, result.changed, result.removed) == (0, 1, 1)
    assert list(Grade.objects.values_list("student", "value")) == [
        (school.student.pk, 4)
    ]
    entries = AuditEntry.objects.filter(action="grades.entered")
    assert entries.count() == 2
    assert entries.order_by("pk").last().changes["changed"] == {
        str(school.student.pk): [3, 4]
    }


def test_entering_the_same_grades_again_records_nothing(school):
    enter(school)
    result = enter(school)
    assert result.total == 0
    assert AuditEntry.objects.filter(action="grades.entered").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": dt.date(2026, 11, 21)}, "future"),
        ({"date": dt.date(2026, 8, 31)}, "academic year"),
        ({"topic": "", "work_type_text": ""}, "topic or the kind"),
        ({"values": {0: 4}}, "Only the students"),
    ],
)
def test_entering_refuses_bad_input_and_changes_nothing(school, overrides, message):
    from django.utils import translation

    before = grade_state()
    with translation.override("en"), pytest.raises(DomainError, match=message):
        enter(school, **overrides)
    assert grade_state() == before


def test_entering_refuses_a_student_of_another_class(school):
    with pytest.raises(DomainError):
        enter(school, values={school.other_student.pk: 4})
    with pytest.raises(DomainError):  # moved to 7Б on 2 November
        enter(school, values={school.mover.pk: 4})
    enter(school, date=dt.date(2026, 10, 20), values={school.mover.pk: 4})
    assert Grade.objects.get().student == school.mover


@pytest.mark.requirement("R9")
@pytest.mark.parametrize("who", ["other_teacher", "student", "parent"])
def test_only_the_subjects_teacher_or_the_administration_enters(school, who):
    with pytest.raises(DomainError):
        enter(school, actor=getattr(school, who))
    assert not Grade.objects.exists()
    enter(school, actor=school.director)
    assert Grade.objects.count() == 2
