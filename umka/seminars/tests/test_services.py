"""Seminar services (R6): phases switched by the teacher and by the clock,
submitting with its refusals, the allocation at the start of the assessment and
its repair when a student leaves or late work arrives, assessing with its
refusals (after the phase, one's own work, a work not given), grading with the
computed grade for assessing and the written review."""

import datetime as dt
import uuid
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from umka.audit.models import AuditEntry
from umka.core.errors import DomainError
from umka.notifications.models import Notification
from umka.school.models import Enrolment
from umka.seminars import assessing, grading, services, submitting
from umka.seminars.models import Assessment, Phase, Seminar, Work, WorkFile
from umka.seminars.tests.factories import (
    ASSESSMENT_DUE,
    OPENS,
    SUBMISSION_DUE,
    assess,
    make_seminar,
    submit,
    switch,
    third_student,
)

pytestmark = pytest.mark.django_db


def everything():
    return [
        list(Seminar.objects.order_by("pk").values()),
        list(Work.objects.order_by("pk").values()),
        list(Assessment.objects.order_by("pk").values()),
        WorkFile.objects.count(),
        AuditEntry.objects.count(),
    ]


def in_assessment(school, *, peers=1, students=None, **values):
    seminar = make_seminar(school, peers=peers, **values)
    students = students or [school.student, school.classmate]
    works = {s: submit(seminar, s) for s in students}
    switch(school, seminar, Phase.ASSESSMENT)
    seminar.refresh_from_db()
    return seminar, works


def test_phases_go_forward_one_at_a_time(school):
    seminar = make_seminar(school, phase=Phase.SETUP)
    with pytest.raises(DomainError, match="уже в фазе"):
        switch(school, seminar, Phase.ASSESSMENT)
    switch(school, seminar, Phase.SUBMISSION)
    with pytest.raises(DomainError, match="уже в фазе"):
        switch(school, seminar, Phase.SUBMISSION)
    assert Seminar.objects.get().phase == Phase.SUBMISSION


def test_submission_does_not_open_without_criteria(school):
    seminar = make_seminar(school, phase=Phase.SETUP)
    services.criteria_set(actor=school.teacher, seminar=seminar, criteria=[])
    with pytest.raises(DomainError, match="хотя бы один критерий"):
        switch(school, seminar, Phase.SUBMISSION)
    assert Seminar.objects.get().phase == Phase.SETUP


def test_another_teacher_cannot_switch(school):
    seminar = make_seminar(school)
    before = everything()
    with pytest.raises(DomainError):
        services.seminar_switch(
            actor=school.other_teacher, seminar=seminar, to=Phase.ASSESSMENT
        )
    assert everything() == before


def test_phases_follow_the_dates_by_themselves(school, clock):
    seminar = make_seminar(school, phase=Phase.SETUP, by_date=True)
    submit_students = [school.student, school.classmate]
    clock.travel(OPENS + dt.timedelta(minutes=1))
    assert services.phases_follow_dates() == 1
    seminar.refresh_from_db()
    assert seminar.phase == Phase.SUBMISSION
    for s in submit_students:
        submit(seminar, s)
    clock.travel(SUBMISSION_DUE + dt.timedelta(minutes=5))
    services.phases_follow_dates()
    assert Seminar.objects.get().phase == Phase.ASSESSMENT
    assert Assessment.objects.count() == 2
    clock.travel(ASSESSMENT_DUE)
    services.phases_follow_dates()
    seminar.refresh_from_db()
    assert seminar.phase == Phase.GRADING
    # The queue's deadline starts with the grading.
    assert all(w.review_due_at for w in seminar.works.all())
    entry = AuditEntry.objects.filter(action="seminars.phase_switched").last()
    assert entry.actor is None
    assert entry.actor_name


def test_a_seminar_switched_by_hand_ignores_the_dates(school, clock):
    make_seminar(school, phase=Phase.SETUP, by_date=False)
    clock.travel(ASSESSMENT_DUE + dt.timedelta(days=1))
    assert services.phases_follow_dates() == 0
    assert Seminar.objects.get().phase == Phase.SETUP


