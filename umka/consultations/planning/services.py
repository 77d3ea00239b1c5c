"""Planning a consultation and changing its sessions (R7, R9–R11).

Every change goes through these functions: they check the policies and the
regulation's rules (`umka.consultations.rules`), write inside a transaction (locking
the organiser and the classes so two planners cannot race) and record the audit
trail. Once the schedule is approved a change is an amendment
(`umka.consultations.schedule.amendments`).
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from umka.accounts.models import User
from umka.audit.services import record
from umka.consultations import audit_actions as actions
from umka.consultations import policies, rules
from umka.consultations.guards import deny, locked_schedule
from umka.consultations.models import (
    ChecklistItem,
    ChecklistMaterial,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.recurrence import session_dates
from umka.consultations.rules import Span
from umka.consultations.schedule.amendments import (
    affected_people,
    schedule_amend,
    what_text,
    when_text,
)
from umka.core import clock
from umka.core.errors import DomainError
from umka.school.models import Enrolment, Holiday, SchoolClass


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
                "reason."
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


def _check_audience_shape(form, purpose, classes: list, students: list) -> None:
    """Someone to consult, and an individual consultation for one student.

    (An individual attestation consultation is refused by rules.check_attestation,
    with the R11 message.)"""
    if not classes and not students:
        raise DomainError(
            _("Choose who the consultation is for: classes or students."),
            code="no_audience",
        )
    if (
        form == Consultation.Form.INDIVIDUAL
        and purpose != Consultation.Purpose.ATTESTATION
        and (classes or len(students) != 1)
    ):
        raise DomainError(
            _("An individual consultation is for exactly one student."),
            code="individual_audience",
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
        raise deny()
    _needs_reason(schedule, reason)
    classes, students = list(classes), list(students)
    _check_audience_shape(form, purpose, classes, students)
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
        locked_schedule(schedule)
        if not policies.can_plan(actor, schedule, organiser):
            raise deny()
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
                % {
                    "what": what_text(consultation),
                    "when": when_text(spans[0].starts_at),
                },
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
        ],
        ignore_conflicts=True,  # a session that has its checklist keeps it
    )


#: What an edit may change; the dates and times are the sessions' own (move or
#: cancel a session), the schedule and the organiser stay.
EDITABLE = (
    "subject",
    "for_parents",
    "form",
    "volume",
    "topics",
    "purpose",
    "program_part",
    "capacity",
    "description",
    "how_to_join",
)


def consultation_update(
    *,
    actor: User,
    consultation: Consultation,
    form: str,
    subject=None,
    classes: Sequence[SchoolClass] = (),
    students: Sequence[User] = (),
    for_parents: bool = False,
    volume: str = Consultation.Volume.OVERVIEW,
    topics: str = "",
    purpose: str = Consultation.Purpose.ONGOING,
    program_part=None,
    capacity: int | None = None,
    description: str = "",
    how_to_join: str = "",
    reason: str = "",
    request=None,
) -> Consultation:
    """Change what a consultation is and for whom (R7, R9–R11 checked again over
    its planned sessions). Once the schedule is approved the change is an
    amendment with a reason (R8): a new version, and the people concerned — those
    of the audience before and after — are told."""
    schedule = consultation.schedule
    if not policies.can_change(actor, consultation):
        raise deny()
    _needs_reason(schedule, reason)
    classes, students = list(classes), list(students)
    _check_audience_shape(form, purpose, classes, students)
    _check_audience(schedule, classes, students)
    new = {
        "subject": subject,
        "for_parents": for_parents,
        "form": form,
        "volume": volume,
        "topics": topics.strip() if volume == Consultation.Volume.TOPICAL else "",
        "purpose": purpose,
        "program_part": program_part
        if purpose == Consultation.Purpose.ATTESTATION
        else None,
        "capacity": capacity,
        "description": description,
        "how_to_join": how_to_join,
    }
    with transaction.atomic():
        locked_schedule(schedule)
        if not policies.can_change(actor, consultation):
            raise deny()
        _needs_reason(schedule, reason)
        _lock(consultation.organiser, classes)
        planned = list(
            consultation.occurrences.filter(status=Occurrence.Status.PLANNED)
        )
        rules.check_all(
            organiser=consultation.organiser,
            form=form,
            volume=volume,
            topics=topics,
            purpose=purpose,
            program_part=new["program_part"],
            subject=subject,
            classes=classes,
            spans=[Span(o.starts_at, o.ends_at) for o in planned],
            exclude=[o.pk for o in planned],
            schedule=schedule,
            consultation=consultation,
        )
        audience_before = (
            affected_people([consultation]) if schedule.is_approved else ()
        )
        old_classes = sorted(str(c) for c in consultation.audience_classes.all())
        old_students = sorted(
            consultation.audience_students.values_list("pk", flat=True)
        )
        changes = {
            name: [str(getattr(consultation, name)), str(value)]
            for name, value in new.items()
            if getattr(consultation, name) != value
        }
        for name, value in new.items():
            setattr(consultation, name, value)
        consultation.full_clean(exclude=["audience_classes", "audience_students"])
        consultation.save()
        consultation.audience_classes.set(classes)
        consultation.audience_students.set(students)
        new_classes = sorted(str(c) for c in classes)
        if new_classes != old_classes:
            changes["classes"] = [old_classes, new_classes]
        new_students = sorted(s.pk for s in students)
        if new_students != old_students:
            changes["students"] = [old_students, new_students]
        if consultation.is_attestation:
            _create_checklists(consultation)
        record(
            actor=actor,
            action=actions.CHANGED,
            target=consultation,
            changes={**changes, "reason": reason},
            request=request,
        )
        if schedule.is_approved:
            schedule_amend(
                schedule,
                actor=actor,
                reason=reason,
                consultations=[consultation],
                also_tell=audience_before,
                message=_("%(what)s has been changed. Reason: %(reason)s")
                % {"what": what_text(consultation), "reason": reason},
                request=request,
            )
    return consultation


def consultation_remove(
    *, actor: User, consultation: Consultation, request=None
) -> None:
    """Remove a consultation from a schedule that is not approved yet."""
    if not policies.can_change(actor, consultation):
        raise deny()
    if consultation.schedule.is_approved:
        raise DomainError(
            _(
                "The schedule is approved: cancel the sessions with a reason instead "
                "of removing the consultation."
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
        raise deny()
    if not reason.strip():
        raise DomainError(_("Say why the session is moved."), code="reason_required")
    if occurrence.status != Occurrence.Status.PLANNED:
        raise DomainError(_("Only a planned session can be moved."), code="not_planned")
    duration = occurrence.ends_at - occurrence.starts_at
    span = Span(starts_at, starts_at + duration)
    _check_date(consultation.schedule, clock.local(starts_at).date())
    classes = list(consultation.audience_classes.all())
    with transaction.atomic():
        locked_schedule(consultation.schedule)
        if not policies.can_change(actor, consultation):
            raise deny()
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
                    "what": what_text(consultation),
                    "old": when_text(old),
                    "new": when_text(span.starts_at),
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
        raise deny()
    if not reason.strip():
        raise DomainError(
            _("Say why the session is cancelled."), code="reason_required"
        )
    if occurrence.status != Occurrence.Status.PLANNED:
        raise DomainError(
            _("Only a planned session can be cancelled."), code="not_planned"
        )
    with transaction.atomic():
        locked_schedule(consultation.schedule)
        if not policies.can_change(actor, consultation):
            raise deny()
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
                    "what": what_text(consultation),
                    "when": when_text(occurrence.starts_at),
                    "reason": reason,
                },
                request=request,
            )
    return occurrence
