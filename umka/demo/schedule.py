"""The demo school's consultation schedule (R7–R12), planned in memory like the rest
of the demo school: one «График консультаций» per study period, its consultations,
their dated sessions, attestation checklists and amendments.

Every session is placed through a ledger of who and which class is busy when; a
slot is taken only when the functions of `umka.consultations.rules` find nothing
against it, so the rules hold by construction and are written once: R7 (a teacher's
consultation hours, other staff's working time), no organiser or class booked twice,
R11 (attestation after every class in the audience has completed the part). R9
(recurring sessions over the whole period, skipping holidays), R10 (topics) and R12
(the checklist) follow from how the consultations are made. The demo tests check the
loaded school against the same rules again.
"""

import datetime as dt
import random
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from umka.accounts.models import User
from umka.consultations import rules
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.recurrence import session_dates, week_start
from umka.core import clock
from umka.demo import curriculum as cur
from umka.school.models import (
    AcademicYear,
    Contract,
    ProgramPart,
    ProgramPartCompletion,
    SchoolClass,
    StudyPeriod,
    TeachingAssignment,
    WorkingTime,
)

Form = Consultation.Form
Volume = Consultation.Volume
Purpose = Consultation.Purpose
Recurrence = Consultation.Recurrence
Status = ScheduleDocument.Status

GRID = 15  # start times fall on the quarter hour
AFTERNOON = ("14:30", "18:00")  # teachers consult after lessons
DURATIONS = (30, 40, 45, 60)
ATTESTATION_MINUTES = (60, 45, 40, 30)
ATTESTATIONS_PER_PERIOD = 2  # per teacher, for different classes or subjects

# How much a subject matters for help outside lessons (which groups a teacher
# picks for consultations); attestation preparation only for weight ≥ 3.
WEIGHT = {
    cur.RUSSIAN: 5,
    cur.MATHS: 5,
    cur.ALGEBRA: 5,
    cur.CALCULUS: 5,
    cur.GEOMETRY: 4,
    cur.PHYSICS: 4,
    cur.CHEMISTRY: 4,
    cur.FOREIGN: 4,
    cur.INFORMATICS: 3,
    cur.BIOLOGY: 3,
    cur.HISTORY: 3,
    cur.SOCIAL: 3,
    cur.LITERATURE: 3,
    cur.GEOGRAPHY: 3,
    cur.PROBABILITY: 2,
    cur.READING: 2,
    cur.WORLD: 2,
    cur.OBZR: 2,
}
MINOR = frozenset({cur.MUSIC, cur.ART, cur.CRAFT, cur.PE})
EXAM_GRADES = (9, 11)

WEBINAR_JOIN = "Вебинар в Умке (ссылка появится за 15 минут)"
ROOM_JOIN = "Комната в Умке (ссылка появится за 15 минут)"
CHAT_JOIN = "кабинет {room} / чат в Умке"

OVERVIEW_TEXTS = (
    "Обзор пройденного материала, ответы на вопросы, разбор ошибок в текущих работах.",
    "Повторение основных тем четверти для тех, кто пропустил уроки или хочет "
    "подтянуть оценки.",
    "Разбор домашних заданий, вызвавших затруднения; ответы на вопросы учащихся.",
)
TOPICAL_TEXT = (
    "Темы выбраны по результатам текущих оценок и обращениям учащихся и родителей."
)
ATTESTATION_TEXT = (
    "Подготовка к контрольной работе по разделу «{part}»: порядок проведения и "
    "оформление работы, разбор самых трудных заданий, критерии оценивания."
)
CHECKLIST_NOTES = {
    ChecklistItem.Kind.BRIEFING: (
        "Рассказали о порядке проведения контрольной работы по разделу «{part}» "
        "(один урок, 40 минут) и о правилах оформления: решение записывается "
        "полностью, черновик не проверяется."
    ),
    ChecklistItem.Kind.HARD_TASKS: (
        "Разобрали алгоритмы решения трёх самых трудных заданий демоверсии; "
        "записи решений выложены в чат консультации."
    ),
    ChecklistItem.Kind.CRITERIA: (
        "Объяснили критерии: «5» — от 90 % баллов, «4» — от 70 %, «3» — от 50 %; "
        "показали образцы оценённых работ."
    ),
}

#: The approval of version 1 (the Russian text services.schedule_approve records).
APPROVED_REASON = "Утверждён"
MOVE_REASON = "Педагогический совет: консультация перенесена на другой день"
COURSES_REASON = "Учитель на курсах повышения квалификации"
ILLNESS_REASON = "Болезнь учителя"
OLYMPIAD_REASON = "Учитель сопровождает учащихся на муниципальный этап олимпиады"

DRAFT_TEACHERS = 8  # besides `teacher`, who entered their consultations early


@dataclass(frozen=True)
class StaffOffer:
    """A non-subject consultation for parents (R3: deputies and other staff help
    within their working time, R7)."""

    position: str
    grades: tuple[int, ...]
    form: str
    recurrence: str
    minutes: int
    window: tuple[str, str]
    description: str
    topics: tuple[str, ...] = ()
    room: int = 0
    #: Which of several people with the same position (0: the first).
    nth: int = 0


