"""Every change to consultations and schedules goes through these functions (R7–R12).

They check permissions and the regulation's rules (umka.consultations.rules), write
inside a transaction, record the audit trail, and — once a schedule is approved —
turn each change into an amendment: a new ScheduleVersion with its reason, bumped
calendar sequence numbers, and notices to the students and parents affected.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from umka.accounts.models import User
from umka.accounts.policies import active_parent_links
from umka.audit.services import record
from umka.consultations import audit_actions as actions
from umka.consultations import policies, rules, wall_clock
from umka.consultations.models import (
    ApprovalDelegation,
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.notification_kinds import SCHEDULE_AMENDED
from umka.consultations.recurrence import session_dates
from umka.consultations.rules import Span
from umka.core import clock
from umka.core.errors import DomainError
from umka.core.uploads import check_upload
from umka.notifications.services import notify
from umka.school.models import Contract, Enrolment, Holiday, SchoolClass

# --- Helpers ----------------------------------------------------------------------


def _deny() -> DomainError:
    return DomainError(_("You may not do this."), code="forbidden")


def _spans(dates: Iterable[dt.date], start: dt.time, minutes: int) -> list[Span]:
    tz = clock.zone()
    spans = []
    for day in dates:
        starts_at = dt.datetime.combine(day, start, tzinfo=tz)
        spans.append(Span(starts_at, starts_at + dt.timedelta(minutes=minutes)))
    return spans


def _holidays(schedule: ScheduleDocument) -> list[tuple[dt.date, dt.date]]:
    return list(
        Holiday.objects.filter(year=schedule.year).values_list("starts_on", "ends_on")
    )


def _needs_reason(schedule: ScheduleDocument, reason: str) -> None:
    if schedule.is_approved and not reason.strip():
        raise DomainError(
            _(
                "The schedule is approved: every change is an amendment and needs a "
                "reason (R8)."
            ),
            code="reason_required",
        )


def _check_date(schedule: ScheduleDocument, day: dt.date) -> None:
    """A session lies inside the schedule's period and not on a holiday."""
    if not (schedule.starts_on <= day <= schedule.ends_on):
        raise DomainError(
            _("The date %(date)s lies outside the schedule's period %(start)s–%(end)s.")
            % {
                "date": formats.date_format(day, "d.m.Y"),
                "start": formats.date_format(schedule.starts_on, "d.m.Y"),
                "end": formats.date_format(schedule.ends_on, "d.m.Y"),
            },
            code="outside_period",
        )
    if any(start <= day <= end for start, end in _holidays(schedule)):
        raise DomainError(
            _("%(date)s falls on holidays: choose another date.")
            % {"date": formats.date_format(day, "d.m.Y")},
            code="on_holiday",
        )


def _check_audience(
    schedule: ScheduleDocument,
    classes: Sequence[SchoolClass],
    students: Sequence[User],
) -> None:
    """The audience belongs to the schedule's year (the program part's subject and
    grade are the rules' to check: `rules.plan_findings`)."""
    if any(c.year_id != schedule.year_id for c in classes):
        raise DomainError(
            _("Choose classes of the schedule's academic year."), code="wrong_year"
        )
    if students:
        enrolled = set(
            Enrolment.objects.filter(
                student__in=students, school_class__year=schedule.year
            ).values_list("student", flat=True)
        )
        if any(s.pk not in enrolled for s in students):
            raise DomainError(
                _("Every chosen student must study at the school this year."),
                code="student_not_enrolled",
            )


def _lock(organiser: User, classes: Sequence[SchoolClass]) -> None:
    """Serialise planning for one organiser and the classes involved, so two people
    cannot plan clashing sessions at once (SQLite serialises writers anyway)."""
    list(User.objects.select_for_update().filter(pk=organiser.pk).order_by())
    list(
        SchoolClass.objects.select_for_update()
        .filter(pk__in=[c.pk for c in classes])
        .order_by()
    )


def _locked_schedule(schedule: ScheduleDocument) -> ScheduleDocument:
    """Re-read the schedule under a row lock: its status decides whether a change is
    an amendment, and approval may have landed since the caller read it."""
    fresh = ScheduleDocument.objects.select_for_update().get(pk=schedule.pk)
    for field in ("status", "version", "approved_at", "approved_by_id", "published_at"):
        setattr(schedule, field, getattr(fresh, field))
    return schedule


# --- Schedules --------------------------------------------------------------------


