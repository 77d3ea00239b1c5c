"""New and changed posts reach open pages without a reload (the project's
Channels layer): a service tells the thread's group once its transaction has
committed; `consumers.ThreadConsumer` passes the news on and each page fetches
the post as its reader may see it."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def group_of(thread_id: int) -> str:
    return f"forum-thread-{thread_id}"


def _send(thread_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            group_of(thread_id), {"type": "forum.event", "payload": payload}
        )


def on_commit(thread_id: int, payload: dict) -> None:
    """Tell the thread's open pages after the caller's transaction commits."""
    transaction.on_commit(lambda: _send(thread_id, payload))


def post_added(post) -> None:
    on_commit(post.thread_id, {"type": "post", "id": post.pk, "change": "new"})


def post_changed(post) -> None:
    on_commit(post.thread_id, {"type": "post", "id": post.pk, "change": "changed"})


def thread_changed(thread) -> None:
    on_commit(
        thread.pk,
        {"type": "thread", "locked": thread.is_locked, "forum": thread.forum_id},
    )