UVR = "Заместитель директора по учебно-воспитательной работе"
STAFF_OFFERS = (
    StaffOffer(
        UVR,
        EXAM_GRADES,
        Form.VIDEOCONFERENCE,
        Recurrence.BIWEEKLY,
        45,
        ("15:00", "17:00"),
        "Организация обучения, промежуточная и итоговая аттестация: ответы на "
        "вопросы родителей.",
        (
            "Порядок и график промежуточной аттестации",
            "Итоговое собеседование (9 класс) и итоговое сочинение (11 класс)",
            "Выбор предметов для государственной итоговой аттестации",
        ),
    ),
    StaffOffer(
        UVR,
        (5, 6),
        Form.WEBINAR,
        Recurrence.BIWEEKLY,
        45,
        ("15:00", "17:00"),
        "Электронный журнал, домашние задания и учебная нагрузка: как помочь "
        "ребёнку учиться.",
        nth=1,
    ),
    StaffOffer(
        "Заместитель директора по воспитательной работе",
        (1, 2, 3, 4),
        Form.WEBINAR,
        Recurrence.BIWEEKLY,
        40,
        ("15:00", "17:00"),
        "Внеурочная деятельность, кружки и дополнительное образование в школе.",
    ),
    StaffOffer(
        "Педагог-психолог",
        (1, 5),
        Form.VIDEOCONFERENCE,
        Recurrence.WEEKLY,
        45,
        ("14:30", "17:00"),
        "Консультация педагога-психолога для родителей первоклассников и "
        "пятиклассников.",
        (
            "Адаптация к школе: чего ожидать в первые месяцы",
            "Режим дня и учебная нагрузка",
            "Как поддержать ребёнка при неудачах",
        ),
        room=105,
    ),
    StaffOffer(
        "Педагог-психолог",
        EXAM_GRADES,
        Form.CHAT,
        Recurrence.BIWEEKLY,
        45,
        ("14:30", "17:00"),
        "Психологическая подготовка к экзаменам: консультация для родителей.",
        (
            "Тревожность перед экзаменами: как помочь подростку",
            "Режим сна и отдыха во время подготовки",
            "Как говорить с подростком о результатах",
        ),
        room=105,
    ),
    StaffOffer(
        "Социальный педагог",
        (7, 8),
        Form.CHAT,
        Recurrence.BIWEEKLY,
        40,
        ("14:30", "17:00"),
        "Права и обязанности подростка, безопасность в интернете, меры социальной "
        "поддержки семей.",
        room=106,
    ),
    StaffOffer(
        "Учитель-логопед",
        (1, 2),
        Form.VIDEOCONFERENCE,
        Recurrence.WEEKLY,
        40,
        ("12:30", "14:00"),
        "Занятия с ребёнком дома: советы учителя-логопеда родителям.",
        (
            "Звуковой анализ слова: упражнения для занятий дома",
            "Профилактика ошибок на письме",
            "Развитие связной речи",
        ),
    ),
    StaffOffer(
        "Руководитель центра «Точка роста»",
        (8, 9, 10),
        Form.WEBINAR,
        Recurrence.BIWEEKLY,
        45,
        ("15:00", "17:00"),
        "Проектная и исследовательская деятельность в центре «Точка роста»: как "
        "выбрать тему и руководителя.",
    ),
)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


@dataclass
class Version:
    """A ScheduleVersion to write: its rows are made from the loaded schedule by
    `services.schedule_rows()` and turned back to the state at `created_at`."""

    document: ScheduleDocument
    number: int
    created_at: dt.datetime
    created_by: User
    reason: str


@dataclass
class SchedulePlan:
    documents: list[ScheduleDocument] = field(default_factory=list)
    consultations: list[Consultation] = field(default_factory=list)
    audiences: list[tuple[Consultation, SchoolClass]] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    checklist: list[ChecklistItem] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    #: id(document) → when it was opened (its consultations a day later).
    created: dict[int, dt.datetime] = field(default_factory=dict)
    #: id(occurrence) → the version number of the amendment that changed it.
    amended_in: dict[int, int] = field(default_factory=dict)


@dataclass
class _Offer:
    """What a teacher offers every period; the slot stays once found."""

    subject: str
    grade: int
    classes: list[SchoolClass]
    form: str
    volume: str
    recurrence: str
    minutes: int
    for_parents: bool
    description: str
    slot: tuple[int, int, int] | None = None  # weekday, start, week offset


class _Ledger:
    """Who and which class is busy when, as sessions of `umka.consultations.rules`:
    a candidate is free when the rules find nothing against it — no clash of its
    organiser or classes, its organiser's contract kept (R7)."""

    def __init__(self, terms: rules.Terms) -> None:
        self.terms = terms
        self.people: dict[tuple[int, dt.date], list[rules.Session]] = defaultdict(list)
        self.classes: dict[tuple[int, dt.date], list[rules.Session]] = defaultdict(list)
        self.weeks: dict[tuple[int, dt.date], list[rules.Session]] = defaultdict(list)

    def session(
        self, person, classes, day, start, end, *, checked=True, part=None
    ) -> rules.Session:
        return rules.Session(
            dt.datetime.combine(day, _clock(start), tzinfo=self.terms.zone),
            dt.datetime.combine(day, _clock(end), tzinfo=self.terms.zone),
            id(person),
            tuple(id(c) for c in classes),
            checked=checked,
            part=part,
        )

    def free(
        self,
        person: User,
        classes: Sequence[SchoolClass],
        day: dt.date,
        start: int,
        end: int,
    ) -> bool:
        candidate = self.session(person, classes, day, start, end)
        nearby = [
            *self.people[id(person), day],
            *(s for c in classes for s in self.classes[id(c), day]),
        ]
        if rules.clash_findings([candidate, *nearby], self.terms):
            return False
        week = self.weeks[id(person), week_start(day)]
        return not rules.contract_findings([candidate, *week], self.terms)

    def take(self, person, classes, day, start, end) -> None:
        taken = self.session(person, classes, day, start, end, checked=False)
        self.people[id(person), day].append(taken)
        for c in classes:
            self.classes[id(c), day].append(taken)
        self.weeks[id(person), week_start(day)].append(taken)

    def release(self, person, classes, day, start, end) -> None:
        taken = self.session(person, classes, day, start, end)

        def drop(sessions: list[rules.Session]) -> None:
            sessions.remove(
                next(
                    s
                    for s in sessions
                    if (s.organiser, s.starts_at, s.ends_at)
                    == (taken.organiser, taken.starts_at, taken.ends_at)
                )
            )

        drop(self.people[id(person), day])
        for c in classes:
            drop(self.classes[id(c), day])
        drop(self.weeks[id(person), week_start(day)])


