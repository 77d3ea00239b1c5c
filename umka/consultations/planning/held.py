"""A session's outcome (R12): marked held — an attestation consultation only with
its three checklist items done — or corrected back, and the checklist itself.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.consultations import audit_actions as actions
from umka.consultations import policies
from umka.consultations.guards import deny
from umka.consultations.models import (
    ChecklistItem,
    ChecklistMaterial,
    Occurrence,
)
from umka.core.errors import DomainError
from umka.core.uploads import check_upload


def occurrence_mark_held(
    *, actor: User, occurrence: Occurrence, request=None
) -> Occurrence:
    """R12: an attestation consultation is held only with its checklist done."""
    if not policies.can_mark_held(actor, occurrence):
        raise deny()
    if occurrence.status != Occurrence.Status.PLANNED:
        raise DomainError(
            _("Only a planned session can be marked as held."), code="not_planned"
        )
    if occurrence.starts_at > timezone.now():
        raise DomainError(
            _("A session cannot be marked as held before it starts."),
            code="in_future",
        )
    with transaction.atomic():
        if occurrence.consultation.is_attestation:
            missing = [
                item.get_kind_display()
                for item in ChecklistItem.objects.select_for_update()
                .filter(occurrence=occurrence, done=False)
                .order_by("kind")
            ]
            if missing:
                raise DomainError(
                    _(
                        "An attestation consultation is held only when all three "
                        "checklist items are done. Still to do: %(items)s."
                    )
                    % {"items": "; ".join(missing)},
                    code="checklist_incomplete",
                )
        occurrence.status = Occurrence.Status.HELD
        occurrence.held_at = timezone.now()
        occurrence.held_by = actor
        occurrence.save(update_fields=["status", "held_at", "held_by"])
        record(
            actor=actor,
            action=actions.HELD,
            target=occurrence.consultation,
            changes={"starts_at": occurrence.starts_at.isoformat()},
            request=request,
        )
    return occurrence


def occurrence_unmark_held(
    *, actor: User, occurrence: Occurrence, reason: str, request=None
) -> Occurrence:
    """The organiser corrects «held» (marked by hand or from the live room's
    attendance) back to planned, saying why (R13)."""
    if not policies.can_mark_held(actor, occurrence):
        raise deny()
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the session was not held."), code="reason_missing")
    with transaction.atomic():
        locked = Occurrence.objects.select_for_update().get(pk=occurrence.pk)
        if locked.status != Occurrence.Status.HELD:
            raise DomainError(
                _("Only a session marked as held can be corrected."), code="not_held"
            )
        locked.status = Occurrence.Status.PLANNED
        locked.held_at = None
        locked.held_by = None
        locked.save(update_fields=["status", "held_at", "held_by"])
        record(
            actor=actor,
            action=actions.NOT_HELD,
            target=locked.consultation,
            changes={"starts_at": locked.starts_at.isoformat(), "reason": reason},
            request=request,
        )
    occurrence.refresh_from_db()
    return occurrence


def checklist_item_set(
    *, actor: User, item: ChecklistItem, done: bool, note: str = "", request=None
) -> ChecklistItem:
    """R12: tick (or untick) an item, with a note of what was covered."""
    if not policies.can_mark_held(actor, item.occurrence):
        raise deny()
    if item.occurrence.status == Occurrence.Status.HELD:
        raise DomainError(
            _("The session is already marked as held; its checklist is closed."),
            code="held",
        )
    with transaction.atomic():
        before = {"done": item.done, "note": item.note}
        item.done = done
        item.note = note.strip()
        item.done_at = timezone.now() if done else None
        item.done_by = actor if done else None
        item.save(update_fields=["done", "note", "done_at", "done_by"])
        record(
            actor=actor,
            action=actions.CHECKLIST,
            target=item.occurrence.consultation,
            changes={
                "item": item.kind,
                "done": [before["done"], done],
                "note": [before["note"], item.note],
            },
            request=request,
        )
    return item


def checklist_material_add(
    *, actor: User, item: ChecklistItem, file, title: str = "", request=None
) -> ChecklistMaterial:
    if not policies.can_mark_held(actor, item.occurrence):
        raise deny()
    if item.occurrence.status == Occurrence.Status.HELD:
        raise DomainError(
            _("The session is already marked as held; its checklist is closed."),
            code="held",
        )
    shown_name = check_upload(file)
    with transaction.atomic():
        material = ChecklistMaterial.objects.create(
            item=item, file=file, title=(title or shown_name)[:200], uploaded_by=actor
        )
        record(
            actor=actor,
            action=actions.CHECKLIST,
            target=item.occurrence.consultation,
            changes={"item": item.kind, "material": material.title},
            request=request,
        )
    return material
