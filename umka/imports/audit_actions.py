"""Audit actions of the import engine (R13); a kind may name its own (grades keep
«grades.import_*»). People created or changed by an import are recorded with the
accounts actions, so a person's history reads the same whichever way they were
added."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

JOB_CREATED = register("imports.job_created", _("Uploaded an import file"))
JOB_APPLIED = register("imports.job_applied", _("Imported a file"))
JOB_CHECKED = register("imports.job_checked", _("Checked an import file"))
JOB_REJECTED = register("imports.job_rejected", _("Import file rejected"))
JOB_FAILED = register("imports.job_failed", _("Import failed"))
CREDENTIALS_VIEWED = register(
    "imports.credentials_viewed", _("Opened the one-time passwords of an import")
)
CREDENTIALS_ERASED = register(
    "imports.credentials_erased", _("Erased the one-time passwords of an import")
)
