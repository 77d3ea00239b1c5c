"""The regulation's planning rules as findings over a set of sessions (R7, R10, R11).

Each rule is a function of the sessions (`Session`: when, whose, for which classes)
and the terms they are checked against (`Terms`: contracts, completion dates of
program parts, names for the messages). It returns `Finding`s: the rule, the
sessions concerned and a translatable message with its parameters, saying what is
wrong and by how much. Nothing here reads the database, so every caller checks the
same way and says the same thing:

- the services refuse a plan or a move on the first finding (`checks.py` loads what
  the database holds around the new sessions);
- the schedule board lists every finding as a conflict;
- the planning form shows the plan-level ones (`plan_findings`);
- the demo school places its sessions where no finding arises.

A session is *checked* when it is being planned (or belongs to the schedule under
review); the others only count: a clash needs a checked session, hours are summed
over all the organiser's live sessions but judged in the weeks of checked ones.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from umka.consultations.models import Consultation
from umka.consultations.recurrence import week_start
from umka.core import clock
from umka.core.errors import DomainError

# --- What the rules look at -------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Session:
    """A session as the rules see it (times are aware instants)."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    organiser: Hashable
    classes: tuple[Hashable, ...] = ()
    consultation: Hashable = None
    #: The occurrence's pk; None while the session is being planned.
    key: int | None = None
    live: bool = True
    checked: bool = True
    #: For the messages: «Алгебра», «окно для индивидуальных консультаций»…
    what: str = ""
    #: …and the schedule's name when it is another one than the one checked.
    schedule: str = ""
    #: The program part of an attestation consultation (R11).
    part: Hashable = None
    #: The caller's own object for this session (a board block, an occurrence).
    ref: object = None

    @property
    def order(self) -> tuple:
        """Earlier first; of two at the same time the one already planned."""
        return (self.starts_at, self.ends_at, self.key is None, self.key or 0)


@dataclass(frozen=True)
class ContractTerms:
    """R7: a teacher's weekly consultation hours, or other staff's working days and
    hours (weekday → (from, until))."""

    weekly_hours: Decimal | None
    working: Mapping[int, tuple[dt.time, dt.time]] = field(default_factory=dict)

    @property
    def hourly(self) -> bool:
        return self.weekly_hours is not None

    @classmethod
    def of(cls, contract, *, teacher: bool) -> "ContractTerms":
        """The terms of a `school.Contract` (its working times prefetched): a teacher
        with consultation hours is limited by them, anyone else by working time."""
        hourly = teacher and contract.consultation_hours is not None
        return cls(
            weekly_hours=contract.consultation_hours if hourly else None,
            working={
                wt.weekday: (wt.starts_at, wt.ends_at)
                for wt in contract.working_times.all()
            },
        )


@dataclass
class Terms:
    """What sessions are checked against, and the names the messages use."""

    contracts: Mapping[Hashable, ContractTerms] = field(default_factory=dict)
    #: (program part, class) → the planned completion date (R11).
    completions: Mapping[tuple[Hashable, Hashable], dt.date] = field(
        default_factory=dict
    )
    #: organiser → (full name, short name)
    people: Mapping[Hashable, tuple[str, str]] = field(default_factory=dict)
    classes: Mapping[Hashable, str] = field(default_factory=dict)
    parts: Mapping[Hashable, str] = field(default_factory=dict)
    zone: dt.tzinfo | None = None

    def __post_init__(self) -> None:
        self.zone = self.zone or clock.zone()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def name(self, organiser: Hashable) -> str:
        return self.people.get(organiser, (str(organiser),))[0]

    def short_name(self, organiser: Hashable) -> str:
        names = self.people.get(organiser)
        return names[-1] if names else str(organiser)

    def class_name(self, school_class: Hashable) -> str:
        return self.classes.get(school_class, str(school_class))


# --- Findings -----------------------------------------------------------------------

