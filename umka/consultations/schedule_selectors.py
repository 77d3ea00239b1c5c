"""Reads for the schedule document screens (R7, R8, R11).

The document page — the appendix list, the week grid and the conflicts — comes from
one `schedule_board()` call that runs a fixed number of queries however many
consultations the schedule holds. Conflicts are computed here, not refused: they
appear when data changes after planning (a contract edited in the back office, a
program part's completion date moved, a session moved by hand).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from umka.accounts.models import Role, RoleAssignment, User
from umka.audit.models import AuditEntry
from umka.consultations import audit_actions, policies, wall_clock
from umka.consultations.models import (
    ApprovalDelegation,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.recurrence import week_start
from umka.core import clock
from umka.school.models import (
    AcademicYear,
    Contract,
    Holiday,
    ProgramPartCompletion,
    SchoolClass,
    StudyPeriod,
)

#: The grid's hours in an empty week, and the fewest hours it shows.
DAY_STARTS, DAY_ENDS, MIN_HOURS = 8, 18, 4
#: Height of an hour, width of one of several parallel sessions and of a day (rem).
HOUR_REM, LANE_REM, DAY_MIN_REM = 5, 7, 9
CANCELLED = Occurrence.Status.CANCELLED

# --- Formatting -------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


def _hours(value: Decimal) -> str:
    """2.25 → «2,25», 2 → «2» (as the R7 refusals write them)."""
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _what(c: Consultation) -> str:
    return c.subject.name if c.subject_id else str(c.get_form_display())


# --- The list of a year's schedules -------------------------------------------------


def years() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.order_by("-starts_on")


@dataclass
class PeriodRow:
    """One line of the schedules page: a study period (None: the whole year) and
    its document, if one has been opened."""

    year: AcademicYear
    period: StudyPeriod | None
    document: ScheduleDocument | None

    @property
    def label(self) -> str:
        return str(self.period) if self.period else _("Whole academic year")


def schedule_list(user: User, year: AcademicYear) -> list[PeriodRow]:
    """The periods of `year` with their schedules and counts (three queries)."""
    documents = {
        d.period_id: d
        for d in policies.schedules_visible_to(user)
        .filter(year=year)
        .select_related("approved_by", "submitted_by")
        .annotate(
            consultation_count=Count("consultations", distinct=True),
            session_count=Count(
                "consultations__occurrences",
                filter=~Q(consultations__occurrences__status=CANCELLED),
                distinct=True,
            ),
        )
    }
    rows = [
        PeriodRow(year, period, documents.pop(period.pk, None))
        for period in StudyPeriod.objects.filter(year=year)
        .select_related("year")
        .order_by("starts_on")
    ]
    rows.append(PeriodRow(year, None, documents.pop(None, None)))
    return rows


def current_delegations(today: dt.date) -> QuerySet[ApprovalDelegation]:
    """Authorities to approve that are in force today or start later."""
    return (
        ApprovalDelegation.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )
        .select_related("deputy", "granted_by")
        .order_by("valid_from", "pk")
    )


def deputies() -> QuerySet[User]:
    """Active deputy heads (whom the director may authorise)."""
    return User.objects.filter(
        is_active=True, role_assignments__role=Role.DEPUTY_HEAD
    ).distinct()


def schedule_for_page(user: User) -> QuerySet[ScheduleDocument]:
    return policies.schedules_visible_to(user).select_related(
        "year", "period__year", "submitted_by", "approved_by"
    )


def returns_of(schedule: ScheduleDocument) -> QuerySet[AuditEntry]:
    """Each time the schedule was sent back for rework, newest first (the reason
    lives in the audit entry: the document keeps only its current state)."""
    return AuditEntry.objects.filter(
        action=audit_actions.RETURNED,
        target_type__app_label="consultations",
        target_type__model="scheduledocument",
        target_id=str(schedule.pk),
    ).order_by("-at", "-pk")


# --- The board: appendix list, week grid, conflicts ---------------------------------


@dataclass(eq=False)
class Session:
    """One occurrence as the board sees it (times in the school's zone)."""

    pk: int
    consultation: Consultation
    starts: dt.datetime
    ends: dt.datetime
    status: str
    moved_from: dt.datetime | None
    reason: str
    own: bool  # of this schedule (others only matter for clashes and weekly hours)
    classes: tuple[SchoolClass, ...] = ()

    @property
    def live(self) -> bool:
        return self.status != CANCELLED

    @property
    def week(self) -> dt.date:
        return week_start(self.starts.date())

    @property
    def hours(self) -> Decimal:
        return Decimal((self.ends - self.starts).total_seconds()) / Decimal(3600)

    @property
    def organiser(self) -> User:
        return self.consultation.organiser

    def describe(self) -> str:
        when = f"{_date(self.starts.date())} {self.starts:%H:%M}–{self.ends:%H:%M}"
        if self.own:
            return _("%(when)s (%(what)s)") % {
                "when": when,
                "what": _what(self.consultation),
            }
        return _("%(when)s (%(what)s, schedule «%(schedule)s»)") % {
            "when": when,
            "what": _what(self.consultation),
            "schedule": self.consultation.schedule,
        }


class ConflictKind:
    ORGANISER_BUSY = "organiser_busy"
    CLASS_BUSY = "class_busy"
    WEEKLY_HOURS = "weekly_hours"
    NO_CONTRACT = "no_contract"
    WORKING_TIME = "working_time"
    ATTESTATION = "attestation_early"

    labels = {
        ORGANISER_BUSY: gettext_lazy("Organiser double-booked"),
        CLASS_BUSY: gettext_lazy("Class double-booked"),
        WEEKLY_HOURS: gettext_lazy("Over the weekly contract limit"),
        NO_CONTRACT: gettext_lazy("No contract terms"),
        WORKING_TIME: gettext_lazy("Outside working time"),
        ATTESTATION: gettext_lazy("Before the program part is completed"),
    }
    requirements = {
        WEEKLY_HOURS: "R7",
        NO_CONTRACT: "R7",
        WORKING_TIME: "R7",
        ATTESTATION: "R11",
    }


@dataclass
class Conflict:
    kind: str
    message: str
    #: The session the conflict's link opens (in its week on the grid).
    anchor: Session
    sessions: list[Session]

    @property
    def label(self) -> str:
        return str(ConflictKind.labels[self.kind])

    @property
    def requirement(self) -> str:
        return ConflictKind.requirements.get(self.kind, "")

    @property
    def week(self) -> dt.date:
        return self.anchor.week


@dataclass
class Row:
    """A consultation in the appendix's columns, with its live state."""

    number: int
    consultation: Consultation
    position: str
    classes: str
    weekday: str
    time: str
    dates: str
    sessions: int
    moved: int
    cancelled: int
    first_week: dt.date | None
    conflicted: bool

    @property
    def changes(self) -> str:
        parts = []
        if self.moved:
            parts.append(
                ngettext("%(n)s moved", "%(n)s moved", self.moved) % {"n": self.moved}
            )
        if self.cancelled:
            parts.append(
                ngettext("%(n)s cancelled", "%(n)s cancelled", self.cancelled)
                % {"n": self.cancelled}
            )
        return ", ".join(parts)


@dataclass
class Group:
    organiser: User
    position: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Block:
    """A session placed on the week grid (percentages of the day column)."""

    session: Session
    conflicted: bool
    top: str = "0"
    height: str = "0"
    left: str = "0"
    width: str = "100"


@dataclass
class Day:
    date: dt.date
    blocks: list[Block]
    holiday: str = ""
    #: The most sessions side by side: the column gets wider rather than unreadable.
    lanes: int = 1


@dataclass
class Board:
    schedule: ScheduleDocument
    groups: list[Group]
    consultation_count: int
    session_count: int
    shown_count: int
    conflicts: list[Conflict]
    week: dt.date
    days: list[Day]
    #: (hour, its offset from the top of a day column in %) for the time axis.
    hours: list[tuple[int, str]]
    day_height: str
    organisers: list[tuple[int, str]]
    classes: list[tuple[int, str]]
    subjects: list[tuple[int, str]]

    @property
    def previous_week(self) -> dt.date:
        return self.week - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.week + dt.timedelta(days=7)

    @property
    def week_end(self) -> dt.date:
        return self.week + dt.timedelta(days=6)

    @property
    def week_in_period(self) -> bool:
        s = self.schedule
        return self.week <= s.ends_on and self.week_end >= s.starts_on

    @property
    def week_has_sessions(self) -> bool:
        return any(day.blocks for day in self.days)

    @property
    def grid_columns(self) -> str:
        """CSS columns: the time axis, then each day at least as wide as its
        sessions side by side need (the grid scrolls sideways when crowded)."""
        days = " ".join(
            f"minmax({max(day.lanes * LANE_REM, DAY_MIN_REM)}rem, 1fr)"
            for day in self.days
        )
        return f"3rem {days}"


@dataclass(frozen=True)
class BoardFilter:
    organiser: int | None = None
    school_class: int | None = None
    subject: int | None = None

    def matches(self, consultation: Consultation, class_ids: set[int]) -> bool:
        if self.organiser and consultation.organiser_id != self.organiser:
            return False
        if self.subject and consultation.subject_id != self.subject:
            return False
        return not (self.school_class and self.school_class not in class_ids)

    @property
    def active(self) -> bool:
        return bool(self.organiser or self.school_class or self.subject)


def _local(moment: dt.datetime) -> dt.datetime:
    return clock.local(moment)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.zone())


