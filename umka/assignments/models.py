"""Interactive e-assignments (R6): an assignment of a course space, its parts
(questions checked automatically and parts the teacher grades), the teacher's
question bank, submissions with answers, extensions and a rubric."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from umka.courses.models import CourseSpace
from umka.school.models import ProgramPart, Subject


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SHORT = "short", _("Short answer")
    NUMBER = "number", _("Number")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    TEXT = "text", _("Written answer (the teacher grades)")
    FILE = "file", _("Files (the teacher grades)")


#: Kinds scored at once, without the teacher.
AUTO_KINDS = frozenset(
    {Kind.SINGLE, Kind.MULTIPLE, Kind.SHORT, Kind.NUMBER, Kind.MATCHING, Kind.ORDERING}
)


class QuestionFields(models.Model):
    """What a question is, in the bank and in an assignment alike. `data` holds
    the kind's answer key (see README: «Question data»)."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("question"))
    data = models.JSONField(_("answer key"), default=dict, blank=True)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, default=Decimal(1)
    )
    feedback = models.TextField(_("general feedback"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_auto(self) -> bool:
        return self.kind in AUTO_KINDS


class BankQuestion(QuestionFields):
    """A question kept in a teacher's bank, by subject and program part, reused
    in assignments (copied: editing the bank changes no set assignment)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bank_questions",
        verbose_name=_("owner"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
    )
    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program part"),
    )
    category = models.CharField(_("category"), max_length=200, blank=True)
    name = models.CharField(
        pgettext_lazy("question", "name"), max_length=200, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bank question")
        verbose_name_plural = _("bank questions")
        ordering = ["category", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=0), name="bank_points_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.text[:60]


class Assignment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("assignment", "Draft")
        PUBLISHED = "published", pgettext_lazy("assignment", "Published")

    class Scale(models.TextChoices):
        FIVE = "five", _("Grade 2–5")
        PASS_FAIL = "pass_fail", _("Pass / fail")
        POINTS = "points", _("Points (turned into 2–5 by the school's thresholds)")

    class Counts(models.TextChoices):
        LAST = "last", _("The last graded attempt")
        BEST = "best", _("The best attempt")
        FIRST = "first", _("The first attempt")

    class ShowScores(models.TextChoices):
        AT_ONCE = "at_once", _("At once")
        AFTER_DUE = "after_due", _("After the due date")

    space = models.ForeignKey(
        CourseSpace,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("course space"),
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(
        _("topic"),
        max_length=200,
        help_text=_("The lesson topic, as the e-journal shows it."),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    program_part = models.ForeignKey(
        ProgramPart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program part"),
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens"))
    due_at = models.DateTimeField(_("due"))
    late_allowed = models.BooleanField(_("late work accepted"), default=False)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts"), default=1)
    counts = models.CharField(
        _("which attempt counts"),
        max_length=8,
        choices=Counts.choices,
        default=Counts.LAST,
    )
    scale = models.CharField(
        _("grading scale"), max_length=10, choices=Scale.choices, default=Scale.FIVE
    )
    show_scores = models.CharField(
        _("show automatic scores"),
        max_length=10,
        choices=ShowScores.choices,
        default=ShowScores.AT_ONCE,
    )
    #: Parts' points and the rubric's, kept by the services that change them.
    max_points = models.DecimalField(
        _("maximum points"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("opens_at")), name="assignment_due_after_open"
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1, attempts_allowed__lte=20),
                name="assignment_attempts_1_to_20",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Part(QuestionFields):
    """One part of an assignment, in order (a copy of a bank question or its own)."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("assignment"),
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"))
    source = models.ForeignKey(
        BankQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the bank"),
    )

    class Meta:
        verbose_name = _("part of an assignment")
        verbose_name_plural = _("parts of assignments")
        ordering = ["assignment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "position"], name="unique_part_position"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="part_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.position}"


class Criterion(models.Model):
    """A criterion of the assignment's rubric, with its maximum points."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("assignment"),
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"))
    title = models.CharField(_("criterion"), max_length=300)
    max_points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["assignment", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="criterion_points_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


def _attachment_path(instance, filename: str) -> str:
    return f"assignments/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class AssignmentFile(models.Model):
    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("assignment"),
    )
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment file")
        verbose_name_plural = _("assignment files")

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """A later due date for one student."""

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("assignment"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("student"),
    )
    due_at = models.DateTimeField(_("due"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student"], name="one_extension_per_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.assignment}"


class Submission(models.Model):
    """One attempt of one student. «Отправить» carries a token: a second click
    (or a resent form) finds the first submission instead of making another."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the teacher")
        GRADED = "graded", _("Graded")
        RETURNED = "returned", _("Returned to be done again")

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assignment"),
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("student"),
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    token = models.UUIDField(_("token"), unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    submitted_at = models.DateTimeField(_("submitted"))
    late = models.BooleanField(_("late"), default=False)
    auto_points = models.DecimalField(
        _("automatic points"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    points = models.DecimalField(
        _("points"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    mark = models.PositiveSmallIntegerField(
        pgettext_lazy("assessment", "grade"), null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    review = models.TextField(_("review"), blank=True)
    rubric = models.JSONField(_("rubric points"), default=dict, blank=True)
    return_reason = models.TextField(_("why returned"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    #: Optimistic lock: a grade saved over a version someone else changed is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    review_due_at = models.DateTimeField(_("grade by"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_submissions",
        verbose_name=_("escalated to"),
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "student", "attempt"],
                name="one_submission_per_attempt",
            ),
            models.CheckConstraint(
                condition=Q(mark__isnull=True) | Q(mark__gte=2, mark__lte=5),
                name="submission_mark_2_to_5",
            ),
            # R6: a graded submission carries a written review.
            models.CheckConstraint(
                condition=~Q(status="graded")
                | (Q(graded_at__isnull=False) & ~Q(review="")),
                name="graded_submission_has_review",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "review_due_at"], name="submission_queue")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.student} ({self.attempt})"

    def grade_display(self) -> str:
        from umka.assignments.grading_scale import grade_display

        return grade_display(self)


class Answer(models.Model):
    """The answer to one part: the response, the automatic score, and the score
    that counts (the teacher's where they graded or overrode it, with a reason)."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("submission"),
    )
    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="answers", verbose_name=_("part")
    )
    response = models.JSONField(_("response"), default=dict, blank=True)
    auto_score = models.DecimalField(
        _("automatic score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    override_reason = models.TextField(_("why the score was changed"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "part"], name="one_answer_per_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.part.position}"


def _answer_file_path(instance, filename: str) -> str:
    return f"submissions/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class AnswerFile(models.Model):
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="files", verbose_name=_("answer")
    )
    file = models.FileField(_("file"), upload_to=_answer_file_path)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("answer file")
        verbose_name_plural = _("answer files")

    def __str__(self) -> str:
        return self.name