#: Every message a rule can give, by code (one wording for every caller).
MESSAGES = {
    "topics_missing": gettext_lazy(
        "A consultation on separate topics must name its topics."
    ),
    "attestation_individual": gettext_lazy(
        "A consultation preparing for intermediate attestation is held only in a "
        "group form; an individual one is not allowed."
    ),
    "attestation_part_missing": gettext_lazy(
        "Choose the program part that the attestation consultation covers."
    ),
    "attestation_no_class": gettext_lazy(
        "An attestation consultation is given to one or more classes."
    ),
    "part_subject": gettext_lazy("The program part must belong to the chosen subject."),
    "part_grade": gettext_lazy(
        "«%(part)s» is a part of the grade %(grade)s program; %(classes)s are in "
        "another grade."
    ),
    "attestation_no_completion": gettext_lazy(
        "Class %(class)s has no planned completion date for «%(part)s»: an "
        "attestation consultation can only follow the completed part."
    ),
    "attestation_too_early": gettext_lazy(
        "Class %(class)s completes «%(part)s» on %(done)s; the attestation "
        "consultation starts earlier, on %(first)s."
    ),
    "organiser_busy": gettext_lazy(
        "%(name)s has two consultations at once: %(first)s and %(second)s."
    ),
    "class_busy": gettext_lazy(
        "Class %(class)s has two consultations at once: %(first)s, %(who)s, and "
        "%(second)s, %(other)s."
    ),
    "contract_missing": gettext_lazy(
        "The contract terms of %(name)s have not been entered, so consultations "
        "cannot be planned for them."
    ),
    "weekly_hours_exceeded": gettext_lazy(
        "In the week of %(start)s–%(end)s %(name)s has %(planned)s h of "
        "consultations planned, but the contract allows %(allowed)s h a week "
        "(%(over)s h too many)."
    ),
    "not_a_working_day": gettext_lazy(
        "%(date)s is not a working day of %(name)s under the contract."
    ),
    "outside_working_time": gettext_lazy(
        "On %(date)s %(name)s works %(from)s–%(until)s under the contract; the "
        "consultation at %(start)s–%(end)s falls outside it."
    ),
}

RULES = {
    "topics_missing": "R10",
    "attestation_individual": "R11",
    "attestation_part_missing": "R11",
    "attestation_no_class": "R11",
    "part_subject": "R11",
    "part_grade": "R11",
    "attestation_no_completion": "R11",
    "attestation_too_early": "R11",
    "organiser_busy": "clash",
    "class_busy": "clash",
    "contract_missing": "R7",
    "weekly_hours_exceeded": "R7",
    "not_a_working_day": "R7",
    "outside_working_time": "R7",
}


@dataclass(frozen=True)
class Finding:
    """A rule broken by some sessions: which rule (R7, R10, R11 or «clash»), a
    code, the sessions concerned and the message's parameters (given, or made
    when first read: a caller that only asks whether anything is found — the demo
    school trying slots — never pays for the wording)."""

    code: str
    given: Mapping[str, object] | Callable[[], Mapping[str, object]] = field(
        default_factory=dict, repr=False
    )
    sessions: tuple[Session, ...] = ()

    @property
    def rule(self) -> str:
        return RULES[self.code]

    @property
    def message(self):
        """The translatable message (lazy), without its parameters."""
        return MESSAGES[self.code]

    @property
    def params(self) -> Mapping[str, object]:
        return self.given() if callable(self.given) else self.given

    @property
    def text(self) -> str:
        return str(self.message) % dict(self.params)

    def error(self) -> DomainError:
        return DomainError(self.text, code=self.code)


def refuse(findings: Iterable[Finding]) -> None:
    """Raise the first finding as the services' refusal."""
    for finding in findings:
        raise finding.error()


