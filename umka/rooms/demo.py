"""A live session to try right now in the demo school (`make run` creates it):
the demo teacher's videoconference for the demo student's class, parents invited,
from a few minutes ago for an hour."""

import datetime as dt

from django.db import transaction

from umka.accounts.models import User
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.core import clock
from umka.rooms import services
from umka.rooms.models import Room
from umka.school.models import Enrolment

#: Marks the demo's live consultation, so running again replaces its session.
MARK = "Демонстрационная консультация в комнате Умки"


@transaction.atomic
def live_demo_session(now: dt.datetime | None = None) -> Room | None:
    """The room of a demo session that is on now; None without the demo school."""
    now = now or clock.now()
    today = clock.local_date(now)
    teacher = User.objects.filter(username="teacher").first()
    student = User.objects.filter(username="student").first()
    schedule = (
        ScheduleDocument.objects.filter(status=ScheduleDocument.Status.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    if teacher is None or student is None or schedule is None:
        return None
    enrolment = (
        Enrolment.objects.filter(student=student, starts_on__lte=today)
        .exclude(ends_on__lt=today)
        .select_related("school_class")
        .first()
    )
    starts_at = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    local = clock.local(starts_at)
    consultation = Consultation.objects.filter(description=MARK).first()
    if consultation is None:
        consultation = Consultation.objects.create(
            schedule=schedule,
            organiser=teacher,
            form=Consultation.Form.VIDEOCONFERENCE,
            for_parents=True,
            starts_on=local.date(),
            start_time=local.time(),
            duration_minutes=60,
            description=MARK,
            created_by=teacher,
        )
    else:
        Consultation.objects.filter(pk=consultation.pk).update(
            starts_on=local.date(), start_time=local.time()
        )
        consultation.occurrences.all().delete()
    if enrolment is not None:
        consultation.audience_classes.set([enrolment.school_class])
    consultation.audience_students.set([student])
    occurrence = Occurrence.objects.create(
        consultation=consultation,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=60),
    )
    return services.room_for_occurrence(occurrence)
