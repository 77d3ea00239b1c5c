"""The seminar with peer review («семинар», R6): students submit a work, assess
each other's against the teacher's criteria, and the teacher grades the work and
the quality of each student's assessments, with a written review.

Phases run setup → submission → assessment → grading → closed; each has its
date, and the teacher or the clock switches them (`phases.py`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from umka.core.attachments import Attachment
from umka.courses.models import CourseSpace, GradedWork, QueuedForReview
from umka.school.models import ProgramPart


class Phase(models.TextChoices):
    SETUP = "setup", _("Setting up")
    SUBMISSION = "submission", _("Submission")
    ASSESSMENT = "assessment", _("Peer assessment")
    GRADING = "grading", _("Grading")
    CLOSED = "closed", _("Closed")


#: The phases in their order.
PHASES = [p.value for p in Phase]


class Seminar(models.Model):
    class Allocation(models.TextChoices):
        RANDOM = "random", _("At random, balanced")
        MANUAL = "manual", _("By hand")

    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.CASCADE,
        related_name="seminars",
        verbose_name=_("course space"),
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program part"),
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, default=Phase.SETUP
    )
    opens_at = models.DateTimeField(_("submission opens"))
    submission_due_at = models.DateTimeField(_("submission due"))
    assessment_due_at = models.DateTimeField(_("assessment due"))
    #: Phases follow the dates by themselves (the teacher may still switch).
    by_date = models.BooleanField(_("switch phases by the dates"), default=True)
    late_allowed = models.BooleanField(
        _("accept late work during the assessment"), default=False
    )
    peers = models.PositiveSmallIntegerField(_("assessors per work"), default=3)
    allocation = models.CharField(
        _("allocation"),
        max_length=8,
        choices=Allocation.choices,
        default=Allocation.RANDOM,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    phase_changed_at = models.DateTimeField(_("phase changed at"), null=True)

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-submission_due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_due_at__gt=F("opens_at"))
                & Q(assessment_due_at__gt=F("submission_due_at")),
                name="seminar_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(peers__gte=1, peers__lte=10), name="seminar_peers_1_to_10"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def phase_index(self) -> int:
        return PHASES.index(self.phase)

    def is_before(self, phase: str) -> bool:
        return self.phase_index < PHASES.index(phase)


class Criterion(models.Model):
    """A criterion of the teacher's: points from 0 to `max_points`, with what
    each level means (`levels`: [{"points": 2, "text": "…"}, …], best first)."""

    seminar = models.ForeignKey(
        Seminar,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("seminar"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("criterion"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("maximum points"))
    levels = models.JSONField(_("descriptors"), default=list, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["seminar", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "position"], name="one_criterion_per_position"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=1, max_points__lte=100),
                name="criterion_points_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Work(GradedWork, QueuedForReview):
    """A student's work in a seminar (one per student), and the teacher's two
    grades of it: the work itself and the quality of the student's assessments
    of others (R6). It waits in the queue «Проверить» from the grading phase."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        GRADED = "graded", _("Graded")

    seminar = models.ForeignKey(
        Seminar,
        on_delete=models.CASCADE,
        related_name="works",
        verbose_name=_("seminar"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seminar_works",
        verbose_name=_("author"),
    )
    #: «Сдать» carries a token: a second click finds the first submission.
    token = models.UUIDField(_("token"), unique=True, default=uuid.uuid4)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    updated_at = models.DateTimeField(_("changed"))
    late = models.BooleanField(_("late"), default=False)
    #: Out of the seminar (left the class, or excused by the teacher): its
    #: pending assessments went to others and nobody assesses it any more.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why withdrawn"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    #: The grade for assessing others: computed by agreement, the teacher's word last.
    agreement = models.DecimalField(
        _("agreement with the other assessors, %"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )
    assessing_mark = models.PositiveSmallIntegerField(
        _("grade for assessing"), null=True, blank=True
    )
    assessing_review = models.TextField(_("review of the assessing"), blank=True)

    class Meta:
        verbose_name = _("seminar work")
        verbose_name_plural = _("seminar works")
        ordering = ["submitted_at", "pk"]
        constraints = [
            *GradedWork.Meta.constraints,
            models.UniqueConstraint(
                fields=["seminar", "author"], name="one_work_per_student"
            ),
            models.CheckConstraint(
                condition=Q(assessing_mark__isnull=True)
                | Q(assessing_mark__gte=2, assessing_mark__lte=5),
                name="work_assessing_mark_2_to_5",
            ),
            # R6: a graded work carries a written review.
            models.CheckConstraint(
                condition=~Q(status="graded")
                | (
                    Q(graded_at__isnull=False, mark__isnull=False)
                    & ~Q(review="")
                    & (Q(assessing_mark__isnull=True) | ~Q(assessing_review=""))
                ),
                name="graded_work_has_review",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_due_at"], name="seminar_work_queue")
        ]

    def __str__(self) -> str:
        return f"{self.seminar} — {self.author}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class WorkFile(Attachment):
    upload_folder = "seminars"

    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="files", verbose_name=_("work")
    )

    class Meta:
        verbose_name = _("file of a work")
        verbose_name_plural = _("files of works")


class Assessment(models.Model):
    """One peer's assessment of one work: allocated first, filled in later. The
    database refuses a student assessing their own work (`reviewer` ≠ `author`)."""

    work = models.ForeignKey(
        Work,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("work"),
    )
    #: The work's author, kept here so the database can refuse self-assessment.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="seminar_assessments",
        verbose_name=_("assessor"),
    )
    allocated_at = models.DateTimeField(_("allocated"))
    scores = models.JSONField(_("points by criterion"), default=dict, blank=True)
    total = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("peer assessment")
        verbose_name_plural = _("peer assessments")
        ordering = ["allocated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "reviewer"], name="one_assessment_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(reviewer=F("author")), name="never_assess_own_work"
            ),
            models.CheckConstraint(
                condition=Q(assessed_at__isnull=True) | Q(total__isnull=False),
                name="assessment_done_has_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} ← {self.reviewer}"

    @property
    def done(self) -> bool:
        return self.assessed_at is not None
