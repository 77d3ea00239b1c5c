"""Audit actions of current grades (R9 data, R13 trail)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

IMPORT_CREATED = register("grades.import_created", _("Uploaded a file of grades"))
IMPORT_APPLIED = register("grades.import_applied", _("Imported grades from a file"))
IMPORT_CHECKED = register("grades.import_checked", _("Checked a file of grades"))
IMPORT_REJECTED = register("grades.import_rejected", _("File of grades rejected"))
IMPORT_FAILED = register("grades.import_failed", _("Import of grades failed"))
GRADES_ENTERED = register("grades.entered", _("Entered grades"))