def _load_sessions(
    schedule: ScheduleDocument, consultations: dict[int, Consultation]
) -> list[Session]:
    """This schedule's sessions (any status) and other schedules' live sessions in
    the same weeks: a clash or a week's hours may involve both."""
    own = [
        Session(
            pk=o.pk,
            consultation=consultations[o.consultation_id],
            starts=_local(o.starts_at),
            ends=_local(o.ends_at),
            status=o.status,
            moved_from=o.moved_from,
            reason=o.change_reason,
            own=True,
        )
        for o in Occurrence.objects.filter(consultation__schedule=schedule).only(
            "pk",
            "consultation_id",
            "starts_at",
            "ends_at",
            "status",
            "moved_from",
            "change_reason",
        )
    ]
    if not own:
        return own
    lo = _midnight(min(s.week for s in own))
    hi = _midnight(max(s.week for s in own) + dt.timedelta(days=7))
    others = (
        Occurrence.objects.filter(starts_at__lt=hi, ends_at__gt=lo)
        .exclude(status=CANCELLED)
        .exclude(consultation__schedule=schedule)
        .select_related(
            "consultation__organiser",
            "consultation__subject",
            "consultation__schedule__period__year",
            "consultation__schedule__year",
        )
    )
    shared: dict[int, Consultation] = {}
    for o in others:
        consultation = shared.setdefault(o.consultation_id, o.consultation)
        own.append(
            Session(
                pk=o.pk,
                consultation=consultation,
                starts=_local(o.starts_at),
                ends=_local(o.ends_at),
                status=o.status,
                moved_from=o.moved_from,
                reason=o.change_reason,
                own=False,
            )
        )
    return own


