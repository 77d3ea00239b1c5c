"""Who may enter a live room, in which role, and when (R4, R5).

Whoever is not in a room's audience gets 404 — the room's existence is not
revealed (`access_room`, `access_occurrence`, `access_booking`: one 404 for
missing and forbidden). Being in the audience is not enough to enter: the room
must be open.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from umka.accounts.models import User
from umka.accounts.policies import children_of, is_parent_of
from umka.bookings.models import Booking
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.consultations.policies import is_coordinator
from umka.core import clock
from umka.core.access import get_visible_or_404, require
from umka.rooms import janus
from umka.rooms.models import ChatMessage, Room
from umka.school.models import Enrolment

ORGANISER = "organiser"
PARTICIPANT = "participant"
OBSERVER = "observer"

_APPROVED = (ScheduleDocument.Status.APPROVED, ScheduleDocument.Status.PUBLISHED)


def _current_class_ids(student_ids) -> set[int]:
    today = clock.today()
    return set(
        Enrolment.objects.filter(student__in=student_ids, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("school_class", flat=True)
    )


def _in_audience(consultation: Consultation, student_ids: list[int]) -> bool:
    """Is any of these students in the consultation's audience now?"""
    if not student_ids:
        return False
    if consultation.audience_students.filter(pk__in=student_ids).exists():
        return True
    classes = _current_class_ids(student_ids)
    return bool(classes) and (
        consultation.audience_classes.filter(pk__in=classes).exists()
    )


def occurrence_role(user: User, occurrence: Occurrence) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    consultation = occurrence.consultation
    if user.pk == consultation.organiser_id:
        return ORGANISER
    if user.is_administration:
        return OBSERVER
    if consultation.schedule.status not in _APPROVED:
        return None
    if user.is_student and _in_audience(consultation, [user.pk]):
        return PARTICIPANT
    if (
        user.is_parent
        and consultation.for_parents
        and _in_audience(
            consultation, list(children_of(user).values_list("pk", flat=True))
        )
    ):
        return PARTICIPANT
    return None


def booking_role(user: User, booking: Booking) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.pk == booking.window.organiser_id:
        return ORGANISER
    if user.pk == booking.student_id:
        return PARTICIPANT
    if user.is_parent and is_parent_of(user, booking.student):
        return PARTICIPANT
    if user.is_administration:
        return OBSERVER
    return None


def role_in(user: User, room: Room) -> str | None:
    """organiser, participant, observer — or None: not in the audience (404)."""
    if room.occurrence_id:
        return occurrence_role(user, room.occurrence)
    return booking_role(user, room.booking)


def access_room(user: User, pk) -> tuple[Room, str]:
    """A room and `user`'s role in it; 404 unless they are in its audience."""
    room = get_visible_or_404(
        Room.objects.select_related(
            "occurrence__consultation__schedule",
            "occurrence__consultation__organiser",
            "occurrence__consultation__subject",
            "booking__slot",
            "booking__window__organiser",
            "booking__student",
        ),
        pk=pk,
    )
    role = role_in(user, room)
    require(role is not None)
    return room, role


def access_occurrence(user: User, uid) -> Occurrence:
    """A consultation session whose room `user` may enter; 404 otherwise (before
    anything is created for an outsider)."""
    occurrence = get_visible_or_404(
        Occurrence.objects.select_related("consultation__schedule"), uid=uid
    )
    require(occurrence_role(user, occurrence) is not None)
    return occurrence


def access_booking(user: User, uid) -> Booking:
    """An individual consultation whose room `user` may enter; 404 otherwise."""
    booking = get_visible_or_404(
        Booking.objects.select_related("window", "slot", "student"), uid=uid
    )
    require(booking_role(user, booking) is not None)
    return booking


def access_chat_file(user: User, room_pk, message_id) -> ChatMessage:
    """A file in a room's chat (not deleted), for its audience only."""
    room, _role = access_room(user, room_pk)
    return get_visible_or_404(
        ChatMessage.objects.filter(room=room, deleted_at__isnull=True).exclude(
            attachment=""
        ),
        pk=message_id,
    )


def can_moderate(user: User, room: Room, role: str | None = None) -> bool:
    """Delete messages, mute people, let webinar viewers speak, open and close the
    room: its organiser, and the deputy heads and director who coordinate."""
    role = role if role is not None else role_in(user, room)
    return role == ORGANISER or (role is not None and is_coordinator(user))


def can_see_attendance(user: User, room: Room, role: str | None = None) -> bool:
    """Who came and for how long (under the transcript): the moderators and the
    administration."""
    return can_moderate(user, room, role) or user.is_administration


def sees_session_page(user: User, consultation: Consultation) -> bool:
    """Whether leaving a session's room leads to its staff page (the organiser,
    the administration) rather than home."""
    return user.pk == consultation.organiser_id or user.is_administration


def may_publish(room: Room, role: str | None, *, may_speak: bool, muted: bool) -> bool:
    """May this person send audio and video now?"""
    if not room.media or role is None:
        return False
    if role == ORGANISER:
        return True
    if role == OBSERVER:
        return False
    if room.kind == Room.Kind.WEBINAR:
        return may_speak
    return True


# --- When a room is open -------------------------------------------------------------


def times_of(room: Room) -> tuple[dt.datetime, dt.datetime]:
    if room.occurrence_id:
        return room.occurrence.starts_at, room.occurrence.ends_at
    return room.booking.slot.starts_at, room.booking.slot.ends_at


def is_called_off(room: Room) -> bool:
    if room.occurrence_id:
        return room.occurrence.status == Occurrence.Status.CANCELLED
    return room.booking.status == Booking.Status.CANCELLED


def opens_at(room: Room) -> dt.datetime:
    starts_at, _ = times_of(room)
    scheduled = starts_at - dt.timedelta(minutes=settings.ROOM_OPENS_MINUTES_BEFORE)
    if room.opened_at is not None:
        return min(room.opened_at, scheduled)
    return scheduled


def closes_at(room: Room) -> dt.datetime:
    _, ends_at = times_of(room)
    return ends_at + dt.timedelta(minutes=settings.ROOM_CLOSES_MINUTES_AFTER)


def is_open_for(room: Room, role: str | None, now: dt.datetime | None = None) -> bool:
    """May a person of this role enter now?"""
    if role is None or room.is_closed or is_called_off(room):
        return False
    now = now or timezone.now()
    if now > closes_at(room):
        return False
    # The organiser may come in at any time before, to prepare the room.
    return role == ORGANISER or now >= opens_at(room)


def may_enter_from_own_list(user: User, consultation: Consultation) -> bool:
    """For a consultation already in the person's own list («Мои консультации»:
    what they organise or attend, or their children attend): does its room let them
    in? The same answer as occurrence_role() without its queries — the list is the
    audience already, and a parent comes in only when parents are invited."""
    if user.pk == consultation.organiser_id or user.is_administration:
        return True
    if user.is_student:
        return True
    return user.is_parent and consultation.for_parents


def client_transport(room: Room) -> str:
    """How the browsers connect: the room's transport, but peer to peer when a
    Janus room's server has been switched off since (JANUS_URL unset)."""
    if room.transport == Room.Transport.JANUS and janus.is_configured():
        return Room.Transport.JANUS
    return Room.Transport.P2P