def schedule_open(*, actor: User, year, period=None, request=None) -> ScheduleDocument:
    """The schedule of a study period (created as a draft the first time)."""
    if not (
        policies.can_organise(actor)
        or policies.is_coordinator(actor)
        or actor.is_school_admin
    ):
        raise _deny()
    with transaction.atomic():
        schedule, _created = ScheduleDocument.objects.get_or_create(
            year=year, period=period
        )
    return schedule


def consultation_plan(
    *,
    actor: User,
    schedule: ScheduleDocument,
    organiser: User,
    form: str,
    starts_on: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    subject=None,
    classes: Sequence[SchoolClass] = (),
    students: Sequence[User] = (),
    for_parents: bool = False,
    volume: str = Consultation.Volume.OVERVIEW,
    topics: str = "",
    purpose: str = Consultation.Purpose.ONGOING,
    program_part=None,
    recurrence: str = Consultation.Recurrence.ONCE,
    repeat_until: dt.date | None = None,
    capacity: int | None = None,
    description: str = "",
    how_to_join: str = "",
    reason: str = "",
    request=None,
) -> Consultation:
    """Plan a consultation and its sessions (R7, R9–R12).

    A recurring one runs from `starts_on` to `repeat_until` (by default the end of
    the schedule's period), skipping holidays.
    """
    if not policies.can_plan(actor, schedule, organiser):
        raise _deny()
    _needs_reason(schedule, reason)
    classes = list(classes)
    students = list(students)
    if not classes and not students:
        raise DomainError(
            _("Choose who the consultation is for: classes or students."),
            code="no_audience",
        )
    # (An individual attestation consultation is refused by rules.check_attestation,
    # with the R11 message.)
    if (
        form == Consultation.Form.INDIVIDUAL
        and purpose != Consultation.Purpose.ATTESTATION
        and (classes or len(students) != 1)
    ):
        raise DomainError(
            _("An individual consultation is for exactly one student."),
            code="individual_audience",
        )
    if not (schedule.starts_on <= starts_on <= schedule.ends_on):
        raise DomainError(
            _("The date %(date)s lies outside the schedule's period %(start)s–%(end)s.")
            % {
                "date": formats.date_format(starts_on, "d.m.Y"),
                "start": formats.date_format(schedule.starts_on, "d.m.Y"),
                "end": formats.date_format(schedule.ends_on, "d.m.Y"),
            },
            code="outside_period",
        )
    _check_audience(schedule, classes, students)
    if recurrence != Consultation.Recurrence.ONCE:
        repeat_until = min(repeat_until or schedule.ends_on, schedule.ends_on)
    else:
        repeat_until = None
    dates, _skipped = session_dates(
        recurrence, starts_on, repeat_until, _holidays(schedule)
    )
    if not dates:
        raise DomainError(
            _("%(date)s falls on holidays: choose another date.")
            % {"date": formats.date_format(starts_on, "d.m.Y")},
            code="on_holiday",
        )
    spans = _spans(dates, start_time, duration_minutes)
    with transaction.atomic():
        _locked_schedule(schedule)
        if not policies.can_plan(actor, schedule, organiser):
            raise _deny()
        _needs_reason(schedule, reason)
        _lock(organiser, classes)
        rules.check_all(
            organiser=organiser,
            form=form,
            volume=volume,
            topics=topics,
            purpose=purpose,
            program_part=program_part,
            subject=subject,
            classes=classes,
            spans=spans,
            schedule=schedule,
        )
        consultation = Consultation(
            schedule=schedule,
            organiser=organiser,
            subject=subject,
            for_parents=for_parents,
            form=form,
            volume=volume,
            topics=topics.strip() if volume == Consultation.Volume.TOPICAL else "",
            purpose=purpose,
            program_part=program_part,
            recurrence=recurrence,
            starts_on=starts_on,
            start_time=start_time,
            duration_minutes=duration_minutes,
            repeat_until=repeat_until,
            capacity=capacity,
            description=description,
            how_to_join=how_to_join,
            created_by=actor,
        )
        consultation.full_clean(exclude=["audience_classes", "audience_students"])
        consultation.save()
        consultation.audience_classes.set(classes)
        consultation.audience_students.set(students)
        occurrences = Occurrence.objects.bulk_create(
            [
                Occurrence(
                    consultation=consultation, starts_at=s.starts_at, ends_at=s.ends_at
                )
                for s in spans
            ]
        )
        if consultation.is_attestation:
            _create_checklists(consultation)
        record(
            actor=actor,
            action=actions.PLANNED,
            target=consultation,
            changes={
                "schedule": str(schedule),
                "sessions": len(occurrences),
                "first": spans[0].starts_at.isoformat(),
                "reason": reason,
            },
            request=request,
        )
        if schedule.is_approved:
            schedule_amend(
                schedule,
                actor=actor,
                reason=reason,
                consultations=[consultation],
                message=_("A new consultation has been added: %(what)s, from %(when)s.")
                % {"what": _what(consultation), "when": _when(spans[0].starts_at)},
                request=request,
            )
    return consultation


