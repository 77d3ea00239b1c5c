"""Personal data held by consultations (see umka/privacy/registry.py).

The schedule's documents and consultations are the school's: a teacher who left
keeps them, under the new name only.
"""

from umka.consultations.models import (
    ApprovalDelegation,
    CalendarToken,
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
    SessionReminder,
)
from umka.privacy import registry

registry.declare(
    ScheduleDocument,
    people=("submitted_by", "approved_by"),
    fields=("period", "status", "submitted_at", "approved_at", "order_number"),
)
registry.declare(
    ApprovalDelegation,
    people=("deputy", "granted_by"),
    fields=("deputy", "order_number", "order_date", "valid_from", "valid_until"),
)
registry.declare(
    Consultation,
    people=("organiser", "created_by", "audience_students"),
    fields=("organiser", "subject", "form", "topics", "starts_on", "start_time"),
)
registry.declare(
    Occurrence, people=("held_by",), fields=("consultation", "starts_at", "status")
)
registry.declare(
    ChecklistItem,
    people=("done_by",),
    fields=("occurrence", "kind", "note", "done_at"),
    texts={"done_by": ("note",)},
)
registry.declare(
    ChecklistMaterial,
    people=("uploaded_by",),
    fields=("title", "file", "uploaded_at"),
)
registry.declare(
    ScheduleVersion, people=("created_by",), fields=("document", "number", "created_at")
)
registry.declare(CalendarToken, people=("user",), fields=("created_at",))

registry.not_personal(
    SessionReminder,
    reason="a record that a reminder went out, so it is not sent twice; the notice "
    "itself is exported with the person's notifications",
)
