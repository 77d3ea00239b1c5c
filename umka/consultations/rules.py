"""The regulation's rules for planning consultations. Each check raises DomainError
with a message that says what is wrong and by how much; services call them all.

A planned session is a `Span`: its start and end (aware datetimes).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from umka.accounts.models import Role, User
from umka.consultations import planned_time
from umka.consultations.models import Consultation, Occurrence
from umka.consultations.recurrence import week_start
from umka.core import clock
from umka.core.errors import DomainError
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


def _date(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


def _datetime(moment: dt.datetime) -> str:
    return formats.date_format(clock.local(moment), "d.m.Y H:i")


def _hours(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def live_occurrences() -> "Q":
    return ~Q(status=Occurrence.Status.CANCELLED)


# --- R10 ------------------------------------------------------------------------


def check_volume(volume: str, topics: str) -> None:
    """R10: a topical consultation names its topics."""
    if volume == Consultation.Volume.TOPICAL and not topics.strip():
        raise DomainError(
            _("A consultation on separate topics must name its topics (R10)."),
            code="topics_missing",
        )


# --- R11 ------------------------------------------------------------------------


def check_attestation(
    *,
    purpose: str,
    form: str,
    program_part,
    classes: Sequence[SchoolClass],
    spans: Sequence[Span],
) -> None:
    """R11: attestation consultations are group-only and come after the program
    part is completed by every class in the audience."""
    if purpose != Consultation.Purpose.ATTESTATION:
        return
    if form == Consultation.Form.INDIVIDUAL:
        raise DomainError(
            _(
                "A consultation preparing for intermediate attestation is held "
                "only in a group form; an individual one is not allowed (R11)."
            ),
            code="attestation_individual",
        )
    if program_part is None:
        raise DomainError(
            _("Choose the program part that the attestation consultation covers."),
            code="attestation_part_missing",
        )
    if not classes:
        raise DomainError(
            _("An attestation consultation is given to one or more classes (R11)."),
            code="attestation_no_class",
        )
    completions = {
        c.school_class_id: c.planned_on
        for c in ProgramPartCompletion.objects.filter(
            program_part=program_part, school_class__in=classes
        )
    }
    first = min(clock.local(s.starts_at).date() for s in spans)
    for school_class in classes:
        done_on = completions.get(school_class.pk)
        if done_on is None:
            raise DomainError(
                _(
                    "Class %(class)s has no planned completion date for «%(part)s»: "
                    "an attestation consultation can only follow the completed "
                    "part (R11)."
                )
                % {"class": school_class, "part": program_part.title},
                code="attestation_no_completion",
            )
        if first < done_on:
            raise DomainError(
                _(
                    "Class %(class)s completes «%(part)s» on %(done)s; an attestation "
                    "consultation cannot start earlier (planned for %(first)s) (R11)."
                )
                % {
                    "class": school_class,
                    "part": program_part.title,
                    "done": _date(done_on),
                    "first": _date(first),
                },
                code="attestation_too_early",
            )


# --- R7 -------------------------------------------------------------------------


def check_contract_limits(
    *,
    organiser: User,
    spans: Sequence[Span],
    exclude: Iterable[int] = (),
    exclude_other: Iterable[str] = (),
) -> None:
    """R7: a teacher consults within the hours of the weekly load set aside for
    consultations; other staff within their contracted working days and hours."""
    contract = (
        Contract.objects.filter(person=organiser)
        .prefetch_related("working_times")
        .first()
    )
    name = organiser.full_name
    if contract is None:
        raise DomainError(
            _(
                "The contract terms of %(name)s have not been entered, so "
                "consultations cannot be planned for them (R7)."
            )
            % {"name": name},
            code="contract_missing",
        )
    if Role.TEACHER in organiser.roles and contract.consultation_hours is not None:
        _check_weekly_hours(organiser, contract, spans, exclude, exclude_other)
    else:
        _check_working_time(organiser, contract, spans)


def _check_weekly_hours(organiser, contract, spans, exclude, exclude_other) -> None:
    allowed = contract.consultation_hours
    new_by_week: dict[dt.date, Decimal] = defaultdict(Decimal)
    for span in spans:
        new_by_week[week_start(clock.local(span.starts_at).date())] += span.hours
    tz = clock.zone()
    first, last = min(new_by_week), max(new_by_week) + dt.timedelta(days=7)
    existing = (
        Occurrence.objects.filter(
            live_occurrences(),
            consultation__organiser=organiser,
            starts_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            starts_at__lt=dt.datetime.combine(last, dt.time.min, tzinfo=tz),
        )
        .exclude(pk__in=list(exclude))
        .values_list("starts_at", "ends_at")
    )
    lo = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(last, dt.time.min, tzinfo=tz)
    others = [
        (p.starts_at, p.ends_at)
        for p in planned_time.other_planned(organiser, lo, hi, exclude_other)
    ]
    planned_by_week: dict[dt.date, Decimal] = defaultdict(Decimal)
    for starts_at, ends_at in [*existing, *others]:
        week = week_start(clock.local(starts_at).date())
        planned_by_week[week] += Span(starts_at, ends_at).hours
    for week in sorted(new_by_week):
        total = planned_by_week[week] + new_by_week[week]
        if total > allowed:
            raise DomainError(
                _(
                    "In the week of %(start)s–%(end)s %(name)s would have "
                    "%(planned)s h of consultations, but the contract allows "
                    "%(allowed)s h a week "
                    "(%(over)s h too many) (R7)."
                )
                % {
                    "start": _date(week),
                    "end": _date(week + dt.timedelta(days=6)),
                    "name": organiser.full_name,
                    "planned": _hours(total),
                    "allowed": _hours(allowed),
                    "over": _hours(total - allowed),
                },
                code="weekly_hours_exceeded",
            )


def _check_working_time(organiser, contract, spans) -> None:
    by_weekday = {wt.weekday: wt for wt in contract.working_times.all()}
    for span in spans:
        start, end = (
            clock.local(span.starts_at),
            clock.local(span.ends_at),
        )
        working = by_weekday.get(start.weekday())
        if working is None:
            raise DomainError(
                _("%(date)s is not a working day of %(name)s under the contract (R7).")
                % {"date": _date(start.date()), "name": organiser.full_name},
                code="not_a_working_day",
            )
        if (
            start.time() < working.starts_at
            or end.time() > working.ends_at
            or end.date() != start.date()
        ):
            raise DomainError(
                _(
                    "On %(date)s %(name)s works %(from)s–%(until)s under the contract; "
                    "a consultation at %(start)s–%(end)s falls outside it (R7)."
                )
                % {
                    "date": _date(start.date()),
                    "name": organiser.full_name,
                    "from": working.starts_at.strftime("%H:%M"),
                    "until": working.ends_at.strftime("%H:%M"),
                    "start": start.strftime("%H:%M"),
                    "end": end.strftime("%H:%M"),
                },
                code="outside_working_time",
            )


def weekly_load(organiser: User, week: dt.date) -> Decimal:
    """Planned consultation hours of `organiser` in the week starting on `week`."""
    tz = clock.zone()
    start = dt.datetime.combine(week, dt.time.min, tzinfo=tz)
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
    return sum((Span(s, e).hours for s, e in [*rows, *others]), Decimal(0))


# --- Clashes ------------------------------------------------------------------


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
    exclude = list(exclude)
    for i, span in enumerate(spans):
        for other in spans[i + 1 :]:
            if span.overlaps(other.starts_at, other.ends_at):
                raise DomainError(
                    _("Two sessions of this consultation overlap at %(when)s.")
                    % {"when": _datetime(other.starts_at)},
                    code="self_overlap",
                )
    if not spans:
        return
    lo = min(s.starts_at for s in spans)
    hi = max(s.ends_at for s in spans)
    nearby = (
        Occurrence.objects.filter(live_occurrences(), starts_at__lt=hi, ends_at__gt=lo)
        .exclude(pk__in=exclude)
        .select_related(
            "consultation", "consultation__subject", "consultation__organiser"
        )
    )
    for planned in planned_time.other_planned(organiser, lo, hi, exclude_other):
        for span in spans:
            if span.overlaps(planned.starts_at, planned.ends_at):
                raise DomainError(
                    _("%(name)s already has %(what)s at %(when)s.")
                    % {
                        "name": organiser.full_name,
                        "what": planned.label,
                        "when": _datetime(planned.starts_at),
                    },
                    code="organiser_busy",
                )
    own = nearby.filter(consultation__organiser=organiser)
    for occurrence in own:
        for span in spans:
            if span.overlaps(occurrence.starts_at, occurrence.ends_at):
                raise DomainError(
                    _("%(name)s already has a consultation at %(when)s (%(what)s).")
                    % {
                        "name": organiser.full_name,
                        "when": _datetime(occurrence.starts_at),
                        "what": occurrence.consultation.subject
                        or occurrence.consultation.get_form_display(),
                    },
                    code="organiser_busy",
                )
    if not classes:
        return
    busy = nearby.filter(consultation__audience_classes__in=classes).prefetch_related(
        "consultation__audience_classes"
    )
    wanted = {c.pk: c for c in classes}
    for occurrence in busy.distinct():
        for span in spans:
            if span.overlaps(occurrence.starts_at, occurrence.ends_at):
                clash = next(
                    wanted[c.pk]
                    for c in occurrence.consultation.audience_classes.all()
                    if c.pk in wanted
                )
                raise DomainError(
                    _(
                        "Class %(class)s already has a consultation at %(when)s "
                        "(%(what)s, %(who)s)."
                    )
                    % {
                        "class": clash,
                        "when": _datetime(occurrence.starts_at),
                        "what": occurrence.consultation.subject
                        or occurrence.consultation.get_form_display(),
                        "who": occurrence.consultation.organiser.short_name,
                    },
                    code="class_busy",
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
    exclude: Iterable[int] = (),
    exclude_other: Iterable[str] = (),
) -> None:
    """Every planning rule, cheapest first."""
    exclude = list(exclude)
    check_volume(volume, topics)
    check_attestation(
        purpose=purpose,
        form=form,
        program_part=program_part,
        classes=classes,
        spans=spans,
    )
    check_no_clashes(
        organiser=organiser,
        classes=classes,
        spans=spans,
        exclude=exclude,
        exclude_other=exclude_other,
    )
    check_contract_limits(
        organiser=organiser, spans=spans, exclude=exclude, exclude_other=exclude_other
    )


__all__ = [
    "Span",
    "check_all",
    "check_attestation",
    "check_contract_limits",
    "check_no_clashes",
    "check_volume",
    "weekly_load",
]
