from django.utils.translation import gettext_lazy as _

from umka.audit.registry import register

PLANNED = register("consultations.planned", _("Planned a consultation"))
CHANGED = register("consultations.changed", _("Changed a consultation"))
REMOVED = register("consultations.removed", _("Removed a consultation from a draft"))
MOVED = register("consultations.occurrence_moved", _("Moved a consultation session"))
CANCELLED = register(
    "consultations.occurrence_cancelled", _("Cancelled a consultation session")
)
HELD = register("consultations.occurrence_held", _("Marked a consultation as held"))
NOT_HELD = register(
    "consultations.occurrence_not_held",
    _("Corrected a consultation session to not held"),
)
CHECKLIST = register(
    "consultations.checklist_changed", _("Changed the attestation checklist")
)
SUBMITTED = register("consultations.schedule_submitted", _("Submitted a schedule"))
RETURNED = register(
    "consultations.schedule_returned", _("Returned a schedule for rework")
)
APPROVED = register("consultations.schedule_approved", _("Approved a schedule"))
PUBLISHED = register("consultations.schedule_published", _("Published a schedule"))
AMENDED = register("consultations.schedule_amended", _("Amended an approved schedule"))
DELEGATED = register(
    "consultations.approval_delegated", _("Authorised a deputy to approve schedules")
)
DELEGATION_ENDED = register(
    "consultations.approval_delegation_ended",
    _("Ended a deputy's authority to approve schedules"),
)
