"""The room's WebSocket with Channels' WebsocketCommunicator (R4, R5): who may
connect, history, persistence, moderation, reconnection without duplicates,
signalling and attendance.

Each test is a plain function running one coroutine with async_to_sync, so the
consumer's database calls run in the test's own thread and transaction.
"""

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from umka.consultations.models import Consultation
from umka.rooms import services
from umka.rooms.consumers import ServerSend
from umka.rooms.models import Attendance, ChatMessage, Member
from umka.rooms.routing import websocket_urlpatterns
from umka.rooms.tests.factories import (
    approved_school,
    make_booking,
    session_room,
)

pytestmark = [pytest.mark.django_db]

# As config/asgi.py serves it: group frames go to the server's send directly.
APP = ServerSend(URLRouter(websocket_urlpatterns))


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


async def connect(room, user, after: int = 0):
    path = f"/ws/rooms/{room.pk}/" + (f"?after={after}" if after else "")
    communicator = WebsocketCommunicator(APP, path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def expect_closed(communicator, code: int):
    message = await communicator.receive_output(timeout=2)
    assert message == {"type": "websocket.close", "code": code}


async def hello(communicator) -> dict:
    payload = await communicator.receive_json_from(timeout=2)
    assert payload["type"] == "hello"
    return payload


async def next_of(communicator, kind: str) -> dict:
    """The next message of a type, skipping presence and typing noise."""
    for _ in range(20):
        payload = await communicator.receive_json_from(timeout=2)
        if payload["type"] == kind:
            return payload
    raise AssertionError(f"no {kind!r} message")


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """Channels closes "old" database connections around every consumer call; in a
    test the connection is inside the test's transaction, and PostgreSQL would lose
    it (SQLite's in-memory test database ignores close)."""
    import channels.db

    monkeypatch.setattr(channels.db, "close_old_connections", lambda: None)


@pytest.fixture
def school():
    return approved_school()


@pytest.mark.requirement("R4")
@pytest.mark.parametrize("who", ["other_student", "other_parent", "other_teacher"])
def test_an_outsider_cannot_join_or_read(school, who):
    room = session_room(school)
    services.post_message(
        actor=school.teacher, room=room, client_id="c1", html="секрет класса"
    )

    async def scenario():
        communicator = await connect(room, getattr(school, who))
        await expect_closed(communicator, 4404)
        assert await communicator.receive_nothing()

    run(scenario)
    assert not Attendance.objects.filter(room=room).exists()


def test_an_anonymous_visitor_cannot_join(school):
    room = session_room(school)

    async def scenario():
        communicator = await connect(room, AnonymousUser())
        await expect_closed(communicator, 4404)

    run(scenario)


@pytest.mark.requirement("R4")
def test_a_participant_waits_until_the_room_opens_but_the_organiser_does_not(school):
    room = session_room(school, starts_in=dt.timedelta(hours=2))

    async def scenario():
        student = await connect(room, school.student)
        await expect_closed(student, 4403)
        teacher = await connect(room, school.teacher)
        greeting = await hello(teacher)
        assert greeting["me"]["role"] == "organiser"
        await teacher.disconnect()

    run(scenario)


@pytest.mark.requirement("R4")
def test_messages_are_stored_sanitised_and_reach_everyone(school):
    room = session_room(school)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        greeting = await hello(student)
        assert [p["name"] for p in greeting["participants"]] == [
            school.teacher.full_name
        ]
        joined = await next_of(teacher, "joined")
        assert [p["name"] for p in joined["participants"]] == [school.student.full_name]

        await student.send_json_to(
            {
                "type": "chat",
                "client_id": "m-1",
                "html": "<b>Вопрос</b> про №5<script>alert(1)</script>",
            }
        )
        for communicator in (teacher, student):
            payload = await next_of(communicator, "message")
            assert payload["message"]["html"] == "<b>Вопрос</b> про №5"
            assert payload["message"]["client_id"] == "m-1"
            assert payload["message"]["author"]["name"] == school.student.full_name
        await teacher.disconnect()
        await student.disconnect()

    run(scenario)
    stored = ChatMessage.objects.get(room=room)
    assert stored.html == "<b>Вопрос</b> про №5"
    assert stored.author == school.student


@pytest.mark.requirement("R4")
def test_history_on_join_and_reconnect_without_losses_or_duplicates(school):
    room = session_room(school)
    first, _ = services.post_message(
        actor=school.teacher, room=room, client_id="t-1", html="Начинаем"
    )

    async def scenario():
        student = await connect(room, school.student)
        greeting = await hello(student)
        assert [m["html"] for m in greeting["messages"]] == ["Начинаем"]
        await student.send_json_to(
            {"type": "chat", "client_id": "s-1", "html": "Я тут"}
        )
        mine = (await next_of(student, "message"))["message"]
        # The connection drops; the browser did not see the echo, so it resends
        # the same message after reconnecting, asking for what it missed.
        await student.disconnect()
        await database_sync_to_async(services.post_message)(
            actor=school.teacher, room=room, client_id="t-2", html="Пока вас не было"
        )
        again = await connect(room, school.student, after=first.pk)
        greeting = await hello(again)
        assert [m["html"] for m in greeting["messages"]] == [
            "Я тут",
            "Пока вас не было",
        ]
        await again.send_json_to({"type": "chat", "client_id": "s-1", "html": "Я тут"})
        echo = (await next_of(again, "message"))["message"]
        assert echo["id"] == mine["id"]
        await again.disconnect()

    run(scenario)
    assert ChatMessage.objects.filter(room=room, author=school.student).count() == 1
    assert ChatMessage.objects.filter(room=room).count() == 3


@pytest.mark.requirement("R4")
def test_the_organiser_deletes_a_message_and_mutes_a_participant(school):
    room = session_room(school)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        await hello(student)
        await student.send_json_to({"type": "chat", "client_id": "x", "html": "спам"})
        message = (await next_of(teacher, "message"))["message"]

        # A participant cannot moderate.
        await student.send_json_to({"type": "delete", "id": message["id"]})
        refusal = await next_of(student, "error")
        assert refusal["code"] == "forbidden"

        await teacher.send_json_to({"type": "delete", "id": message["id"]})
        assert (await next_of(student, "deleted"))["id"] == message["id"]

        await teacher.send_json_to(
            {"type": "mute", "user_id": school.student.pk, "muted": True}
        )
        state = await next_of(student, "member")
        assert state == {
            "type": "member",
            "user_id": school.student.pk,
            "muted": True,
            "may_speak": False,
            "hand": False,
        }
        await student.send_json_to({"type": "chat", "client_id": "y", "html": "ещё"})
        refusal = await next_of(student, "error")
        assert refusal["code"] == "muted"
        assert "отключил" in refusal["message"] or "muted" in refusal["message"]
        await teacher.disconnect()
        await student.disconnect()

    run(scenario)
    deleted = ChatMessage.objects.get(room=room, client_id="x")
    assert deleted.deleted_at is not None
    assert deleted.deleted_by == school.teacher
    assert not ChatMessage.objects.filter(client_id="y").exists()
    assert Member.objects.get(room=room, user=school.student).muted


@pytest.mark.requirement("R4")
def test_a_deleted_message_is_not_sent_to_newcomers(school):
    room = session_room(school)
    message, _ = services.post_message(
        actor=school.classmate, room=room, client_id="z", html="грубость"
    )
    services.delete_message(actor=school.teacher, room=room, message_id=message.pk)

    async def scenario():
        student = await connect(room, school.student)
        greeting = await hello(student)
        assert greeting["messages"][0]["deleted"] is True
        assert greeting["messages"][0]["html"] == ""
        await student.disconnect()

    run(scenario)


@pytest.mark.requirement("R4")
def test_raise_hand_and_let_a_webinar_viewer_speak(school):
    room = session_room(school, form=Consultation.Form.WEBINAR)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        await hello(student)
        await student.send_json_to({"type": "hand", "raised": True})
        assert (await next_of(teacher, "member"))["hand"] is True
        assert (await next_of(student, "member"))["hand"] is True
        await teacher.send_json_to(
            {"type": "speak", "user_id": school.student.pk, "allowed": True}
        )
        state = await next_of(student, "member")
        assert state["may_speak"] is True
        assert state["hand"] is False
        await teacher.disconnect()
        await student.disconnect()

    run(scenario)


@pytest.mark.requirement("R5")
def test_signals_go_to_one_peer_only(school):
    room = session_room(school)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        student_hello = await hello(student)
        classmate = await connect(room, school.classmate)
        await hello(classmate)
        teacher_peer = student_hello["participants"][0]["peer"]
        await student.send_json_to(
            {"type": "signal", "to": teacher_peer, "data": {"sdp": "offer"}}
        )
        signal = await next_of(teacher, "signal")
        assert signal == {
            "type": "signal",
            "from": student_hello["peer"],
            "data": {"sdp": "offer"},
        }
        # Nobody else gets it.
        while not await classmate.receive_nothing(timeout=0.3):
            payload = await classmate.receive_json_from()
            assert payload["type"] != "signal"
        for c in (teacher, student, classmate):
            await c.disconnect()

    run(scenario)


@pytest.mark.requirement("R13")
def test_attendance_is_recorded_per_connection(school):
    room = session_room(school)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        await hello(student)
        await student.disconnect()
        assert (await next_of(teacher, "left"))["type"] == "left"
        await teacher.disconnect()

    run(scenario)
    visits = {v.user_id: v for v in Attendance.objects.filter(room=room)}
    assert set(visits) == {school.teacher.pk, school.student.pk}
    assert visits[school.teacher.pk].role == "organiser"
    assert visits[school.student.pk].role == "participant"
    assert all(v.left_at is not None for v in visits.values())


@pytest.mark.requirement("R5")
def test_a_parent_joins_their_childs_individual_consultation(school):
    booking = make_booking(school)
    room = services.room_for_booking(booking)

    async def scenario():
        parent = await connect(room, school.parent)
        greeting = await hello(parent)
        assert greeting["me"]["role"] == "participant"
        await parent.disconnect()
        stranger = await connect(room, school.other_parent)
        await expect_closed(stranger, 4404)
        classmate = await connect(room, school.classmate)
        await expect_closed(classmate, 4404)

    run(scenario)


def test_a_closed_room_sends_everyone_out(school):
    from channels.layers import get_channel_layer

    room = session_room(school)

    async def scenario():
        student = await connect(room, school.student)
        await hello(student)
        await database_sync_to_async(services.room_close)(
            actor=school.teacher, room=room
        )
        await get_channel_layer().group_send(
            room.group,
            {"type": "room.event", "payload": {"type": "closed"}, "exclude": ""},
        )
        assert (await next_of(student, "closed"))["type"] == "closed"
        await expect_closed(student, 4403)
        again = await connect(room, school.student)
        await expect_closed(again, 4403)

    run(scenario)


@pytest.fixture(
    params=[
        "channels_redis.pubsub.RedisPubSubChannelLayer",  # production's (settings)
        "channels_redis.core.RedisChannelLayer",  # CHANNEL_LAYER=lists
    ]
)
def redis_layer(settings, request):
    """The production channel layers (Redis), when a test Redis is given (CI)."""
    import os

    url = os.environ.get("UMKA_TEST_REDIS_URL")
    if not url:
        if os.environ.get("UMKA_REQUIRE_BROWSER") == "1":
            pytest.fail("UMKA_TEST_REDIS_URL is not set")
        pytest.skip("no test Redis (set UMKA_TEST_REDIS_URL)")
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": request.param,
            "CONFIG": {"hosts": [url], "prefix": f"umka-test-{os.getpid()}"},
        }
    }
    yield
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.mark.requirement("R4")
@pytest.mark.parametrize("form", ["videoconference", "chat"])
def test_the_chat_fans_out_through_the_redis_channel_layer(school, redis_layer, form):
    room = session_room(school, form=form)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        students = []
        for student in (school.student, school.classmate):
            communicator = await connect(room, student)
            await hello(communicator)
            students.append(communicator)
        await teacher.send_json_to({"type": "chat", "client_id": "r-1", "html": "Всем"})
        for communicator in [teacher, *students]:
            payload = await next_of(communicator, "message")
            assert payload["message"]["html"] == "Всем"
        for communicator in [teacher, *students]:
            await communicator.disconnect()

    run(scenario)


