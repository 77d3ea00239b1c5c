"""Races (R6) on PostgreSQL, in parallel threads with their own connections
released together: the same reply sent eight times at once is stored once; two
moderators hiding one post at once — one wins, the other is told; a reply and
the thread's closing at once — the reply is either in before the closing or
refused. SQLite (one writer at a time) skips them; the sequential versions are
in test_services.py."""

import uuid

import pytest
from django.db import connection

# The parallel runner of the assignments' races: a barrier, own connections.
from umka.assignments.tests.test_concurrency import _together
from umka.courses.tests.factories import course_school
from umka.forums import moderation
from umka.forums.models import Post, Thread
from umka.forums.tests.factories import course_forum, reply, start

pytestmark = [
    pytest.mark.requirement("R6"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
    ),
]


def test_the_same_reply_sent_at_once_is_stored_once():
    school = course_school()
    thread = start(course_forum(school), school.classmate)
    token = uuid.uuid4()
    results = _together(
        [lambda: reply(thread, school.student, body="Раз", token=token).pk] * 8
    )
    assert [r[0] for r in results] == ["ok"] * 8
    assert len({r[1] for r in results}) == 1
    assert Post.objects.filter(author=school.student).count() == 1
    assert Thread.objects.get().posts_count == 2


def test_two_moderators_hiding_at_once_one_wins_the_other_is_told():
    school = course_school()
    thread = start(course_forum(school), school.classmate)
    post = reply(thread, school.student)
    results = _together(
        [
            lambda: (
                moderation.post_hide(
                    actor=school.teacher, post=post, version=0, reason="Учитель"
                ).hide_reason
            ),
            lambda: (
                moderation.post_hide(
                    actor=school.deputy, post=post, version=0, reason="Завуч"
                ).hide_reason
            ),
        ]
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    winner = next(r[1] for r in results if r[0] == "ok")
    assert Post.objects.get(pk=post.pk).hide_reason == winner


def test_a_reply_racing_the_closing_is_in_before_or_refused():
    school = course_school()
    thread = start(course_forum(school), school.classmate)
    results = _together(
        [
            lambda: (
                moderation.thread_lock(
                    actor=school.teacher, thread=thread, version=0, locked=True
                ).locked_at
            ),
            lambda: reply(thread, school.student, body="Успею?").created_at,
        ]
    )
    assert all(r[0] in ("ok", "refused") for r in results), results
    locked_at = Thread.objects.get().locked_at
    for post in Post.objects.filter(author=school.student):
        assert post.created_at <= locked_at
