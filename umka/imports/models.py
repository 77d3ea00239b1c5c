"""One uploaded file of any kind of import and everything it produced (R13 trail).

The kinds (students, parents, staff, grades, …) are registered in
`umka.imports.registry`; the job stores the kind's key.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from umka.imports import registry


class ImportJob(models.Model):
    """An uploaded file, its progress and its outcome.

    The file itself is kept only until the job has run; the report (every bad row)
    and the summary stay. One-time passwords of new accounts stay until the
    administrator erases them or they expire (see services.py).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting in the queue")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Imported")
        CHECKED = "checked", _("Checked: no errors")
        REJECTED = "rejected", _("Rejected: nothing changed")
        FAILED = "failed", _("Failed: nothing changed")

    # A key of umka.imports.registry (no choices: a new kind needs no migration).
    kind = models.CharField(_("kind of file"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    dry_run = models.BooleanField(
        _("check only"),
        default=False,
        help_text=_("The file was checked but nothing was written."),
    )
    #: The kind's choices on the upload form, e.g. {"verify_links": true}.
    options = models.JSONField(_("options"), default=dict, blank=True)
    year = models.ForeignKey(
        "school.AcademicYear",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("academic year"),
    )
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
    # The raw upload, for the worker (which may run on another machine); emptied
    # as soon as the job has run, so personal data does not linger in two places.
    source = models.BinaryField(_("file contents"), blank=True, editable=False)

    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    # [{"user_id", "name", "detail", "login", "password"}] — plain one-time
    # passwords, shown only to the uploader; see services.import_credentials_erase.
    credentials = models.JSONField(_("one-time passwords"), default=list, blank=True)
    credentials_count = models.PositiveIntegerField(_("new accounts"), default=0)
    credentials_expire_at = models.DateTimeField(
        _("passwords erased automatically at"), null=True, blank=True
    )
    credentials_erased_at = models.DateTimeField(
        _("passwords erased at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=""), name="import_kind_is_given"),
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
                name="import_status_is_known",
            ),
        ]
        indexes = [
            models.Index(
                fields=["credentials_expire_at"],
                condition=Q(
                    credentials_erased_at__isnull=True, credentials_count__gt=0
                ),
                name="import_credentials_to_erase",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}. {self.kind_label}: {self.file_name}"

    @property
    def kind_label(self) -> str:
        kind = registry.get(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def result_text(self) -> str:
        """The summary in one sentence, in the kind's words."""
        kind = registry.get(self.kind)
        if kind is None or self.status not in (self.Status.DONE, self.Status.CHECKED):
            return ""
        return kind.result_text(self.summary)

    @property
    def details(self) -> list[tuple[str, str]]:
        """The kind's own facts about the job (label, value), for its page."""
        kind = registry.get(self.kind)
        return kind.details(self) if kind and kind.details else []

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

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials_count) and self.credentials_erased_at is None