def test_a_flood_of_messages_is_slowed_down(school):
    room = session_room(school)

    async def scenario():
        student = await connect(room, school.student)
        await hello(student)
        for n in range(9):
            await student.send_json_to(
                {"type": "chat", "client_id": f"f{n}", "html": f"сообщение {n}"}
            )
        refusal = await next_of(student, "error")
        assert refusal["code"] == "too_fast"
        assert refusal["client_id"] == "f8"
        await student.disconnect()

    run(scenario)
    assert ChatMessage.objects.filter(room=room).count() == 8


@pytest.mark.requirement("R4")
def test_in_a_chat_room_joins_and_leaves_come_gathered_in_one_frame(school):
    """A hundred people entering at the start must not cost each a hundred
    frames: presence notices of a room of many go out together (O(n))."""
    room = session_room(school, form=Consultation.Form.CHAT)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        await hello(student)
        classmate = await connect(room, school.classmate)
        await hello(classmate)
        joined = await next_of(teacher, "joined")
        assert {p["name"] for p in joined["participants"]} >= {
            school.student.full_name,
            school.classmate.full_name,
        }
        await student.disconnect()
        await classmate.disconnect()
        left = await next_of(teacher, "left")
        assert len(left["peers"]) == 2
        assert await teacher.receive_nothing(timeout=0.8)
        await teacher.disconnect()

    run(scenario)