def _create_checklists(consultation: Consultation) -> None:
    occurrence_ids = consultation.occurrences.values_list("pk", flat=True)
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(occurrence_id=pk, kind=kind)
            for pk in occurrence_ids
            for kind in ChecklistItem.Kind.values
        ]
    )


def consultation_remove(
    *, actor: User, consultation: Consultation, request=None
) -> None:
    """Remove a consultation from a schedule that is not approved yet."""
    if not policies.can_change(actor, consultation):
        raise _deny()
    if consultation.schedule.is_approved:
        raise DomainError(
            _(
                "The schedule is approved: cancel the sessions with a reason instead "
                "of removing the consultation (R8)."
            ),
            code="approved_cannot_remove",
        )
    with transaction.atomic():
        record(
            actor=actor,
            action=actions.REMOVED,
            target=consultation,
            changes={"schedule": str(consultation.schedule)},
            request=request,
        )
        files = [
            m.file
            for m in ChecklistMaterial.objects.filter(
                item__occurrence__consultation=consultation
            )
        ]
        consultation.delete()
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])


def occurrence_move(
    *,
    actor: User,
    occurrence: Occurrence,
    starts_at: dt.datetime,
    reason: str,
    request=None,
) -> Occurrence:
    """Move one session to another time; every rule is checked again."""
    consultation = occurrence.consultation
    if not policies.can_change(actor, consultation):
        raise _deny()
    if not reason.strip():
        raise DomainError(_("Say why the session is moved."), code="reason_required")
    if occurrence.status != Occurrence.Status.PLANNED:
        raise DomainError(_("Only a planned session can be moved."), code="not_planned")
    duration = occurrence.ends_at - occurrence.starts_at
    span = Span(starts_at, starts_at + duration)
    _check_date(consultation.schedule, clock.local(starts_at).date())
    classes = list(consultation.audience_classes.all())
    with transaction.atomic():
        _locked_schedule(consultation.schedule)
        if not policies.can_change(actor, consultation):
            raise _deny()
        _lock(consultation.organiser, classes)
        rules.check_all(
            organiser=consultation.organiser,
            form=consultation.form,
            volume=consultation.volume,
            topics=consultation.topics,
            purpose=consultation.purpose,
            program_part=consultation.program_part,
            subject=consultation.subject,
            classes=classes,
            spans=[span],
            exclude=[occurrence.pk],
            schedule=consultation.schedule,
            consultation=consultation,
        )
        old = occurrence.starts_at
        occurrence.moved_from = occurrence.moved_from or old
        occurrence.starts_at, occurrence.ends_at = span.starts_at, span.ends_at
        occurrence.change_reason = reason.strip()[:300]
        occurrence.sequence += 1
        occurrence.save(
            update_fields=[
                "starts_at",
                "ends_at",
                "moved_from",
                "change_reason",
                "sequence",
            ]
        )
        record(
            actor=actor,
            action=actions.MOVED,
            target=consultation,
            changes={
                "starts_at": [old.isoformat(), span.starts_at.isoformat()],
                "reason": reason,
            },
            request=request,
        )
        if consultation.schedule.is_approved:
            schedule_amend(
                consultation.schedule,
                actor=actor,
                reason=reason,
                consultations=[consultation],
                message=_("%(what)s moved from %(old)s to %(new)s. Reason: %(reason)s")
                % {
                    "what": _what(consultation),
                    "old": _when(old),
                    "new": _when(span.starts_at),
                    "reason": reason,
                },
                request=request,
            )
    return occurrence


