"""The schedule board (R7, R8, R11): the document page's list in the appendix's
columns, the sessions of a week and every conflict, from one `schedule_board()` call
that runs a fixed number of queries however many consultations the schedule holds.

Conflicts are the findings of `umka.consultations.rules` over the schedule's
sessions, listed rather than refused: they appear when data changes after planning
(a contract edited in the back office, a completion date moved, a session moved by
hand) — `conflicts.py`. How the week is drawn is `grid.py`'s.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import ngettext

from umka.accounts.models import User
from umka.consultations import wall_clock
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.recurrence import week_start
from umka.consultations.schedule.conflicts import Conflict, conflicts_of, terms_of
from umka.core import clock
from umka.school.models import (
    Contract,
    Holiday,
    SchoolClass,
)

CANCELLED = Occurrence.Status.CANCELLED


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
    """A session of the week shown on the grid (where it goes is `grid.py`'s)."""

    session: Session
    conflicted: bool


@dataclass
class Day:
    date: dt.date
    blocks: list[Block]
    holiday: str = ""


@dataclass
class Board:
    schedule: ScheduleDocument
    groups: list[Group]
    consultation_count: int
    session_count: int
    shown_count: int
    conflicts: list[Conflict]
    week: dt.date
    #: Monday to Saturday (Sunday only when something is on it).
    days: list[Day]
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


def _week_days(
    schedule: ScheduleDocument,
    sessions: list[Session],
    week: dt.date,
    conflicted: set[int],
    only: BoardFilter,
) -> list[Day]:
    """This schedule's sessions of the week, by day: Monday to Saturday (Sunday
    only when something is on it), with the holidays."""
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
    days = []
    for offset in range(7):
        day = week + dt.timedelta(days=offset)
        if day == sunday and not blocks_by_day.get(day):
            continue
        holiday = next(
            (h.name for h in holidays if h.starts_on <= day <= h.ends_on), ""
        )
        days.append(Day(day, blocks_by_day.get(day, []), holiday))
    return days


def schedule_board(
    schedule: ScheduleDocument,
    *,
    week: dt.date,
    only: BoardFilter | None = None,
) -> Board:
    """The document page's data: rows grouped by organiser, the sessions of `week`
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
    contracts, terms = terms_of(consultations, sessions)
    conflicts = conflicts_of(sessions, terms)
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
    days = _week_days(schedule, sessions, week, conflicted, only)
    organisers, subjects, classes = {}, {}, {}
    for c in consultations.values():
        organisers[c.organiser_id] = c.organiser.full_name
        if c.subject_id:
            subjects[c.subject_id] = c.subject.name
        for k in classes_of[c.pk]:
            classes[k.pk] = k
    return Board(
        schedule=schedule,
        groups=groups,
        consultation_count=len(consultations),
        session_count=sum(1 for s in sessions if s.own and s.live),
        shown_count=sum(len(g.rows) for g in groups),
        conflicts=conflicts,
        week=week,
        days=days,
        organisers=sorted(organisers.items(), key=lambda i: i[1]),
        classes=[
            (k.pk, str(k))
            for k in sorted(classes.values(), key=lambda k: (k.grade, k.letter))
        ],
        subjects=sorted(subjects.items(), key=lambda i: i[1]),
    )
