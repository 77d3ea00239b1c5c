"""The room's WebSocket (Django Channels): chat, moderation, presence, and the
signalling of peer-to-peer WebRTC. The protocol is in README.md.

Every rule lives in services/policies; this only checks who is connected, turns
JSON into service calls and fans the results out to the room's group.
"""

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections import deque
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import override
from redis.exceptions import RedisError

from umka.core.errors import messages_of
from umka.rooms import policies, services, wire
from umka.rooms.models import Member, Room

log = logging.getLogger(__name__)

#: Close codes the browser understands (README): not in the audience, not open.
NOT_FOUND = 4404
NOT_OPEN = 4403
#: Where ServerSend (config/asgi.py) keeps the server's send in the scope.
SERVER_SEND = "umka.server_send"
#: The channel layer (Redis) is away: «try again later», the browser reconnects.
TRY_AGAIN = 1013
#: What a channel layer that lost Redis raises (redis-py's errors, sockets).
LAYER_ERRORS = (RedisError, OSError, asyncio.TimeoutError)
#: Events that change what a room shows are sent again once the layer is back;
#: typing and presence notices are not worth it.
KEPT_EVENTS = {"message", "deleted", "member", "closed"}
#: A person may send this many chat messages in this many seconds (then waits).
CHAT_BURST, CHAT_WINDOW_SECONDS = 8, 10.0
#: Typing notices are passed on at most this often per connection.
TYPING_EVERY_SECONDS = 2.0
#: Larger WebRTC signals are dropped (an SDP offer is a few kilobytes).
SIGNAL_MAX_BYTES = 64 * 1024
#: «joined» and «left» notices of a room are gathered on each app server for
#: this long and sent as one frame, so a hundred people entering at the start
#: cost each person a few frames, not a hundred (O(n) frames, not n²). A
#: peer-to-peer room with media is told at once: its few people connect to
#: each other.
PRESENCE_BATCH_SECONDS = 0.5


class _Presence:
    """This app server's «joined»/«left» notices waiting to go out, per room."""

    def __init__(self):
        self.pending: dict[str, tuple[asyncio.AbstractEventLoop, list, list]] = {}

    def add(self, layer, group: str, *, joined=None, left=None) -> None:
        loop = asyncio.get_running_loop()
        entry = self.pending.get(group)
        if entry is None or entry[0] is not loop:  # (a loop that ended: tests)
            entry = self.pending[group] = (loop, [], [])
            loop.call_later(
                PRESENCE_BATCH_SECONDS,
                lambda: asyncio.ensure_future(self.flush(layer, group, entry)),
            )
        if joined is not None:
            entry[1].append(joined)
        if left is not None:
            entry[2].append(left)

    async def flush(self, layer, group: str, entry) -> None:
        if self.pending.get(group) is entry:
            del self.pending[group]
        _loop, joins, leaves = entry
        # Joins first: one who came and went within the batch ends up gone.
        for payload in (
            {"type": "joined", "participants": joins} if joins else None,
            {"type": "left", "peers": leaves} if leaves else None,
        ):
            if payload:
                try:
                    await layer.group_send(group, _event(payload))
                except LAYER_ERRORS:
                    return  # presence is told afresh on each reconnect


_presence = _Presence()


class _Resend:
    """Group events the channel layer refused (Redis away), sent again in order
    once it answers: the people who stayed connected get every stored message;
    the browsers drop what they already have by its id."""

    def __init__(self):
        self.waiting: list[tuple[str, dict]] = []
        self.task: asyncio.Task | None = None

    def add(self, layer, group: str, event: dict) -> None:
        self.waiting.append((group, event))
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run(layer))

    async def _run(self, layer) -> None:
        pause = 0.5
        while self.waiting:
            group, event = self.waiting[0]
            try:
                await layer.group_send(group, event)
            except LAYER_ERRORS:
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            self.waiting.pop(0)
        log.warning("The channel layer answers again: waiting room events sent")


_resend = _Resend()