class SchedulePlanner:
    """Plans the schedule of one demo year; call `plan()` once."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: dt.date,
        tz: zoneinfo.ZoneInfo,
        year: AcademicYear,
        periods: list[StudyPeriod],
        holidays: list[tuple[dt.date, dt.date]],
        classes: list[SchoolClass],
        contracts: list[Contract],
        working_times: list[WorkingTime],
        assignments: list[TeachingAssignment],
        parts: list[ProgramPart],
        completions: list[ProgramPartCompletion],
        logins: dict[str, User],
    ) -> None:
        self.rng, self.today, self.tz = rng, today, tz
        self.year, self.periods, self.holidays = year, periods, holidays
        self.logins = logins
        self.out = SchedulePlan()
        self.by_grade: dict[int, list[SchoolClass]] = defaultdict(list)
        for school_class in classes:
            self.by_grade[school_class.grade].append(school_class)
        self.contract_of = {id(c.person): c for c in contracts}
        self.teachers = [c.person for c in contracts if c.consultation_hours]
        self.hours_of = {
            id(c.person): int(c.consultation_hours * 60)
            for c in contracts
            if c.consultation_hours
        }
        self.working: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
        for wt in working_times:
            self.working[id(wt.contract.person)][wt.weekday] = (
                wt.starts_at.hour * 60 + wt.starts_at.minute,
                wt.ends_at.hour * 60 + wt.ends_at.minute,
            )
        self.groups: dict[int, dict[tuple[str, int], list[SchoolClass]]] = defaultdict(
            dict
        )
        for a in assignments:
            key = (a.subject.name, a.school_class.grade)
            own = self.groups[id(a.teacher)].setdefault(key, [])
            if a.school_class not in own:
                own.append(a.school_class)
        self.subject_of = {a.subject.name: a.subject for a in assignments}
        self.parts: dict[tuple[str, int], list[ProgramPart]] = defaultdict(list)
        for part in parts:
            self.parts[part.subject.name, part.grade].append(part)
        self.done_on = {
            (id(c.program_part), id(c.school_class)): c.planned_on for c in completions
        }
        self.ledger = _Ledger(
            rules.Terms(
                contracts={
                    id(c.person): rules.ContractTerms(
                        weekly_hours=c.consultation_hours or None,
                        working={
                            wt.weekday: (wt.starts_at, wt.ends_at)
                            for wt in working_times
                            if wt.contract is c
                        },
                    )
                    for c in contracts
                },
                completions=self.done_on,
                zone=tz,
            )
        )
        self.sessions_of: dict[int, list[Occurrence]] = defaultdict(list)
        self.classes_of: dict[int, list[SchoolClass]] = {}
        self.rooms: dict[int, int] = {}
        #: id(occurrence) → the amendment that cancelled or moved it.
        self.amended: dict[int, Version] = {}

    # -- helpers --------------------------------------------------------------------

    def _uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _at(self, day: dt.date, minutes: int) -> dt.datetime:
        return dt.datetime.combine(day, _clock(minutes), tzinfo=self.tz)

    def _moment(self, day: dt.date, first: str, last: str) -> dt.datetime:
        """A random time of day between `first` and `last` (HH:MM)."""
        minutes = self.rng.randint(_minutes(first), _minutes(last))
        return self._at(day, minutes)

    @staticmethod
    def _weekday(day: dt.date, step: int = -1) -> dt.date:
        """`day`, or the nearest working day before it (after it: step=1)."""
        while day.weekday() >= 5:
            day += dt.timedelta(days=step)
        return day

    def _span(self, occurrence: Occurrence) -> tuple[dt.date, int, int]:
        start = occurrence.starts_at.astimezone(self.tz)
        end = occurrence.ends_at.astimezone(self.tz)
        return (
            start.date(),
            start.hour * 60 + start.minute,
            end.hour * 60 + end.minute,
        )

    def _room(self, person: User) -> int:
        if id(person) not in self.rooms:
            taken = set(self.rooms.values())
            room = self.rng.choice(
                [n for n in (*range(201, 226), *range(301, 326)) if n not in taken]
            )
            self.rooms[id(person)] = room
        return self.rooms[id(person)]

    def _how_to_join(self, form: str, person: User, room: int = 0) -> str:
        if form == Form.WEBINAR:
            return WEBINAR_JOIN
        if form == Form.VIDEOCONFERENCE:
            return ROOM_JOIN
        return CHAT_JOIN.format(room=room or self._room(person))

    def _window(self, person: User, weekday: int, window: tuple[str, str]):
        """Start and end of the time a person may consult on a weekday."""
        first, last = _minutes(window[0]), _minutes(window[1])
        if id(person) in self.hours_of:
            return first, last
        working = self.working[id(person)].get(weekday)
        if working is None:
            return None
        return max(first, working[0]), min(last, working[1])

    def _slots(self, person, window, minutes, preferred):
        """Candidate (weekday, start, week offset) in a random order; the slot
        the person had last period first."""
        slots = []
        for weekday in range(5):
            bounds = self._window(person, weekday, window)
            if bounds is None:
                continue
            start = -(-bounds[0] // GRID) * GRID
            while start + minutes <= bounds[1]:
                slots.append((weekday, start, self.rng.randrange(2)))
                start += GRID
        self.rng.shuffle(slots)
        if preferred is not None:
            slots.sort(key=lambda s: s[:2] != preferred[:2])
            slots = [preferred if s[:2] == preferred[:2] else s for s in slots]
        return slots

    # -- documents ------------------------------------------------------------------

    def plan(self) -> SchedulePlan:
        started = [p for p in self.periods if p.starts_on <= self.today]
        upcoming = [p for p in self.periods if p.starts_on > self.today]
        self.staff_offers = self._staff_offers()
        self.offers = {id(t): self._teacher_offers(t) for t in self.teachers}
        order_number = self.rng.randint(60, 90)
        for period in started:
            document = self._document(period)
            order_number += self.rng.randint(35, 70)
            self._approve(document, order_number)
            self._fill(document, full=True)
        if upcoming:
            document = self._document(upcoming[0])
            self._submit(document)
            self._fill(document, full=True)
        if len(upcoming) > 1:
            document = self._document(upcoming[1])
            self._draft(document)
            self._fill(document, full=False)
        for period in upcoming[2:]:
            self._draft(self._document(period))
        published = [
            d
            for d in self.out.documents
            if d.status == ScheduleDocument.Status.PUBLISHED
        ]
        if published:
            self._move_one(published[-1])
        self._outcomes(published)
        self._versions(published)
        return self.out

    def _document(self, period: StudyPeriod) -> ScheduleDocument:
        document = ScheduleDocument(year=self.year, period=period)
        self.out.documents.append(document)
        return document

    def _approve(self, document: ScheduleDocument, number: int) -> None:
        """Submitted by `deputy`, approved by `director` («УТВЕРЖДАЮ») and published
        a few days before the period starts."""
        rng, start = self.rng, document.period.starts_on
        director = self.logins["director"]
        approved_on = self._weekday(start - dt.timedelta(days=rng.randint(3, 6)))
        submitted_on = self._weekday(approved_on - dt.timedelta(days=rng.randint(1, 3)))
        document.status = Status.PUBLISHED
        document.submitted_by = self.logins["deputy"]
        document.submitted_at = self._moment(submitted_on, "10:00", "16:00")
        document.approved_by = director
        document.approved_at = self._moment(approved_on, "09:00", "12:00")
        document.approver_position = self.contract_of[id(director)].position
        document.order_number = f"{number}-о"
        document.order_date = approved_on
        document.published_at = document.approved_at + dt.timedelta(
            minutes=rng.randint(60, 300)
        )
        document.version = 1
        self.out.created[id(document)] = document.submitted_at - dt.timedelta(
            days=rng.randint(7, 12)
        )

    def _submit(self, document: ScheduleDocument) -> None:
        """Waiting for the director: a demo visitor approves it."""
        document.status = Status.SUBMITTED
        document.submitted_by = self.logins["deputy"]
        submitted_on = self.today - dt.timedelta(days=self.rng.randint(1, 4))
        document.submitted_at = self._moment(
            self._weekday(submitted_on), "10:00", "16:00"
        )
        self.out.created[id(document)] = document.submitted_at - dt.timedelta(
            days=self.rng.randint(7, 12)
        )

    def _draft(self, document: ScheduleDocument) -> None:
        document.status = Status.DRAFT
        self.out.created[id(document)] = self._moment(
            self.today - dt.timedelta(days=self.rng.randint(2, 6)), "09:00", "17:00"
        )

    # -- offers ---------------------------------------------------------------------

    def _staff_offers(self) -> list[tuple[User, StaffOffer]]:
        by_position: dict[str, list[User]] = defaultdict(list)
        for contract in self.contract_of.values():
            by_position[contract.position].append(contract.person)
        deputy = self.logins["deputy"]
        if deputy in by_position[UVR]:  # `deputy` holds the first UVR offer
            by_position[UVR].remove(deputy)
            by_position[UVR].insert(0, deputy)
        return [
            (by_position[offer.position][offer.nth], offer)
            for offer in STAFF_OFFERS
            if len(by_position[offer.position]) > offer.nth
        ]

    def _teacher_offers(self, teacher: User) -> list[_Offer]:
        """One or two subject consultations for the classes a teacher teaches,
        within the weekly hours the contract sets aside (R7)."""
        rng = self.rng
        groups = self.groups[id(teacher)]
        if not groups:
            return []
        scored = sorted(
            groups,
            key=lambda key: (
                -(
                    WEIGHT.get(key[0], 1)
                    + (2 if key[1] in EXAM_GRADES else 0)
                    + rng.random() * 1.5
                )
            ),
        )
        if teacher is self.logins["teacher"]:  # maths in 7А, the demo class
            demo = next(k for k in scored if k[1] == 7 and k[0] == cur.ALGEBRA)
            scored.remove(demo)
            scored.insert(0, demo)
        minor = all(subject in MINOR for subject, _g in groups)
        chosen = [scored[0]]
        if not minor:
            others = [k for k in scored[1:] if k[1] != chosen[0][1]] or [
                k for k in scored[1:] if k[0] != chosen[0][0]
            ]
            chosen += others[:1]
        budget = self.hours_of[id(teacher)]
        eligible = self._eligible(teacher)
        plan = self._durations(budget, len(chosen), eligible, minor)
        offers = []
        for (subject, grade), (minutes, recurrence) in zip(chosen, plan, strict=False):
            young = grade <= 2
            forms = (
                (Form.VIDEOCONFERENCE, Form.WEBINAR)
                if young
                else (Form.VIDEOCONFERENCE,) * 4
                + (Form.WEBINAR,) * 2
                + (Form.CHAT,) * 3
            )
            topical = rng.random() < 0.5
            offers.append(
                _Offer(
                    subject=subject,
                    grade=grade,
                    classes=groups[subject, grade],
                    form=rng.choice(forms),
                    volume=Volume.TOPICAL if topical else Volume.OVERVIEW,
                    recurrence=recurrence,
                    minutes=minutes,
                    for_parents=young,
                    description=TOPICAL_TEXT if topical else rng.choice(OVERVIEW_TEXTS),
                )
            )
        return offers

    def _eligible(self, teacher: User) -> list[tuple[str, int]]:
        """The groups a teacher may prepare for attestation (main subjects)."""
        return [
            key
            for key in self.groups[id(teacher)]
            if WEIGHT.get(key[0], 0) >= 3 and key[1] >= 2
        ]

    def _durations(self, budget, n, eligible, minor):
        """(minutes, recurrence) for n consultations: at most `budget` minutes in a
        week when all meet; a teacher who prepares classes for attestation keeps
        some minutes free every week (or every other week)."""
        rng = self.rng
        room = 0
        if eligible:
            room = 40 if budget >= 120 else 30 if rng.random() < 0.6 else 0
        for _attempt in range(60):
            plan = [
                (
                    rng.choice(DURATIONS),
                    Recurrence.WEEKLY
                    if rng.random() < (0.5 if minor else 0.95 if i == 0 else 0.85)
                    else Recurrence.BIWEEKLY,
                )
                for i in range(n)
            ]
            peak = sum(m for m, _r in plan)
            every_week = sum(m for m, r in plan if r == Recurrence.WEEKLY)
            if peak <= budget and budget - every_week >= room:
                return plan
        return [(30, Recurrence.WEEKLY)]

    # -- placing --------------------------------------------------------------------

    def _fill(self, document: ScheduleDocument, *, full: bool) -> None:
        """The consultations of one period: all of them, or the few a draft has."""
        if full:
            for person, offer in self.staff_offers:
                self._place_staff(document, person, offer)
            for teacher in self.teachers:
                for offer in self.offers[id(teacher)]:
                    self._place_offer(document, teacher, offer)
            for teacher in self.teachers:
                self._place_attestation(document, teacher)
            return
        demo = self.logins["teacher"]
        others = [t for t in self.teachers if t is not demo and self.offers[id(t)]]
        for offer in self.offers[id(demo)]:
            self._place_offer(document, demo, offer)
        for teacher in self.rng.sample(others, min(DRAFT_TEACHERS, len(others))):
            self._place_offer(document, teacher, self.offers[id(teacher)][0])

    def _recurring_dates(self, period, weekday, offset, recurrence) -> list[dt.date]:
        first = period.starts_on + dt.timedelta(
            days=(weekday - period.starts_on.weekday()) % 7 + 7 * offset
        )
        if first > period.ends_on:
            return []
        dates, _skipped = session_dates(
            recurrence, first, period.ends_on, self.holidays
        )
        return dates

    def _try_recurring(self, person, classes, period, slots, minutes, recurrence):
        for weekday, start, offset in slots:
            if recurrence == Recurrence.WEEKLY:
                offset = 0
            dates = self._recurring_dates(period, weekday, offset, recurrence)
            if dates and all(
                self.ledger.free(person, classes, day, start, start + minutes)
                for day in dates
            ):
                return (weekday, start, offset), dates
        return None, []

    def _consultation(
        self, document, organiser, classes, dates, start, minutes, **fields
    ) -> Consultation:
        recurring = fields.get("recurrence", Recurrence.ONCE) != Recurrence.ONCE
        consultation = Consultation(
            schedule=document,
            organiser=organiser,
            starts_on=dates[0],
            start_time=_clock(start),
            duration_minutes=minutes,
            repeat_until=document.period.ends_on if recurring else None,
            created_by=organiser,
            **fields,
        )
        self.out.consultations.append(consultation)
        self.out.audiences.extend((consultation, c) for c in classes)
        self.classes_of[id(consultation)] = list(classes)
        for day in dates:
            self.ledger.take(organiser, classes, day, start, start + minutes)
            occurrence = Occurrence(
                consultation=consultation,
                uid=self._uid(),
                starts_at=self._at(day, start),
                ends_at=self._at(day, start + minutes),
            )
            self.out.occurrences.append(occurrence)
            self.sessions_of[id(consultation)].append(occurrence)
        return consultation

    def _place_staff(self, document, person, offer: StaffOffer) -> None:
        classes = [c for g in offer.grades for c in self.by_grade[g]]
        slots = self._slots(person, offer.window, offer.minutes, None)
        slot, dates = self._try_recurring(
            person, classes, document.period, slots, offer.minutes, offer.recurrence
        )
        if slot is None:
            return
        self._consultation(
            document,
            person,
            classes,
            dates,
            slot[1],
            offer.minutes,
            for_parents=True,
            form=offer.form,
            volume=Volume.TOPICAL if offer.topics else Volume.OVERVIEW,
            topics="\n".join(offer.topics),
            recurrence=offer.recurrence,
            description=offer.description,
            how_to_join=self._how_to_join(offer.form, person, offer.room),
        )

    def _place_offer(self, document, teacher, offer: _Offer) -> None:
        slots = self._slots(teacher, AFTERNOON, offer.minutes, offer.slot)
        slot, dates = self._try_recurring(
            teacher,
            offer.classes,
            document.period,
            slots,
            offer.minutes,
            offer.recurrence,
        )
        if slot is None:
            return
        offer.slot = slot
        topics = ""
        if offer.volume == Volume.TOPICAL:
            topics = self._topics(offer, document.period)
        self._consultation(
            document,
            teacher,
            offer.classes,
            dates,
            slot[1],
            offer.minutes,
            subject=self.subject_of[offer.subject],
            for_parents=offer.for_parents,
            form=offer.form,
            volume=offer.volume,
            topics=topics,
            recurrence=offer.recurrence,
            description=offer.description,
            how_to_join=self._how_to_join(offer.form, teacher),
        )

    def _topics(self, offer: _Offer, period: StudyPeriod) -> str:
        """R10: 2–4 program parts studied around this period, in program order."""
        parts = self.parts[offer.subject, offer.grade]
        first = offer.classes[0]
        middle = period.starts_on + (period.ends_on - period.starts_on) / 2
        nearest = sorted(
            parts, key=lambda p: abs((self.done_on[id(p), id(first)] - middle).days)
        )
        chosen = nearest[: self.rng.randint(2, 4)]
        return "\n".join(p.title for p in sorted(chosen, key=lambda p: p.number))

    def _place_attestation(self, document, teacher) -> None:
        """R11: group consultations before the attestation on a part that every
        class in the audience has completed, near the end of the period (one per
        class group, at most ATTESTATIONS_PER_PERIOD a teacher)."""
        period, rng = document.period, self.rng
        groups = self._eligible(teacher)
        demo = teacher is self.logins["teacher"]
        rng.shuffle(groups)
        groups.sort(key=lambda k: not (demo and k == (cur.ALGEBRA, 7)))
        placed = 0
        for subject, grade in groups:
            if placed == ATTESTATIONS_PER_PERIOD:
                return
            classes = self.groups[id(teacher)][subject, grade]
            done = [
                (max(self.done_on[id(p), id(c)] for c in classes), p)
                for p in self.parts[subject, grade]
            ]
            done = [(d, p) for d, p in done if period.starts_on <= d < period.ends_on]
            for _completed, part in sorted(done, key=lambda x: x[0], reverse=True):
                slot = self._attestation_slot(teacher, classes, period, part)
                if slot is not None:
                    self._attestation(document, teacher, classes, part, *slot)
                    placed += 1
                    break

    def _attestation_slot(self, teacher, classes, period, part):
        """(day, start, minutes) in the last three weeks of the period, on a day the
        rules allow an attestation consultation on `part` (R11)."""
        rng = self.rng
        first = max(period.starts_on, period.ends_on - dt.timedelta(days=21))
        days = [
            first + dt.timedelta(days=n)
            for n in range((period.ends_on - first).days + 1)
        ]
        days = [
            d
            for d in days
            if d.weekday() < 5
            and not any(s <= d <= e for s, e in self.holidays)
            and self._after_completion(teacher, classes, part, d)
        ]
        rng.shuffle(days)
        for day in days:
            for minutes in ATTESTATION_MINUTES:
                starts = list(
                    range(
                        _minutes(AFTERNOON[0]),
                        _minutes(AFTERNOON[1]) - minutes + 1,
                        GRID,
                    )
                )
                rng.shuffle(starts)
                for start in starts:
                    end = start + minutes
                    if self.ledger.free(teacher, classes, day, start, end):
                        return day, start, minutes
        return None

    def _after_completion(self, teacher, classes, part, day: dt.date) -> bool:
        """R11, as the rules say it: every class has completed `part` by `day`."""
        probe = self.ledger.session(
            teacher,
            classes,
            day,
            _minutes(AFTERNOON[0]),
            _minutes(AFTERNOON[1]),
            part=id(part),
        )
        return not rules.attestation_findings([probe], self.ledger.terms)

    def _attestation(self, document, teacher, classes, part, day, start, minutes):
        form = self.rng.choice((Form.WEBINAR, Form.VIDEOCONFERENCE))
        consultation = self._consultation(
            document,
            teacher,
            classes,
            [day],
            start,
            minutes,
            subject=part.subject,
            form=form,
            volume=Volume.OVERVIEW,
            purpose=Purpose.ATTESTATION,
            program_part=part,
            recurrence=Recurrence.ONCE,
            description=ATTESTATION_TEXT.format(part=part.title),
            how_to_join=self._how_to_join(form, teacher),
        )
        for occurrence in self.sessions_of[id(consultation)]:
            self.out.checklist.extend(
                ChecklistItem(occurrence=occurrence, kind=kind)
                for kind in ChecklistItem.Kind.values
            )

    # -- what happened --------------------------------------------------------------

    def _move_one(self, document: ScheduleDocument) -> None:
        """An amendment in the current period: a session of `teacher` for 7А moved
        to another day of the same week (known before the period began)."""
        teacher = self.logins["teacher"]
        ongoing = [
            c
            for c in self.out.consultations
            if c.schedule is document
            and c.organiser is teacher
            and c.purpose == Purpose.ONGOING
            and any(str(k) == "7А" for k in self.classes_of[id(c)])
        ]
        for consultation in ongoing:
            sessions = self.sessions_of[id(consultation)][1:]
            upcoming = [o for o in sessions if o.starts_at.date() > self.today]
            for occurrence in upcoming[:3] + sessions[::-1]:
                if self._move(document, consultation, occurrence):
                    return

    def _move(self, document, consultation, occurrence) -> bool:
        classes = self.classes_of[id(consultation)]
        teacher = consultation.organiser
        day, start, end = self._span(occurrence)
        monday = week_start(day)
        options = [monday + dt.timedelta(days=n) for n in range(5)]
        options = [
            d
            for d in options
            if d != day
            and document.period.starts_on <= d <= document.period.ends_on
            and not any(s <= d <= e for s, e in self.holidays)
        ]
        options.sort(key=lambda d: (d < day, abs((d - day).days)))
        self.ledger.release(teacher, classes, day, start, end)
        for new_day in options:
            for new_start in (start, start + 30, start - 30, start + 60):
                new_end = new_start + end - start
                if new_start < _minutes(AFTERNOON[0]) or new_end > _minutes(
                    AFTERNOON[1]
                ):
                    continue
                if self.ledger.free(teacher, classes, new_day, new_start, new_end):
                    self.ledger.take(teacher, classes, new_day, new_start, new_end)
                    occurrence.moved_from = occurrence.starts_at
                    occurrence.starts_at = self._at(new_day, new_start)
                    occurrence.ends_at = self._at(new_day, new_end)
                    occurrence.change_reason = MOVE_REASON
                    occurrence.sequence = 1
                    moved_on = self._weekday(
                        document.published_at.date() + dt.timedelta(days=1), step=1
                    )
                    moved_at = self._moment(moved_on, "09:00", "12:00")
                    self._amendment(
                        document, moved_at, teacher, MOVE_REASON, [occurrence]
                    )
                    return True
        self.ledger.take(teacher, classes, day, start, end)
        return False

    def _amendment(self, document, at, actor, reason, occurrences) -> None:
        version = Version(document, 0, at, actor, reason)  # numbered in _versions
        self.out.versions.append(version)
        for occurrence in occurrences:
            self.amended[id(occurrence)] = version

    def _outcomes(self, published: list[ScheduleDocument]) -> None:
        """Past sessions of the published periods: most held, a few cancelled (each
        cancellation an amendment), a few not marked yet; attestation checklists
        done — but for one recent session with one item still open (R12)."""
        rng, today = self.rng, self.today
        deputy = self.logins["deputy"]
        for document in published:
            # From the second week: a cancellation is an amendment recorded before
            # the session, after the period's own amendments made before it began.
            start = document.period.starts_on + dt.timedelta(days=10)
            past = [
                o
                for c in self.out.consultations
                if c.schedule is document and c.purpose == Purpose.ONGOING
                for o in self.sessions_of[id(c)]
                if start <= o.starts_at.date() < today and o.moved_from is None
            ]
            if not past:
                continue
            # Courses: one teacher's sessions of one week.
            teacher = rng.choice(
                [
                    o.consultation.organiser
                    for o in past
                    if id(o.consultation.organiser) in self.hours_of
                ]
                or [past[0].consultation.organiser]
            )
            week = week_start(
                rng.choice(
                    [o for o in past if o.consultation.organiser is teacher]
                ).starts_at.date()
            )
            away = [
                o
                for o in past
                if o.consultation.organiser is teacher
                and week_start(o.starts_at.date()) == week
            ]
            at = self._moment(week - dt.timedelta(days=3), "10:00", "15:00")
            self._cancel(document, away, COURSES_REASON, deputy, at)
            rest = [o for o in past if o.status == Occurrence.Status.PLANNED]
            for reason in (ILLNESS_REASON, OLYMPIAD_REASON):
                if not rest:
                    break
                occurrence = rng.choice(rest)
                rest.remove(occurrence)
                day = occurrence.starts_at.date()
                if reason == ILLNESS_REASON:
                    at, actor = self._moment(day, "08:00", "09:30"), deputy
                else:
                    notice = self._weekday(day - dt.timedelta(days=2))
                    at = self._moment(notice, "12:00", "16:00")
                    actor = occurrence.consultation.organiser
                self._cancel(document, [occurrence], reason, actor, at)
        sessions = [
            o
            for d in published
            for c in self.out.consultations
            if c.schedule is d
            for o in self.sessions_of[id(c)]
        ]
        past = [
            o
            for o in sessions
            if o.starts_at.date() < today and o.status == Occurrence.Status.PLANNED
        ]
        # Two sessions of the last week the teacher has not marked yet.
        recent = [
            o
            for o in past
            if o.starts_at.date() >= today - dt.timedelta(days=7)
            and o.consultation.purpose == Purpose.ONGOING
            and o.moved_from is None
        ]
        unmarked = {id(o) for o in rng.sample(recent, min(2, len(recent)))}
        attestation = [o for o in past if o.consultation.purpose == Purpose.ATTESTATION]
        demo = [
            o for o in attestation if o.consultation.organiser is self.logins["teacher"]
        ]
        open_item = max(demo or attestation, key=lambda o: o.starts_at, default=None)
        items = defaultdict(list)
        for item in self.out.checklist:
            items[id(item.occurrence)].append(item)
        for occurrence in past:
            organiser = occurrence.consultation.organiser
            part = occurrence.consultation.program_part
            for n, item in enumerate(items.get(id(occurrence), [])):
                if occurrence is open_item and n == 2:
                    break
                item.done = True
                item.done_by = organiser
                item.done_at = occurrence.starts_at + dt.timedelta(minutes=10 + 12 * n)
                item.note = CHECKLIST_NOTES[item.kind].format(part=part.title)
            if occurrence is open_item or id(occurrence) in unmarked:
                continue
            occurrence.status = Occurrence.Status.HELD
            occurrence.held_by = organiser
            occurrence.held_at = occurrence.ends_at + dt.timedelta(
                minutes=rng.randint(2, 50)
            )

    def _cancel(self, document, occurrences, reason, actor, at) -> None:
        for occurrence in occurrences:
            occurrence.status = Occurrence.Status.CANCELLED
            occurrence.change_reason = reason
            occurrence.sequence = 1
            day, start, end = self._span(occurrence)
            self.ledger.release(
                occurrence.consultation.organiser,
                self.classes_of[id(occurrence.consultation)],
                day,
                start,
                end,
            )
        self._amendment(document, at, actor, reason, occurrences)

    def _versions(self, published: list[ScheduleDocument]) -> None:
        """Version 1 at approval, then one per amendment in time order (R8)."""
        amendments = self.out.versions
        self.out.versions = []
        for document in published:
            self.out.versions.append(
                Version(
                    document,
                    1,
                    document.approved_at,
                    document.approved_by,
                    APPROVED_REASON,
                )
            )
            own = sorted(
                (v for v in amendments if v.document is document),
                key=lambda v: v.created_at,
            )
            for number, version in enumerate(own, start=2):
                version.number = number
                self.out.versions.append(version)
            document.version = 1 + len(own)
        self.out.amended_in = {
            key: version.number for key, version in self.amended.items()
        }


def rows_as_of(rows: list[dict], version: Version, plan: SchedulePlan) -> list[dict]:
    """The rows of `services.schedule_rows()` as they stood when `version` was
    made: sessions held later are still planned, later amendments not yet made."""
    by_uid = {str(o.uid): o for o in plan.occurrences}
    result = []
    for row in rows:
        sessions = []
        for session in row["sessions"]:
            occurrence = by_uid[session["uid"]]
            session = dict(session)
            changed_in = plan.amended_in.get(id(occurrence))
            if changed_in is not None and changed_in > version.number:
                session["status"] = Occurrence.Status.PLANNED
                session["reason"] = ""
                if occurrence.moved_from is not None:
                    session["starts_at"] = clock.local(
                        occurrence.moved_from
                    ).isoformat()
            if (
                occurrence.status == Occurrence.Status.HELD
                and occurrence.held_at > version.created_at
            ):
                session["status"] = Occurrence.Status.PLANNED
            sessions.append(session)
        result.append({**row, "sessions": sessions})
    return result


# --- Fingerprint -------------------------------------------------------------------
# The same lines from the plan (below) and from the database (selectors), so that
# DemoPlan.digest() and selectors.loaded_digest() cover the schedule too.


def document_line(period, status, version, order_number, submitted, approved) -> str:
    return f"S|{period}|{status}|{version}|{order_number}|{submitted}|{approved}"


def consultation_line(
    period,
    organiser,
    subject,
    classes: Sequence[str],
    form,
    volume,
    purpose,
    recurrence,
    starts_on: dt.date,
    start_time: dt.time,
    minutes,
    for_parents,
    part,
    topics,
    how_to_join,
) -> str:
    return "|".join(
        (
            "C",
            str(period),
            organiser,
            subject,
            ",".join(sorted(classes, key=lambda name: (int(name[:-1]), name[-1]))),
            form,
            volume,
            purpose,
            recurrence,
            starts_on.isoformat(),
            f"{start_time:%H:%M}",
            str(minutes),
            str(for_parents),
            part,
            topics.replace("\n", "/"),
            how_to_join,
        )
    )


def part_key(part: ProgramPart | None) -> str:
    return f"{part.subject.name}/{part.grade}/{part.number}" if part else ""


def occurrence_line(
    organiser, starts_at, status, moved_from, uid, sequence, done, tz
) -> str:
    moved = f"{moved_from.astimezone(tz):%Y-%m-%d %H:%M}" if moved_from else ""
    return (
        f"O|{organiser}|{starts_at.astimezone(tz):%Y-%m-%d %H:%M}|{status}|{moved}|"
        f"{uid}|{sequence}|{done}"
    )


def version_line(period, number, reason, created_by) -> str:
    return f"V|{period}|{number}|{reason}|{created_by}"


def plan_lines(schedule: SchedulePlan, tz: zoneinfo.ZoneInfo) -> list[str]:
    """The fingerprint lines of a planned schedule."""
    lines = [
        document_line(
            d.period.number,
            d.status,
            d.version,
            d.order_number,
            d.submitted_by.username if d.submitted_by else "",
            d.approved_by.username if d.approved_by else "",
        )
        for d in schedule.documents
    ]
    classes: dict[int, list[str]] = defaultdict(list)
    for consultation, school_class in schedule.audiences:
        classes[id(consultation)].append(str(school_class))
    lines += [
        consultation_line(
            c.schedule.period.number,
            c.organiser.username,
            c.subject.name if c.subject else "",
            classes[id(c)],
            c.form,
            c.volume,
            c.purpose,
            c.recurrence,
            c.starts_on,
            c.start_time,
            c.duration_minutes,
            c.for_parents,
            part_key(c.program_part),
            c.topics,
            c.how_to_join,
        )
        for c in schedule.consultations
    ]
    done: dict[int, int] = defaultdict(int)
    for item in schedule.checklist:
        done[id(item.occurrence)] += item.done
    lines += [
        occurrence_line(
            o.consultation.organiser.username,
            o.starts_at,
            o.status,
            o.moved_from,
            o.uid,
            o.sequence,
            done[id(o)],
            tz,
        )
        for o in schedule.occurrences
    ]
    lines += [
        version_line(
            v.document.period.number, v.number, v.reason, v.created_by.username
        )
        for v in schedule.versions
    ]
    return lines
