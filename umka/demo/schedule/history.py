"""The demo schedule's history: amendments (a session moved, sessions cancelled),
outcomes of past sessions (held, checklist done) and the versions of each published
schedule; `rows_as_of()` turns the loaded rows back to a version's day."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from umka.accounts.models import User
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.recurrence import week_start
from umka.core import clock
from umka.demo.schedule.offers import (
    AFTERNOON,
    APPROVED_REASON,
    CHECKLIST_NOTES,
    COURSES_REASON,
    ILLNESS_REASON,
    MOVE_REASON,
    OLYMPIAD_REASON,
    minutes_of,
)
from umka.school.models import (
    SchoolClass,
)

Purpose = Consultation.Purpose
Status = ScheduleDocument.Status


@dataclass
class Version:
    """A ScheduleVersion to write: its rows are made from the loaded schedule by
    `schedule_rows()` (umka.consultations.schedule.versions) and turned back to
    the state at `created_at`."""

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


class History:
    """What happened to the planned schedule (a mixin of SchedulePlanner): a session
    moved, sessions cancelled (each an amendment), outcomes of past sessions and the
    versions of each published schedule (R8, R12)."""

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
                if new_start < minutes_of(AFTERNOON[0]) or new_end > minutes_of(
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
    """The rows of `schedule_rows()` (umka.consultations.schedule.versions) as they
    stood when `version` was made: sessions held later are still planned, later
    amendments not yet made."""
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
