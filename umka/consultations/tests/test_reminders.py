"""Reminders of consultation sessions to their audience: the day before and an hour
before, as each person chooses, out of the quiet hours, once (R4)."""

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from umka.accounts.tests.factories import make_student
from umka.consultations import tasks
from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
    SessionReminder,
)
from umka.consultations.reminders import sessions_remind
from umka.consultations.tests.factories import small_school
from umka.notifications.models import EmailDelivery, Notification
from umka.notifications.services import preference_update
from umka.school.tests.factories import EnrolmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R4")]

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
KIND = "consultations.reminder"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW)


@pytest.fixture
def school(clock):
    school = small_school()
    ScheduleDocument.objects.filter(pk=school.schedule.pk).update(
        status=ScheduleDocument.Status.APPROVED,
        approved_by=school.director,
        approved_at=clock.now,
        version=1,
    )
    school.schedule.refresh_from_db()
    return school


def session_at(school, starts_at, *, for_parents=True, students=()) -> Occurrence:
    """A webinar of the school's teacher for 7А at `starts_at`."""
    consultation = Consultation.objects.create(
        schedule=school.schedule,
        organiser=school.teacher,
        subject=school.maths,
        form=Consultation.Form.WEBINAR,
        for_parents=for_parents,
        starts_on=starts_at.date(),
        start_time=starts_at.timetz().replace(tzinfo=None),
        duration_minutes=45,
        created_by=school.teacher,
    )
    consultation.audience_classes.set([school.class_7a])
    consultation.audience_students.set(students)
    return Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=45),
    )


def remind(clock, moment) -> int:
    clock.travel(moment)
    return sessions_remind(moment, MOSCOW)


def reminded(*people) -> list[int]:
    return [
        Notification.objects.filter(kind=KIND, recipient=person).count()
        for person in people
    ]


def test_the_audience_is_reminded_the_day_before_and_an_hour_before_once(school, clock):
    session_at(school, at(12, 15, 0))

    assert remind(clock, at(11, 14, 55)) == 0
    assert remind(clock, at(11, 15, 0)) == 3  # student, classmate, parent
    assert remind(clock, at(11, 15, 5)) == 0
    assert remind(clock, at(12, 13, 55)) == 0
    assert remind(clock, at(12, 14, 0)) == 3
    assert remind(clock, at(12, 14, 5)) == 0
    assert remind(clock, at(12, 15, 5)) == 0  # started

    assert reminded(school.student, school.classmate, school.parent) == [2, 2, 2]
    # 7Б and its parent, and the teacher, are not the audience.
    assert reminded(school.other_student, school.other_parent, school.teacher) == [
        0,
        0,
        0,
    ]
    title = Notification.objects.filter(kind=KIND).first().title
    assert title == "Напоминание: консультация «Алгебра» 12.11.2026 в 15:00"
    assert SessionReminder.objects.count() == 6


def test_parents_are_reminded_only_when_invited_and_chosen_students_too(school, clock):
    session_at(
        school, at(12, 15, 0), for_parents=False, students=[school.other_student]
    )

    assert remind(clock, at(11, 15, 0)) == 3

    assert reminded(school.student, school.classmate, school.other_student) == [1, 1, 1]
    assert reminded(school.parent, school.other_parent) == [0, 0]


def test_each_person_chooses_which_reminders_they_get(school, clock):
    preference_update(
        actor=school.classmate,
        user=school.classmate,
        email_enabled=True,
        evening_email=False,
        remind_day_before=False,
    )
    preference_update(
        actor=school.parent,
        user=school.parent,
        email_enabled=True,
        evening_email=False,
        remind_hour_before=False,
    )
    session_at(school, at(12, 15, 0))

    assert remind(clock, at(11, 15, 0)) == 2  # the classmate wants none the day before
    assert remind(clock, at(12, 14, 0)) == 2  # the parent wants none an hour before

    assert reminded(school.student, school.classmate, school.parent) == [2, 1, 1]


