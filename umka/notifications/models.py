"""In-app notifications, their e-mail deliveries (the outbox) and each person's
choice of channels."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umka.notifications import kinds


class Notification(models.Model):
    """One notice to one person, shown in their notification centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    target_id = models.CharField(_("object number"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                name="notification_recipient_newest",
            ),
            # The header's unread count on every page reads only this.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_recipient_unread",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""), name="notification_has_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class EmailDelivery(models.Model):
    """The e-mail of one notification: the outbox row the task works from.

    The row, not the task queue, is the truth: a lost task is found again by the
    periodic sweep (`tasks.requeue_stale_email`), and every attempt is visible.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    notification = models.OneToOneField(
        Notification,
        on_delete=models.CASCADE,
        related_name="email_delivery",
        verbose_name=_("notification"),
    )
    address = models.EmailField(_("address"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    scheduled_for = models.DateTimeField(
        _("scheduled for"),
        help_text=_("When the e-mail was first due (after the quiet hours)."),
    )
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_until = models.DateTimeField(
        _("being sent until"),
        null=True,
        blank=True,
        help_text=_("A worker holds the row until then while it sends."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="email_delivery_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed", "cancelled"]),
                name="email_delivery_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="email_delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address}: {self.notification}"


class NotificationPreference(models.Model):
    """A person's channels. Created on the first change; until then the defaults
    of the fields apply (`selectors.preferences_of`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    email_enabled = models.BooleanField(_("by e-mail"), default=True)
    evening_email = models.BooleanField(
        _("e-mail in the evening and at night"),
        default=False,
        help_text=_(
            "Students and parents get no e-mail from 19:00 to 08:00 unless they "
            "allow it; such e-mail waits for the morning."
        ),
    )
    email_muted_kinds = models.JSONField(
        _("kinds not sent by e-mail"), default=list, blank=True
    )
    #: Reminders of a group consultation session the person is in the audience of.
    remind_day_before = models.BooleanField(
        _("remind of a consultation the day before"), default=True
    )
    remind_hour_before = models.BooleanField(
        _("remind of a consultation an hour before"), default=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user)

    def wants_email(self, kind: str) -> bool:
        return self.email_enabled and kind not in (self.email_muted_kinds or [])
