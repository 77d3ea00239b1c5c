"""The fixed dataset the reports are checked on (R13): November 2026 of a school
in Moscow, «now» the test clock's Tuesday 10 November 09:00. Every figure the tests
expect is worked out in the comments next to the row that makes it."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from umka.bookings.models import Booking, BookingWindow, Slot
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.requests.models import Request
from umka.requests.tests.factories import RequestSchool, request_school
from umka.school.models import ProgramPart, StudyPeriod
from umka.school.tests.factories import ContractFactory

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=MSK)


@dataclass
class Dataset:
    school: RequestSchool
    overdue: Request


def _request(s: RequestSchool, created, due, answered=None, **extra) -> Request:
    fields = {
        "author": s.parent,
        "student": s.student,
        "school_class": s.class_7a,
        "addressee": Request.Addressee.SUBJECT_TEACHER,
        "subject": s.algebra,
        "category": Request.Category.TOPIC,
        "topic": "Уравнения",
        "topic_key": "уравнения",
        "text": "Объясните, пожалуйста.",
        "assignee": s.teacher,
        "status": Request.Status.IN_PROGRESS,
        "created_at": created,
        "due_at": due,
    }
    if answered is not None:
        fields.update(
            status=Request.Status.ANSWERED,
            answered_at=answered,
            answered_by=fields.get("assignee", s.teacher),
            answer_kind=Request.AnswerKind.WRITTEN,
        )
    fields.update(extra)
    if answered is not None and "assignee" in extra:
        fields["answered_by"] = extra["assignee"]
    return Request.objects.create(**fields)


def requests(s: RequestSchool) -> Request:
    """7 requests in November: 3 on time, 2 late, 1 overdue (escalated), 1 open.
    Answer times in working days (Nov 2–4 are holidays): 2, 2, 0, 2, 0 → median 2,
    90th percentile 2."""
    _request(s, at(5, 10), at(9, 10), at(9, 10))  # on time, at the deadline minute
    _request(s, at(5, 11), at(9, 11), at(9, 11, 1))  # late by a minute
    _request(s, at(6, 9), at(9, 9), at(6, 15))  # on time, the same day
    overdue = _request(
        s, at(6, 12), at(9, 12), escalated_at=at(9, 12, 10), escalated_to=s.deputy
    )
    _request(s, at(9, 12), at(12, 12))  # open, within the deadline
    # 00:30 on 1 November in Moscow is still 31 October in UTC: November's.
    _request(s, at(1, 0, 30), at(5, 0, 30), at(6, 9))  # late, 2 working days
    _request(s, at(31, 23, 30, month=10), at(5, 23, 30))  # October's: not counted
    _request(  # on time, 7Б, physics
        s,
        at(5, 10),
        at(10, 10),
        at(5, 12),
        assignee=s.physics_teacher,
        subject=s.physics,
        school_class=s.class_7b,
    )
    return overdue


def consultations(s: RequestSchool) -> None:
    """The teacher's hour-long sessions: 7 in November — held 2, cancelled 2 (both
    «Болезнь»), not marked 2, ahead 1; 5 hours planned, 2 held; the contract's 2
    hours a week × 5 weeks with a working day = 10 hours. One attestation session of
    two has its checklist incomplete (2 of 3)."""
    ContractFactory(
        person=s.teacher,
        position="Учитель",
        weekly_load_hours=Decimal(18),
        consultation_hours=Decimal(2),
    )
    quarter = StudyPeriod.objects.create(
        year=s.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=2,
        starts_on=dt.date(2026, 11, 5),
        ends_on=dt.date(2026, 12, 28),
    )
    schedule = ScheduleDocument.objects.create(year=s.year, period=quarter)
    common = {
        "schedule": schedule,
        "organiser": s.teacher,
        "subject": s.algebra,
        "form": Consultation.Form.VIDEOCONFERENCE,
        "volume": Consultation.Volume.OVERVIEW,
        "recurrence": Consultation.Recurrence.ONCE,
        "starts_on": dt.date(2026, 11, 5),
        "start_time": dt.time(15),
        "duration_minutes": 60,
        "created_by": s.teacher,
    }
    ongoing = Consultation.objects.create(
        **common, purpose=Consultation.Purpose.ONGOING
    )
    ongoing.audience_classes.add(s.class_7a)
    attestation = Consultation.objects.create(
        **common,
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=ProgramPart.objects.filter(subject=s.algebra).first(),
    )
    attestation.audience_classes.add(s.class_7a)

    def session(consultation, start, status="planned", reason=""):
        extra = {}
        if status == "held":
            extra = {"held_at": start + dt.timedelta(hours=1), "held_by": s.teacher}
        return Occurrence.objects.create(
            consultation=consultation,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            status=status,
            change_reason=reason,
            **extra,
        )

    session(ongoing, at(5, 15), "held")
    session(ongoing, at(6, 15), "cancelled", "Болезнь")
    session(ongoing, at(9, 15))  # ended, not marked
    session(ongoing, at(12, 15))  # ahead
    session(ongoing, at(19, 15), "cancelled", "Болезнь")
    session(ongoing, at(30, 15, month=10), "held")  # October's
    incomplete = session(attestation, at(6, 16))  # ended, not marked
    complete = session(attestation, at(9, 16), "held")
    for occurrence, done in ((incomplete, 2), (complete, 3)):
        for n, kind in enumerate(ChecklistItem.Kind.values):
            ChecklistItem.objects.create(
                occurrence=occurrence,
                kind=kind,
                done=n < done,
                done_at=at(6, 17) if n < done else None,
            )


def bookings(s: RequestSchool) -> None:
    """6 slots offered; 5 booked: held 1, no-show 1, cancelled late 1 (an hour
    before, inside the 12-hour cut-off), cancelled in time 1, not marked 1."""
    window = BookingWindow.objects.create(
        organiser=s.teacher,
        starts_at=at(6, 14),
        ends_at=at(6, 16),
        slot_minutes=30,
        opens_at=at(1, 9),
        form=BookingWindow.Form.VIDEOCONFERENCE,
        created_by=s.teacher,
    )
    slots = [
        Slot.objects.create(
            window=window,
            starts_at=at(6, 14) + dt.timedelta(minutes=30 * n),
            ends_at=at(6, 14) + dt.timedelta(minutes=30 * (n + 1)),
        )
        for n in range(4)
    ]
    later = BookingWindow.objects.create(
        organiser=s.teacher,
        starts_at=at(9, 14),
        ends_at=at(9, 15),
        slot_minutes=30,
        opens_at=at(1, 9),
        form=BookingWindow.Form.CHAT,
        created_by=s.teacher,
    )
    later_slots = [
        Slot.objects.create(
            window=later,
            starts_at=at(9, 14) + dt.timedelta(minutes=30 * n),
            ends_at=at(9, 14) + dt.timedelta(minutes=30 * (n + 1)),
        )
        for n in range(2)
    ]

    def book(slot, student, status="booked", cancelled_at=None):
        marked = slot.ends_at if status in ("held", "no_show") else None
        return Booking.objects.create(
            slot=slot,
            window=slot.window,
            student=student,
            booked_by=student,
            note="Уравнения",
            status=status,
            cancelled_at=cancelled_at,
            marked_at=marked,
            created_at=at(2, 10),
        )

    book(slots[0], s.student, "held")
    book(slots[1], s.classmate, "no_show")
    book(slots[2], s.other_student, "cancelled", cancelled_at=at(6, 14))
    book(slots[3], s.other_student, "cancelled", cancelled_at=at(4, 10))
    book(later_slots[0], s.student)  # ended, not marked


def build() -> Dataset:
    school = request_school()
    overdue = requests(school)
    consultations(school)
    bookings(school)
    return Dataset(school=school, overdue=overdue)


def consultations_more(s: RequestSchool) -> None:
    """More sessions of another organiser (with a contract) for the query count."""
    organiser = s.other_teacher
    ContractFactory(person=organiser, consultation_hours=Decimal(3))
    template = Consultation.objects.filter(organiser=s.teacher).first()
    consultation = Consultation.objects.create(
        schedule=template.schedule,
        organiser=organiser,
        subject=s.physics,
        form=Consultation.Form.CHAT,
        volume=Consultation.Volume.OVERVIEW,
        purpose=Consultation.Purpose.ONGOING,
        recurrence=Consultation.Recurrence.ONCE,
        starts_on=dt.date(2026, 11, 5),
        start_time=dt.time(17),
        duration_minutes=45,
        created_by=organiser,
    )
    for day in (5, 6, 9, 12, 13):
        Occurrence.objects.create(
            consultation=consultation,
            starts_at=at(day, 17),
            ends_at=at(day, 17, 45),
        )
