"""Seminars on the results page, in the e-journal export and in the teacher's
queue «Проверить» (R6, R13): both grades with their reviews reach the student
and each parent; works wait in the queue from the grading phase, with the
school's review deadline, a reminder and the escalation to a deputy head."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.courses import review_queue
from umka.courses.results import results_for
from umka.notifications.models import Notification
from umka.seminars.models import Phase, Work
from umka.seminars.tests.test_views import REVIEW, assessed, graded

pytestmark = pytest.mark.django_db


@pytest.mark.requirement("R6")
@pytest.mark.parametrize("who", ["student", "parent"])
def test_both_grades_and_reviews_are_on_the_results_page(client, school, who):
    graded(school)
    client.force_login(getattr(school, who))
    page = client.get(reverse("courses:results")).content.decode()
    assert "Проект «Линейная функция в жизни»" in page
    assert "пример выбран удачно" in page
    assert "оценивание работ одноклассников" in page
    assert "Оценки взвешенные." in page


@pytest.mark.requirement("R6")
def test_another_parent_does_not_see_them(client, school):
    graded(school)
    client.force_login(school.other_parent)
    page = client.get(reverse("courses:results")).content.decode()
    assert "пример выбран удачно" not in page


@pytest.mark.requirement("R6")
def test_the_export_carries_both_grades(client, school):
    graded(school)
    client.force_login(school.teacher)
    response = client.get(reverse("courses:export", args=[school.space.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "Линейная функция" in text
    assert ";5;" in text
    assert ";4;" in text
    assert REVIEW in text


def test_a_waiting_work_is_a_result_without_a_grade(school):
    seminar, mine, _ = assessed(school)
    (result,) = [
        r
        for r in results_for(type(school.student).objects.filter(pk=school.student.pk))
        if r.key.startswith("seminars.")
    ]
    assert (result.status, result.grade, result.review) == ("waiting", "", "")


def test_works_wait_in_the_queue_from_the_grading_phase(school):
    from umka.seminars.tests.factories import make_seminar, submit, switch

    seminar = make_seminar(school)
    submit(seminar, school.student)
    submit(seminar, school.classmate)
    switch(school, seminar, Phase.ASSESSMENT)
    assert not [
        i for i in review_queue.queue_for(school.teacher) if "seminars" in i.key
    ]
    switch(school, seminar, Phase.GRADING)
    items = [i for i in review_queue.queue_for(school.teacher) if "seminars" in i.key]
    assert len(items) == 2
    assert {i.student_name for i in items} == {
        school.student.full_name,
        school.classmate.full_name,
    }
    assert not [
        i for i in review_queue.queue_for(school.other_teacher) if "seminars" in i.key
    ]


@pytest.mark.requirement("R13")
def test_an_overdue_seminar_review_is_reminded_then_escalated(school, clock):
    seminar, mine, theirs = assessed(school)
    due = Work.objects.get(pk=mine.pk).review_due_at
    clock.travel(due - dt.timedelta(hours=2))
    review_queue.remind_and_escalate(clock.now)
    assert Notification.objects.filter(
        kind="courses.review_reminder", recipient=school.teacher
    ).exists()
    clock.travel(due + dt.timedelta(minutes=1))
    counts = review_queue.remind_and_escalate(clock.now)
    assert counts["escalated"] >= 2
    assert Work.objects.get(pk=mine.pk).escalated_to == school.deputy
    overdue = [i for i in review_queue.overdue_overseen() if "seminars" in i.key]
    assert {i.escalated_to_name for i in overdue} == {school.deputy.full_name}
    # Once only.
    assert review_queue.remind_and_escalate(clock.now)["escalated"] == 0
