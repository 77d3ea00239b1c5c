"""A thread's WebSocket (R6): readers hear of new and changed posts without a
reload; outsiders are turned away; a page that was away is told what it
missed. Channels' WebsocketCommunicator, one coroutine per test."""

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from umka.forums import moderation
from umka.forums.routing import websocket_urlpatterns
from umka.forums.tests.factories import course_forum, parents_forum, reply, start

pytestmark = pytest.mark.django_db

APP = URLRouter(websocket_urlpatterns)


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """Channels closes "old" database connections around every consumer call;
    in a test the connection is inside the test's transaction."""
    import channels.db

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


async def connect(thread, user, after: int = 0):
    path = f"/ws/forums/threads/{thread.pk}/" + (f"?after={after}" if after else "")
    communicator = WebsocketCommunicator(APP, path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.parametrize("who", ["other_student", "parent", "other_teacher"])
def test_an_outsider_is_turned_away(school, who):
    thread = start(course_forum(school), school.student)

    async def scenario():
        communicator = await connect(thread, getattr(school, who))
        message = await communicator.receive_output(timeout=2)
        assert message == {"type": "websocket.close", "code": 4404}

    run(scenario)


def test_an_anonymous_visitor_is_turned_away(school):
    thread = start(parents_forum(school), school.parent)

    async def scenario():
        communicator = await connect(thread, AnonymousUser())
        message = await communicator.receive_output(timeout=2)
        assert message == {"type": "websocket.close", "code": 4404}

    run(scenario)


@pytest.mark.requirement("R6")
def test_a_new_post_reaches_an_open_page(school, django_capture_on_commit_callbacks):
    thread = start(course_forum(school), school.student)

    async def scenario():
        communicator = await connect(thread, school.classmate)
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "hello",
            "missed": [],
        }
        post = await _reply(thread, school.teacher)
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "post",
            "id": post.pk,
            "change": "new",
        }
        await communicator.disconnect()

    async def _reply(thread, who):
        from channels.db import database_sync_to_async

        def write():
            with django_capture_on_commit_callbacks(execute=True):
                return reply(thread, who)

        return await database_sync_to_async(write)()

    run(scenario)


def test_a_hidden_post_and_a_closed_thread_are_told(
    school, django_capture_on_commit_callbacks
):
    thread = start(course_forum(school), school.student)
    post = reply(thread, school.classmate)

    async def scenario():
        from channels.db import database_sync_to_async

        communicator = await connect(thread, school.student)
        await communicator.receive_json_from(timeout=2)

        def moderate():
            with django_capture_on_commit_callbacks(execute=True):
                moderation.post_hide(
                    actor=school.teacher, post=post, version=0, reason="Флуд"
                )
                moderation.thread_lock(
                    actor=school.teacher, thread=thread, version=0, locked=True
                )

        await database_sync_to_async(moderate)()
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "post",
            "id": post.pk,
            "change": "changed",
        }
        told = await communicator.receive_json_from(timeout=2)
        assert told["type"] == "thread"
        assert told["locked"] is True
        await communicator.disconnect()

    run(scenario)


def test_a_page_that_was_away_is_told_what_it_missed(school):
    thread = start(course_forum(school), school.student)
    first = thread.posts.get()
    missed = [reply(thread, school.classmate).pk for _ in range(3)]

    async def scenario():
        communicator = await connect(thread, school.student, after=first.pk)
        assert await communicator.receive_json_from(timeout=2) == {
            "type": "hello",
            "missed": missed,
        }
        await communicator.disconnect()

    run(scenario)
