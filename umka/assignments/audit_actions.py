"""Audit actions of assignments (R6, R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

CREATED = register("assignments.created", _("Created an assignment"))
CHANGED = register("assignments.changed", _("Changed an assignment"))
PUBLISHED = register("assignments.published", _("Published an assignment"))
DELETED = register("assignments.deleted", _("Deleted an assignment"))
PARTS_CHANGED = register("assignments.parts_changed", _("Changed assignment parts"))
EXTENDED = register("assignments.extended", _("Gave a student more time"))
SUBMITTED = register("assignments.submitted", _("Submitted an assignment"))
GRADED = register("assignments.graded", _("Graded a submission with a review"))
SCORE_OVERRIDDEN = register(
    "assignments.score_overridden", _("Changed an automatic score")
)
RETURNED = register("assignments.returned", _("Returned a submission to be redone"))
BANK_CHANGED = register("assignments.bank_changed", _("Changed the question bank"))
BANK_IMPORTED = register("assignments.bank_imported", _("Imported questions (GIFT)"))
