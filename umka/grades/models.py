"""Current grades (текущие отметки) from the electronic journal, and the uploads
that brought them (R9: the teacher sets consultation topics from their analysis)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The five-point scale as journals use it for current grades.
LOWEST_GRADE, HIGHEST_GRADE = 2, 5


class GradeImport(models.Model):
    """One uploaded file of grades, its progress and its outcome (all or nothing).

    The raw file is kept only until the job has run; the summary and every bad
    row stay.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting in the queue")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Imported")
        CHECKED = "checked", _("Checked: no errors")
        REJECTED = "rejected", _("Rejected: nothing changed")
        FAILED = "failed", _("Failed: nothing changed")

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    dry_run = models.BooleanField(_("check only"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size, bytes"), default=0)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    # For the worker; emptied as soon as the job has run.
    source = models.BinaryField(_("file contents"), blank=True, editable=False)

    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    #: {"rows", "created", "changed", "unchanged", "ignored_columns"}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    #: [{"row", "column", "message" (English msgid), "params", "value"}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("import of grades")
        verbose_name_plural = _("imports of grades")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "queued",
                        "running",
                        "done",
                        "checked",
                        "rejected",
                        "failed",
                    ]
                ),
                name="grade_import_status_is_known",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def badge(self) -> str:
        """CSS class of the status badge."""
        return {
            self.Status.DONE: "ok",
            self.Status.CHECKED: "ok",
            self.Status.REJECTED: "err",
            self.Status.FAILED: "err",
        }.get(self.status, "warn")


class Grade(models.Model):
    """One current grade: a student, a subject, a day, a topic and a kind of work.

    `topic_key` is the topic in its comparison form (topics.normalise_topic): the
    analysis groups by it, and with the student, subject, date and kind of work it
    identifies the grade, so importing the same file again changes nothing.
    """

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported from the journal")
        MANUAL = "manual", _("Entered by hand")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("student"),
    )
    school_class = models.ForeignKey(
        "school.SchoolClass",
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.CASCADE,
        related_name="grades",
        verbose_name=_("subject"),
    )
    date = models.DateField(_("date"))
    value = models.PositiveSmallIntegerField(pgettext_lazy("school mark", "grade"))
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    topic_key = models.CharField(_("topic (comparison form)"), max_length=300)
    work_type = models.CharField(_("kind of work"), max_length=100, blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.MANUAL
    )
    batch = models.ForeignKey(
        GradeImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grades",
        verbose_name=_("import"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("school mark", "grade")
        verbose_name_plural = pgettext_lazy("school marks", "grades")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=LOWEST_GRADE, value__lte=HIGHEST_GRADE),
                name="grade_value_2_to_5",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["import", "manual"]),
                name="grade_source_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(topic_key="") | ~Q(work_type=""),
                name="grade_names_topic_or_work",
            ),
            models.UniqueConstraint(
                fields=["student", "subject", "date", "topic_key", "work_type"],
                name="unique_grade_per_work",
            ),
        ]
        indexes = [
            models.Index(
                fields=["school_class", "subject", "date"], name="grade_class_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.subject}, {self.date:%d.%m.%Y}: {self.value}"
