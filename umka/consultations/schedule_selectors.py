"""Reads for the schedule document screens (R7, R8, R11).

The document page — the appendix list, the week grid and the conflicts — comes from
one `schedule_board()` call that runs a fixed number of queries however many
consultations the schedule holds. Conflicts are computed here, not refused: they
appear when data changes after planning (a contract edited in the back office, a
program part's completion date moved, a session moved by hand).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from umka.accounts.models import Role, RoleAssignment, User
from umka.audit.models import AuditEntry
from umka.consultations import audit_actions, policies, rules, wall_clock
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
    def organiser(self) -> User:
        return self.consultation.organiser


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


#: The board's kind of conflict for each finding of the rules.
KIND_OF = {
    "organiser_busy": ConflictKind.ORGANISER_BUSY,
    "class_busy": ConflictKind.CLASS_BUSY,
    "weekly_hours_exceeded": ConflictKind.WEEKLY_HOURS,
    "contract_missing": ConflictKind.NO_CONTRACT,
    "not_a_working_day": ConflictKind.WORKING_TIME,
    "outside_working_time": ConflictKind.WORKING_TIME,
    "attestation_no_completion": ConflictKind.ATTESTATION,
    "attestation_too_early": ConflictKind.ATTESTATION,
}


def _conflicts(sessions: list[Session], terms: rules.Terms) -> list[Conflict]:
    """Every finding of the rules over the schedule's sessions (this schedule's are
    checked; other schedules' live sessions in the same weeks only count)."""
    checked = [
        rules.Session(
            s.starts,
            s.ends,
            s.consultation.organiser_id,
            tuple(k.pk for k in s.classes),
            consultation=s.consultation.pk,
            key=s.pk,
            live=s.live,
            checked=s.own,
            what=_what(s.consultation),
            schedule="" if s.own else str(s.consultation.schedule),
            part=s.consultation.program_part_id
            if s.consultation.is_attestation
            else None,
            ref=s,
        )
        for s in sessions
    ]
    conflicts = []
    for finding in rules.findings(checked, terms):
        own = [s.ref for s in finding.sessions if s.checked]
        conflicts.append(Conflict(KIND_OF[finding.code], finding.text, own[0], own))
    conflicts.sort(key=lambda c: (c.anchor.starts, c.anchor.pk, c.kind))
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


def _terms(
    consultations: dict[int, Consultation], sessions: list[Session]
) -> tuple[dict[int, Contract], rules.Terms]:
    """The organisers' contracts (their positions head the list) and the terms the
    rules check the sessions against (R7, R11)."""
    contracts: dict[int, Contract] = {}
    teachers: set[int] = set()
    organisers = {s.consultation.organiser_id for s in sessions} | {
        c.organiser_id for c in consultations.values()
    }
    if organisers:
        contracts = {
            c.person_id: c
            for c in Contract.objects.filter(person_id__in=organisers).prefetch_related(
                "working_times"
            )
        }
        teachers = set(
            RoleAssignment.objects.filter(
                user_id__in=organisers, role=Role.TEACHER
            ).values_list("user_id", flat=True)
        )
    terms = rules.Terms(
        contracts={
            pk: rules.ContractTerms.of(c, teacher=pk in teachers)
            for pk, c in contracts.items()
        }
    )
    for session in sessions:
        c = session.consultation
        terms.people[c.organiser_id] = (c.organiser.full_name, c.organiser.short_name)
        for k in session.classes:
            terms.classes[k.pk] = str(k)
        if session.own and c.is_attestation:
            terms.parts[c.program_part_id] = c.program_part.title
    parts = {c.program_part_id for c in consultations.values() if c.is_attestation}
    if parts:
        terms.completions = {
            (pc.program_part_id, pc.school_class_id): pc.planned_on
            for pc in ProgramPartCompletion.objects.filter(program_part_id__in=parts)
        }
    return contracts, terms


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
    contracts, terms = _terms(consultations, sessions)
    conflicts = _conflicts(sessions, terms)
    conflicted = {s.pk for c in conflicts for s in c.sessions}
    groups = _appendix(
        consultations,
        sessions,
        classes_of,
        students_of,
        contracts,
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
