"""The demo school's seminars, glossary and forums: a seminar in each phase,
a glossary with proposed, returned and approved terms, course forums with
pinned announcements and threads, a graded discussion, parents' forums; the
demo logins see them."""

import pytest
from django.urls import reverse

from umka.accounts.models import User
from umka.courses import review_queue
from umka.courses.results import results_for
from umka.demo.tests.conftest import demo_school  # noqa: F401
from umka.forums.models import DiscussionGrade, Forum, Thread
from umka.glossary.models import Entry
from umka.seminars.allocation import spread
from umka.seminars.models import Assessment, Phase, Seminar

pytestmark = pytest.mark.django_db


def test_a_seminar_in_each_phase_with_a_fair_allocation(demo_school):  # noqa: F811
    assert set(Seminar.objects.values_list("phase", flat=True)) == set(Phase.values)
    for seminar in Seminar.objects.filter(phase=Phase.ASSESSMENT):
        pairs = list(
            Assessment.objects.filter(work__seminar=seminar).values_list(
                "reviewer", "author"
            )
        )
        assert all(r != a for r, a in pairs)
        authors = {a for _, a in pairs}
        assert spread(pairs, authors) <= 1


def test_a_glossary_in_every_state(demo_school):  # noqa: F811
    statuses = set(Entry.objects.values_list("status", flat=True))
    assert statuses == {"proposed", "returned", "approved"}
    assert Entry.objects.filter(mark__isnull=False).exclude(review="").exists()


def test_forums_with_announcements_threads_and_a_graded_discussion(
    demo_school,  # noqa: F811
):
    assert Forum.objects.filter(kind="space").exists()
    assert Forum.objects.filter(kind="parents").exists()
    assert Thread.objects.filter(pinned=True, forum__kind="space").exists()
    assert Thread.objects.filter(pinned=True, forum__kind="parents").exists()
    assert DiscussionGrade.objects.filter(status="graded").exists()
    assert DiscussionGrade.objects.filter(status="waiting").exists()
    for thread in Thread.objects.all():
        assert thread.posts_count == thread.posts.count()


def test_demo_logins_see_it(demo_school, client):  # noqa: F811
    student = User.objects.get(username="student")
    keys = {
        r.key.split(":")[0] for r in results_for(User.objects.filter(pk=student.pk))
    }
    assert {"seminars.work", "seminars.assessing", "glossary.entry"} <= keys
    teacher = User.objects.get(username="teacher")
    forms = {i.key.split(":")[0] for i in review_queue.queue_for(teacher)}
    assert {"seminars.work", "glossary.entry", "forums.discussion"} <= forms
    client.force_login(student)
    seminar = Seminar.objects.get(phase=Phase.SUBMISSION)
    page = client.get(reverse("seminars:detail", args=[seminar.pk])).content.decode()
    assert "Сдайте работу до" in page
    client.force_login(User.objects.get(username="parent"))
    assert "Родители" in client.get(reverse("forums:index")).content.decode()
