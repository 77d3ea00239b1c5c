"""Individual consultations by booking (R5): a staff member's bookable windows, cut
into slots; a student's (or their parent's) booking of one slot; a queue of watchers
for a full slot.

The guarantee that a slot holds one booking is the partial unique constraint
`one_active_booking_per_slot`, not Python: services only turn its refusal into a
clear message.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umka.core import clock


class BookingWindow(models.Model):
    """A span of time a staff member offers for individual consultations, e.g.
    Tuesday 15:00–16:00 as four 15-minute slots. It counts as planned time of the
    organiser (R7) whether its slots are booked or not."""

    class Form(models.TextChoices):
        VIDEOCONFERENCE = "videoconference", _("Videoconference")
        CHAT = "chat", _("Chat")

    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="booking_windows",
        verbose_name=_("organiser"),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length, minutes"))
    #: Nobody can book before this moment (so nobody grabs everything at midnight).
    opens_at = models.DateTimeField(_("booking opens at"))
    form = models.CharField(
        _("form"), max_length=20, choices=Form.choices, default=Form.VIDEOCONFERENCE
    )
    how_to_join = models.CharField(
        _("how to join"),
        max_length=300,
        blank=True,
        help_text=_("A link to the room or where the chat is; shown to who booked."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("booking window")
        verbose_name_plural = _("booking windows")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organiser", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="booking_window_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=120),
                name="booking_slot_minutes_5_to_120",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lte=F("starts_at")),
                name="booking_opens_before_window",
            ),
            models.CheckConstraint(
                condition=Q(form__in=["videoconference", "chat"]),
                name="booking_window_form_is_known",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancel_reason=""),
                name="cancelled_window_has_reason",
            ),
        ]

    def __str__(self) -> str:
        start = clock.local(self.starts_at)
        end = clock.local(self.ends_at)
        return f"{self.organiser} · {start:%d.%m.%Y %H:%M}–{end:%H:%M}"

    @property
    def date(self):
        return clock.local(self.starts_at).date()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def planned_key(self) -> str:
        """Its key in umka.consultations.planned_time (R7 checks)."""
        return f"bookings.window:{self.pk}"


class Slot(models.Model):
    """One bookable piece of a window."""

    window = models.ForeignKey(
        BookingWindow,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("booking window"),
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "starts_at"], name="unique_slot_in_window"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        start = clock.local(self.starts_at)
        end = clock.local(self.ends_at)
        return f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"


class Booking(models.Model):
    """A student's individual consultation in one slot (R5), made by the student or
    by their parent. After the meeting the organiser marks it held or no-show and
    writes an outcome note (the student and their parents read it) and, if needed,
    a private note for staff."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("Did not come")

    #: Statuses that occupy the slot.
    ACTIVE = ("booked", "held", "no_show")

    #: Stable identity for calendars (iCalendar UID); never changes, not on a
    #: reschedule either.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(
        Slot,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("slot"),
    )
    #: The slot's window, copied so the database can hold one active booking per
    #: student and window (services keep it equal to slot.window).
    window = models.ForeignKey(
        BookingWindow,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("booking window"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("student"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    note = models.TextField(_("what is needed"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    #: For students and their parents (and staff).
    outcome_note = models.TextField(_("outcome and recommendations"), blank=True)
    #: For staff only: the organiser and the administration.
    private_note = models.TextField(_("private note for staff"), blank=True)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    #: iCalendar SEQUENCE: grows with a reschedule or cancellation.
    sequence = models.PositiveIntegerField(default=0)
    #: Reminders sent (each goes once; cleared by a reschedule).
    reminded_24h_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_1h_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at", "pk"]
        indexes = [models.Index(fields=["student", "status"])]
        constraints = [
            # R5: a slot holds one booking. The real guarantee, under any load.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "held", "no_show"]),
                name="one_active_booking_per_slot",
            ),
            # Fairness: one student, one slot of a window.
            models.UniqueConstraint(
                fields=["window", "student"],
                condition=Q(status__in=["booked", "held", "no_show"]),
                name="one_active_booking_per_student_and_window",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["booked", "cancelled", "held", "no_show"]),
                name="booking_status_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="cancelled_booking_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["held", "no_show"])
                | Q(marked_at__isnull=False),
                name="marked_booking_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class SlotWatch(models.Model):
    """Someone waits for a full slot. When its booking is cancelled the slot goes to
    the first watcher in line (booked for them automatically, with their note)."""

    slot = models.ForeignKey(
        Slot,
        on_delete=models.CASCADE,
        related_name="watches",
        verbose_name=_("slot"),
    )
    watcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("watcher"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="slot_watches",
        verbose_name=_("student"),
    )
    note = models.TextField(_("what is needed"), max_length=500)
    created_at = models.DateTimeField(_("watching since"), default=timezone.now)

    class Meta:
        verbose_name = _("slot watch")
        verbose_name_plural = _("slot watches")
        ordering = ["slot", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "student"], name="one_watch_per_slot_and_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} → {self.slot}"
