"""Audit actions of seminars (R6, R13)."""

from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

CREATED = register("seminars.created", _("Created a seminar"))
CHANGED = register("seminars.changed", _("Changed a seminar"))
CRITERIA_CHANGED = register("seminars.criteria_changed", _("Changed seminar criteria"))
PHASE_SWITCHED = register("seminars.phase_switched", _("Switched a seminar's phase"))
ALLOCATED = register("seminars.allocated", _("Allocated works to peer assessors"))
REALLOCATED = register(
    "seminars.reallocated", _("Reallocated peer assessments after a change")
)
WITHDRAWN = register("seminars.withdrawn", _("Took a student out of a seminar"))
SUBMITTED = register("seminars.submitted", _("Submitted a seminar work"))
ASSESSED = register("seminars.assessed", _("Assessed a classmate's work"))
GRADED = register("seminars.graded", _("Graded a seminar work with a review"))
ASSESSING_OVERRIDDEN = register(
    "seminars.assessing_overridden", _("Changed the computed grade for assessing")
)
