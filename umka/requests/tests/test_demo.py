"""The demo requests on a loaded demo school (loaded once for this module)."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from umka.accounts.models import User
from umka.core import clock as school_clock
from umka.notifications.models import Notification
from umka.requests import policies, selectors
from umka.requests.demo import TOTAL, load_demo_requests, wipe_demo_requests
from umka.requests.models import Request, SharedTopicNotice
from umka.school.models import SchoolClass, Subject

#: A Thursday of the second quarter of 2026/27 (as the demo's schedule tests use).
DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo school of DAY with its requests, rolled back afterwards."""
    from umka.demo.services import demo_school_load

    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        demo_school_load(today=DAY)
        # The demo loader brings its requests; load them again on their own.
        wipe_demo_requests()
        written = load_demo_requests(rng=random.Random(17), today=DAY)
        yield written
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_about_forty_requests_in_every_state(demo):
    assert len(demo) == TOTAL
    states = Counter(r.status for r in demo)
    assert set(states) == set(Request.Status.values)
    kinds = Counter(r.answer_kind for r in demo if r.answer_kind)
    assert {"written", "invitation"} <= set(kinds)
    assert any(r.rating for r in demo)
    assert any(r.reopen_count for r in demo)
    for req in demo:
        req.full_clean()
        assert req.created_at < req.due_at
        assert req.messages.filter(created_at__lt=req.created_at).count() == 0


def test_some_are_overdue_and_escalated(demo):
    now = dt.datetime.combine(DAY, dt.time(9), tzinfo=school_clock.zone())
    overdue = [r for r in demo if r.is_open and r.due_at <= now]
    assert len(overdue) >= 3
    assert all(r.escalated_to is not None for r in overdue)
    assert all(r.escalated_to.has_role("deputy_head") for r in overdue)


def test_a_cluster_of_three_in_7a_algebra_and_the_teacher_was_told(demo):
    school_class = SchoolClass.objects.get(grade=7, letter="А")
    algebra = Subject.objects.get(name="Алгебра")
    counts = selectors.request_counts_by_topic(
        subject=algebra, school_class=school_class
    )
    assert counts["уравнения с одной переменной"] >= 3
    open_ones = selectors.open_requests_on_topic(
        school_class=school_class, subject=algebra, topic="Уравнения с одной переменной"
    )
    assert open_ones.count() >= 3
    notice = SharedTopicNotice.objects.get()
    assert notice.school_class == school_class
    teacher = User.objects.get(username="teacher")
    assert Notification.objects.filter(
        recipient=teacher, kind="requests.shared_topic"
    ).exists()
    assert set(open_ones.values_list("assignee__username", flat=True)) == {"teacher"}


def test_the_demo_logins_have_something_to_look_at(demo, client):
    parent = User.objects.get(username="parent")
    student = User.objects.get(username="student")
    teacher = User.objects.get(username="teacher")
    deputy = User.objects.get(username="deputy")
    assert any(policies.can_rate(parent, r) for r in demo if r.author == parent)
    assert policies.requests_mine(student).count() >= 2
    assert policies.requests_assigned_to(teacher).count() >= 4
    assert policies.requests_assigned_to(deputy).exists()
    for person in (parent, student, teacher, deputy):
        client.force_login(person)
        assert client.get(reverse("requests:list")).status_code == 200
        for req in policies.requests_visible_to(person)[:5]:
            response = client.get(reverse("requests:detail", args=[req.pk]))
            assert response.status_code == 200


def test_a_student_sees_only_their_own(demo):
    student = User.objects.get(username="student")
    for req in policies.requests_visible_to(student):
        assert req.student == student


def test_deterministic(demo):
    again = [
        (r.student_id, r.topic, r.status, r.created_at)
        for r in Request.objects.order_by("pk")
    ]
    assert again == [(r.student_id, r.topic, r.status, r.created_at) for r in demo]
