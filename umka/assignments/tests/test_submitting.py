"""Submitting (R6): dates in the school's zone, late work, extensions, attempts,
one submission per click of «Отправить»."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from umka.assignments import grading, services
from umka.assignments.models import Assignment, Kind, Submission
from umka.assignments.submitting import submission_submit
from umka.assignments.tests.factories import DUE, make_assignment, submit
from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.core.tests.clock import MOSCOW
from umka.school.models import School
from umka.school.selectors import forget_cached_school

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R6")]


def test_submitting_scores_the_automatic_part_at_once(school):
    assignment = make_assignment(school)
    submission = submit(assignment, school.student)
    assert submission.attempt == 1
    assert submission.auto_points == Decimal(2)
    assert not submission.late
    assert submission.status == Submission.Status.WAITING
    auto, text = submission.answers.order_by("part__position")
    assert (auto.auto_score, auto.score) == (Decimal(2), Decimal(2))
    assert text.auto_score is None
    assert text.response == {"text": "Перенёс 6 и разделил на 3."}
    assert AuditEntry.objects.filter(action="assignments.submitted").count() == 1


def test_a_second_click_finds_the_first_submission(school):
    assignment = make_assignment(school)
    token = uuid.uuid4()
    first = submit(assignment, school.student, token=token)
    again = submit(assignment, school.student, token=token, choice=1)
    assert again.pk == first.pk
    assert Submission.objects.count() == 1


def test_another_students_token_is_refused(school):
    assignment = make_assignment(school)
    token = uuid.uuid4()
    submit(assignment, school.student, token=token)
    with pytest.raises(DomainError):
        submit(assignment, school.classmate, token=token)


def test_before_the_opening_the_refusal_names_the_date_in_the_schools_zone(
    school, clock
):
    assignment = make_assignment(
        school, opens_at=dt.datetime(2026, 11, 12, 8, 30, tzinfo=MOSCOW)
    )
    with pytest.raises(DomainError) as refused:
        submit(assignment, school.student)
    assert "12.11.2026 08:30" in refused.value.message


def test_late_work_is_refused_with_the_due_time_when_not_accepted(school, clock):
    assignment = make_assignment(school)
    School.objects.update(time_zone="Asia/Vladivostok")
    forget_cached_school()
    clock.travel(DUE + dt.timedelta(minutes=1))
    with pytest.raises(DomainError) as refused:
        submit(assignment, school.student)
    # 20:00 in Moscow is 03:00 the next day in Vladivostok.
    assert "17.11.2026 03:00" in refused.value.message
    assert "после срока по этому заданию не принимаются" in refused.value.message
    assert Submission.objects.count() == 0


def test_late_work_is_marked_late_when_accepted(school, clock):
    assignment = make_assignment(school, late_allowed=True)
    clock.travel(DUE + dt.timedelta(hours=3))
    assert submit(assignment, school.student).late


def test_an_extension_moves_the_due_date_for_one_student(school, clock):
    assignment = make_assignment(school)
    services.extension_grant(
        actor=school.teacher,
        assignment=assignment,
        student=school.student,
        due_at=DUE + dt.timedelta(days=2),
        reason="Болел",
    )
    clock.travel(DUE + dt.timedelta(days=1))
    assert not submit(assignment, school.student).late
    with pytest.raises(DomainError):
        submit(assignment, school.classmate)


def test_attempts_run_out_and_a_returned_work_gives_one_more(school, clock):
    assignment = make_assignment(school, attempts_allowed=2)
    first = submit(assignment, school.student, choice=1)
    submit(assignment, school.student)
    with pytest.raises(DomainError) as refused:
        submit(assignment, school.student)
    assert "попытки использованы (2)" in refused.value.message
    latest = Submission.objects.get(attempt=2)
    grading.submission_return(
        actor=school.teacher, submission=latest, version=0, reason="Допишите вывод."
    )
    clock.travel(DUE + dt.timedelta(days=3))  # even past the due date
    third = submit(assignment, school.student)
    assert (first.attempt, third.attempt) == (1, 3)


def test_an_answer_too_long_is_refused_with_its_length(school):
    assignment = make_assignment(school)
    with pytest.raises(DomainError) as refused:
        submit(assignment, school.student, text="а" * 20_001)
    assert "20001" in refused.value.message
    assert Submission.objects.count() == 0


def test_a_file_lying_about_its_type_is_refused(school):
    assignment = make_assignment(school, publish=False)
    part = services.part_add(
        actor=school.teacher,
        assignment=assignment,
        kind=Kind.FILE,
        text="Фото решения",
        data={"max_files": 5},
    )
    services.assignment_publish(actor=school.teacher, assignment=assignment)
    fake = SimpleUploadedFile("решение.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError) as refused:
        submission_submit(
            actor=school.student,
            assignment=assignment,
            token=uuid.uuid4(),
            responses={},
            files={part.pk: [fake]},
        )
    assert "решение.pdf" in refused.value.message
    assert Submission.objects.count() == 0


def test_only_students_of_the_space_may_submit(school):
    assignment = make_assignment(school)
    for outsider in (school.other_student, school.parent, school.teacher):
        with pytest.raises(DomainError):
            submit(assignment, outsider)


def test_a_draft_cannot_be_submitted(school):
    assignment = make_assignment(school, publish=False)
    assert assignment.status == Assignment.Status.DRAFT
    with pytest.raises(DomainError):
        submit(assignment, school.student)


def test_parts_are_locked_once_work_is_submitted(school):
    assignment = make_assignment(school)
    submit(assignment, school.student)
    part = assignment.parts.first()
    with pytest.raises(DomainError):
        services.part_update(
            actor=school.teacher,
            part=part,
            text="Другой вопрос",
            data=part.data,
            points=1,
        )


def test_a_new_school_zone_keeps_the_due_time_on_the_wall_clock(school):
    from umka.school.services import school_time_zone_change

    assignment = make_assignment(school)
    school_time_zone_change(
        actor=school.administrator,
        school=School.objects.get(),
        time_zone="Asia/Vladivostok",
    )
    assignment.refresh_from_db()
    vladivostok = dt.timezone(dt.timedelta(hours=10))
    assert assignment.due_at.astimezone(vladivostok).time() == dt.time(20, 0)
    # Already open: its opening stays where it was.
    assert assignment.opens_at == dt.datetime(2026, 11, 9, 8, 0, tzinfo=MOSCOW)
