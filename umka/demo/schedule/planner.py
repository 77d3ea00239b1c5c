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
from dataclasses import dataclass

from umka.accounts.models import User
from umka.consultations import rules
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.recurrence import session_dates
from umka.demo import curriculum as cur
from umka.demo.schedule.attestation import AttestationPlacing
from umka.demo.schedule.history import History, SchedulePlan, Version
from umka.demo.schedule.ledger import Ledger
from umka.demo.schedule.offers import (
    AFTERNOON,
    CHAT_JOIN,
    DRAFT_TEACHERS,
    DURATIONS,
    EXAM_GRADES,
    GRID,
    MINOR,
    OVERVIEW_TEXTS,
    ROOM_JOIN,
    STAFF_OFFERS,
    TOPICAL_TEXT,
    UVR,
    WEBINAR_JOIN,
    WEIGHT,
    StaffOffer,
    clock_of,
    minutes_of,
)
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
Recurrence = Consultation.Recurrence
Status = ScheduleDocument.Status


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


class SchedulePlanner(History, AttestationPlacing):
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
        self.ledger = Ledger(
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
        return dt.datetime.combine(day, clock_of(minutes), tzinfo=self.tz)

    def _moment(self, day: dt.date, first: str, last: str) -> dt.datetime:
        """A random time of day between `first` and `last` (HH:MM)."""
        minutes = self.rng.randint(minutes_of(first), minutes_of(last))
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
        first, last = minutes_of(window[0]), minutes_of(window[1])
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
            start_time=clock_of(start),
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
