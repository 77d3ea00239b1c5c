"""Consultations and the schedule document (R7–R12).

A `Consultation` says what, for whom and how; its dated sessions are `Occurrence`
rows (one for a single consultation, many for a weekly one). Consultations belong to
a `ScheduleDocument` — the «График консультаций» of a study period — that moves
draft → submitted → approved → published; after approval every change is an
amendment kept as a `ScheduleVersion`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from umka.school.models import (
    AcademicYear,
    ProgramPart,
    SchoolClass,
    StudyPeriod,
    Subject,
)


class ScheduleDocument(models.Model):
    """График консультаций for a study period (or the whole year) — R8."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        related_name="schedules",
        verbose_name=_("academic year"),
    )
    period = models.ForeignKey(
        StudyPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("study period"),
        help_text=_("Empty: the schedule covers the whole academic year."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    # «УТВЕРЖДАЮ»: the approver's position as printed, and the order, if any.
    approver_position = models.CharField(
        _("approver's position"), max_length=200, blank=True
    )
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    #: 0 while a draft; 1 once approved; +1 with every amendment.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consultation schedule")
        verbose_name_plural = _("consultation schedules")
        ordering = ["-year__starts_on", "period__starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period"],
                condition=Q(period__isnull=False),
                name="one_schedule_per_period",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(period__isnull=True),
                name="one_yearly_schedule_per_year",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="approved_schedule_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return str(self.period or self.year)

    @property
    def is_approved(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    @property
    def starts_on(self):
        return self.period.starts_on if self.period_id else self.year.starts_on

    @property
    def ends_on(self):
        return self.period.ends_on if self.period_id else self.year.ends_on


class ApprovalDelegation(models.Model):
    """The director authorises a deputy to approve schedules (R8)."""

    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="approval_delegations",
        verbose_name=_("deputy head"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("authority to approve schedules")
        verbose_name_plural = _("authorities to approve schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="delegation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return str(self.deputy)


class Consultation(models.Model):
    """What is offered, to whom, by whom and how (R4, R5, R9–R11)."""

    class Form(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        VIDEOCONFERENCE = "videoconference", _("Videoconference")
        CHAT = "chat", _("Chat")
        INDIVIDUAL = "individual", _("Individual consultation")

    class Volume(models.TextChoices):
        OVERVIEW = "overview", _("Overview")
        TOPICAL = "topical", _("On separate topics")

    class Purpose(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing subject help")
        ATTESTATION = "attestation", _("Preparation for intermediate attestation")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every two weeks")

    schedule = models.ForeignKey(
        ScheduleDocument,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("schedule"),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_consultations",
        verbose_name=_("organiser"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("subject"),
        help_text=_("Empty for help that is not about one subject."),
    )
    audience_classes = models.ManyToManyField(
        SchoolClass,
        blank=True,
        related_name="consultations",
        verbose_name=_("classes"),
    )
    audience_students = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="invited_consultations",
        verbose_name=_("chosen students"),
    )
    for_parents = models.BooleanField(
        _("for parents"),
        default=False,
        help_text=_("The parents of the students in the audience are invited."),
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    volume = models.CharField(
        _("volume"), max_length=16, choices=Volume.choices, default=Volume.OVERVIEW
    )
    #: R10: a topical consultation names its topics, one per line.
    topics = models.TextField(_("topics"), blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.ONGOING
    )
    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("program part"),
    )
    recurrence = models.CharField(
        _("repeats"), max_length=16, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration, minutes"))
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    description = models.TextField(_("short description"), blank=True)
    how_to_join = models.CharField(
        _("how to join"),
        max_length=300,
        blank=True,
        help_text=_("Shown in the published schedule, e.g. the room's address."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["starts_on", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(volume="topical") | ~Q(topics=""),
                name="topical_consultation_names_topics",
            ),
            models.CheckConstraint(
                condition=~Q(purpose="attestation") | ~Q(form="individual"),
                name="attestation_consultation_is_group",
            ),
            models.CheckConstraint(
                condition=~Q(purpose="attestation") | Q(program_part__isnull=False),
                name="attestation_consultation_has_program_part",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10, duration_minutes__lte=240),
                name="consultation_duration_10_to_240",
            ),
            models.CheckConstraint(
                condition=Q(recurrence="once")
                | Q(repeat_until__isnull=False, repeat_until__gte=F("starts_on")),
                name="recurring_consultation_has_end",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="consultation_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        what = self.subject.name if self.subject_id else self.get_form_display()
        return f"{what} — {self.organiser}"

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    @property
    def is_attestation(self) -> bool:
        return self.purpose == self.Purpose.ATTESTATION


class Occurrence(models.Model):
    """One dated session of a consultation."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="occurrences",
        verbose_name=_("consultation"),
    )
    #: Stable identity for calendars (iCalendar UID); never changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    #: Set when moved: where it was before, and why.
    moved_from = models.DateTimeField(_("moved from"), null=True, blank=True)
    change_reason = models.CharField(_("reason"), max_length=300, blank=True)
    #: iCalendar SEQUENCE: grows with every change that calendars must pick up.
    sequence = models.PositiveIntegerField(default=0)
    held_at = models.DateTimeField(_("marked held at"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked held by"),
    )

    class Meta:
        verbose_name = _("consultation session")
        verbose_name_plural = _("consultation sessions")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["consultation", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="occurrence_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(change_reason=""),
                name="cancelled_occurrence_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation} · {self.starts_at:%d.%m.%Y %H:%M}"

    @property
    def duration_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class ChecklistItem(models.Model):
    """R12: what the teacher must do in an attestation consultation."""

    class Kind(models.TextChoices):
        BRIEFING = (
            "briefing",
            _(
                "Briefing on the attestation procedure and the rules for writing up "
                "the work"
            ),
        )
        HARD_TASKS = "hard_tasks", _("Algorithms for solving the hardest tasks")
        CRITERIA = "criteria", _("Grading criteria of the attestation work")

    occurrence = models.ForeignKey(
        Occurrence,
        on_delete=models.CASCADE,
        related_name="checklist",
        verbose_name=_("consultation session"),
    )
    kind = models.CharField(_("item"), max_length=16, choices=Kind.choices)
    done = models.BooleanField(_("done"), default=False)
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        verbose_name = _("attestation checklist item")
        verbose_name_plural = _("attestation checklist")
        ordering = ["occurrence", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "kind"], name="one_checklist_item_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(done=False) | Q(done_at__isnull=False),
                name="done_checklist_item_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


def _material_path(instance, filename: str) -> str:
    return f"consultations/checklist/{instance.item.occurrence_id}/{filename}"


class ChecklistMaterial(models.Model):
    """A file attached to a checklist item (task analysis, criteria…)."""

    item = models.ForeignKey(
        ChecklistItem,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("checklist item"),
    )
    file = models.FileField(_("file"), upload_to=_material_path)
    title = models.CharField(_("title"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class ScheduleVersion(models.Model):
    """A frozen copy of an approved schedule: version 1 at approval, then one per
    amendment, with its reason (R8). Versions can be read and compared."""

    document = models.ForeignKey(
        ScheduleDocument,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("schedule"),
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    reason = models.CharField(_("reason"), max_length=500)
    #: The rows of the printed form, as plain data (see services.schedule_rows()).
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="unique_schedule_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


def _new_calendar_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's personal calendar feed address (R8).

    Whoever knows the address sees the person's consultations, so it is long and
    random, and the person can replace it at any time.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("person"),
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=_new_calendar_token
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return str(self.user)


class SessionReminder(models.Model):
    """A reminder of one session that went to one person (`reminders.py`): the
    record that keeps it from going twice. A session moved to another time is
    reminded of again (`starts_at` is the time the reminder was about)."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", _("The day before")
        HOUR_BEFORE = "hour_before", _("An hour before")

    occurrence = models.ForeignKey(
        Occurrence,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("consultation session"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("reminder"), max_length=16, choices=Kind.choices)
    starts_at = models.DateTimeField(_("session starts at"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "person", "kind", "starts_at"],
                name="one_reminder_per_session_person_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence} · {self.person} · {self.kind}"