def _overlapping_pairs(
    sessions: Iterable[Session], keys: Callable[[Session], Iterable]
) -> list[tuple[object, Session, Session]]:
    """(key, earlier, later) for every two live sessions with a common key that
    overlap in time, at least one of them this schedule's. A sweep per key."""
    by_key: dict[object, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.live:
            for key in keys(session):
                by_key[key].append(session)
    pairs = []
    for key, items in by_key.items():
        items.sort(key=lambda s: (s.starts, s.ends, s.pk))
        running: list[Session] = []
        for session in items:
            running = [r for r in running if r.ends > session.starts]
            pairs.extend(
                (key, earlier, session)
                for earlier in running
                if earlier.pk != session.pk and (earlier.own or session.own)
            )
            running.append(session)
    return pairs


def _conflicts(
    sessions: list[Session],
    contracts: dict[int, Contract],
    teachers: set[int],
    completions: dict[tuple[int, int], dt.date],
) -> list[Conflict]:
    conflicts: list[Conflict] = []

    def anchor(*pair: Session) -> Session:
        return next(s for s in pair if s.own)

    for _organiser, a, b in _overlapping_pairs(
        sessions, lambda s: [s.consultation.organiser_id]
    ):
        conflicts.append(
            Conflict(
                ConflictKind.ORGANISER_BUSY,
                _("%(name)s has two consultations at once: %(first)s and %(second)s.")
                % {
                    "name": a.organiser.full_name,
                    "first": a.describe(),
                    "second": b.describe(),
                },
                anchor(a, b),
                [s for s in (a, b) if s.own],
            )
        )
    classes = {}
    for session in sessions:
        for school_class in session.classes:
            classes[school_class.pk] = school_class
    for class_id, a, b in _overlapping_pairs(
        sessions, lambda s: [c.pk for c in s.classes]
    ):
        conflicts.append(
            Conflict(
                ConflictKind.CLASS_BUSY,
                _(
                    "Class %(class)s has two consultations at once: %(first)s, "
                    "%(who)s, and %(second)s, %(other)s."
                )
                % {
                    "class": classes[class_id],
                    "first": a.describe(),
                    "who": a.organiser.short_name,
                    "second": b.describe(),
                    "other": b.organiser.short_name,
                },
                anchor(a, b),
                [s for s in (a, b) if s.own],
            )
        )

    by_organiser: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.live:
            by_organiser[session.consultation.organiser_id].append(session)
    for organiser_id, items in by_organiser.items():
        mine = sorted((s for s in items if s.own), key=lambda s: s.starts)
        if not mine:
            continue
        organiser = mine[0].organiser
        contract = contracts.get(organiser_id)
        if contract is None:
            conflicts.append(
                Conflict(
                    ConflictKind.NO_CONTRACT,
                    _(
                        "The contract terms of %(name)s have not been entered, so "
                        "their consultations cannot be checked (R7)."
                    )
                    % {"name": organiser.full_name},
                    mine[0],
                    mine,
                )
            )
        elif organiser_id in teachers and contract.consultation_hours is not None:
            conflicts.extend(_weekly_hours(organiser, contract, items, mine))
        else:
            conflicts.extend(_working_time(organiser, contract, mine))

    conflicts.extend(_attestation(sessions, completions))
    conflicts.sort(key=lambda c: (c.anchor.starts, c.anchor.pk, c.kind))
    return conflicts


def _weekly_hours(organiser, contract, items, mine) -> list[Conflict]:
    allowed = contract.consultation_hours
    planned: dict[dt.date, Decimal] = defaultdict(Decimal)
    for session in items:
        planned[session.week] += session.hours
    own_by_week: dict[dt.date, list[Session]] = defaultdict(list)
    for session in mine:
        own_by_week[session.week].append(session)
    conflicts = []
    for week, own in sorted(own_by_week.items()):
        total = planned[week]
        if total > allowed:
            conflicts.append(
                Conflict(
                    ConflictKind.WEEKLY_HOURS,
                    _(
                        "In the week of %(start)s–%(end)s %(name)s has %(planned)s h "
                        "of consultations, but the contract allows %(allowed)s h a "
                        "week (%(over)s h too many) (R7)."
                    )
                    % {
                        "start": _date(week),
                        "end": _date(week + dt.timedelta(days=6)),
                        "name": organiser.full_name,
                        "planned": _hours(total),
                        "allowed": _hours(allowed),
                        "over": _hours(total - allowed),
                    },
                    own[0],
                    own,
                )
            )
    return conflicts


def _working_time(organiser, contract, mine) -> list[Conflict]:
    by_weekday = {wt.weekday: wt for wt in contract.working_times.all()}
    conflicts = []
    for session in mine:
        working = by_weekday.get(session.starts.weekday())
        if working is None:
            message = _(
                "%(date)s is not a working day of %(name)s under the contract (R7)."
            ) % {"date": _date(session.starts.date()), "name": organiser.full_name}
        elif (
            session.starts.time() < working.starts_at
            or session.ends.time() > working.ends_at
            or session.ends.date() != session.starts.date()
        ):
            message = _(
                "On %(date)s %(name)s works %(from)s–%(until)s under the contract; "
                "the consultation at %(start)s–%(end)s falls outside it (R7)."
            ) % {
                "date": _date(session.starts.date()),
                "name": organiser.full_name,
                "from": working.starts_at.strftime("%H:%M"),
                "until": working.ends_at.strftime("%H:%M"),
                "start": session.starts.strftime("%H:%M"),
                "end": session.ends.strftime("%H:%M"),
            }
        else:
            continue
        conflicts.append(
            Conflict(ConflictKind.WORKING_TIME, message, session, [session])
        )
    return conflicts


def _attestation(sessions, completions) -> list[Conflict]:
    """R11: the first live session of an attestation consultation comes on or after
    the program part's completion date of every class in the audience."""
    firsts: dict[int, Session] = {}
    for session in sessions:
        if session.own and session.live and session.consultation.is_attestation:
            first = firsts.get(session.consultation.pk)
            if first is None or session.starts < first.starts:
                firsts[session.consultation.pk] = session
    conflicts = []
    for first in firsts.values():
        consultation = first.consultation
        part = consultation.program_part
        for school_class in first.classes:
            done_on = completions.get((consultation.program_part_id, school_class.pk))
            if done_on is None:
                message = _(
                    "Class %(class)s has no planned completion date for «%(part)s»: "
                    "the attestation consultation of %(first)s cannot be checked "
                    "against it (R11)."
                ) % {
                    "class": school_class,
                    "part": part.title,
                    "first": _date(first.starts.date()),
                }
            elif first.starts.date() < done_on:
                message = _(
                    "Class %(class)s completes «%(part)s» on %(done)s; the "
                    "attestation consultation starts earlier, on %(first)s (R11)."
                ) % {
                    "class": school_class,
                    "part": part.title,
                    "done": _date(done_on),
                    "first": _date(first.starts.date()),
                }
            else:
                continue
            conflicts.append(
                Conflict(ConflictKind.ATTESTATION, message, first, [first])
            )
    return conflicts


def _lay_out(blocks: list[Block], first_hour: int, last_hour: int) -> int:
    """Place blocks in their day column; overlapping ones share its width.
    Returns the most sessions side by side (the column's lanes)."""
    span = (last_hour - first_hour) * 60
    blocks.sort(key=lambda b: (b.session.starts, b.session.ends, b.session.pk))
    cluster: list[tuple[Block, int]] = []
    lane_ends: list[dt.datetime] = []
    widest = 1

    def close() -> None:
        nonlocal widest
        widest = max(widest, len(lane_ends))
        for block, lane in cluster:
            width = 100 / len(lane_ends)
            block.left, block.width = f"{lane * width:.3f}", f"{width:.3f}"

    for block in blocks:
        s = block.session
        if cluster and all(end <= s.starts for end in lane_ends):
            close()
            cluster, lane_ends = [], []
        lane = next((i for i, end in enumerate(lane_ends) if end <= s.starts), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(s.ends)
        else:
            lane_ends[lane] = s.ends
        cluster.append((block, lane))
        start = (s.starts.hour - first_hour) * 60 + s.starts.minute
        minutes = max((s.ends - s.starts).total_seconds() / 60, 15)
        block.top = f"{max(start, 0) / span * 100:.3f}"
        block.height = f"{min(minutes, span - max(start, 0)) / span * 100:.3f}"
    if cluster:
        close()
    return widest


def default_week(schedule: ScheduleDocument, today: dt.date) -> dt.date:
    """This week while the period runs; otherwise its first week."""
    if schedule.starts_on <= today <= schedule.ends_on:
        return week_start(today)
    return week_start(schedule.starts_on)


def _audiences(
    schedule: ScheduleDocument,
    consultations: dict[int, Consultation],
    sessions: list[Session],
) -> tuple[dict[int, list[SchoolClass]], dict[int, int]]:
    """Classes of every consultation involved; how many chosen students this
    schedule's consultations have (names are not shown here: a count is enough)."""
    classes_of: dict[int, list[SchoolClass]] = defaultdict(list)
    students_of: dict[int, int] = defaultdict(int)
    others = {s.consultation.pk for s in sessions} - consultations.keys()
    if not consultations:
        return classes_of, students_of
    links = Consultation.audience_classes.through.objects.filter(
        Q(consultation__schedule=schedule) | Q(consultation_id__in=others)
    )
    for link in links.select_related("schoolclass").order_by(
        "schoolclass__grade", "schoolclass__letter"
    ):
        classes_of[link.consultation_id].append(link.schoolclass)
    students_of.update(
        Consultation.audience_students.through.objects.filter(
            consultation__schedule=schedule
        )
        .values_list("consultation_id")
        .annotate(n=Count("pk"))
    )
    for session in sessions:
        session.classes = tuple(classes_of[session.consultation.pk])
    return classes_of, students_of


@dataclass
class Terms:
    """What the conflicts are checked against (R7, R11)."""

    contracts: dict[int, Contract] = field(default_factory=dict)
    teachers: set[int] = field(default_factory=set)
    completions: dict[tuple[int, int], dt.date] = field(default_factory=dict)


def _terms(consultations: dict[int, Consultation], sessions: list[Session]) -> Terms:
    terms = Terms()
    organisers = {s.consultation.organiser_id for s in sessions} | {
        c.organiser_id for c in consultations.values()
    }
    if organisers:
        terms.contracts = {
            c.person_id: c
            for c in Contract.objects.filter(person_id__in=organisers).prefetch_related(
                "working_times"
            )
        }
        terms.teachers = set(
            RoleAssignment.objects.filter(
                user_id__in=organisers, role=Role.TEACHER
            ).values_list("user_id", flat=True)
        )
    parts = {c.program_part_id for c in consultations.values() if c.is_attestation}
    if parts:
        terms.completions = {
            (pc.program_part_id, pc.school_class_id): pc.planned_on
            for pc in ProgramPartCompletion.objects.filter(program_part_id__in=parts)
        }
    return terms


def _appendix(
    consultations: dict[int, Consultation],
    sessions: list[Session],
    classes_of: dict[int, list[SchoolClass]],
    students_of: dict[int, int],
    contracts: dict[int, Contract],
    conflicted: set[int],
    only: BoardFilter,
) -> list[Group]:
    """The list in the appendix's columns, grouped by organiser."""
    own_by_consultation: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.own:
            own_by_consultation[session.consultation.pk].append(session)
    groups: list[Group] = []
    number = 0
    for c in consultations.values():
        if not only.matches(c, {k.pk for k in classes_of[c.pk]}):
            continue
        number += 1
        mine = sorted(own_by_consultation[c.pk], key=lambda s: s.starts)
        live = [s for s in mine if s.live]
        regular = wall_clock.slot(
            c, max((s.moved_from or s.starts for s in mine), default=None)
        )
        contract = contracts.get(c.organiser_id)
        position = contract.position if contract else ""
        if not groups or groups[-1].organiser.pk != c.organiser_id:
            groups.append(Group(c.organiser, position))
        audience = ", ".join(str(k) for k in classes_of[c.pk])
        if students_of[c.pk]:
            chosen = ngettext(
                "%(n)s chosen student", "%(n)s chosen students", students_of[c.pk]
            ) % {"n": students_of[c.pk]}
            audience = f"{audience}; {chosen}" if audience else chosen
        groups[-1].rows.append(
            Row(
                number=number,
                consultation=c,
                position=position,
                classes=audience,
                weekday=formats.date_format(regular.starts.date(), "l"),
                time=regular.time_text,
                dates=wall_clock.dates_text(c),
                sessions=len(live),
                moved=sum(1 for s in live if s.moved_from),
                cancelled=len(mine) - len(live),
                first_week=(live or mine)[0].week if mine else None,
                conflicted=any(s.pk in conflicted for s in mine),
            )
        )
    return groups


def _hour_range(shown: list[Block]) -> tuple[int, int]:
    """The hours the week uses (at least MIN_HOURS), so a crowded afternoon is
    not squeezed into a day that starts at eight."""
    if not shown:
        return DAY_STARTS, DAY_ENDS
    first = min(b.session.starts.hour for b in shown)
    last = max(
        b.session.ends.hour + (1 if b.session.ends.minute else 0)
        if b.session.ends.date() == b.session.starts.date()
        else 24
        for b in shown
    )
    last = min(max(last, first + MIN_HOURS), 24)
    return min(first, last - MIN_HOURS), last


def _week_days(
    schedule: ScheduleDocument,
    sessions: list[Session],
    week: dt.date,
    conflicted: set[int],
    only: BoardFilter,
) -> tuple[list[Day], int, int]:
    """Monday to Saturday (Sunday only when something is on it), laid out."""
    sunday = week + dt.timedelta(days=6)
    holidays = list(
        Holiday.objects.filter(
            year_id=schedule.year_id, starts_on__lte=sunday, ends_on__gte=week
        )
    )
    blocks_by_day: dict[dt.date, list[Block]] = defaultdict(list)
    for session in sessions:
        if (
            session.own
            and week <= session.starts.date() <= sunday
            and only.matches(session.consultation, {k.pk for k in session.classes})
        ):
            blocks_by_day[session.starts.date()].append(
                Block(session, session.pk in conflicted)
            )
    first_hour, last_hour = _hour_range(
        [b for blocks in blocks_by_day.values() for b in blocks]
    )
    days = []
    for offset in range(7):
        day = week + dt.timedelta(days=offset)
        if day == sunday and not blocks_by_day.get(day):
            continue
        blocks = blocks_by_day.get(day, [])
        lanes = _lay_out(blocks, first_hour, last_hour)
        holiday = next(
            (h.name for h in holidays if h.starts_on <= day <= h.ends_on), ""
        )
        days.append(Day(day, blocks, holiday, lanes))
    return days, first_hour, last_hour


def schedule_board(
    schedule: ScheduleDocument,
    *,
    week: dt.date,
    only: BoardFilter | None = None,
) -> Board:
    """The document page's data: rows grouped by organiser, the grid of `week`
    (a Monday) and every conflict of the schedule. The filter narrows the list and
    the grid; conflicts are always the whole schedule's.

    At most eleven queries, however large the schedule."""
    only = only or BoardFilter()
    consultations = {
        c.pk: c
        for c in schedule.consultations.select_related(
            "organiser", "subject", "program_part"
        ).order_by(
            "organiser__last_name",
            "organiser__first_name",
            "organiser__pk",
            "starts_on",
            "start_time",
            "pk",
        )
    }
    sessions = _load_sessions(schedule, consultations)
    classes_of, students_of = _audiences(schedule, consultations, sessions)
    terms = _terms(consultations, sessions)
    conflicts = _conflicts(sessions, terms.contracts, terms.teachers, terms.completions)
    conflicted = {s.pk for c in conflicts for s in c.sessions}
    groups = _appendix(
        consultations,
        sessions,
        classes_of,
        students_of,
        terms.contracts,
        conflicted,
        only,
    )
    days, first_hour, last_hour = _week_days(schedule, sessions, week, conflicted, only)
    organisers, subjects, classes = {}, {}, {}
    for c in consultations.values():
        organisers[c.organiser_id] = c.organiser.full_name
        if c.subject_id:
            subjects[c.subject_id] = c.subject.name
        for k in classes_of[c.pk]:
            classes[k.pk] = k
    hours = last_hour - first_hour
    return Board(
        schedule=schedule,
        groups=groups,
        consultation_count=len(consultations),
        session_count=sum(1 for s in sessions if s.own and s.live),
        shown_count=sum(len(g.rows) for g in groups),
        conflicts=conflicts,
        week=week,
        days=days,
        hours=[
            (h, f"{(h - first_hour) / hours * 100:.3f}")
            for h in range(first_hour, last_hour)
        ],
        day_height=f"{hours * HOUR_REM}rem",
        organisers=sorted(organisers.items(), key=lambda i: i[1]),
        classes=[
            (k.pk, str(k))
            for k in sorted(classes.values(), key=lambda k: (k.grade, k.letter))
        ],
        subjects=sorted(subjects.items(), key=lambda i: i[1]),
    )


# --- Versions -------------------------------------------------------------------------


def versions_of(schedule: ScheduleDocument) -> QuerySet[ScheduleVersion]:
    """The versions, newest first, without their rows (a list needs no rows)."""
    return (
        schedule.versions.select_related("created_by").defer("rows").order_by("-number")
    )


@dataclass
class FrozenGroup:
    organiser: str
    position: str
    rows: list[dict]


def frozen_groups(rows: list[dict]) -> list[FrozenGroup]:
    """A version's rows grouped by organiser, in the order they were frozen."""
    groups: list[FrozenGroup] = []
    for row in rows:
        key = (row.get("organiser", ""), row.get("position", ""))
        if not groups or (groups[-1].organiser, groups[-1].position) != key:
            groups.append(FrozenGroup(*key, rows=[]))
        sessions = [
            {
                "when": _moment(s.get("starts_at", "")),
                "cancelled": s.get("status") == CANCELLED,
                "reason": s.get("reason", ""),
            }
            for s in row.get("sessions", [])
        ]
        groups[-1].rows.append({**row, "session_lines": sessions})
    return groups


#: The compared fields of services.version_diff(), as column titles.
FIELD_LABELS = {
    "organiser": gettext_lazy("Organiser"),
    "subject": gettext_lazy("Subject"),
    "classes": gettext_lazy("Classes"),
    "weekday": gettext_lazy("Day of the week"),
    "time": gettext_lazy("Time"),
    "dates": gettext_lazy("Dates"),
    "form": gettext_lazy("Form"),
    "kind": gettext_lazy("Kind"),
    "how_to_join": gettext_lazy("How to join"),
    "sessions": gettext_lazy("Sessions"),
}


def _moment(text: str) -> str:
    """A frozen session time (local ISO) as «17.11.2026 15:00», as it was stored."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return str(text)
    return formats.date_format(moment, "d.m.Y H:i")


def _status(value: str) -> str:
    try:
        return str(Occurrence.Status(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class SessionChange:
    before: str
    after: str
    reason: str


def _planned_or_held(status: str) -> str:
    # Marking a session held is the schedule being carried out, not amended.
    return Occurrence.Status.PLANNED if status == Occurrence.Status.HELD else status


def session_changes(before: dict, after: dict) -> list[SessionChange]:
    """What happened to each session between two frozen rows: moved, cancelled,
    added or removed (matched by their calendar UID). A session marked held in
    between is not a change of the schedule and is left out."""
    old = {s["uid"]: s for s in before.get("sessions", [])}
    new = {s["uid"]: s for s in after.get("sessions", [])}
    changes = []
    for uid in sorted(
        old.keys() | new.keys(), key=lambda u: (new.get(u) or old[u])["starts_at"]
    ):
        a, b = old.get(uid), new.get(uid)
        if a is None:
            changes.append(
                SessionChange("—", _moment(b["starts_at"]), b.get("reason", ""))
            )
            continue
        if b is None:
            changes.append(SessionChange(_moment(a["starts_at"]), "—", ""))
            continue
        was_status = _planned_or_held(a["status"])
        now_status = _planned_or_held(b["status"])
        if a["starts_at"] == b["starts_at"] and was_status == now_status:
            continue
        was, now = _moment(a["starts_at"]), _moment(b["starts_at"])
        if was_status != now_status:
            was = f"{was}, {_status(was_status).lower()}"
            now = f"{now}, {_status(now_status).lower()}"
        changes.append(SessionChange(was, now, b.get("reason", "")))
    return changes


def _text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ChangedRow:
    before: dict
    after: dict
    fields: list[FieldChange]
    sessions: list[SessionChange]


def changed_rows(diff: dict) -> list[ChangedRow]:
    """services.version_diff()'s «changed» as lines a person reads: each field
    before → after, and the sessions that moved or were cancelled. A row whose
    only difference is sessions marked held is left out."""
    result = []
    for item in diff["changed"]:
        before, after = item["before"], item["after"]
        fields = [
            FieldChange(
                str(FIELD_LABELS.get(name, name)),
                _text(before.get(name)),
                _text(after.get(name)),
            )
            for name in item["fields"]
            if name != "sessions"
        ]
        sessions = (
            session_changes(before, after) if "sessions" in item["fields"] else []
        )
        if fields or sessions:
            result.append(ChangedRow(before, after, fields, sessions))
    return result
