"""The rules checked against the database: what the services (and the bookings app,
whose windows are planned time too) call before they write.

Each check loads the sessions around the new ones — the organiser's live sessions
in the same weeks, the classes' sessions at the same time, other apps' planned time
(`planned_time`) — and the terms (contract, completion dates), then refuses on the
first finding of `findings.py`. A planned session is a `Span`.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from umka.accounts.models import Role, User
from umka.consultations import planned_time
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.consultations.recurrence import week_start
from umka.consultations.rules.findings import (
    ContractTerms,
    Finding,
    Session,
    Terms,
    attestation_findings,
    clash_findings,
    contract_findings,
    plan_findings,
    refuse,
)
from umka.core import clock
from umka.school.models import Contract, ProgramPartCompletion, SchoolClass


@dataclass(frozen=True)
class Span:
    starts_at: dt.datetime
    ends_at: dt.datetime

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return Decimal(seconds) / Decimal(3600)

    def overlaps(self, other_start: dt.datetime, other_end: dt.datetime) -> bool:
        return self.starts_at < other_end and other_start < self.ends_at


def live_occurrences() -> Q:
    return ~Q(status=Occurrence.Status.CANCELLED)


def what(consultation: Consultation) -> str:
    """A consultation in a message: its subject, or its form."""
    if consultation.subject_id:
        return consultation.subject.name
    return str(consultation.get_form_display())


def contract_terms(organiser: User) -> ContractTerms | None:
    """The organiser's R7 terms, or None without a contract."""
    contract = (
        Contract.objects.filter(person=organiser)
        .prefetch_related("working_times")
        .first()
    )
    if contract is None:
        return None
    return ContractTerms.of(contract, teacher=Role.TEACHER in organiser.roles)


def _weeks(spans: Sequence[Span]) -> tuple[dt.datetime, dt.datetime]:
    """Midnight of the first Monday and of the Monday after the last week."""
    weeks = [week_start(clock.local_date(s.starts_at)) for s in spans]
    return clock.day_start(min(weeks)), clock.day_start(
        max(weeks) + dt.timedelta(days=7)
    )


def _loaded(
    *,
    organiser: User,
    classes: Sequence[SchoolClass],
    spans: Sequence[Span],
    exclude: Iterable[int],
    exclude_other: Iterable[str],
    schedule: ScheduleDocument | None = None,
    planned: dict | None = None,
) -> tuple[list[Session], Terms]:
    """The new sessions (checked) and what the database holds around them."""
    exclude = list(exclude)
    planned = planned or {}
    class_keys = tuple(c.pk for c in sorted(classes, key=lambda c: (c.grade, c.letter)))
    terms = Terms(
        people={organiser.pk: (organiser.full_name, organiser.short_name)},
        classes={c.pk: str(c) for c in classes},
    )
    contract = contract_terms(organiser)
    if contract is not None:
        terms.contracts[organiser.pk] = contract
    part = planned.get("program_part")
    if part is not None:
        terms.parts[part.pk] = part.title
        terms.completions = {
            (part.pk, c.school_class_id): c.planned_on
            for c in ProgramPartCompletion.objects.filter(
                program_part=part, school_class__in=classes
            )
        }
    new = [
        Session(
            s.starts_at,
            s.ends_at,
            organiser.pk,
            class_keys,
            consultation=planned.get("consultation", "new"),
            what=planned.get("what", ""),
            part=part.pk if part is not None else None,
        )
        for s in spans
    ]
    if not spans:
        return new, terms
    lo = min(s.starts_at for s in spans)
    hi = max(s.ends_at for s in spans)
    week_lo, week_hi = _weeks(spans)
    nearby = (
        Occurrence.objects.filter(live_occurrences())
        .filter(
            Q(
                consultation__organiser=organiser,
                starts_at__gte=min(week_lo, lo),
                starts_at__lt=max(week_hi, hi),
            )
            | Q(
                consultation__audience_classes__in=classes,
                starts_at__lt=hi,
                ends_at__gt=lo,
            )
        )
        .exclude(pk__in=exclude)
        .select_related(
            "consultation__subject",
            "consultation__organiser",
            "consultation__schedule__period__year",
            "consultation__schedule__year",
        )
        .prefetch_related("consultation__audience_classes")
        .distinct()
    )
    existing = []
    for o in nearby:
        c = o.consultation
        other = c.organiser
        terms.people.setdefault(other.pk, (other.full_name, other.short_name))
        for k in c.audience_classes.all():
            terms.classes.setdefault(k.pk, str(k))
        existing.append(
            Session(
                o.starts_at,
                o.ends_at,
                other.pk,
                tuple(k.pk for k in c.audience_classes.all()),
                consultation=c.pk,
                key=o.pk,
                checked=False,
                what=what(c),
                schedule=str(c.schedule)
                if schedule is not None and c.schedule_id != schedule.pk
                else "",
            )
        )
    others = [
        Session(p.starts_at, p.ends_at, organiser.pk, checked=False, what=p.label)
        for p in planned_time.other_planned(
            organiser, min(week_lo, lo), max(week_hi, hi), exclude_other
        )
    ]
    return [*new, *existing, *others], terms