def _event(payload: dict, exclude: str = "") -> dict:
    """A group event: the frame is serialised once, not once per connection."""
    return {
        "type": "room.event",
        "text": json.dumps(payload, ensure_ascii=False),
        "closing": payload.get("type") == "closed",
        "exclude": exclude,
    }


async def _serve(sources, dispatch) -> None:
    """Channels' await_many_dispatch, cheaper per message: one long-lived task per
    source (the browser, the channel layer) reads it and dispatches what it read
    under a lock, so messages are still handled one at a time, in the order they
    come, and a source is read no faster than they are handled. Channels makes
    a new task and an asyncio.wait() for every message; in a room of a hundred
    that is a hundred of each per chat message (bench/chat_fanout). The first
    source to fail or to stop the consumer (StopConsumer) ends the others.
    """
    lock = asyncio.Lock()
    stopped = False

    async def serve(source) -> None:
        nonlocal stopped
        while not stopped:
            try:
                message = await source()
            except BaseException:
                stopped = True
                raise
            async with lock:
                if stopped:  # the other source ended the consumer meanwhile
                    return
                try:
                    await dispatch(message)
                except BaseException:
                    stopped = True
                    raise

    tasks = [asyncio.ensure_future(serve(source)) for source in sources]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        async with lock:  # a message being handled by the other source ends first
            pass
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


