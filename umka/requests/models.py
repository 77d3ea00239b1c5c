"""Requests («обращения», R9, R13): a student, or a parent for their child, writes to
a subject teacher, the class teacher or the administration; the school answers in
writing, with an invitation to an individual consultation, or by folding the
question into a group topical consultation — within a deadline in working days.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from umka.core.topics import TOPIC_MAX
from umka.core.uploads import extension_of
from umka.school.models import SchoolClass, Subject


class Request(models.Model):
    """One обращение and its state; its thread is `messages`."""

    class Addressee(models.TextChoices):
        SUBJECT_TEACHER = "subject_teacher", _("Teacher of a subject")
        CLASS_TEACHER = "class_teacher", _("Class teacher")
        ADMINISTRATION = (
            "administration",
            pgettext_lazy("addressed to", "School administration"),
        )

    class Category(models.TextChoices):
        TOPIC = "topic", _("I do not understand a topic")
        HOMEWORK = "homework", _("Homework and assignments")
        GRADES = "grades", _("Grades and assessment")
        ATTESTATION = "attestation", _("Preparing for attestation or a test")
        CONSULTATION = "consultation", _("Consultations")
        ORGANISATION = "organisation", _("Organisation of studies")
        OTHER = "other", _("Something else")

    class PreferredAnswer(models.TextChoices):
        WRITTEN = "written", _("In writing, here in Umka")
        CONSULTATION = "consultation", _("At an individual consultation")
        PHONE = "phone", _("By phone")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", pgettext_lazy("request status", "In progress")
        REDIRECTED = "redirected", _("Redirected")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class AnswerKind(models.TextChoices):
        WRITTEN = "written", _("Written answer")
        INVITATION = "invitation", _("Invitation to an individual consultation")
        GROUP = "group", _("Taken up at a group topical consultation")

    #: Waiting for the school: these count for deadlines, reminders and escalation.
    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.REDIRECTED)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requests_written",
        verbose_name=_("written by"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requests_about",
        verbose_name=_("student"),
        help_text=_("The student the request is about (the author, or their child)."),
    )
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("class"),
        help_text=_("The student's class when the request was written."),
    )
    addressee = models.CharField(
        _("addressed to"), max_length=20, choices=Addressee.choices
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("subject"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX)
    #: normalise_topic(topic): what requests are counted by (R9).
    topic_key = models.CharField(_("topic key"), max_length=TOPIC_MAX, editable=False)
    text = models.TextField(_("text"))
    preferred_answer = models.CharField(
        _("preferred way to answer"),
        max_length=20,
        choices=PreferredAnswer.choices,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requests_assigned",
        verbose_name=_("assignee"),
    )
    #: Why this person: e.g. «two teachers teach it; the first by name was chosen».
    routing_note = models.CharField(_("routing note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written at"))
    due_at = models.DateTimeField(_("answer due"))
    taken_at = models.DateTimeField(_("taken into work at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer_kind = models.CharField(
        _("kind of answer"), max_length=20, choices=AnswerKind.choices, blank=True
    )
    answer_link = models.URLField(_("link to the consultation"), blank=True)
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="folded_requests",
        verbose_name=_("group consultation"),
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
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_escalated",
        verbose_name=_("escalated to"),
    )

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="request_status_due"),
            models.Index(fields=["assignee", "status"], name="request_assignee_status"),
            models.Index(
                fields=["school_class", "subject", "topic_key"],
                name="request_class_topic",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "new",
                        "in_progress",
                        "redirected",
                        "answered",
                        "closed",
                    ]
                ),
                name="request_status_is_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    addressee__in=["subject_teacher", "class_teacher", "administration"]
                ),
                name="request_addressee_is_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "topic",
                        "homework",
                        "grades",
                        "attestation",
                        "consultation",
                        "organisation",
                        "other",
                    ]
                ),
                name="request_category_is_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    preferred_answer__in=["", "written", "consultation", "phone"]
                ),
                name="request_preferred_answer_is_known",
            ),
            models.CheckConstraint(
                condition=Q(answer_kind__in=["", "written", "invitation", "group"]),
                name="request_answer_kind_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(topic="") & ~Q(topic_key="") & ~Q(text=""),
                name="request_has_topic_and_text",
            ),
            models.CheckConstraint(
                condition=~Q(addressee="subject_teacher") | Q(subject__isnull=False),
                name="request_to_subject_teacher_names_subject",
            ),
            models.CheckConstraint(
                condition=Q(addressee="administration") | Q(school_class__isnull=False),
                name="request_to_teacher_has_class",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=F("created_at")),
                name="request_due_after_written",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered")
                | Q(answered_at__isnull=False) & ~Q(answer_kind=""),
                name="answered_request_has_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="closed_request_has_time",
            ),
            # SET_NULL when a draft consultation is removed keeps this true.
            models.CheckConstraint(
                condition=Q(consultation__isnull=True) | Q(answer_kind="group"),
                name="request_consultation_only_for_group_answer",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=1, rating__lte=5, rated_at__isnull=False),
                name="request_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(reopen_count__lte=1), name="request_reopened_at_most_once"
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | Q(escalated_to__isnull=False),
                name="escalated_request_has_deputy",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("requests:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class RequestMessage(models.Model):
    """One entry of a request's thread: a message, the answer, or an event
    (taken, redirected with its reason, closed, rated, reopened, escalated)."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("Message")
        ANSWER = "answer", _("Answer")
        TAKEN = "taken", _("Taken into work")
        REDIRECTED = "redirected", _("Redirected")
        CLOSED = "closed", _("Closed")
        RATED = "rated", _("Rated")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated")

    request = models.ForeignKey(
        Request,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("request"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("Empty for what Umka did by itself (an escalation)."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    #: A redirection's new assignee, or an escalation's deputy head.
    to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("message of a request")
        verbose_name_plural = _("messages of requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "message",
                        "answer",
                        "taken",
                        "redirected",
                        "closed",
                        "rated",
                        "reopened",
                        "escalated",
                    ]
                ),
                name="request_message_kind_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind="redirected") | Q(to__isnull=False) & ~Q(text=""),
                name="redirection_has_reason_and_assignee",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="request_message_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.request_id}"


def _attachment_path(instance: "RequestAttachment", filename: str) -> str:
    # A random name on disk: the person's file name is kept in `name` only.
    return f"requests/{instance.request_id}/{uuid.uuid4().hex}.{extension_of(filename)}"


class RequestAttachment(models.Model):
    """A file attached to a request or to one of its messages. Served only by
    requests:attachment, which checks who may see the request."""

    request = models.ForeignKey(
        Request,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    message = models.ForeignKey(
        RequestMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("message"),
        help_text=_("Empty for files attached to the request itself."),
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=150)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class SharedTopicNotice(models.Model):
    """The subject's teacher was told that several open requests from one class
    share a topic — once per class, subject and topic (R9)."""

    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="+", verbose_name=_("subject")
    )
    topic_key = models.CharField(_("topic key"), max_length=TOPIC_MAX)
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX)
    request_count = models.PositiveIntegerField(_("open requests"))
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("shared topic notice")
        verbose_name_plural = _("shared topic notices")
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "topic_key"],
                name="one_shared_topic_notice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_class} · {self.subject} · {self.topic}"
