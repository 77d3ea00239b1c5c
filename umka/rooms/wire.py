"""What the room's WebSocket carries: messages and participants as plain JSON
(see README, "WebSocket protocol")."""

from django.urls import reverse

from umka.rooms.models import Attendance, ChatMessage, Member


def message(msg: ChatMessage) -> dict:
    deleted = msg.deleted_at is not None
    attachment = None
    if msg.attachment and not deleted:
        attachment = {
            "name": msg.attachment_name,
            "size": msg.attachment_size,
            "url": reverse("rooms:file", args=[msg.room_id, msg.pk]),
        }
    return {
        "id": msg.pk,
        "client_id": msg.client_id,
        "author": {"id": msg.author_id, "name": msg.author.full_name},
        "html": "" if deleted else msg.html,
        "attachment": attachment,
        "created_at": msg.created_at.isoformat(),
        "deleted": deleted,
    }


def member_state(user_id: int, member: Member | None) -> dict:
    return {
        "user_id": user_id,
        "muted": bool(member and member.muted),
        "may_speak": bool(member and member.may_speak),
        "hand": bool(member and member.hand_raised_at),
    }


def participant(visit: Attendance, member: Member | None, *, media: bool) -> dict:
    return {
        "peer": visit.peer,
        "name": visit.user.full_name,
        "role": visit.role,
        "media": media,
        **member_state(visit.user_id, member),
    }