def occurrence_cancel(
    *, actor: User, occurrence: Occurrence, reason: str, request=None
) -> Occurrence:
    consultation = occurrence.consultation
    if not policies.can_change(actor, consultation):
        raise _deny()
    if not reason.strip():
        raise DomainError(
            _("Say why the session is cancelled."), code="reason_required"
        )
    if occurrence.status != Occurrence.Status.PLANNED:
        raise DomainError(
            _("Only a planned session can be cancelled."), code="not_planned"
        )
    with transaction.atomic():
        _locked_schedule(consultation.schedule)
        if not policies.can_change(actor, consultation):
            raise _deny()
        occurrence.status = Occurrence.Status.CANCELLED
        occurrence.change_reason = reason.strip()[:300]
        occurrence.sequence += 1
        occurrence.save(update_fields=["status", "change_reason", "sequence"])
        record(
            actor=actor,
            action=actions.CANCELLED,
            target=consultation,
            changes={"starts_at": occurrence.starts_at.isoformat(), "reason": reason},
            request=request,
        )
        if consultation.schedule.is_approved:
            schedule_amend(
                consultation.schedule,
                actor=actor,
                reason=reason,
                consultations=[consultation],
                message=_("%(what)s on %(when)s is cancelled. Reason: %(reason)s")
                % {
                    "what": _what(consultation),
                    "when": _when(occurrence.starts_at),
                    "reason": reason,
                },
                request=request,
            )
    return occurrence


def occurrence_mark_held(
    *, actor: User, occurrence: Occurrence, request=None
) -> Occurrence:
    """R12: an attestation consultation is held only with its checklist done."""
    if not policies.can_mark_held(actor, occurrence):
        raise _deny()
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
                        "checklist items are done. Still to do: %(items)s (R12)."
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
        raise _deny()
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
        raise _deny()
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
        raise _deny()
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


def schedule_submit(
    *, actor: User, schedule: ScheduleDocument, request=None
) -> ScheduleDocument:
    """The deputy submits the assembled draft for approval."""
    if not policies.can_submit(actor, schedule):
        raise _deny()
    if not schedule.consultations.exists():
        raise DomainError(
            _("The schedule has no consultations yet."), code="empty_schedule"
        )
    with transaction.atomic():
        if not policies.can_submit(actor, _locked_schedule(schedule)):
            raise _deny()
        schedule.status = ScheduleDocument.Status.SUBMITTED
        schedule.submitted_at = timezone.now()
        schedule.submitted_by = actor
        schedule.save(update_fields=["status", "submitted_at", "submitted_by"])
        record(actor=actor, action=actions.SUBMITTED, target=schedule, request=request)
    return schedule


def schedule_return(
    *, actor: User, schedule: ScheduleDocument, reason: str, request=None
) -> ScheduleDocument:
    """Send a submitted schedule back to draft (the approver asks for changes)."""
    if schedule.status != ScheduleDocument.Status.SUBMITTED or not (
        policies.is_coordinator(actor) or policies.can_approve(actor, schedule)
    ):
        raise _deny()
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
        raise _deny()
    contract = Contract.objects.filter(person=actor).first()
    with transaction.atomic():
        if not policies.can_approve(actor, _locked_schedule(schedule)):
            raise _deny()
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
    return schedule


def schedule_publish(
    *, actor: User, schedule: ScheduleDocument, request=None
) -> ScheduleDocument:
    """Publish the approved schedule on the site and the stand (R8)."""
    if not policies.can_publish(actor, schedule):
        raise _deny()
    with transaction.atomic():
        schedule.status = ScheduleDocument.Status.PUBLISHED
        schedule.published_at = timezone.now()
        schedule.save(update_fields=["status", "published_at"])
        record(actor=actor, action=actions.PUBLISHED, target=schedule, request=request)
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
    from umka.accounts.models import Role

    if not (actor.is_superuser or Role.DIRECTOR in actor.roles):
        raise _deny()
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
    from umka.accounts.models import Role

    if not (actor.is_superuser or Role.DIRECTOR in actor.roles):
        raise _deny()
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


# --- Amendments and versions (R8) -------------------------------------------------


def _what(consultation: Consultation) -> str:
    subject = consultation.subject.name if consultation.subject_id else ""
    form = consultation.get_form_display().lower()
    return f"{subject} ({form})" if subject else form.capitalize()


