"""Rooms for tests: a small school (consultations' factory) with an approved
schedule, a consultation session starting soon, and an individual booking."""

import datetime as dt

from django.utils import timezone

from umka.bookings.models import Booking, BookingWindow, Slot
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.consultations.tests.factories import SmallSchool, small_school
from umka.rooms import services

__all__ = ["SmallSchool", "approved_school", "make_booking", "make_session"]


def approved_school() -> SmallSchool:
    school = small_school()
    ScheduleDocument.objects.filter(pk=school.schedule.pk).update(
        status=ScheduleDocument.Status.APPROVED,
        approved_at=timezone.now(),
        approved_by=school.director,
        version=1,
    )
    school.schedule.refresh_from_db()
    return school


def make_session(
    school: SmallSchool,
    *,
    form: str = Consultation.Form.VIDEOCONFERENCE,
    starts_in: dt.timedelta = dt.timedelta(minutes=5),
    minutes: int = 45,
    for_parents: bool = False,
    classes=None,
    students=(),
    **extra,
) -> Occurrence:
    """A consultation of the school's teacher for 7А (by default) and its one
    session, starting `starts_in` from now."""
    starts_at = timezone.now() + starts_in
    local = timezone.localtime(starts_at)
    consultation = Consultation.objects.create(
        schedule=school.schedule,
        organiser=school.teacher,
        subject=school.maths,
        form=form,
        for_parents=for_parents,
        starts_on=local.date(),
        start_time=local.time(),
        duration_minutes=minutes,
        created_by=school.teacher,
        **extra,
    )
    consultation.audience_classes.set([school.class_7a] if classes is None else classes)
    consultation.audience_students.set(students)
    return Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
    )


def make_booking(
    school: SmallSchool,
    *,
    starts_in: dt.timedelta = dt.timedelta(minutes=5),
    form: str = BookingWindow.Form.VIDEOCONFERENCE,
    student=None,
) -> Booking:
    starts_at = timezone.now() + starts_in
    window = BookingWindow.objects.create(
        organiser=school.teacher,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=30),
        slot_minutes=15,
        opens_at=starts_at - dt.timedelta(days=3),
        form=form,
        created_by=school.teacher,
    )
    slot = Slot.objects.create(
        window=window, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=15)
    )
    student = student or school.student
    return Booking.objects.create(
        slot=slot, window=window, student=student, booked_by=student, note="Дроби"
    )


def session_room(school: SmallSchool, **kwargs):
    return services.room_for_occurrence(make_session(school, **kwargs))