def _date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def hours_text(value: Decimal) -> str:
    """2.25 → «2,25», 2 → «2» (as the R7 messages write hours)."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def describe(session: Session, terms: Terms) -> str:
    """«17.11.2026 15:00–15:45 (Алгебра)», with the schedule if another one."""
    starts, ends = terms.local(session.starts_at), terms.local(session.ends_at)
    when = f"{_date(starts.date())} {starts:%H:%M}–{ends:%H:%M}"
    if session.schedule:
        return _("%(when)s (%(what)s, schedule «%(schedule)s»)") % {
            "when": when,
            "what": session.what,
            "schedule": session.schedule,
        }
    return _("%(when)s (%(what)s)") % {"when": when, "what": session.what}


# --- R10 and R11: what a plan says -------------------------------------------------


def plan_findings(
    *,
    form: str,
    volume: str,
    topics: str,
    purpose: str,
    program_part=None,
    subject=None,
    classes: Sequence = (),
) -> list[Finding]:
    """What a plan breaks before any date is looked at: R10 (topics), R11 (group
    only, with its program part, for classes), and a program part that belongs to
    the subject and to the grade of every class in the audience."""
    found = []
    if volume == Consultation.Volume.TOPICAL and not topics.strip():
        found.append(Finding("topics_missing"))
    if purpose == Consultation.Purpose.ATTESTATION:
        if form == Consultation.Form.INDIVIDUAL:
            found.append(Finding("attestation_individual"))
        if program_part is None:
            found.append(Finding("attestation_part_missing"))
        if not classes:
            found.append(Finding("attestation_no_class"))
    if program_part is not None:
        if subject is None or program_part.subject_id != subject.pk:
            found.append(Finding("part_subject"))
        strangers = [c for c in classes if c.grade != program_part.grade]
        if strangers:
            found.append(
                Finding(
                    "part_grade",
                    {
                        "part": program_part.title,
                        "grade": program_part.grade,
                        "classes": ", ".join(str(c) for c in strangers),
                    },
                )
            )
    return found


def attestation_findings(sessions: Iterable[Session], terms: Terms) -> list[Finding]:
    """R11: the first live checked session of an attestation consultation comes on
    or after the completion date of its program part in every class it is for."""
    firsts: dict[Hashable, Session] = {}
    for session in sessions:
        if session.checked and session.live and session.part is not None:
            first = firsts.get(session.consultation)
            if first is None or session.order < first.order:
                firsts[session.consultation] = session
    found = []
    for first in firsts.values():
        day = terms.local(first.starts_at).date()
        for school_class in first.classes:
            done_on = terms.completions.get((first.part, school_class))
            params = {
                "class": terms.class_name(school_class),
                "part": terms.parts.get(first.part, str(first.part)),
                "first": _date(day),
            }
            if done_on is None:
                found.append(Finding("attestation_no_completion", params, (first,)))
            elif day < done_on:
                params["done"] = _date(done_on)
                found.append(Finding("attestation_too_early", params, (first,)))
    return found


# --- Clashes -----------------------------------------------------------------------


def _overlapping(
    sessions: Iterable[Session], keys: Callable[[Session], Iterable[Hashable]]
) -> list[tuple[Hashable, Session, Session]]:
    """(key, earlier, later) for two live sessions sharing a key that overlap in
    time, at least one of them checked (a sweep per key)."""
    by_key: dict[Hashable, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.live:
            for key in keys(session):
                by_key[key].append(session)
    pairs = []
    for key, items in by_key.items():
        if len(items) < 2:
            continue
        items.sort(key=lambda s: s.order)
        running: list[Session] = []
        for session in items:
            running = [r for r in running if r.ends_at > session.starts_at]
            for earlier in running:
                if earlier.checked or session.checked:
                    pairs.append((key, earlier, session))
            running.append(session)
    return pairs


def clash_findings(sessions: Sequence[Session], terms: Terms) -> list[Finding]:
    """Nobody is in two places at once: an organiser's sessions (their other
    planned time included) and a class's consultations do not overlap."""

    def organiser_busy(organiser, a, b) -> Finding:
        return Finding(
            "organiser_busy",
            lambda: {
                "name": terms.name(organiser),
                "first": describe(a, terms),
                "second": describe(b, terms),
            },
            (a, b),
        )

    def class_busy(school_class, a, b) -> Finding:
        return Finding(
            "class_busy",
            lambda: {
                "class": terms.class_name(school_class),
                "first": describe(a, terms),
                "who": terms.short_name(a.organiser),
                "second": describe(b, terms),
                "other": terms.short_name(b.organiser),
            },
            (a, b),
        )

    return [
        *(organiser_busy(*p) for p in _overlapping(sessions, lambda s: (s.organiser,))),
        *(class_busy(*p) for p in _overlapping(sessions, lambda s: s.classes)),
    ]