class ServerSend:
    """ASGI middleware, outside the session middleware: puts the server's send
    into the scope, so a room sends its group frames without the session wrapper
    (RoomConsumer.room_event)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        return await self.inner({**scope, SERVER_SEND: send}, receive, send)


def _language(scope) -> str:
    """The page's language: the cookie the language switch sets, else Russian."""
    from django.conf import settings

    cookies = scope.get("cookies") or {}
    code = cookies.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class RoomConsumer(AsyncJsonWebsocketConsumer):
    room: Room | None = None
    peer: str = ""
    role: str | None = None
    moderator: bool = False

    async def __call__(self, scope, receive, send):
        # AsyncConsumer.__call__ with _serve in place of await_many_dispatch.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        if self.channel_layer is None:
            await super().__call__(scope, receive, send)
            return
        self.channel_name = await self.channel_layer.new_channel()
        # channels-redis' pub/sub layer finds its layer for the running event loop
        # on every receive; a connection stays on one loop: find it once.
        find = getattr(self.channel_layer, "_get_layer", None)
        layer = find() if find else self.channel_layer
        self.channel_receive = functools.partial(layer.receive, self.channel_name)
        self.base_send = send
        # Group frames go to the server's own send: Channels' session wrapper
        # only acts on HTTP responses, yet reads the session for every frame.
        self.frame_send = scope.get(SERVER_SEND, send)
        with contextlib.suppress(StopConsumer):
            await _serve([receive, self.channel_receive], self.dispatch)

    # --- connecting ------------------------------------------------------------

    async def connect(self):
        self.sent_at: deque[float] = deque(maxlen=CHAT_BURST)
        self.typed_at = 0.0
        self.user = self.scope["user"]
        self.language = _language(self.scope)
        room_id = self.scope["url_route"]["kwargs"]["room_id"]
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            after = int(query.get("after", ["0"])[0] or 0)
        except ValueError:
            after = 0
        await self.accept()
        outcome = await self._enter(room_id, after)
        if isinstance(outcome, int):
            await self.close(code=outcome)
            return
        try:
            await self.channel_layer.group_add(self.room.group, self.channel_name)
        except LAYER_ERRORS as exc:
            # Redis is away: the browser says it is reconnecting and comes back
            # with the id of its last message (nothing lost, nothing twice).
            log.warning("Room %s: the channel layer is away (%s)", room_id, exc)
            await self.close(code=TRY_AGAIN)
            return
        await self.send_json(outcome)
        # A message stored after the history was read and sent to the group before
        # this connection joined it would be missed: send what came meanwhile (the
        # browser drops by id what it already has).
        seen = max(
            [after, *(m["id"] for m in outcome["messages"])],
        )
        for message in await self._messages_after(seen):
            await self.send_json({"type": "message", "message": message})
        if self._batches_presence():
            _presence.add(self.channel_layer, self.room.group, joined=outcome["me"])
        else:
            await self._broadcast(
                {"type": "joined", "participants": [outcome["me"]]},
                exclude_self=True,
            )

    def _batches_presence(self) -> bool:
        return not (self.room.media and self.room.transport == Room.Transport.P2P)

    @database_sync_to_async
    def _enter(self, room_id: int, after: int) -> dict | int:
        try:
            room, role = policies.access_room(self.user, room_id)
        except Http404:
            return NOT_FOUND
        if not policies.is_open_for(room, role):
            return NOT_OPEN
        self.room, self.role = room, role
        self.moderator = policies.can_moderate(self.user, room, role)
        visit = services.attendance_join(
            room=room, user=self.user, role=role, channel_name=self.channel_name
        )
        self.peer = visit.peer
        others = [v for v in services.present(room) if v.peer != self.peer]
        members = {m.user_id: m for m in Member.objects.filter(room=room)}
        me = wire.participant(visit, members.get(self.user.pk), media=room.media)
        return {
            "type": "hello",
            "peer": self.peer,
            "me": me,
            "participants": [
                wire.participant(v, members.get(v.user_id), media=room.media)
                for v in others
            ],
            "messages": [wire.message(m) for m in services.history(room, after=after)],
        }

    async def disconnect(self, code):
        if not self.peer:
            return
        await database_sync_to_async(services.attendance_leave)(self.peer)
        try:
            await self.channel_layer.group_discard(self.room.group, self.channel_name)
        except LAYER_ERRORS:
            return
        if self._batches_presence():
            _presence.add(self.channel_layer, self.room.group, left=self.peer)
        else:
            await self._broadcast(
                {"type": "left", "peers": [self.peer]}, exclude_self=True
            )

    # --- from the browser ------------------------------------------------------

    async def receive_json(self, content, **kwargs):
        if not self.peer or not isinstance(content, dict):
            return
        kind = content.get("type")
        handler = {
            "chat": self._chat,
            "typing": self._typing,
            "hand": self._hand,
            "delete": self._delete,
            "mute": self._mute,
            "speak": self._speak,
            "signal": self._signal,
        }.get(kind)
        if handler is None:
            return
        try:
            with override(self.language):
                await handler(content)
        except ValidationError as refusal:
            with override(self.language):
                text = " ".join(messages_of(refusal))
            await self.send_json(
                {
                    "type": "error",
                    "code": getattr(refusal, "code", None),
                    "message": text,
                    # A refused chat message: the browser drops it from its outbox.
                    "client_id": content.get("client_id") if kind == "chat" else None,
                }
            )
        except (TypeError, ValueError, KeyError):
            with override(self.language):
                text = _("The room did not understand this request.")
            await self.send_json(
                {"type": "error", "code": "bad_request", "message": text}
            )

    def _too_fast(self) -> bool:
        now = time.monotonic()
        if (
            len(self.sent_at) == CHAT_BURST
            and now - self.sent_at[0] < CHAT_WINDOW_SECONDS
        ):
            return True
        self.sent_at.append(now)
        return False

    async def _chat(self, content):
        # The organiser (who moderates) is never slowed down in their own room.
        if not self.moderator and self._too_fast():
            await self.send_json(
                {
                    "type": "error",
                    "code": "too_fast",
                    "message": _("You are writing too fast: wait a few seconds."),
                    "client_id": content.get("client_id"),
                }
            )
            return
        message, created = await self._in_db(
            services.post_message,
            actor=self.user,
            room=self.room,
            client_id=str(content.get("client_id", "")),
            html=str(content.get("html", "")),
        )
        payload = {"type": "message", "message": message}
        if created:
            await self._broadcast(payload)
        else:
            await self.send_json(payload)  # a resend: only the sender needs the echo

    async def _typing(self, content):
        now = time.monotonic()
        if now - self.typed_at < TYPING_EVERY_SECONDS:
            return
        self.typed_at = now
        await self._broadcast(
            {"type": "typing", "user_id": self.user.pk, "name": self.user.full_name},
            exclude_self=True,
        )

    async def _hand(self, content):
        state = await self._member_call(
            services.set_hand,
            actor=self.user,
            room=self.room,
            raised=bool(content.get("raised")),
        )
        await self._broadcast({"type": "member", **state})

    async def _delete(self, content):
        message = await self._in_db(
            services.delete_message,
            actor=self.user,
            room=self.room,
            message_id=int(content["id"]),
        )
        await self._broadcast({"type": "deleted", "id": message["id"]})

    async def _mute(self, content):
        state = await self._member_call(
            services.set_muted,
            actor=self.user,
            room=self.room,
            user_id=int(content["user_id"]),
            muted=bool(content.get("muted")),
        )
        await self._broadcast({"type": "member", **state})

    async def _speak(self, content):
        state = await self._member_call(
            services.set_may_speak,
            actor=self.user,
            room=self.room,
            user_id=int(content["user_id"]),
            allowed=bool(content.get("allowed")),
        )
        await self._broadcast({"type": "member", **state})

    async def _signal(self, content):
        target = str(content.get("to", ""))
        if not self.room.media or not target:
            return
        if len(json.dumps(content.get("data"))) > SIGNAL_MAX_BYTES:
            return
        channel = await database_sync_to_async(self._channel_of)(target)
        if channel:
            await self.channel_layer.send(
                channel,
                {
                    "type": "room.event",
                    "payload": {
                        "type": "signal",
                        "from": self.peer,
                        "data": content.get("data"),
                    },
                },
            )

    def _channel_of(self, peer: str) -> str:
        from umka.rooms.models import Attendance

        visit = (
            Attendance.objects.filter(room=self.room, peer=peer, left_at__isnull=True)
            .values_list("channel_name", flat=True)
            .first()
        )
        return visit or ""

    # --- helpers -----------------------------------------------------------------

    @database_sync_to_async
    def _messages_after(self, after: int) -> list[dict]:
        return [wire.message(m) for m in services.history(self.room, after=after)]

    @database_sync_to_async
    def _in_db(self, function, **kwargs):
        result = function(**kwargs)
        # Serialise while still in the database thread.
        if isinstance(result, tuple):
            return wire.message(result[0]), result[1]
        return wire.message(result)

    @database_sync_to_async
    def _member_call(self, function, **kwargs) -> dict:
        member = function(**kwargs)
        return wire.member_state(member.user_id, member)

    async def _broadcast(self, payload: dict, *, exclude_self: bool = False) -> None:
        event = _event(payload, self.channel_name if exclude_self else "")
        try:
            await self.channel_layer.group_send(self.room.group, event)
        except LAYER_ERRORS as exc:
            # Stored already: those who stay connected get it once the layer is
            # back. The sender reconnects (its page says so) and finds it in the
            # history after its last id, with whatever others wrote meanwhile; no
            # echo now, which would move its last id past messages it never got.
            log.warning("Room %s: the channel layer is away (%s)", self.room.pk, exc)
            if payload.get("type") not in KEPT_EVENTS:
                return
            _resend.add(self.channel_layer, self.room.group, event)
            await self.close(code=TRY_AGAIN)

    # --- from the group ----------------------------------------------------------

    async def dispatch(self, message):
        # A group event only goes out to the browser: it needs no database, so it
        # skips Channels' closing of old connections, which would make each of a
        # hundred deliveries wait for the one shared sync thread (bench/chat_fanout).
        if message.get("type") == "room.event":
            await self.room_event(message)
            return
        await super().dispatch(message)

    async def room_event(self, event):
        if event.get("exclude") and event["exclude"] == self.channel_name:
            return
        if "text" in event:
            await self.frame_send({"type": "websocket.send", "text": event["text"]})
            closing = event.get("closing")
        else:  # from a view (views.py) or the signalling of another connection
            await self.send_json(event["payload"])
            closing = event["payload"].get("type") == "closed"
        if closing:
            await self.close(code=NOT_OPEN)