def _when(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def affected_people(consultations: Sequence[Consultation]) -> set[User]:
    """The students in the audience now, their parents, and chosen students."""
    today = clock.today()
    class_ids = set()
    student_ids = set()
    for consultation in consultations:
        class_ids.update(c.pk for c in consultation.audience_classes.all())
        student_ids.update(s.pk for s in consultation.audience_students.all())
    student_ids.update(
        Enrolment.objects.filter(school_class__in=class_ids, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .values_list("student", flat=True)
    )
    parent_ids = set(
        active_parent_links(today)
        .filter(student__in=student_ids)
        .values_list("parent", flat=True)
    )
    return set(User.objects.filter(pk__in=student_ids | parent_ids, is_active=True))


def schedule_amend(
    schedule: ScheduleDocument,
    *,
    actor: User,
    reason: str,
    consultations: Sequence[Consultation],
    message: str,
    also_tell: Iterable[User] = (),
    request=None,
) -> ScheduleVersion:
    """Freeze the new state as the next version and tell the people affected (and
    `also_tell`, e.g. the organisers when the change is not theirs). Called inside
    the caller's transaction, once the change is written."""
    locked = ScheduleDocument.objects.select_for_update().get(pk=schedule.pk)
    locked.version += 1
    locked.save(update_fields=["version"])
    schedule.version = locked.version
    version = ScheduleVersion.objects.create(
        document=schedule,
        number=locked.version,
        created_by=actor,
        reason=reason.strip()[:500],
        rows=schedule_rows(schedule),
    )
    record(
        actor=actor,
        action=actions.AMENDED,
        target=schedule,
        changes={"version": locked.version, "reason": reason},
        request=request,
    )
    recipients = affected_people(consultations) | set(also_tell)
    if recipients:
        notify(
            recipients=recipients,
            kind=SCHEDULE_AMENDED,
            title=_("The consultation schedule has changed"),
            body=message,
            url="/schedule/",
            actor=actor,
            target=schedule,
        )
    return version


def schedule_rows(schedule: ScheduleDocument) -> list[dict]:
    """The rows of the printed form (the appendix's columns), one per consultation,
    as plain strings in Russian — a version is a document and must not change."""
    consultations = (
        schedule.consultations.select_related("organiser", "subject", "program_part")
        .prefetch_related(
            "audience_classes",
            # Only whether there are chosen students: their names are never shown.
            Prefetch("audience_students", queryset=User.objects.only("pk")),
            Prefetch(
                "occurrences",
                queryset=Occurrence.objects.order_by("starts_at"),
            ),
        )
        .order_by(
            "organiser__last_name", "organiser__first_name", "starts_on", "start_time"
        )
    )
    positions = dict(
        Contract.objects.filter(
            person__in=[c.organiser_id for c in consultations]
        ).values_list("person", "position")
    )
    rows = []
    with override("ru"):
        for number, c in enumerate(consultations, start=1):
            sessions = list(c.occurrences.all())
            regular = wall_clock.slot(c, wall_clock.last_planned(sessions))
            rows.append(
                {
                    "consultation": c.pk,
                    "number": number,
                    "organiser": c.organiser.full_name,
                    "position": positions.get(c.organiser_id, ""),
                    "subject": c.subject.name if c.subject_id else "",
                    "classes": ", ".join(str(k) for k in c.audience_classes.all())
                    or (str(_("chosen students")) if c.audience_students.all() else ""),
                    "weekday": formats.date_format(regular.starts.date(), "l").lower(),
                    "time": regular.time_text,
                    "dates": wall_clock.dates_text(c),
                    "form": str(c.get_form_display()),
                    "kind": f"{c.get_purpose_display()}; {c.get_volume_display()}",
                    "topics": c.topic_list,
                    "how_to_join": c.how_to_join,
                    "sessions": [
                        {
                            "uid": str(o.uid),
                            "starts_at": clock.local(o.starts_at).isoformat(),
                            "status": o.status,
                            "reason": o.change_reason,
                        }
                        for o in sessions
                    ],
                }
            )
    return rows


def _comparable(row: dict) -> dict:
    """A row as the schedule promises it: a session held since is no amendment."""
    sessions = [
        {**s, "status": "planned" if s.get("status") == "held" else s.get("status")}
        for s in row.get("sessions", [])
    ]
    return {**row, "sessions": sessions}


def version_diff(older: ScheduleVersion, newer: ScheduleVersion) -> dict:
    """What changed between two versions: rows added, removed and changed (with the
    fields that differ)."""
    old = {row["consultation"]: _comparable(row) for row in older.rows}
    new = {row["consultation"]: _comparable(row) for row in newer.rows}
    compared = (
        "organiser",
        "subject",
        "classes",
        "weekday",
        "time",
        "dates",
        "form",
        "kind",
        "how_to_join",
        "sessions",
    )
    changed = []
    for key in sorted(old.keys() & new.keys()):
        fields = [f for f in compared if old[key].get(f) != new[key].get(f)]
        if fields:
            changed.append({"before": old[key], "after": new[key], "fields": fields})
    return {
        "added": [new[k] for k in sorted(new.keys() - old.keys())],
        "removed": [old[k] for k in sorted(old.keys() - new.keys())],
        "changed": changed,
    }
