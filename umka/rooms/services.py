"""Live rooms (R4, R5): creating a room, its chat and moderation, attendance (R13).

Plain functions, called by the WebSocket consumer, the views and the tasks alike.
They raise DomainError with a message in the user's language when a rule says no.
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.audit.services import record
from umka.bookings.models import Booking
from umka.consultations.models import Consultation, Occurrence
from umka.consultations.planning import held as held_services
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.sanitize import clean_html, text_of
from umka.core.uploads import check_upload
from umka.rooms import audit_actions as actions
from umka.rooms import janus, policies
from umka.rooms.models import Attendance, ChatMessage, Member, Room
from umka.school.models import Enrolment

log = logging.getLogger(__name__)


def _deny() -> DomainError:
    return DomainError(_("You may not do this in this room."), code="forbidden")


# --- Creating rooms -----------------------------------------------------------------


def audience_size(consultation: Consultation) -> int:
    """How many people may come: students of the classes and the chosen ones, their
    parents when invited, and the organiser."""
    today = clock.today()
    class_students = (
        Enrolment.objects.filter(
            school_class__in=consultation.audience_classes.all(), starts_on__lte=today
        )
        .exclude(ends_on__lt=today)
        .values_list("student", flat=True)
    )
    students = set(class_students) | set(
        consultation.audience_students.values_list("pk", flat=True)
    )
    parents = 0
    if consultation.for_parents and students:
        parents = active_parent_links().filter(student__in=students).count()
    return len(students) + parents + 1


def _transport_for(kind: str, size: int) -> str:
    if kind == Room.Kind.CHAT or not janus.is_configured():
        return Room.Transport.P2P
    if kind == Room.Kind.WEBINAR or size > settings.ROOM_P2P_MAX_PARTICIPANTS:
        return Room.Transport.JANUS
    return Room.Transport.P2P


def _new_janus_room_number() -> int:
    # Janus room numbers are 64-bit; random ones never collide in practice, and the
    # unique constraint on Room.janus_room catches it if they ever do.
    return secrets.randbelow(2**52 - 1_000_000) + 1_000_000


def _create(defaults: dict, **owner) -> Room:
    try:
        with transaction.atomic():
            return Room.objects.create(**owner, **defaults)
    except IntegrityError:
        # Two first visitors at once: the other one created it.
        return Room.objects.get(**owner)


def _with_media_server(room: Room, description: str, publishers: int) -> Room:
    """Create the Janus VideoRoom for a new janus room on the least loaded host
    of the pool (the next one if that one refuses). If no Janus answers, the room
    falls back to peer to peer (and says so in the log)."""
    if room.transport != Room.Transport.JANUS or room.janus_destroyed_at:
        return room
    chosen = janus.host_for(room.janus_host)
    for host in _hosts_to_try(chosen):
        try:
            janus.create_room(
                room.janus_room,
                secret=room.janus_secret,
                pin=room.janus_pin,
                description=description[:100],
                publishers=publishers,
                host=host,
            )
        except janus.JanusError as error:
            if error.code == janus.ROOM_EXISTS:
                return room  # created by a concurrent first visit
            log.warning(
                "Janus at %s did not create room %s: %s", host.url, room.pk, error
            )
            continue
        if room.janus_host != host.admin_url:
            Room.objects.filter(pk=room.pk).update(janus_host=host.admin_url)
            room.janus_host = host.admin_url
        return room
    log.warning("No Janus created room %s: peer to peer", room.pk)
    Room.objects.filter(pk=room.pk).update(
        transport=Room.Transport.P2P, janus_room=None, janus_host=""
    )
    room.refresh_from_db()
    return room


def _hosts_to_try(chosen):
    """The host chosen when the room was made, then (only if it refuses) the
    others, least loaded first."""
    if chosen is not None:
        yield chosen
    for host in janus.by_load():
        if host != chosen:
            yield host


def room_for_occurrence(occurrence: Occurrence) -> Room:
    """The room of a consultation session, created on the first visit."""
    existing = Room.objects.filter(occurrence=occurrence).first()
    if existing is not None:
        return existing
    consultation = occurrence.consultation
    kind = {
        Consultation.Form.WEBINAR: Room.Kind.WEBINAR,
        Consultation.Form.VIDEOCONFERENCE: Room.Kind.VIDEOCONFERENCE,
        Consultation.Form.CHAT: Room.Kind.CHAT,
        Consultation.Form.INDIVIDUAL: Room.Kind.INDIVIDUAL,
    }[consultation.form]
    transport = _transport_for(kind, audience_size(consultation))
    defaults = _transport_fields(kind, transport)
    room = _create(defaults, occurrence=occurrence)
    publishers = 3 if kind == Room.Kind.WEBINAR else 12
    return _with_media_server(room, str(consultation), publishers)


def room_for_booking(booking: Booking) -> Room:
    """The room of an individual consultation by booking (two people and a parent:
    always peer to peer)."""
    existing = Room.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    kind = Room.Kind.INDIVIDUAL
    media = booking.window.form != booking.window.Form.CHAT
    defaults = _transport_fields(kind, Room.Transport.P2P)
    defaults["media"] = media
    if not media:
        defaults["kind"] = Room.Kind.CHAT
    return _create(defaults, booking=booking)


def _transport_fields(kind: str, transport: str) -> dict:
    fields = {"kind": kind, "media": kind != Room.Kind.CHAT, "transport": transport}
    if transport == Room.Transport.JANUS:
        # The host is chosen before the row exists, so two first visitors at
        # once (one row wins) create the VideoRoom on the same host.
        placed = janus.by_load()
        fields.update(
            janus_room=_new_janus_room_number(),
            janus_secret=secrets.token_urlsafe(24),
            janus_pin=secrets.token_urlsafe(12),
            janus_host=placed[0].admin_url if placed else "",
        )
    return fields


# --- Opening and closing ----------------------------------------------------------


def room_open(*, actor: User, room: Room, request=None) -> Room:
    """The organiser lets the participants in before the usual time."""
    if not policies.can_moderate(actor, room):
        raise _deny()
    if room.is_closed or policies.is_called_off(room):
        raise DomainError(_("This room is closed."), code="closed")
    with transaction.atomic():
        Room.objects.filter(pk=room.pk, opened_at__isnull=True).update(
            opened_at=timezone.now(), opened_by=actor
        )
        room.refresh_from_db()
        record(actor=actor, action=actions.OPENED, target=room, request=request)
    return room


def room_close(*, actor: User, room: Room, request=None) -> Room:
    """The organiser ends the session: everyone is sent out, nobody can come back."""
    if not policies.can_moderate(actor, room):
        raise _deny()
    with transaction.atomic():
        updated = Room.objects.filter(pk=room.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=actor
        )
        room.refresh_from_db()
        if updated:
            record(actor=actor, action=actions.CLOSED, target=room, request=request)
    release_media_server(room)
    return room


def release_media_server(room: Room) -> None:
    """Destroy the room's Janus VideoRoom (once)."""
    if room.transport != Room.Transport.JANUS or room.janus_destroyed_at:
        return
    try:
        janus.destroy_room(
            room.janus_room,
            secret=room.janus_secret,
            host=janus.host_for(room.janus_host),
        )
    except janus.JanusError as error:
        if error.code != janus.NO_SUCH_ROOM:
            # Janus is down or refused: try again on the next attendance run.
            log.warning("Janus did not destroy room %s: %s", room.pk, error)
            return
    Room.objects.filter(pk=room.pk).update(janus_destroyed_at=timezone.now())
    room.janus_destroyed_at = timezone.now()


