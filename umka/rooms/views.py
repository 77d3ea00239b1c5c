"""Room pages (/rooms/): the lobby and the room, the list of who is in, opening and
closing, chat attachments and the chat transcript.

Whoever is not in a room's audience gets 404 (rooms.policies' `access_*`
helpers). The live part runs over the WebSocket (consumers.py); these views only
render and accept files.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from umka.core.confirm import ask_to_confirm, is_confirmed
from umka.core.downloads import download
from umka.core.errors import messages_of
from umka.rooms import ice, janus, policies, services, wire
from umka.rooms.models import ChatMessage, Member, Room
from umka.rooms.strings import client_strings


def _room(request, pk: int) -> tuple[Room, str]:
    return policies.access_room(request.user, pk)


def broadcast(room: Room, payload: dict) -> None:
    """Tell everyone connected to the room (from a plain view or a task)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            room.group, {"type": "room.event", "payload": payload, "exclude": ""}
        )


@login_required
@require_GET
def occurrence_room(request, uid):
    # Not in the audience: 404 before anything is created.
    occurrence = policies.access_occurrence(request.user, uid)
    return redirect("rooms:room", pk=services.room_for_occurrence(occurrence).pk)


@login_required
@require_GET
def booking_room(request, uid):
    booking = policies.access_booking(request.user, uid)
    return redirect("rooms:room", pk=services.room_for_booking(booking).pk)


def _what(room: Room) -> str:
    if room.occurrence_id:
        return str(room.occurrence.consultation)
    return str(room.booking.window.organiser) + " · " + room.booking.student.full_name


def _back_url(request, room: Room) -> str:
    if room.booking_id:
        return reverse("bookings:detail", args=[room.booking_id])
    if policies.sees_session_page(request.user, room.occurrence.consultation):
        return reverse("consultations:session", args=[room.occurrence_id])
    return reverse("home")


def room_config(request, room: Room, role: str) -> dict:
    user = request.user
    member = Member.objects.filter(room=room, user=user).first()
    moderator = policies.can_moderate(user, room, role)
    janus_info = None
    if policies.client_transport(room) == Room.Transport.JANUS:
        host = janus.host_for(room.janus_host)
        janus_info = {
            "url": host.url if host else settings.JANUS_URL,
            "room": room.janus_room,
            "pin": room.janus_pin,
            "display": user.full_name,
        }
    return {
        "room": room.pk,
        "ws": f"/ws/rooms/{room.pk}/",
        "kind": room.kind,
        "media": room.media,
        "transport": policies.client_transport(room),
        "role": role,
        "can_moderate": moderator,
        "may_publish": policies.may_publish(
            room,
            role,
            may_speak=bool(member and member.may_speak),
            muted=bool(member and member.muted),
        ),
        "me": {"id": user.pk, "name": user.full_name},
        "ice_servers": ice.ice_servers(user.pk),
        "janus": janus_info,
        "attach_url": reverse("rooms:attach", args=[room.pk]),
        "max_upload_mb": settings.UPLOAD_MAX_MB,
        "max_chars": settings.ROOM_CHAT_MAX_CHARS,
        "csrf": get_token(request),
        "time_zone": timezone.get_current_timezone_name(),
        "strings": client_strings(),
    }


@login_required
@require_GET
def room(request, pk: int):
    """The lobby (camera and microphone check, who is in), then the room."""
    room, role = _room(request, pk)
    starts_at, ends_at = policies.times_of(room)
    config = room_config(request, room, role)
    context = {
        "room": room,
        "role": role,
        "what": _what(room),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "can_enter": policies.is_open_for(room, role),
        "called_off": policies.is_called_off(room),
        "is_over": timezone.now() > policies.closes_at(room) or room.is_closed,
        "opens_at": policies.opens_at(room),
        "can_moderate": config["can_moderate"],
        "transport": config["transport"],
        "transcript_url": reverse("rooms:transcript", args=[room.pk]),
        "back_url": _back_url(request, room),
        "room_config": config,
    }
    return render(request, "rooms/room.html", context)


@login_required
@require_GET
def present(request, pk: int):
    """Who is in the room now (the lobby refreshes it)."""
    room, _role = _room(request, pk)
    people = {}
    for visit in services.present(room):
        people.setdefault(visit.user_id, visit)
    return render(request, "rooms/_present.html", {"people": list(people.values())})


@login_required
@require_POST
def room_open(request, pk: int):
    room, _role = _room(request, pk)
    try:
        services.room_open(actor=request.user, room=room, request=request)
    except ValidationError as refusal:
        messages.error(request, " ".join(messages_of(refusal)))
    return redirect("rooms:room", pk=room.pk)


@login_required
@require_POST
def room_close(request, pk: int):
    room, role = _room(request, pk)
    if policies.can_moderate(request.user, room, role) and not is_confirmed(request):
        # Without JavaScript (the form's data-confirm asks in a dialog otherwise).
        return ask_to_confirm(
            request,
            question=_("End the consultation for everyone?"),
            details=_(
                "Everyone is sent out and nobody can come back. The chat is kept."
            ),
            yes=_("Yes, end it"),
            back_url=reverse("rooms:room", args=[room.pk]),
        )
    try:
        services.room_close(actor=request.user, room=room, request=request)
    except ValidationError as refusal:
        messages.error(request, " ".join(messages_of(refusal)))
        return redirect("rooms:room", pk=room.pk)
    broadcast(room, {"type": "closed"})
    return redirect(_back_url(request, room))


@login_required
@require_POST
def attach(request, pk: int):
    """A chat message with a file (multipart: file, client_id, html)."""
    room, _role = _room(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse(
            {"error": _("Choose a file to attach.")},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    try:
        message, created = services.post_message(
            actor=request.user,
            room=room,
            client_id=request.POST.get("client_id", ""),
            html=request.POST.get("html", ""),
            upload=upload,
            request=request,
        )
    except ValidationError as refusal:
        return JsonResponse(
            {"error": " ".join(messages_of(refusal))},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    payload = {"type": "message", "message": wire.message(message)}
    if created:
        broadcast(room, payload)
    return JsonResponse(payload["message"], status=201 if created else 200)


@login_required
@require_GET
def attachment(request, pk: int, message_id: int):
    message = policies.access_chat_file(request.user, pk, message_id)
    return download(message.attachment, message.attachment_name)


@login_required
@require_GET
def transcript(request, pk: int):
    """The chat of a room, to read afterwards: the audience of the session, the
    student and their parents for an individual consultation (R5)."""
    room, role = _room(request, pk)
    chat = ChatMessage.objects.filter(room=room).select_related("author").order_by("pk")
    return render(
        request,
        "rooms/transcript.html",
        {
            "room": room,
            "what": _what(room),
            "starts_at": policies.times_of(room)[0],
            "chat": chat,
            "back_url": _back_url(request, room),
            "room_url": reverse("rooms:room", args=[room.pk]),
            "show_attendance": policies.can_see_attendance(request.user, room, role),
            "attendance": services.attendance_summary(room),
        },
    )
