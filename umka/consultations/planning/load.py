"""A staff member's weekly load (R7): planned hours per week against the contract,
counted as the rules count them.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats

from umka.accounts.models import Role, User
from umka.consultations import planned_time, rules
from umka.consultations.models import (
    Occurrence,
)
from umka.consultations.recurrence import week_start
from umka.consultations.rules import Span, live_occurrences
from umka.core import clock
from umka.school.models import (
    Contract,
)


def hours_text(value: Decimal | None) -> str:
    """Hours as people write them: «2», «1,5», «0,75» (localised separator)."""
    if value is None:
        return ""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return formats.number_format(Decimal(text))


@dataclass
class WeekLoad:
    starts_on: dt.date
    hours: Decimal
    allowed: Decimal | None

    @property
    def ends_on(self) -> dt.date:
        return self.starts_on + dt.timedelta(days=6)

    @property
    def over(self) -> Decimal:
        if self.allowed is None:
            return Decimal(0)
        return max(self.hours - self.allowed, Decimal(0))

    @property
    def left(self) -> Decimal:
        if self.allowed is None:
            return Decimal(0)
        return max(self.allowed - self.hours, Decimal(0))

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)

    @property
    def allowed_text(self) -> str:
        return hours_text(self.allowed)

    @property
    def over_text(self) -> str:
        return hours_text(self.over)

    @property
    def left_text(self) -> str:
        return hours_text(self.left)


@dataclass
class Load:
    contract: Contract | None
    #: True: a teacher limited to contract.consultation_hours a week (R7); False:
    #: other staff, limited to their working days and hours.
    hourly: bool
    weeks: list[WeekLoad]
    working_times: list = field(default_factory=list)

    @property
    def allowed_text(self) -> str:
        return hours_text(self.contract.consultation_hours if self.hourly else None)

    @property
    def load_text(self) -> str:
        return hours_text(self.contract.weekly_load_hours if self.contract else None)


def weekly_hours(
    organiser: User, first_week: dt.date, last_week: dt.date
) -> dict[dt.date, Decimal]:
    """Planned hours per week (Monday → hours), counted exactly as
    rules.weekly_load counts them — consultation sessions by their start, other
    apps' planned time (planned_time) in every week it overlaps — with one query
    (and one call per planned-time provider) for the whole range."""
    tz = clock.zone()
    start = dt.datetime.combine(first_week, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last_week + dt.timedelta(days=7), dt.time.min, tzinfo=tz)
    rows = Occurrence.objects.filter(
        live_occurrences(),
        consultation__organiser=organiser,
        starts_at__gte=start,
        starts_at__lt=end,
    ).values_list("starts_at", "ends_at")
    seconds: dict[dt.date, int] = defaultdict(int)
    for starts_at, ends_at in rows:
        seconds[week_start(clock.local(starts_at).date())] += int(
            (ends_at - starts_at).total_seconds()
        )
    for other in planned_time.other_planned(organiser, start, end):
        span = Span(other.starts_at, other.ends_at)
        week = first_week
        while week <= last_week:
            week_from = dt.datetime.combine(week, dt.time.min, tzinfo=tz)
            if span.overlaps(week_from, week_from + dt.timedelta(days=7)):
                seconds[week] += int((span.ends_at - span.starts_at).total_seconds())
            week += dt.timedelta(days=7)
    return {week: Decimal(n) / Decimal(3600) for week, n in seconds.items()}


def load_of(organiser: User, first_day: dt.date, last_day: dt.date) -> Load:
    """The organiser's planned hours in each week from `first_day` to `last_day`,
    and what the contract allows (R7)."""
    contract = (
        Contract.objects.filter(person=organiser)
        .prefetch_related("working_times")
        .first()
    )
    terms = (
        rules.ContractTerms.of(contract, teacher=Role.TEACHER in organiser.roles)
        if contract
        else None
    )
    hourly = bool(terms and terms.hourly)
    allowed = terms.weekly_hours if terms else None
    first, last = week_start(first_day), week_start(last_day)
    hours = weekly_hours(organiser, first, last)
    weeks = []
    week = first
    while week <= last:
        weeks.append(WeekLoad(week, hours.get(week, Decimal(0)), allowed))
        week += dt.timedelta(days=7)
    return Load(
        contract=contract,
        hourly=hourly,
        weeks=weeks,
        working_times=list(contract.working_times.all()) if contract else [],
    )