# --- Chat -----------------------------------------------------------------------------


def _check_not_muted(room: Room, user: User) -> None:
    if Member.objects.filter(room=room, user=user, muted=True).exists():
        raise DomainError(
            _("The organiser has muted you in this room: you cannot write now."),
            code="muted",
        )


def _check_client_id(client_id: str) -> str:
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise DomainError(_("The message has no valid identifier."), code="client_id")
    return client_id


def post_message(
    *, actor: User, room: Room, client_id: str, html: str, upload=None, request=None
) -> tuple[ChatMessage, bool]:
    """Store a chat message once: the same (author, client_id) again returns the
    stored one and False (a resend after a reconnect is not a second message)."""
    role = policies.role_in(actor, room)
    if not policies.is_open_for(room, role):
        raise DomainError(_("This room is not open now."), code="closed")
    client_id = _check_client_id(client_id)
    existing = ChatMessage.objects.filter(
        room=room, author=actor, client_id=client_id
    ).first()
    if existing is not None:
        return existing, False
    _check_not_muted(room, actor)
    html = clean_html(html)
    text = text_of(html)
    if len(text) > settings.ROOM_CHAT_MAX_CHARS:
        raise DomainError(
            _(
                "The message is too long: %(length)s characters, at most %(limit)s. "
                "Split it or attach a file."
            )
            % {"length": len(text), "limit": settings.ROOM_CHAT_MAX_CHARS},
            code="too_long",
        )
    if not text:
        html = ""
    if not html and upload is None:
        raise DomainError(_("The message is empty."), code="empty")
    message = ChatMessage(room=room, author=actor, client_id=client_id, html=html)
    if upload is not None:
        message.attachment_name = check_upload(upload)
        message.attachment_size = upload.size
    try:
        with transaction.atomic():
            if upload is not None:
                message.attachment.save(message.attachment_name, upload, save=False)
            message.save()
            if upload is not None:
                record(
                    actor=actor,
                    action=actions.ATTACHED,
                    target=room,
                    changes={"file": message.attachment_name},
                    request=request,
                )
    except IntegrityError:
        if upload is not None and message.attachment:
            message.attachment.delete(save=False)
        return ChatMessage.objects.get(
            room=room, author=actor, client_id=client_id
        ), False
    return message, True


