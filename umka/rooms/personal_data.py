"""Personal data held by rooms (see umka/privacy/registry.py), and the
retention period of chat messages."""

from umka.privacy import registry
from umka.rooms.models import Attendance, ChatMessage, Member, Room

registry.declare(
    Room, people=("opened_by", "closed_by"), fields=("kind", "opened_at", "closed_at")
)
registry.declare(
    ChatMessage,
    people=("author", "deleted_by"),
    fields=("room", "html", "attachment_name", "created_at", "deleted_at"),
    texts={"author": ("html", "attachment", "attachment_name")},
)
registry.declare(Member, people=("user",), fields=("room", "muted", "may_speak"))
registry.declare(
    Attendance, people=("user",), fields=("room", "role", "joined_at", "left_at")
)


def purge_chat(cutoff) -> int:
    """Chat messages (and their files) sent before `cutoff`."""
    removed = 0
    for message in ChatMessage.objects.filter(created_at__lt=cutoff).iterator():
        if message.attachment:
            message.attachment.delete(save=False)
        message.delete()
        removed += 1
    return removed


registry.retention("chat", setting="PRIVACY_RETENTION_CHAT_DAYS", purge=purge_chat)