def test_a_reminder_in_the_quiet_hours_goes_before_they_begin_not_after_the_session(
    school, clock
):
    preference_update(
        actor=school.classmate,
        user=school.classmate,
        email_enabled=True,
        evening_email=True,  # wants e-mail at any hour: reminded when due
    )
    session_at(school, at(12, 8, 30))

    assert remind(clock, at(11, 8, 30)) == 3  # the day before: not quiet
    assert remind(clock, at(11, 18, 40)) == 0
    # An hour before is 07:30, in the quiet hours: it goes the evening before.
    assert remind(clock, at(11, 18, 45)) == 2  # student and parent
    emails = EmailDelivery.objects.filter(notification__kind=KIND)
    assert {e.scheduled_for for e in emails.filter(sent_at__isnull=True)} <= {
        at(11, 8, 30),
        at(11, 18, 45),
    }
    assert remind(clock, at(12, 7, 25)) == 0
    assert remind(clock, at(12, 7, 30)) == 1  # the classmate, who allowed it

    assert reminded(school.student, school.classmate, school.parent) == [2, 2, 2]


def test_two_reminders_due_at_once_make_one_notice(school, clock):
    clock.travel(at(12, 14, 30))
    session_at(school, at(12, 15, 0))  # planned half an hour before

    assert remind(clock, at(12, 14, 30)) == 3
    assert remind(clock, at(12, 14, 35)) == 0

    assert reminded(school.student, school.classmate, school.parent) == [1, 1, 1]
    assert SessionReminder.objects.count() == 6  # both recorded


def test_no_reminder_of_a_cancelled_session_or_an_unapproved_schedule(school, clock):
    session = session_at(school, at(12, 15, 0))
    Occurrence.objects.filter(pk=session.pk).update(
        status=Occurrence.Status.CANCELLED, change_reason="Болезнь"
    )
    assert remind(clock, at(11, 15, 0)) == 0

    Occurrence.objects.filter(pk=session.pk).update(status=Occurrence.Status.PLANNED)
    ScheduleDocument.objects.filter(pk=school.schedule.pk).update(
        status=ScheduleDocument.Status.DRAFT
    )
    assert remind(clock, at(11, 15, 0)) == 0
    assert not Notification.objects.filter(kind=KIND).exists()


def test_a_moved_session_is_reminded_of_its_new_time(school, clock):
    session = session_at(school, at(12, 15, 0))
    assert remind(clock, at(11, 15, 0)) == 3

    Occurrence.objects.filter(pk=session.pk).update(
        starts_at=at(12, 17, 0), ends_at=at(12, 17, 45), moved_from=at(12, 15, 0)
    )

    assert remind(clock, at(11, 17, 0)) == 3
    titles = Notification.objects.filter(kind=KIND, recipient=school.student)
    assert sorted(n.title[-5:] for n in titles) == ["15:00", "17:00"]


def test_a_reminder_is_recorded_once_in_the_database(school, clock):
    session = session_at(school, at(12, 15, 0))
    remind(clock, at(11, 15, 0))

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionReminder.objects.create(
            occurrence=session,
            person=school.student,
            kind=SessionReminder.Kind.DAY_BEFORE,
            starts_at=session.starts_at,
            sent_at=at(11, 15, 5),
        )


def test_queries_do_not_grow_with_the_audience(school, clock):
    session_at(school, at(12, 15, 0))
    with CaptureQueriesContext(connection) as small:
        assert remind(clock, at(11, 15, 0)) == 3

    for _ in range(6):
        EnrolmentFactory(student=make_student(), school_class=school.class_7a)
    session_at(school, at(13, 15, 0))
    with CaptureQueriesContext(connection) as large:
        assert remind(clock, at(12, 15, 0)) == 9

    # Three people or nine, the same queries (the first run also reads the school).
    assert len(large) <= len(small)


def test_the_periodic_task_reminds_on_the_schools_clock(school, clock):
    session_at(school, at(12, 15, 0))
    clock.travel(at(11, 15, 0))

    tasks.remind_sessions.call_local()

    assert reminded(school.student, school.classmate, school.parent) == [1, 1, 1]
