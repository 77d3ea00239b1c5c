import datetime as dt

import pytest

from umka.consultations.models import (
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.schedule import versions as schedule_versions
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return small_school()


def plan(school, **overrides):
    fields = {
        "actor": school.teacher,
        "schedule": school.schedule,
        "organiser": school.teacher,
        "form": Consultation.Form.CHAT,
        "subject": school.maths,
        "classes": [school.class_7a],
        "starts_on": TUESDAY,
        "start_time": dt.time(15, 0),
        "duration_minutes": 45,
        "recurrence": Consultation.Recurrence.WEEKLY,
    }
    fields.update(overrides)
    return planning_services.consultation_plan(**fields)


def approve(school):
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    return schedule_services.schedule_approve(
        actor=school.director,
        schedule=school.schedule,
        order_number="112-о",
        order_date=dt.date(2026, 11, 2),
    )


@pytest.mark.requirement("R8")
def test_schedule_moves_draft_submitted_approved_published(school):
    plan(school)
    schedule = approve(school)

    assert schedule.status == ScheduleDocument.Status.APPROVED
    assert schedule.approved_by == school.director
    assert schedule.approver_position == "Директор"
    assert schedule.order_number == "112-о"
    version = ScheduleVersion.objects.get(document=schedule)
    assert version.number == 1
    assert version.rows[0]["organiser"] == school.teacher.full_name
    assert version.rows[0]["classes"] == "7А"
    assert version.rows[0]["weekday"] == "вторник"
    assert version.rows[0]["time"] == "15:00–15:45"

    schedule_services.schedule_publish(actor=school.deputy, schedule=schedule)
    schedule.refresh_from_db()
    assert schedule.status == ScheduleDocument.Status.PUBLISHED
    assert schedule.published_at is not None


@pytest.mark.requirement("R8")
@pytest.mark.parametrize("who", ["teacher", "deputy", "student"])
def test_only_the_director_or_an_authorised_deputy_approves(school, who):
    plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    with pytest.raises(DomainError):
        schedule_services.schedule_approve(
            actor=getattr(school, who), schedule=school.schedule
        )
    school.schedule.refresh_from_db()
    assert school.schedule.status == ScheduleDocument.Status.SUBMITTED


@pytest.mark.requirement("R8")
def test_authorised_deputy_approves(school):
    plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.approval_delegate(
        actor=school.director,
        deputy=school.deputy,
        valid_from=dt.date(2026, 9, 1),
        order_number="5-к",
    )
    schedule_services.schedule_approve(actor=school.deputy, schedule=school.schedule)
    assert school.schedule.approved_by == school.deputy


def test_teacher_cannot_change_a_submitted_schedule(school):
    plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    with pytest.raises(DomainError):
        plan(school, starts_on=TUESDAY + dt.timedelta(days=2), duration_minutes=30)


@pytest.mark.requirement("R8")
def test_change_after_approval_needs_a_reason(school):
    plan(school)
    approve(school)
    with pytest.raises(DomainError, match="причин"):
        plan(
            school,
            classes=[school.class_7b],
            start_time=dt.time(16, 0),
            duration_minutes=30,
            recurrence="once",
        )


@pytest.mark.requirement("R8")
def test_amendment_is_a_new_version_and_notifies_affected_students_and_parents(
    school,
):
    from umka.notifications.models import Notification

    consultation = plan(school)
    approve(school)
    occurrence = consultation.occurrences.order_by("starts_at").first()
    new_start = occurrence.starts_at + dt.timedelta(days=1)

    planning_services.occurrence_move(
        actor=school.teacher,
        occurrence=occurrence,
        starts_at=new_start,
        reason="Совпадает с олимпиадой",
    )

    occurrence.refresh_from_db()
    assert occurrence.sequence == 1
    assert occurrence.moved_from is not None
    school.schedule.refresh_from_db()
    assert school.schedule.version == 2
    v2 = ScheduleVersion.objects.get(document=school.schedule, number=2)
    assert v2.reason == "Совпадает с олимпиадой"
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert {school.student.pk, school.classmate.pk, school.parent.pk} <= told
    assert school.other_student.pk not in told
    assert school.other_parent.pk not in told
    notice = Notification.objects.get(recipient=school.parent)
    assert "Совпадает с олимпиадой" in notice.body


@pytest.mark.requirement("R8")
def test_versions_can_be_compared(school):
    consultation = plan(school)
    approve(school)
    occurrence = consultation.occurrences.order_by("starts_at").last()
    planning_services.occurrence_cancel(
        actor=school.deputy, occurrence=occurrence, reason="Карантин"
    )
    v1, v2 = ScheduleVersion.objects.filter(document=school.schedule).order_by("number")
    diff = schedule_versions.version_diff(v1, v2)
    assert diff["added"] == []
    assert diff["removed"] == []
    assert diff["changed"][0]["fields"] == ["sessions"]
    cancelled = [
        s for s in diff["changed"][0]["after"]["sessions"] if s["status"] == "cancelled"
    ]
    assert cancelled[0]["reason"] == "Карантин"


def test_cancelled_session_frees_the_weekly_hours(school):
    consultation = plan(school, recurrence="once", duration_minutes=120)
    planning_services.occurrence_cancel(
        actor=school.teacher,
        occurrence=consultation.occurrences.get(),
        reason="Болезнь",
    )
    assert plan(
        school, recurrence="once", start_time=dt.time(16, 0), duration_minutes=120
    )
    assert Occurrence.objects.filter(status="cancelled").count() == 1


def test_draft_consultation_can_be_removed_but_not_after_approval(school):
    removable = plan(school, recurrence="once")
    planning_services.consultation_remove(actor=school.teacher, consultation=removable)
    assert not Consultation.objects.filter(pk=removable.pk).exists()

    kept = plan(school, recurrence="once")
    approve(school)
    with pytest.raises(DomainError):
        planning_services.consultation_remove(actor=school.deputy, consultation=kept)


@pytest.mark.requirement("R8")
def test_director_ends_a_deputys_authority(school):
    from umka.consultations.models import ApprovalDelegation

    delegation = schedule_services.approval_delegate(
        actor=school.director, deputy=school.deputy, valid_from=dt.date(2026, 9, 1)
    )
    schedule_services.approval_delegation_end(
        actor=school.director, delegation=delegation, on=dt.date(2026, 11, 1)
    )
    delegation.refresh_from_db()
    assert delegation.valid_until == dt.date(2026, 10, 31)
    plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    with pytest.raises(DomainError):
        schedule_services.schedule_approve(
            actor=school.deputy, schedule=school.schedule
        )

    future = schedule_services.approval_delegate(
        actor=school.director, deputy=school.deputy, valid_from=dt.date(2027, 1, 1)
    )
    schedule_services.approval_delegation_end(actor=school.director, delegation=future)
    assert not ApprovalDelegation.objects.filter(pk=future.pk).exists()


def test_a_stale_schedule_object_cannot_skip_the_amendment(school):
    from umka.consultations.models import ScheduleDocument

    plan(school)
    stale = ScheduleDocument.objects.get(pk=school.schedule.pk)
    approve(school)
    with pytest.raises(DomainError, match="причин"):
        planning_services.consultation_plan(
            actor=school.teacher,
            schedule=stale,
            organiser=school.teacher,
            form=Consultation.Form.CHAT,
            classes=[school.class_7b],
            starts_on=TUESDAY,
            start_time=dt.time(17, 0),
            duration_minutes=30,
        )


def test_schedule_rows_cost_the_same_queries_for_any_number_of_consultations(school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan(school, recurrence="once", students=[school.student], classes=[])
    with CaptureQueriesContext(connection) as few:
        rows = schedule_versions.schedule_rows(school.schedule)
    assert rows[0]["classes"] == "выбранные обучающиеся"
    for hour, student in ((16, school.classmate), (17, school.other_student)):
        plan(
            school,
            recurrence="once",
            students=[student],
            classes=[],
            start_time=dt.time(hour, 0),
            duration_minutes=15,
        )
    with CaptureQueriesContext(connection) as many:
        rows = schedule_versions.schedule_rows(school.schedule)
    assert len(rows) == 3
    assert len(many.captured_queries) == len(few.captured_queries)
