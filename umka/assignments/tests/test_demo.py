"""The demo school's deferred work: every class has assignments in every state;
the demo student and parent see graded work with reviews; the demo teacher has a
queue with overdue work."""

import pytest
from django.urls import reverse

from umka.accounts.models import User
from umka.assignments.models import Assignment, Submission
from umka.courses import review_queue
from umka.courses.models import CourseSpace
from umka.courses.results import results_for
from umka.demo.tests.conftest import demo_school  # noqa: F401
from umka.school.models import SchoolClass

pytestmark = pytest.mark.django_db


def test_every_class_has_assignments_in_every_state(demo_school, clock):  # noqa: F811
    now = clock.now
    for school_class in SchoolClass.objects.all():
        assignments = Assignment.objects.filter(space__school_class=school_class)
        assert assignments.filter(opens_at__gt=now).exists(), school_class
        assert assignments.filter(opens_at__lte=now, due_at__gt=now).exists()
        submissions = Submission.objects.filter(assignment__in=assignments)
        assert submissions.filter(status="graded").exclude(review="").exists()
        assert submissions.filter(late=True).exists()
        assert submissions.filter(status="waiting", review_due_at__lt=now).exists()
        assert submissions.filter(status="waiting", review_due_at__gt=now).exists()


def test_demo_logins_see_graded_work_and_a_queue(demo_school, client):  # noqa: F811
    student = User.objects.get(username="student")
    graded = [r for r in results_for(User.objects.filter(pk=student.pk)) if r.review]
    assert graded
    for login in ("student", "parent"):
        client.force_login(User.objects.get(username=login))
        # The parent's page shows one child at a time: the demo student's.
        page = client.get(reverse("courses:results"), {"student": student.pk})
        assert graded[0].title in page.content.decode()
    teacher = User.objects.get(username="teacher")
    items = review_queue.queue_for(teacher)
    assert any(i.escalated_to_name for i in items)
    assert CourseSpace.objects.filter(teacher_links__teacher=teacher).exists()


def test_every_graded_demo_submission_has_a_consistent_grade(demo_school):  # noqa: F811
    for s in Submission.objects.filter(status="graded").select_related("assignment")[
        :200
    ]:
        total = sum(a.score or 0 for a in s.answers.all())
        assert total == s.points
        assert s.mark in (2, 3, 4, 5)