def test_the_dates_must_go_in_order(school):
    with pytest.raises(DomainError, match="по порядку"):
        make_seminar(school, submission_due_at=ASSESSMENT_DUE + dt.timedelta(days=1))
    assert not Seminar.objects.exists()


def test_students_are_told_when_submission_opens(school):
    make_seminar(school)
    told = set(
        Notification.objects.filter(kind="seminars.phase").values_list(
            "recipient", flat=True
        )
    )
    assert told == {school.student.pk, school.classmate.pk}


# --- Submitting ----------------------------------------------------------------------


@pytest.mark.requirement("R6")
def test_pressing_submit_twice_stores_one_work(school):
    seminar = make_seminar(school)
    token = uuid.uuid4()
    first = submitting.work_submit(
        actor=school.student, seminar=seminar, token=token, title="A", text="текст"
    )
    again = submitting.work_submit(
        actor=school.student, seminar=seminar, token=token, title="A", text="текст"
    )
    assert first.pk == again.pk
    assert Work.objects.count() == 1


def test_a_work_is_changed_until_the_due_date_then_refused(school, clock):
    seminar = make_seminar(school)
    submit(seminar, school.student, title="Черновик")
    work = submit(seminar, school.student, title="Чистовик")
    assert Work.objects.get().title == "Чистовик" == work.title
    clock.travel(SUBMISSION_DUE)
    before = everything()
    with pytest.raises(DomainError, match="Приём работ закончился 16.11.2026 20:00"):
        submit(seminar, school.student, title="Поздно")
    assert everything() == before


def test_a_student_of_another_class_cannot_submit(school):
    seminar = make_seminar(school)
    with pytest.raises(DomainError):
        submit(seminar, school.other_student)
    assert not Work.objects.exists()


def test_a_refused_file_stores_nothing(school):
    seminar = make_seminar(school)
    bad = SimpleUploadedFile("work.pdf", b"MZ\x90\x00 not a pdf")
    before = everything()
    with pytest.raises(DomainError, match="не соответствует"):
        submitting.work_submit(
            actor=school.student,
            seminar=seminar,
            token=uuid.uuid4(),
            title="С файлом",
            text="",
            files=[bad],
        )
    assert everything() == before


def test_a_work_with_a_file(school):
    seminar = make_seminar(school)
    good = SimpleUploadedFile("Отчёт.txt", "Текст отчёта".encode())
    work = submitting.work_submit(
        actor=school.student,
        seminar=seminar,
        token=uuid.uuid4(),
        title="С файлом",
        text="",
        files=[good],
    )
    assert [f.name for f in work.files.all()] == ["Отчёт.txt"]


# --- Allocation and its repair --------------------------------------------------------


@pytest.mark.requirement("R6")
def test_the_assessment_allocates_every_work_to_n_peers_never_the_author(school):
    third = third_student(school)
    seminar, works = in_assessment(
        school, peers=2, students=[school.student, school.classmate, third]
    )
    pairs = list(Assessment.objects.values_list("reviewer", "author"))
    assert all(r != a for r, a in pairs)
    assert Counter(a for _, a in pairs) == {s.pk: 2 for s in works}
    assert Counter(r for r, _ in pairs) == {s.pk: 2 for s in works}
    told = Notification.objects.filter(kind="seminars.to_assess")
    assert told.count() == 3


@pytest.mark.requirement("R6")
def test_a_student_who_missed_the_submission_is_not_allocated(school):
    third = third_student(school)
    in_assessment(school, peers=2, students=[school.student, school.classmate])
    assert not Assessment.objects.filter(reviewer=third).exists()
    assert Assessment.objects.count() == 2  # two submitters assess each other


def test_the_database_refuses_self_assessment(school):
    seminar, works = in_assessment(school)
    work = works[school.student]
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            work=work,
            author=school.student,
            reviewer=school.student,
            allocated_at=work.submitted_at,
        )