# --- R7 -----------------------------------------------------------------------------


def contract_findings(sessions: Iterable[Session], terms: Terms) -> list[Finding]:
    """R7: a teacher consults within the weekly hours the contract sets aside for
    consultations; other staff within their contracted working days and hours; no
    contract terms, no consultations."""
    by_organiser: dict[Hashable, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.live:
            by_organiser[session.organiser].append(session)
    found = []
    for organiser, items in by_organiser.items():
        checked = sorted((s for s in items if s.checked), key=lambda s: s.order)
        if not checked:
            continue
        contract = terms.contracts.get(organiser)
        if contract is None:
            found.append(
                Finding(
                    "contract_missing", {"name": terms.name(organiser)}, tuple(checked)
                )
            )
        elif contract.hourly:
            found += _weekly_hours(organiser, contract, items, checked, terms)
        else:
            found += _working_time(organiser, contract, checked, terms)
    return found


def _weekly_hours(organiser, contract, items, checked, terms) -> list[Finding]:
    allowed = contract.weekly_hours
    # Summed in seconds, divided once: three 40-minute sessions are 2 h, not
    # 2.0000000000000000000000000001 h over a 2 h limit.
    seconds: dict[dt.date, int] = defaultdict(int)
    for session in items:
        seconds[week_start(terms.local(session.starts_at).date())] += int(
            (session.ends_at - session.starts_at).total_seconds()
        )
    checked_by_week: dict[dt.date, list[Session]] = defaultdict(list)
    for session in checked:
        checked_by_week[week_start(terms.local(session.starts_at).date())].append(
            session
        )
    found = []
    for week, own in sorted(checked_by_week.items()):
        total = Decimal(seconds[week]) / Decimal(3600)
        if seconds[week] > allowed * 3600:
            found.append(
                Finding(
                    "weekly_hours_exceeded",
                    lambda week=week, total=total: {
                        "start": _date(week),
                        "end": _date(week + dt.timedelta(days=6)),
                        "name": terms.name(organiser),
                        "planned": hours_text(total),
                        "allowed": hours_text(allowed),
                        "over": hours_text(total - allowed),
                    },
                    tuple(own),
                )
            )
    return found


def _working_time(organiser, contract, checked, terms) -> list[Finding]:
    found = []
    for session in checked:
        start, end = terms.local(session.starts_at), terms.local(session.ends_at)
        working = contract.working.get(start.weekday())
        params = {"date": _date(start.date()), "name": terms.name(organiser)}
        if working is None:
            found.append(Finding("not_a_working_day", params, (session,)))
        elif (
            start.time() < working[0]
            or end.time() > working[1]
            or end.date() != start.date()
        ):
            params |= {
                "from": f"{working[0]:%H:%M}",
                "until": f"{working[1]:%H:%M}",
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
            }
            found.append(Finding("outside_working_time", params, (session,)))
    return found


# --- All of them ----------------------------------------------------------------------


def findings(sessions: Sequence[Session], terms: Terms) -> list[Finding]:
    """Every finding over the sessions, in the order the services check them:
    R11, clashes, R7."""
    return [
        *attestation_findings(sessions, terms),
        *clash_findings(sessions, terms),
        *contract_findings(sessions, terms),
    ]
