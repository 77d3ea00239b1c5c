"""The schedule document and its approval (R8): open a period's draft, submit it,
return it for rework, approve it («УТВЕРЖДАЮ»), publish it; the director authorises
a deputy to approve.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.audit.services import record
from umka.consultations import audit_actions as actions
from umka.consultations import policies
from umka.consultations.guards import deny, locked_schedule
from umka.consultations.models import (
    ApprovalDelegation,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.schedule import notices
from umka.consultations.schedule.versions import schedule_rows
from umka.core import clock
from umka.core.errors import DomainError
from umka.school.models import Contract


def schedule_open(*, actor: User, year, period=None, request=None) -> ScheduleDocument:
    """The schedule of a study period (created as a draft the first time)."""
    if not policies.can_open_schedule_draft(actor):
        raise deny()
    with transaction.atomic():
        schedule, _created = ScheduleDocument.objects.get_or_create(
            year=year, period=period
        )
    return schedule


def schedule_submit(
    *, actor: User, schedule: ScheduleDocument, request=None
) -> ScheduleDocument:
    """The deputy submits the assembled draft for approval; the approvers are told."""
    if not policies.can_submit(actor, schedule):
        raise deny()
    if not schedule.consultations.exists():
        raise DomainError(
            _("The schedule has no consultations yet."), code="empty_schedule"
        )
    with transaction.atomic():
        if not policies.can_submit(actor, locked_schedule(schedule)):
            raise deny()
        schedule.status = ScheduleDocument.Status.SUBMITTED
        schedule.submitted_at = timezone.now()
        schedule.submitted_by = actor
        schedule.save(update_fields=["status", "submitted_at", "submitted_by"])
        record(actor=actor, action=actions.SUBMITTED, target=schedule, request=request)
        notices.told_submitted(schedule, actor=actor)
    return schedule


def schedule_return(
    *, actor: User, schedule: ScheduleDocument, reason: str, request=None
) -> ScheduleDocument:
    """Send a submitted schedule back to draft (the approver asks for changes)."""
    if not policies.can_return(actor, schedule):
        raise deny()
    if not reason.strip():
        raise DomainError(_("Say what needs changing."), code="reason_required")
    with transaction.atomic():
        schedule.status = ScheduleDocument.Status.DRAFT
        schedule.save(update_fields=["status"])
        record(
            actor=actor,
            action=actions.RETURNED,
            target=schedule,
            changes={"reason": reason},
            request=request,
        )
        notices.told_returned(schedule, actor=actor, reason=reason)
    return schedule


def schedule_approve(
    *,
    actor: User,
    schedule: ScheduleDocument,
    order_number: str = "",
    order_date: dt.date | None = None,
    request=None,
) -> ScheduleDocument:
    """«УТВЕРЖДАЮ»: the director or an authorised deputy approves (R8)."""
    if not policies.can_approve(actor, schedule):
        raise deny()
    contract = Contract.objects.filter(person=actor).first()
    with transaction.atomic():
        if not policies.can_approve(actor, locked_schedule(schedule)):
            raise deny()
        schedule.status = ScheduleDocument.Status.APPROVED
        schedule.approved_at = timezone.now()
        schedule.approved_by = actor
        schedule.approver_position = contract.position if contract else ""
        schedule.order_number = order_number.strip()
        schedule.order_date = order_date
        schedule.version = 1
        schedule.save()
        ScheduleVersion.objects.create(
            document=schedule,
            number=1,
            created_by=actor,
            reason=_("Approved"),
            rows=schedule_rows(schedule),
        )
        record(
            actor=actor,
            action=actions.APPROVED,
            target=schedule,
            changes={"order_number": order_number, "version": 1},
            request=request,
        )
        notices.told_approved(schedule, actor=actor)
    return schedule


def schedule_publish(
    *, actor: User, schedule: ScheduleDocument, request=None
) -> ScheduleDocument:
    """Publish the approved schedule on the site and the stand (R8)."""
    if not policies.can_publish(actor, schedule):
        raise deny()
    with transaction.atomic():
        schedule.status = ScheduleDocument.Status.PUBLISHED
        schedule.published_at = timezone.now()
        schedule.save(update_fields=["status", "published_at"])
        record(actor=actor, action=actions.PUBLISHED, target=schedule, request=request)
        notices.told_published(schedule, actor=actor)
    return schedule


def approval_delegate(
    *,
    actor: User,
    deputy: User,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    order_number: str = "",
    order_date: dt.date | None = None,
    request=None,
) -> ApprovalDelegation:
    """The director authorises a deputy to approve schedules."""
    if not policies.can_delegate_approval(actor):
        raise deny()
    if Role.DEPUTY_HEAD not in deputy.roles:
        raise DomainError(
            _("Only a deputy head can be authorised to approve schedules."),
            code="not_deputy",
        )
    with transaction.atomic():
        delegation = ApprovalDelegation.objects.create(
            deputy=deputy,
            granted_by=actor,
            valid_from=valid_from,
            valid_until=valid_until,
            order_number=order_number,
            order_date=order_date,
        )
        record(
            actor=actor,
            action=actions.DELEGATED,
            target=deputy,
            changes={"order_number": order_number, "from": valid_from.isoformat()},
            request=request,
        )
    return delegation


def approval_delegation_end(
    *,
    actor: User,
    delegation: ApprovalDelegation,
    on: dt.date | None = None,
    request=None,
) -> None:
    """The director ends a deputy's authority to approve: it no longer holds from
    `on` (default today). One that has not started yet is simply withdrawn."""
    if not policies.can_delegate_approval(actor):
        raise deny()
    on = on or clock.today()
    with transaction.atomic():
        if on <= delegation.valid_from:
            ends = None
            delegation.delete()
        else:
            ends = on - dt.timedelta(days=1)
            if delegation.valid_until is None or delegation.valid_until > ends:
                delegation.valid_until = ends
                delegation.save(update_fields=["valid_until"])
        record(
            actor=actor,
            action=actions.DELEGATION_ENDED,
            target=delegation.deputy,
            changes={"valid_until": ends.isoformat() if ends else "withdrawn"},
            request=request,
        )