def delete_message(
    *, actor: User, room: Room, message_id: int, request=None
) -> ChatMessage:
    if not policies.can_moderate(actor, room):
        raise _deny()
    with transaction.atomic():
        message = (
            ChatMessage.objects.select_for_update()
            .filter(room=room, pk=message_id)
            .first()
        )
        if message is None:
            raise DomainError(_("There is no such message."), code="no_message")
        if message.deleted_at is None:
            message.deleted_at = timezone.now()
            message.deleted_by = actor
            message.save(update_fields=["deleted_at", "deleted_by"])
            record(
                actor=actor,
                action=actions.MESSAGE_DELETED,
                target=room,
                changes={
                    "author": str(message.author),
                    "text": text_of(message.html)[:200],
                },
                request=request,
            )
    return message


def _member_for_update(room: Room, user_id: int) -> Member:
    person = User.objects.filter(pk=user_id).first()
    if person is None or policies.role_in(person, room) is None:
        raise DomainError(
            _("This person is not in the room's audience."), code="no_member"
        )
    member, _created = Member.objects.select_for_update().get_or_create(
        room=room, user=person
    )
    return member


def set_muted(
    *, actor: User, room: Room, user_id: int, muted: bool, request=None
) -> Member:
    if not policies.can_moderate(actor, room) or user_id == actor.pk:
        raise _deny()
    with transaction.atomic():
        member = _member_for_update(room, user_id)
        if member.muted != muted:
            member.muted = muted
            member.save(update_fields=["muted"])
            record(
                actor=actor,
                action=actions.MUTED,
                target=room,
                changes={"person": str(member.user), "muted": muted},
                request=request,
            )
    return member


def set_may_speak(
    *, actor: User, room: Room, user_id: int, allowed: bool, request=None
) -> Member:
    if not policies.can_moderate(actor, room):
        raise _deny()
    if room.kind != Room.Kind.WEBINAR:
        raise DomainError(
            _("Everyone may speak in this room already."), code="not_webinar"
        )
    with transaction.atomic():
        member = _member_for_update(room, user_id)
        if member.may_speak != allowed:
            member.may_speak = allowed
            if allowed:
                member.hand_raised_at = None
            member.save(update_fields=["may_speak", "hand_raised_at"])
            record(
                actor=actor,
                action=actions.SPEAK,
                target=room,
                changes={"person": str(member.user), "may_speak": allowed},
                request=request,
            )
    return member


def set_hand(*, actor: User, room: Room, raised: bool) -> Member:
    if policies.role_in(actor, room) is None:
        raise _deny()
    with transaction.atomic():
        member, _created = Member.objects.select_for_update().get_or_create(
            room=room, user=actor
        )
        member.hand_raised_at = timezone.now() if raised else None
        member.save(update_fields=["hand_raised_at"])
    return member


def history(room: Room, *, after: int | None = None) -> list[ChatMessage]:
    """The messages a joining person receives: the latest ones, or on a reconnect
    everything after the last one the browser has."""
    messages = ChatMessage.objects.filter(room=room).select_related("author")
    if after:
        return list(messages.filter(pk__gt=after).order_by("pk")[:1000])
    latest = list(messages.order_by("-pk")[: settings.ROOM_HISTORY_MESSAGES])
    latest.reverse()
    return latest


# --- Attendance (R13) --------------------------------------------------------------