@pytest.mark.requirement("R6")
def test_a_student_who_leaves_the_class_is_reallocated(school, clock):
    third, fourth = third_student(school), third_student(school, last_name="Кузнецов")
    students = [school.student, school.classmate, third, fourth]
    seminar, works = in_assessment(school, peers=2, students=students)
    # The third assesses one work, then leaves the class before the other.
    done = Assessment.objects.filter(reviewer=third).first()
    assess(done.work, third)
    Enrolment.objects.filter(student=third).update(ends_on=dt.date(2026, 11, 9))
    assert assessing.seminars_repair() == 1
    staying = [school.student, school.classmate, fourth]
    work = Work.objects.get(author=third)
    assert work.withdrawn_at is not None
    assert work.withdrawn_reason == "ушёл из класса"
    # Nothing is left for the leaver to do; what they did stays.
    assert list(Assessment.objects.filter(reviewer=third)) == [done]
    active = Assessment.objects.filter(work__withdrawn_at__isnull=True)
    pairs = list(active.exclude(reviewer=third).values_list("reviewer", "author"))
    assert all(r != a and third.pk not in (r, a) for r, a in pairs)
    into = Counter(a for _, a in active.values_list("reviewer", "author"))
    assert all(into[s.pk] >= 2 for s in staying)
    load = Counter(r for r, _ in pairs)
    assert max(load[s.pk] for s in staying) - min(load[s.pk] for s in staying) <= 1
    assert AuditEntry.objects.filter(action="seminars.reallocated").exists()


@pytest.mark.requirement("R6")
def test_the_teacher_takes_a_student_out_and_their_works_go_to_others(school):
    third = third_student(school)
    students = [school.student, school.classmate, third]
    seminar, works = in_assessment(school, peers=1, students=students)
    assessing.participant_withdraw(
        actor=school.teacher, seminar=seminar, student=third, reason="болеет"
    )
    pairs = set(
        Assessment.objects.filter(work__withdrawn_at__isnull=True).values_list(
            "reviewer", "author"
        )
    )
    assert pairs == {
        (school.student.pk, school.classmate.pk),
        (school.classmate.pk, school.student.pk),
    }


def test_late_work_gets_assessors_at_once(school):
    third = third_student(school)
    seminar, works = in_assessment(school, peers=1, late_allowed=True)
    late = submit(seminar, third)
    assert late.late
    pairs = list(
        Assessment.objects.filter(work__withdrawn_at__isnull=True).values_list(
            "reviewer", "author"
        )
    )
    assert Counter(a for _, a in pairs)[third.pk] >= 1
    assert Counter(r for r, _ in pairs)[third.pk] >= 1
    load = Counter(r for r, _ in pairs)
    assert max(load.values()) - min(load.values()) <= 1


def test_allocation_by_hand_refuses_ones_own_work_and_changes_nothing(school):
    seminar, works = in_assessment(
        school, allocation=Seminar.Allocation.MANUAL, peers=1
    )
    before = everything()
    with pytest.raises(DomainError, match="не может оценивать свою работу"):
        assessing.allocation_set(
            actor=school.teacher,
            seminar=seminar,
            pairs={(school.student.pk, school.student.pk)},
        )
    assert everything() == before


# --- Assessing -----------------------------------------------------------------------


@pytest.mark.requirement("R6")
def test_a_peer_assesses_with_points_and_a_comment(school):
    seminar, works = in_assessment(school)
    assessment = assess(works[school.classmate], school.student, points=(3, 1))
    assert assessment.total == 4
    assert assessment.scores == {
        str(c.pk): p for c, p in zip(seminar.criteria.all(), (3, 1), strict=True)
    }


@pytest.mark.requirement("R6")
def test_assessing_after_the_phase_closed_is_refused(school, clock):
    seminar, works = in_assessment(school)
    clock.travel(ASSESSMENT_DUE + dt.timedelta(minutes=1))
    before = everything()
    with pytest.raises(DomainError, match="Взаимное оценивание закончилось"):
        assess(works[school.classmate], school.student)
    assert everything() == before


@pytest.mark.requirement("R6")
def test_assessing_ones_own_work_is_refused(school):
    seminar, works = in_assessment(school)
    before = everything()
    with pytest.raises(DomainError, match="Это ваша работа"):
        assess(works[school.student], school.student)
    assert everything() == before


