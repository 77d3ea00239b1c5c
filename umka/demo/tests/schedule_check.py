"""The planning rules of umka.consultations.rules, checked over a whole schedule at
once: the rules' functions take any set of sessions.

`sessions_from_plan` and `sessions_from_database` give the same plain records, so
the builder tests check the plan in memory and the database tests what was loaded,
with the same rules.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from umka.consultations import rules
from umka.consultations.models import Consultation, Occurrence
from umka.consultations.recurrence import session_dates
from umka.demo.builder import TIME_ZONE
from umka.school.models import Contract, Holiday, ProgramPartCompletion, WorkingTime

TZ = zoneinfo.ZoneInfo(TIME_ZONE)


@dataclass(frozen=True)
class Session:
    consultation: int
    organiser: str
    classes: tuple[str, ...]
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    purpose: str
    part: str  # "subject/grade/number" or ""
    period: tuple[dt.date, dt.date]
    moved_from: dt.datetime | None = None

    @property
    def live(self) -> bool:
        return self.status != Occurrence.Status.CANCELLED

    @property
    def local(self) -> tuple[dt.datetime, dt.datetime]:
        return self.starts_at.astimezone(TZ), self.ends_at.astimezone(TZ)


@dataclass
class Terms:
    """R7 terms: minutes a week for a teacher, or working hours per weekday."""

    weekly_minutes: dict[str, int]
    working: dict[str, dict[int, tuple[dt.time, dt.time]]]
    completions: dict[tuple[str, str], dt.date]  # (part key, class) → date
    holidays: list[tuple[dt.date, dt.date]]


def _key(subject: str, grade: int, number: int) -> str:
    return f"{subject}/{grade}/{number}"


def sessions_from_plan(plan) -> tuple[list[Session], Terms]:
    classes = defaultdict(list)
    for consultation, school_class in plan.schedule.audiences:
        classes[id(consultation)].append(str(school_class))
    sessions = []
    for o in plan.schedule.occurrences:
        c = o.consultation
        part = c.program_part
        sessions.append(
            Session(
                consultation=id(c),
                organiser=c.organiser.username,
                classes=tuple(classes[id(c)]),
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                status=o.status,
                purpose=c.purpose,
                part=_key(part.subject.name, part.grade, part.number) if part else "",
                period=(c.schedule.period.starts_on, c.schedule.period.ends_on),
                moved_from=o.moved_from,
            )
        )
    terms = Terms(
        weekly_minutes={
            c.person.username: int(c.consultation_hours * 60)
            for c in plan.contracts
            if c.consultation_hours is not None
        },
        working=defaultdict(dict),
        completions={
            (
                _key(
                    c.program_part.subject.name,
                    c.program_part.grade,
                    c.program_part.number,
                ),
                str(c.school_class),
            ): c.planned_on
            for c in plan.completions
        },
        holidays=[(h.starts_on, h.ends_on) for h in plan.holidays],
    )
    for wt in plan.working_times:
        terms.working[wt.contract.person.username][wt.weekday] = (
            wt.starts_at,
            wt.ends_at,
        )
    return sessions, terms


def sessions_from_database() -> tuple[list[Session], Terms]:
    classes = defaultdict(list)
    for (
        consultation,
        grade,
        letter,
    ) in Consultation.audience_classes.through.objects.values_list(
        "consultation", "schoolclass__grade", "schoolclass__letter"
    ):
        classes[consultation].append(f"{grade}{letter}")
    sessions = [
        Session(
            consultation=row[0],
            organiser=row[1],
            classes=tuple(classes[row[0]]),
            starts_at=row[2],
            ends_at=row[3],
            status=row[4],
            purpose=row[5],
            part=_key(*row[6:9]) if row[6] else "",
            period=(row[9], row[10]),
            moved_from=row[11],
        )
        for row in Occurrence.objects.values_list(
            "consultation",
            "consultation__organiser__username",
            "starts_at",
            "ends_at",
            "status",
            "consultation__purpose",
            "consultation__program_part__subject__name",
            "consultation__program_part__grade",
            "consultation__program_part__number",
            "consultation__schedule__period__starts_on",
            "consultation__schedule__period__ends_on",
            "moved_from",
        )
    ]
    terms = Terms(
        weekly_minutes={
            username: int(hours * 60)
            for username, hours in Contract.objects.filter(
                consultation_hours__isnull=False
            ).values_list("person__username", "consultation_hours")
        },
        working=defaultdict(dict),
        completions={
            (_key(subject, grade, number), f"{class_grade}{letter}"): day
            for subject, grade, number, class_grade, letter, day in (
                ProgramPartCompletion.objects.values_list(
                    "program_part__subject__name",
                    "program_part__grade",
                    "program_part__number",
                    "school_class__grade",
                    "school_class__letter",
                    "planned_on",
                )
            )
        },
        holidays=list(Holiday.objects.values_list("starts_on", "ends_on")),
    )
    for username, weekday, starts_at, ends_at in WorkingTime.objects.values_list(
        "contract__person__username", "weekday", "starts_at", "ends_at"
    ):
        terms.working[username][weekday] = (starts_at, ends_at)
    return sessions, terms


def _rule_terms(sessions: list[Session], terms: Terms) -> rules.Terms:
    contracts = {}
    for organiser in {s.organiser for s in sessions}:
        minutes = terms.weekly_minutes.get(organiser)
        if minutes is not None:
            contracts[organiser] = rules.ContractTerms(Decimal(minutes) / 60)
        elif organiser in terms.working:
            contracts[organiser] = rules.ContractTerms(None, terms.working[organiser])
    return rules.Terms(contracts=contracts, completions=terms.completions, zone=TZ)


def violations(sessions: list[Session], terms: Terms) -> list[str]:
    """Every broken rule, as a readable line (an empty list: all rules hold): the
    rules of umka.consultations.rules (R7, R11, clashes) over the whole schedule at
    once, and where the sessions fall (an audience, the period, not on holidays)."""
    checked = [
        rules.Session(
            s.starts_at,
            s.ends_at,
            s.organiser,
            s.classes,
            consultation=s.consultation,
            live=s.live,
            part=s.part or None
            if s.purpose == Consultation.Purpose.ATTESTATION
            else None,
        )
        for s in sessions
    ]
    problems = [f.text for f in rules.findings(checked, _rule_terms(sessions, terms))]
    for s in sessions:
        day = s.local[0].date()
        if not s.classes:
            problems.append(f"{s.organiser}: a session without an audience")
        if not s.period[0] <= day <= s.period[1]:
            problems.append(f"{s.organiser}: {day} lies outside the period")
        if any(a <= day <= b for a, b in terms.holidays):
            problems.append(f"{s.organiser}: {day} is a holiday")
    return problems


def recurrence_problems(
    consultations: list[tuple[int, str, dt.date, dt.date | None, dt.date]],
    sessions: list[Session],
    holidays: list[tuple[dt.date, dt.date]],
) -> list[str]:
    """R9: a recurring consultation runs to the end of its period, every week or
    every other week, skipping holidays (a moved session counts at its old date).

    `consultations`: (key, recurrence, starts_on, repeat_until, period end).
    """
    days = defaultdict(list)
    for s in sessions:
        start = s.moved_from or s.starts_at
        days[s.consultation].append(start.astimezone(TZ).date())
    problems = []
    for key, recurrence, starts_on, until, period_end in consultations:
        if recurrence == Consultation.Recurrence.ONCE:
            continue
        expected, _skipped = session_dates(recurrence, starts_on, until, holidays)
        if until != period_end or sorted(days[key]) != expected:
            problems.append(f"consultation {key} does not run over the whole period")
    return problems