def attendance_join(
    *, room: Room, user: User, role: str, channel_name: str
) -> Attendance:
    return Attendance.objects.create(
        room=room,
        user=user,
        role=role,
        peer=secrets.token_hex(8),
        channel_name=channel_name,
        joined_at=timezone.now(),
    )


def attendance_leave(peer: str, at: dt.datetime | None = None) -> None:
    Attendance.objects.filter(peer=peer, left_at__isnull=True).update(
        left_at=at or timezone.now()
    )


def present(room: Room) -> list[Attendance]:
    """The open connections of a room, oldest first."""
    return list(
        Attendance.objects.filter(room=room, left_at__isnull=True)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


@dataclass(frozen=True)
class AttendanceRow:
    user: User
    role: str
    first_joined: dt.datetime
    last_left: dt.datetime | None  # None: still in the room
    minutes: int
    connections: int


def _merged_seconds(spans: list[tuple[dt.datetime, dt.datetime]]) -> float:
    """Seconds covered by the spans, overlaps counted once (two tabs, a reconnect)."""
    total = 0.0
    current_start = current_end = None
    for start, end in sorted(spans):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).total_seconds()
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).total_seconds()
    return total


def attendance_summary(
    room: Room, now: dt.datetime | None = None
) -> list[AttendanceRow]:
    """Who attended and for how long, the organiser first, then by name."""
    now = now or timezone.now()
    by_user: dict[int, list[Attendance]] = {}
    for row in Attendance.objects.filter(room=room).select_related("user"):
        by_user.setdefault(row.user_id, []).append(row)
    rows = []
    for visits in by_user.values():
        spans = [(v.joined_at, v.left_at or now) for v in visits]
        still_here = any(v.left_at is None for v in visits)
        rows.append(
            AttendanceRow(
                user=visits[0].user,
                role=visits[0].role,
                first_joined=min(v.joined_at for v in visits),
                last_left=None if still_here else max(v.left_at for v in visits),
                minutes=round(_merged_seconds(spans) / 60),
                connections=len(visits),
            )
        )
    order = {policies.ORGANISER: 0, policies.PARTICIPANT: 1, policies.OBSERVER: 2}
    rows.sort(key=lambda r: (order.get(r.role, 3), r.user.last_name, r.user.first_name))
    return rows


def organiser_attended(room: Room) -> bool:
    """Was the organiser in the room during the session (not only before it)?"""
    starts_at, ends_at = policies.times_of(room)
    return (
        Attendance.objects.filter(room=room, role=policies.ORGANISER)
        .filter(joined_at__lt=ends_at)
        .filter(Q(left_at__isnull=True) | Q(left_at__gt=starts_at))
        .exists()
    )


def apply_attendance(now: dt.datetime | None = None) -> dict[str, int]:
    """For every room whose time is over (once each): close connections left
    open (a server restart), destroy its Janus room, and mark a planned session
    held when its organiser was present — R12 still holds for attestation
    consultations (they stay planned until the checklist is done). Individual
    consultations are marked by the organiser with an outcome note (R5)."""
    now = now or timezone.now()
    grace = dt.timedelta(minutes=settings.ROOM_CLOSES_MINUTES_AFTER)
    counts = {"rooms": 0, "held": 0}
    due = (
        Room.objects.filter(attendance_applied_at__isnull=True)
        .filter(
            Q(occurrence__ends_at__lte=now - grace)
            | Q(booking__slot__ends_at__lte=now - grace)
            | Q(closed_at__isnull=False)
        )
        .select_related("occurrence__consultation__organiser", "booking__slot")
    )
    for room in due:
        closes_at = room.closed_at or policies.closes_at(room)
        Attendance.objects.filter(room=room, left_at__isnull=True).update(
            left_at=min(closes_at, now)
        )
        release_media_server(room)
        counts["rooms"] += 1
        occurrence = room.occurrence
        if (
            occurrence is not None
            and occurrence.status == Occurrence.Status.PLANNED
            and organiser_attended(room)
        ):
            try:
                held_services.occurrence_mark_held(
                    actor=occurrence.consultation.organiser, occurrence=occurrence
                )
            except DomainError as refusal:
                log.info("Session %s not marked held: %s", occurrence.pk, refusal)
            else:
                counts["held"] += 1
                record(
                    actor=None,
                    actor_name=_("Umka (attendance)"),
                    action=actions.AUTO_HELD,
                    target=occurrence.consultation,
                    changes={"starts_at": occurrence.starts_at.isoformat()},
                )
        Room.objects.filter(pk=room.pk).update(attendance_applied_at=now)
    return counts
