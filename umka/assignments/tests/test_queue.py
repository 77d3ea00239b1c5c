"""The teacher's queue «Проверить» (R6, R13): oldest first, the school's review
deadline in working days, a reminder before it, escalation to a deputy after."""

import datetime as dt

import pytest
from django.urls import reverse

from umka.assignments.tests.factories import make_assignment, submit
from umka.audit.models import AuditEntry
from umka.core.tests.clock import MOSCOW
from umka.courses import review_queue
from umka.courses.tests.factories import as_role
from umka.notifications.models import Notification
from umka.school.models import Holiday, School
from umka.school.selectors import forget_cached_school

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R6", "R13")]


def test_the_review_is_due_after_the_schools_working_days(school, clock):
    School.objects.update(review_days=2)
    forget_cached_school()
    Holiday.objects.create(
        year=school.year,
        name="День народного единства",
        starts_on=dt.date(2026, 11, 11),
        ends_on=dt.date(2026, 11, 11),
    )
    clock.set(2026, 11, 10, 18, 0)  # Tuesday; Wednesday is a holiday
    submission = submit(make_assignment(school), school.student)
    assert submission.review_due_at == dt.datetime(2026, 11, 13, 18, 0, tzinfo=MOSCOW)


def test_the_queue_lists_waiting_work_oldest_first(school, clock):
    assignment = make_assignment(school)
    submit(assignment, school.classmate)
    clock.advance(hours=1)
    submit(assignment, school.student)
    items = review_queue.queue_for(school.teacher)
    assert [i.student_name for i in items] == [
        school.classmate.full_name,
        school.student.full_name,
    ]
    assert review_queue.queue_for(school.other_teacher) == []


def test_a_reminder_once_a_working_day_before_then_escalation_once(school, clock):
    submission = submit(make_assignment(school), school.student)
    due = submission.review_due_at
    clock.travel(due - dt.timedelta(days=2))
    assert review_queue.remind_and_escalate(clock.now) == {
        "reminded": 0,
        "escalated": 0,
    }
    clock.travel(due - dt.timedelta(hours=3))
    assert review_queue.remind_and_escalate(clock.now)["reminded"] == 1
    assert review_queue.remind_and_escalate(clock.now)["reminded"] == 0
    reminder = Notification.objects.get(kind="courses.review_reminder")
    assert reminder.recipient == school.teacher
    clock.travel(due + dt.timedelta(minutes=1))
    assert review_queue.remind_and_escalate(clock.now)["escalated"] == 1
    assert review_queue.remind_and_escalate(clock.now)["escalated"] == 0
    submission.refresh_from_db()
    assert submission.escalated_to == school.deputy
    entry = AuditEntry.objects.get(action="courses.review_escalated")
    assert entry.actor is None
    told = set(
        Notification.objects.filter(kind="courses.review_escalated").values_list(
            "recipient", flat=True
        )
    )
    assert told == {school.deputy.pk, school.teacher.pk}
    overdue = review_queue.overdue_overseen()
    assert [i.escalated_to_name for i in overdue] == [school.deputy.full_name]


@pytest.mark.parametrize(
    "role",
    ["anonymous", "student", "parent", "teacher", "other_teacher", "deputy"],
)
def test_queue_page_role_matrix(client, school, role):
    submit(make_assignment(school), school.student)
    response = as_role(client, school, role).get(reverse("courses:queue"))
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("student", "parent"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        page = response.content.decode()
        shown = school.student.full_name in page
        assert shown == (role == "teacher")


#: Queries of the queue page (session, user, roles, menu badge, the queue…), and
#: one of each other form's source (seminar works, glossary entries,
#: discussion grades).
QUEUE_QUERIES = 8


def test_the_queue_page_query_count_does_not_grow_with_submissions(client, school):
    from umka.accounts.tests.factories import make_student
    from umka.school.models import Enrolment

    assignment = make_assignment(school)
    client.force_login(school.teacher)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("courses:queue")).status_code == 200
        return len(ctx)

    submit(assignment, school.student)
    assert count() == QUEUE_QUERIES
    for _ in range(12):
        extra = make_student()
        Enrolment.objects.create(
            student=extra, school_class=school.class_7a, starts_on=school.year.starts_on
        )
        submit(assignment, extra)
    assert count() == QUEUE_QUERIES
