"""A thread's WebSocket (Django Channels): an open thread page hears of new and
changed posts without a reload.

`/ws/forums/threads/<id>/?after=<last post id>` — whoever may not read the
thread is closed with 4404. On connect the server sends `hello` with the ids of
posts after `after` (what the page missed while it was away); then `post`
`{id, change: "new"|"changed"}` and `thread` `{locked, forum}`. The page fetches
each post from `forums:post_fragment`, rendered for its reader, so nothing a
reader may not see travels over the socket. The browser sends nothing.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from umka.forums import live, policies

NOT_FOUND = 4404
#: Missed posts a reconnecting page is told of at most (it reloads beyond).
MISSED_MAX = 200


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    group = ""

    async def connect(self):
        thread_id = self.scope["url_route"]["kwargs"]["thread_id"]
        query = parse_qs(self.scope.get("query_string", b"").decode())
        try:
            after = int(query.get("after", ["0"])[0] or 0)
        except ValueError:
            after = 0
        await self.accept()
        missed = await self._enter(thread_id, after)
        if missed is None:
            await self.close(code=NOT_FOUND)
            return
        self.group = live.group_of(thread_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "hello", "missed": missed})

    @database_sync_to_async
    def _enter(self, thread_id: int, after: int) -> list[int] | None:
        try:
            thread = policies.access_thread(self.scope["user"], thread_id)
        except Http404:
            return None
        if not after:
            return []
        return list(
            thread.posts.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:MISSED_MAX]
        )

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """The page only listens."""

    async def forum_event(self, event):
        await self.send_json(event["payload"])
