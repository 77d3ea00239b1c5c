"""Grading with a written review (R6): notices to the student and parents, the
optimistic version, overrides of automatic scores with a reason (audited)."""

from decimal import Decimal

import pytest
from django.core import mail

from umka.assignments import grading, services
from umka.assignments.models import Assignment, Submission
from umka.assignments.tests.factories import make_assignment, submit
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R6")]


def grade(school, submission, **values):
    values = {"version": submission.version, "review": "Верно. Молодец!", **values}
    return grading.submission_grade(
        actor=school.teacher, submission=submission, **values
    )


def test_a_graded_submission_carries_a_review_and_tells_the_family(
    school, django_capture_on_commit_callbacks
):
    submission = submit(make_assignment(school), school.student)
    with django_capture_on_commit_callbacks(execute=True):
        graded = grade(school, submission, mark=5, scores={})
    assert (graded.status, graded.mark, graded.version) == ("graded", 5, 1)
    assert graded.review == "Верно. Молодец!"
    told = set(Notification.objects.values_list("recipient__pk", flat=True))
    assert told == {school.student.pk, school.parent.pk}
    title = Notification.objects.first().title
    assert title == "Оценка 5 и рецензия: «Линейные уравнения»"
    assert AuditEntry.objects.filter(action="assignments.graded").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [school.student.email, school.parent.email]
    )
    assert all("Оценка 5" in m.subject for m in mail.outbox)


def test_a_grade_without_a_review_is_refused(school):
    submission = submit(make_assignment(school), school.student)
    with pytest.raises(DomainError):
        grade(school, submission, mark=5, review="  ")
    assert Submission.objects.get().status == "waiting"


def test_the_second_of_two_teachers_grading_at_once_is_told_it_changed(school):
    from umka.courses.models import SpaceTeacher

    SpaceTeacher.objects.create(
        space=school.space, teacher=school.other_teacher, from_assignment=False
    )
    submission = submit(make_assignment(school), school.student)
    seen_by_both = submission.version
    grade(school, submission, mark=5, version=seen_by_both)
    with pytest.raises(DomainError) as refused:
        grading.submission_grade(
            actor=school.other_teacher,
            submission=submission,
            version=seen_by_both,
            review="Есть ошибка.",
            mark=3,
        )
    assert refused.value.code == "stale"
    assert "Кондратьева" in refused.value.message
    current = Submission.objects.get()
    assert (current.mark, current.review) == (5, "Верно. Молодец!")


def test_overriding_an_automatic_score_needs_a_reason_and_is_audited(school):
    submission = submit(make_assignment(school), school.student)
    auto_part = submission.answers.get(part__position=1).part
    with pytest.raises(DomainError) as refused:
        grade(school, submission, mark=4, scores={auto_part.pk: "1"})
    assert "Вопрос 1" in refused.value.message
    grade(
        school,
        submission,
        mark=4,
        scores={auto_part.pk: "1,5"},
        reasons={auto_part.pk: "Ответ верный, но без проверки"},
    )
    answer = submission.answers.get(part=auto_part)
    assert (answer.auto_score, answer.score) == (Decimal(2), Decimal("1.5"))
    entry = AuditEntry.objects.get(action="assignments.score_overridden")
    assert entry.changes["reason"] == "Ответ верный, но без проверки"
    assert entry.changes["score"] == ["2.00", "1.5"]


def test_points_scale_turns_into_2_to_5_by_the_schools_thresholds(school, settings):
    settings.ASSIGNMENT_POINTS_THRESHOLDS = [50, 70, 85]
    assignment = make_assignment(school, scale=Assignment.Scale.POINTS)
    services.criteria_set(
        actor=school.teacher,
        assignment=assignment,
        rows=[("Ход решения", Decimal(3)), ("Оформление", Decimal(2))],
    )
    assignment.refresh_from_db()
    assert assignment.max_points == Decimal(10)
    submission = submit(assignment, school.student)
    text_part = submission.answers.get(part__position=2).part
    criteria = list(assignment.criteria.all())
    graded = grade(
        school,
        submission,
        scores={text_part.pk: "3"},
        rubric={criteria[0].pk: "2", criteria[1].pk: "1"},
    )
    assert graded.points == Decimal(8)
    assert graded.mark == 4
    assert graded.grade_display() == "8 из 10 (4)"


def test_pass_fail_scale(school):
    assignment = make_assignment(school, scale=Assignment.Scale.PASS_FAIL)
    graded = grade(school, submit(assignment, school.student), passed=True)
    assert graded.grade_display() == "зачёт"


def test_a_teacher_of_another_space_may_not_grade(school):
    submission = submit(make_assignment(school), school.student)
    with pytest.raises(DomainError):
        grading.submission_grade(
            actor=school.other_teacher,
            submission=submission,
            version=0,
            review="…",
            mark=2,
        )
