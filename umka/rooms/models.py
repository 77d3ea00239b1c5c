"""Live rooms (R4, R5): a room per consultation session or individual booking, its
chat, the state of each person in it and the attendance record (R13).

Audio and video are never stored; the chat is.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from umka.bookings.models import Booking
from umka.consultations.models import Occurrence


class Room(models.Model):
    class Kind(models.TextChoices):
        CHAT = "chat", _("Chat")
        VIDEOCONFERENCE = "videoconference", _("Videoconference")
        WEBINAR = "webinar", _("Webinar")
        INDIVIDUAL = "individual", _("Individual consultation")

    class Transport(models.TextChoices):
        P2P = "p2p", _("Peer to peer")
        JANUS = "janus", _("Janus media server")

    #: Exactly one of the two: a session of a consultation, or a booking.
    occurrence = models.OneToOneField(
        Occurrence,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room",
        verbose_name=_("consultation session"),
    )
    booking = models.OneToOneField(
        Booking,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="room",
        verbose_name=_("booking"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    #: False for a chat-only room.
    media = models.BooleanField(_("audio and video"), default=True)
    transport = models.CharField(
        _("transport"), max_length=8, choices=Transport.choices, default="p2p"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened early at"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    #: Janus VideoRoom: its number, the secret that lets us destroy it (never sent
    #: to a browser) and the PIN that lets the audience in.
    janus_room = models.BigIntegerField(null=True, blank=True, unique=True)
    janus_secret = models.CharField(max_length=64, blank=True, editable=False)
    janus_pin = models.CharField(max_length=64, blank=True, editable=False)
    janus_destroyed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The admin URL of the Janus host of the pool the VideoRoom lives on (blank:
    # the one JANUS_URL, as before the pool).
    janus_host = models.CharField(max_length=300, blank=True, editable=False)
    #: When the attendance was turned into «held» (once; a correction stands).
    attendance_applied_at = models.DateTimeField(
        _("attendance applied at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("live room")
        verbose_name_plural = _("live rooms")
        constraints = [
            models.CheckConstraint(
                condition=(Q(occurrence__isnull=False) & Q(booking__isnull=True))
                | (Q(occurrence__isnull=True) & Q(booking__isnull=False)),
                name="room_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(transport__in=["p2p", "janus"]),
                name="room_transport_is_known",
            ),
            models.CheckConstraint(
                condition=Q(transport="p2p") | Q(janus_room__isnull=False),
                name="janus_room_has_number",
            ),
        ]

    def __str__(self) -> str:
        return str(self.occurrence or self.booking)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def group(self) -> str:
        """Its Channels group name."""
        return f"room-{self.pk}"


def _attachment_path(instance, filename: str) -> str:
    return f"rooms/{instance.room_id}/{uuid.uuid4().hex}/{filename}"


class ChatMessage(models.Model):
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="messages", verbose_name=_("room")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    #: Made by the sender's browser: a message resent after a reconnect is the
    #: same message, never a second one (the unique constraint below).
    client_id = models.CharField(max_length=64)
    #: Sanitised HTML (umka.core.sanitize).
    html = models.TextField(_("text"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=_attachment_path, blank=True, max_length=300
    )
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["room", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "author", "client_id"], name="one_message_per_client_id"
            ),
            models.CheckConstraint(
                condition=~Q(html="") | ~Q(attachment=""),
                name="chat_message_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%d.%m.%Y %H:%M}"


class Member(models.Model):
    """A person's standing in a room, set by the organiser: muted (no chat, no
    microphone), allowed to speak in a webinar; and their raised hand."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="members", verbose_name=_("room")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    muted = models.BooleanField(_("muted"), default=False)
    may_speak = models.BooleanField(_("may speak"), default=False)
    hand_raised_at = models.DateTimeField(_("hand raised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("room member")
        verbose_name_plural = _("room members")
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="one_member_per_room")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Attendance(models.Model):
    """One connection of one person to a room: when it joined and left (R13)."""

    room = models.ForeignKey(
        Room,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("room"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    #: The connection's id in the room (P2P signalling addresses it).
    peer = models.CharField(max_length=32, unique=True)
    channel_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16)
    joined_at = models.DateTimeField(_("joined at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["room", "joined_at"]
        indexes = [models.Index(fields=["room", "left_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("joined_at")),
                name="attendance_leaves_after_join",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.joined_at:%d.%m.%Y %H:%M}"