def test_assessing_a_work_not_given_is_refused(school):
    third = third_student(school)
    seminar, works = in_assessment(school)
    late_outsider = third
    with pytest.raises(DomainError, match="не поручена вам"):
        assess(works[school.classmate], late_outsider)


def test_points_out_of_range_or_no_comment_are_refused(school):
    seminar, works = in_assessment(school)
    before = everything()
    with pytest.raises(DomainError, match="от 0 до 4"):
        assess(works[school.classmate], school.student, points=(5, 1))
    with pytest.raises(DomainError, match="комментарий"):
        assess(works[school.classmate], school.student, comment="  ")
    assert everything() == before


# --- Grading -------------------------------------------------------------------------


def graded_round(school):
    """Three students assess each other (2 peers); the third is far off."""
    third = third_student(school)
    students = [school.student, school.classmate, third]
    seminar, works = in_assessment(school, peers=2, students=students)
    for a in Assessment.objects.select_related("work"):
        points = (0, 0) if a.reviewer_id == third.pk else (4, 2)
        assess(a.work, a.reviewer, points=points)
    switch(school, seminar, Phase.GRADING)
    return seminar, {s: Work.objects.get(author=s) for s in students}, third


@pytest.mark.requirement("R6")
def test_the_grade_for_assessing_is_computed_by_agreement(school):
    seminar, works, third = graded_round(school)
    agree = works[school.student].agreement
    off = works[third].agreement
    assert agree > off
    assert grading.suggested_mark(agree) > grading.suggested_mark(off)
    assert grading.suggested_mark(off) == 2


@pytest.mark.requirement("R6")
def test_the_teacher_grades_both_with_a_review_and_the_family_is_told(school):
    seminar, works, third = graded_round(school)
    work = works[school.student]
    graded = grading.work_grade(
        actor=school.teacher,
        work=work,
        version=work.version,
        mark=5,
        review="Пример удачный, расчёт верный.",
        assessing_mark=2,
        assessing_review="Оценки расходятся с другими.",
    )
    assert (graded.mark, graded.assessing_mark, graded.status) == (5, 2, "graded")
    told = set(
        Notification.objects.filter(kind="courses.graded").values_list(
            "recipient", flat=True
        )
    )
    assert told == {school.student.pk, school.parent.pk}
    # A grade for assessing other than the computed one is audited.
    assert AuditEntry.objects.filter(action="seminars.assessing_overridden").exists()


def test_grading_needs_a_review(school):
    seminar, works, third = graded_round(school)
    work = works[school.student]
    before = everything()
    with pytest.raises(DomainError, match="рецензию"):
        grading.work_grade(
            actor=school.teacher, work=work, version=work.version, mark=4, review=" "
        )
    assert everything() == before


def test_two_teachers_grading_at_once_the_second_is_told(school):
    seminar, works, third = graded_round(school)
    work = works[school.student]
    grading.work_grade(
        actor=school.teacher, work=work, version=0, mark=5, review="Первый."
    )
    with pytest.raises(DomainError, match="изменил"):
        grading.work_grade(
            actor=school.teacher, work=work, version=0, mark=3, review="Второй."
        )
    assert Work.objects.get(pk=work.pk).mark == 5


def test_grading_before_the_assessment_is_over_is_refused(school):
    seminar, works = in_assessment(school)
    work = works[school.student]
    with pytest.raises(DomainError, match="после взаимного оценивания"):
        grading.work_grade(
            actor=school.teacher, work=work, version=0, mark=5, review="Рано."
        )


def test_closing_waits_for_every_grade(school):
    seminar, works, third = graded_round(school)
    with pytest.raises(DomainError, match="осталось 3"):
        switch(school, seminar, Phase.CLOSED)
    for w in works.values():
        grading.work_grade(
            actor=school.teacher, work=w, version=w.version, mark=4, review="Хорошо."
        )
    switch(school, seminar, Phase.CLOSED)
    assert Seminar.objects.get().phase == Phase.CLOSED


def test_the_database_refuses_a_graded_work_without_a_review(school):
    seminar, works, third = graded_round(school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.filter(pk=works[school.student].pk).update(status="graded", mark=4)
