"""Help to rate on the consultations' small school: a held group session for 7А
and a held individual meeting of the student, both given by the teacher."""

import datetime as dt
from dataclasses import dataclass

from umka.bookings import services as booking_services
from umka.bookings.models import Booking
from umka.bookings.tests.factories import (
    TUESDAY,
    TZ,
    book,
    booking_school,
    open_window,
    slots,
)
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.consultations.tests.factories import SmallSchool

#: After the meeting on TUESDAY: the tests' «now».
AFTER = dt.datetime(2026, 11, 18, 10, 0, tzinfo=TZ)


@dataclass
class Help:
    school: SmallSchool
    session: Occurrence
    booking: Booking


def held_session(school: SmallSchool, organiser=None) -> Occurrence:
    ScheduleDocument.objects.filter(pk=school.schedule.pk).update(
        status=ScheduleDocument.Status.APPROVED,
        approved_at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=TZ),
        approved_by=school.director,
    )
    organiser = organiser or school.teacher
    consultation = Consultation.objects.create(
        schedule=school.schedule,
        organiser=organiser,
        subject=school.maths,
        form=Consultation.Form.WEBINAR,
        starts_on=TUESDAY,
        start_time=dt.time(14, 0),
        duration_minutes=45,
        created_by=organiser,
    )
    consultation.audience_classes.add(school.class_7a)
    return Occurrence.objects.create(
        consultation=consultation,
        starts_at=dt.datetime.combine(TUESDAY, dt.time(14, 0), tzinfo=TZ),
        ends_at=dt.datetime.combine(TUESDAY, dt.time(14, 45), tzinfo=TZ),
        status=Occurrence.Status.HELD,
        held_at=dt.datetime.combine(TUESDAY, dt.time(15, 0), tzinfo=TZ),
        held_by=organiser,
    )


def help_given(clock) -> Help:
    """The school (with «now» moved to AFTER), a held session, a held meeting."""
    school = booking_school()
    booking = book(school, slots(open_window(school))[0])
    clock.travel(AFTER)
    booking = booking_services.booking_mark(
        actor=school.teacher,
        booking=booking,
        status=Booking.Status.HELD,
        outcome_note="Разобрали задачу 5, повторить формулы",
    )
    return Help(school=school, session=held_session(school), booking=booking)