@pytest.mark.requirement("R4")
def test_in_a_peer_to_peer_video_room_a_join_is_told_at_once(school):
    room = session_room(school)
    assert room.media
    assert room.transport == "p2p"

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        await hello(student)
        joined = await teacher.receive_json_from(timeout=0.3)  # not batched
        assert joined["type"] == "joined"
        assert joined["participants"][0]["name"] == school.student.full_name
        for c in (teacher, student):
            await c.disconnect()

    run(scenario)


@pytest.mark.requirement("R4")
def test_a_message_written_while_the_channel_layer_is_away_is_kept_and_sent_later(
    school,
):
    """Redis (the channel layer) stops: the message is stored, the writer is told
    to reconnect (1013), a new connection too; once the layer is back, those who
    stayed get the message and the writer finds it in the history."""
    from channels.layers import get_channel_layer
    from redis.exceptions import ConnectionError as RedisConnectionError

    room = session_room(school)

    async def scenario():
        teacher = await connect(room, school.teacher)
        await hello(teacher)
        student = await connect(room, school.student)
        await hello(student)
        await next_of(teacher, "joined")
        layer = get_channel_layer()

        async def away(*args, **kwargs):
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")

        layer.group_send = layer.group_add = layer.group_discard = away
        await student.send_json_to(
            {"type": "chat", "client_id": "s-1", "html": "Есть вопрос"}
        )
        await expect_closed(student, 1013)  # no echo: «reconnecting…»
        await student.disconnect()
        retry = await connect(room, school.student)
        await expect_closed(retry, 1013)
        await retry.disconnect()
        del layer.group_send, layer.group_add, layer.group_discard  # Redis is back
        message = (await next_of(teacher, "message"))["message"]
        assert message["client_id"] == "s-1"
        again = await connect(room, school.student)
        greeting = await hello(again)
        assert [m["client_id"] for m in greeting["messages"]] == ["s-1"]
        await teacher.disconnect()
        await again.disconnect()

    run(scenario)
    assert ChatMessage.objects.filter(room=room).count() == 1