def session_findings(
    *,
    organiser: User,
    classes: Sequence[SchoolClass] = (),
    spans: Sequence[Span],
    exclude: Iterable[int] = (),
    exclude_other: Iterable[str] = (),
    schedule: ScheduleDocument | None = None,
    planned: dict | None = None,
) -> list[Finding]:
    """Every finding the new sessions would bring (R11, clashes, R7), against the
    database. `planned` describes the consultation (its `program_part` for R11,
    `what` for the messages)."""
    sessions, terms = _loaded(
        organiser=organiser,
        classes=classes,
        spans=spans,
        exclude=exclude,
        exclude_other=exclude_other,
        schedule=schedule,
        planned=planned,
    )
    return [
        *attestation_findings(sessions, terms),
        *clash_findings(sessions, terms),
        *contract_findings(sessions, terms),
    ]


# --- The checks the services call --------------------------------------------------


def check_no_clashes(
    *,
    organiser: User,
    classes: Sequence[SchoolClass],
    spans: Sequence[Span],
    exclude: Iterable[int] = (),
    exclude_other: Iterable[str] = (),
) -> None:
    """No two sessions of one organiser overlap (booking windows and other planned
    time included); a class is not given two consultations at the same time."""
    refuse(
        clash_findings(
            *_loaded(
                organiser=organiser,
                classes=classes,
                spans=spans,
                exclude=exclude,
                exclude_other=exclude_other,
            )
        )
    )


def check_contract_limits(
    *,
    organiser: User,
    spans: Sequence[Span],
    exclude: Iterable[int] = (),
    exclude_other: Iterable[str] = (),
) -> None:
    """R7: within the weekly consultation hours (teachers) or the working time."""
    refuse(
        contract_findings(
            *_loaded(
                organiser=organiser,
                classes=(),
                spans=spans,
                exclude=exclude,
                exclude_other=exclude_other,
            )
        )
    )


def check_all(
    *,
    organiser: User,
    form: str,
    volume: str,
    topics: str,
    purpose: str,
    program_part,
    classes: Sequence[SchoolClass],
    spans: Sequence[Span],
    subject=None,
    exclude: Iterable[int] = (),
    exclude_other: Iterable[str] = (),
    schedule: ScheduleDocument | None = None,
    consultation: Consultation | None = None,
) -> None:
    """Every planning rule, the plan's own first (R10, R11), then the sessions
    against the database (R11, clashes, R7); refuses on the first finding."""
    refuse(
        plan_findings(
            form=form,
            volume=volume,
            topics=topics,
            purpose=purpose,
            program_part=program_part,
            subject=subject,
            classes=classes,
        )
    )
    attestation = purpose == Consultation.Purpose.ATTESTATION
    refuse(
        session_findings(
            organiser=organiser,
            classes=classes,
            spans=spans,
            exclude=exclude,
            exclude_other=exclude_other,
            schedule=schedule,
            planned={
                "program_part": program_part if attestation else None,
                "consultation": consultation.pk if consultation else "new",
                "what": what(consultation)
                if consultation
                else (subject.name if subject else str(Consultation.Form(form).label)),
            },
        )
    )


def weekly_load(organiser: User, week: dt.date) -> Decimal:
    """Planned consultation hours of `organiser` in the week starting on `week`
    (sessions by their start; other planned time overlapping the week)."""
    start = clock.day_start(week)
    rows = Occurrence.objects.filter(
        live_occurrences(),
        consultation__organiser=organiser,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=7),
    ).values_list("starts_at", "ends_at")
    others = [
        (p.starts_at, p.ends_at)
        for p in planned_time.other_planned(
            organiser, start, start + dt.timedelta(days=7)
        )
    ]
    seconds = sum(int((e - s).total_seconds()) for s, e in [*rows, *others])
    return Decimal(seconds) / Decimal(3600)