def test_the_receive_loop_handles_one_message_at_a_time_and_stops_both_sources():
    """consumers._serve, in place of Channels' await_many_dispatch: a message from
    the layer waits while the browser's is being handled; StopConsumer ends both
    readers; an error of a source is raised once the message under way is done."""
    import asyncio

    from channels.exceptions import StopConsumer

    from umka.rooms.consumers import _serve

    async def scenario():
        browser, layer = asyncio.Queue(), asyncio.Queue()
        handled, busy = [], []

        async def dispatch(message):
            assert not busy, "two messages handled at once"
            busy.append(message)
            await asyncio.sleep(0.01)
            busy.pop()
            handled.append(message)
            if message == "disconnect":
                raise StopConsumer

        for message in ("connect", "chat"):
            browser.put_nowait(message)
        for message in ("event-1", "event-2"):
            layer.put_nowait(message)
        serving = asyncio.ensure_future(_serve([browser.get, layer.get], dispatch))
        await asyncio.sleep(0.1)
        browser.put_nowait("disconnect")
        with pytest.raises(StopConsumer):
            await asyncio.wait_for(serving, 2)
        layer.put_nowait("after")
        await asyncio.sleep(0.05)
        assert sorted(handled) == [
            "chat",
            "connect",
            "disconnect",
            "event-1",
            "event-2",
        ]
        assert handled.index("connect") < handled.index("chat")
        assert handled.index("event-1") < handled.index("event-2")

        async def broken():
            await asyncio.sleep(0.005)
            raise OSError("the layer is gone")

        handled.clear()
        browser.put_nowait("slow")
        with pytest.raises(OSError, match="the layer is gone"):
            await asyncio.wait_for(_serve([browser.get, broken], dispatch), 2)
        assert handled == ["slow"]  # finished before the error ended the loop

    run(scenario)
