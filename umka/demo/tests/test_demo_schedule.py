"""The demo school's consultation schedule as loaded into the database, on a fixed
day of the second quarter (conftest.SCHEDULE_DAY), checked against the regulation's
rules (R7–R12)."""

import datetime as dt
import re
from collections import Counter, defaultdict

import pytest
from django.db.models import Count, Q

from umka.accounts.models import User
from umka.consultations import rules
from umka.consultations.models import (
    ChecklistItem,
    Consultation,
    Occurrence,
    ScheduleDocument,
    ScheduleVersion,
)
from umka.consultations.planning import held as held_services
from umka.consultations.policies import consultations_for
from umka.consultations.rules import Span
from umka.core.errors import DomainError
from umka.demo.schedule import APPROVED_REASON
from umka.demo.tests.conftest import SCHEDULE_DAY
from umka.demo.tests.schedule_check import (
    TZ,
    recurrence_problems,
    sessions_from_database,
    violations,
)
from umka.school.models import ProgramPart, StudyPeriod

pytestmark = pytest.mark.django_db

Status = ScheduleDocument.Status


@pytest.fixture
def school(demo_school_on_schedule_day):
    return demo_school_on_schedule_day


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(TZ).date()


def schedules() -> list[ScheduleDocument]:
    return list(
        ScheduleDocument.objects.select_related(
            "period", "approved_by", "submitted_by"
        ).order_by("period__starts_on")
    )


def test_at_least_2000_sessions(school):
    assert Occurrence.objects.count() >= 2000
    assert school.counts["sessions"] == Occurrence.objects.count()
    assert school.counts["consultations"] == Consultation.objects.count()


def test_one_schedule_per_period_in_the_workflow_state_of_the_day(school):
    first, second, third, fourth = schedules()
    assert [s.period for s in (first, second, third, fourth)] == list(
        StudyPeriod.objects.order_by("starts_on")
    )
    assert [s.status for s in (first, second, third, fourth)] == [
        Status.PUBLISHED,
        Status.PUBLISHED,
        Status.SUBMITTED,
        Status.DRAFT,
    ]
    assert 1 <= fourth.consultations.count() <= 15  # a few, being drafted
    assert third.consultations.count() > 100
    assert third.submitted_by.username == "deputy"
    assert third.submitted_at.date() < SCHEDULE_DAY
    assert third.approved_by is None
    assert third.version == 0
    assert fourth.submitted_by is None
    assert not ScheduleVersion.objects.filter(document__in=[third, fourth]).exists()


def test_published_schedules_are_approved_by_the_director_before_the_period(school):
    for schedule in ScheduleDocument.objects.filter(status=Status.PUBLISHED):
        starts_on = schedule.period.starts_on
        assert schedule.approved_by.username == "director"
        assert schedule.approver_position == "Директор"
        assert re.fullmatch(r"\d+-о", schedule.order_number)
        assert schedule.order_date == local_day(schedule.approved_at)
        assert schedule.submitted_by.username == "deputy"
        assert schedule.submitted_at < schedule.approved_at < schedule.published_at
        assert local_day(schedule.published_at) < starts_on
        assert starts_on - local_day(schedule.approved_at) <= dt.timedelta(days=7)
        versions = list(schedule.versions.order_by("number"))
        assert [v.number for v in versions] == list(range(1, schedule.version + 1))
        first = versions[0]
        assert first.reason == APPROVED_REASON
        assert first.created_by == schedule.approved_by
        assert first.created_at == schedule.approved_at
        assert len(first.rows) == schedule.consultations.count()
        assert all(
            s["status"] == "planned" for row in first.rows for s in row["sessions"]
        )
        assert [v.created_at for v in versions] == sorted(
            v.created_at for v in versions
        )


def test_every_session_follows_the_planning_rules(school):
    sessions, terms = sessions_from_database()
    assert violations(sessions, terms) == []
    consultations = list(
        Consultation.objects.values_list(
            "pk",
            "recurrence",
            "starts_on",
            "repeat_until",
            "schedule__period__ends_on",
        )
    )
    assert recurrence_problems(consultations, sessions, terms.holidays) == []


def test_the_domain_rules_accept_a_sample_of_consultations(school):
    """umka.consultations.rules itself, on `teacher`, the staff and every 20th."""
    consultations = list(
        Consultation.objects.select_related(
            "organiser", "program_part", "subject", "schedule"
        )
        .prefetch_related("audience_classes", "occurrences")
        .order_by("pk")
    )
    sample = [
        c
        for n, c in enumerate(consultations)
        if n % 20 == 0 or c.organiser.username in ("teacher", "staff", "deputy")
    ]
    assert len(sample) > 30
    for c in sample:
        own = list(c.occurrences.all())
        spans = [Span(o.starts_at, o.ends_at) for o in own if o.status != "cancelled"]
        classes = list(c.audience_classes.all())
        exclude = [o.pk for o in own]
        assert (
            rules.plan_findings(
                form=c.form,
                volume=c.volume,
                topics=c.topics,
                purpose=c.purpose,
                program_part=c.program_part,
                subject=c.subject,
                classes=classes,
            )
            == []
        )
        found = rules.session_findings(
            organiser=c.organiser,
            classes=classes,
            spans=spans,
            exclude=exclude,
            schedule=c.schedule,
            planned={"program_part": c.program_part if c.is_attestation else None},
        )
        assert [f.text for f in found] == []


def test_subject_consultations_look_like_a_schools(school):
    teachers = Consultation.objects.filter(subject__isnull=False)
    forms = Counter(teachers.values_list("form", flat=True))
    assert set(forms) == {"webinar", "videoconference", "chat"}
    assert Consultation.objects.filter(recurrence="biweekly").exists()
    for c in teachers.filter(purpose="ongoing").select_related("subject"):
        assert dt.time(14, 30) <= c.start_time
        end = dt.datetime.combine(c.starts_on, c.start_time) + dt.timedelta(
            minutes=c.duration_minutes
        )
        assert end.time() <= dt.time(18, 0)
        assert 30 <= c.duration_minutes <= 60
        assert c.recurrence in ("weekly", "biweekly")
        assert c.how_to_join
        if c.volume == "topical":
            topics = c.topic_list
            assert 2 <= len(topics) <= 4
            grades = {k.grade for k in c.audience_classes.all()}
            titles = set(
                ProgramPart.objects.filter(
                    subject=c.subject, grade__in=grades
                ).values_list("title", flat=True)
            )
            assert set(topics) <= titles, c
    # Most teachers hold one or two; the staff hold a few for parents.
    per_teacher = Counter(
        teachers.filter(purpose="ongoing", schedule__period__number=1).values_list(
            "organiser", flat=True
        )
    )
    assert len(per_teacher) >= 35
    assert set(per_teacher.values()) <= {1, 2}
    for_parents = Consultation.objects.filter(subject__isnull=True)
    assert for_parents.count() >= 3 * 8  # three full schedules
    assert not for_parents.filter(for_parents=False).exists()
    assert set(for_parents.values_list("organiser__username", flat=True)) >= {
        "deputy",
        "staff",
        "unit_head",
    }


def test_attestation_consultations_and_their_checklists(school):
    attestation = Consultation.objects.filter(purpose="attestation")
    assert attestation.count() >= 3 * 20
    for schedule in ScheduleDocument.objects.exclude(status=Status.DRAFT):
        own = attestation.filter(schedule=schedule)
        assert own.exists()
        # Near the end of the period.
        last = max(own.values_list("starts_on", flat=True))
        assert schedule.period.ends_on - last < dt.timedelta(days=21)
    assert not attestation.filter(
        Q(form="individual") | Q(program_part__isnull=True)
    ).exists()
    sessions = Occurrence.objects.filter(consultation__purpose="attestation")
    counted = sessions.annotate(
        items=Count("checklist"),
        done=Count("checklist", filter=Q(checklist__done=True)),
    )
    assert set(counted.values_list("items", flat=True)) == {3}
    assert set(counted.filter(status="held").values_list("done", flat=True)) == {3}
    assert not ChecklistItem.objects.filter(occurrence__status="held", note="").exists()
    assert not ChecklistItem.objects.filter(
        Q(done=True) & (Q(done_at__isnull=True) | Q(done_by__isnull=True))
    ).exists()


def test_one_recent_attestation_session_waits_for_its_last_checklist_item(school):
    waiting = Occurrence.objects.annotate(
        done=Count("checklist", filter=Q(checklist__done=True))
    ).filter(consultation__purpose="attestation", status="planned", done=2)
    occurrence = waiting.select_related("consultation__organiser").get()
    assert local_day(occurrence.starts_at) < SCHEDULE_DAY
    assert occurrence.consultation.organiser.username == "teacher"
    with pytest.raises(DomainError) as refused:
        held_services.occurrence_mark_held(
            actor=occurrence.consultation.organiser, occurrence=occurrence
        )
    assert refused.value.code == "checklist_incomplete"
    occurrence.refresh_from_db()
    assert occurrence.status == "planned"


def test_past_sessions_were_held_or_cancelled_with_a_reason(school):
    start_of_day = dt.datetime.combine(SCHEDULE_DAY, dt.time.min, tzinfo=TZ)
    past = Occurrence.objects.filter(starts_at__lt=start_of_day)
    statuses = Counter(past.values_list("status", flat=True))
    assert statuses["held"] >= 0.95 * past.count()
    assert 3 <= statuses["cancelled"] <= 20
    assert statuses["planned"] <= 3
    assert set(
        Occurrence.objects.filter(starts_at__gte=start_of_day).values_list(
            "status", flat=True
        )
    ) == {"planned"}
    reasons = set(
        past.filter(status="cancelled").values_list("change_reason", flat=True)
    )
    assert "Учитель на курсах повышения квалификации" in reasons
    # Each cancellation is an amendment of its schedule (R8).
    for occurrence in past.filter(status="cancelled").select_related(
        "consultation__schedule"
    ):
        schedule = occurrence.consultation.schedule
        assert schedule.versions.filter(reason=occurrence.change_reason).exists()
        assert occurrence.sequence == 1
    assert (
        not past.filter(status="held")
        .filter(Q(held_at__isnull=True) | Q(held_by__isnull=True))
        .exists()
    )


def test_the_current_schedule_has_a_moved_session_as_version_2(school):
    current = ScheduleDocument.objects.filter(status=Status.PUBLISHED).latest(
        "period__starts_on"
    )
    moved = Occurrence.objects.select_related("consultation__organiser").get(
        moved_from__isnull=False
    )
    assert moved.consultation.schedule == current
    assert moved.consultation.organiser.username == "teacher"
    assert moved.sequence == 1
    assert moved.change_reason
    assert local_day(moved.moved_from) != local_day(moved.starts_at)
    second = current.versions.get(number=2)
    assert second.reason == moved.change_reason
    assert current.version >= 2

    def starts(version):
        return next(
            s["starts_at"]
            for row in version.rows
            for s in row["sessions"]
            if s["uid"] == str(moved.uid)
        )

    first = current.versions.get(number=1)
    assert dt.datetime.fromisoformat(starts(first)) == moved.moved_from
    assert dt.datetime.fromisoformat(starts(second)) == moved.starts_at


def test_teacher_consults_7a_and_the_student_and_parent_see_what_is_coming(school):
    teacher = User.objects.get(username="teacher")
    for number in (1, 2, 3, 4):
        assert Consultation.objects.filter(
            organiser=teacher,
            schedule__period__number=number,
            audience_classes__grade=7,
            audience_classes__letter="А",
        ).exists(), number
    start_of_day = dt.datetime.combine(SCHEDULE_DAY, dt.time.min, tzinfo=TZ)
    for username in ("student", "parent"):
        visible = consultations_for(User.objects.get(username=username))
        upcoming = Occurrence.objects.filter(
            consultation__in=visible,
            consultation__organiser=teacher,
            consultation__schedule__status=Status.PUBLISHED,
            starts_at__gte=start_of_day,
        )
        assert upcoming.exists(), username
    # Nothing of the submitted or draft schedules shows to them yet.
    student = User.objects.get(username="student")
    assert (
        not consultations_for(student)
        .exclude(schedule__status=Status.PUBLISHED)
        .exists()
    )


def test_sessions_per_week_are_spread_over_the_afternoons(school):
    by_weekday = defaultdict(int)
    for starts_at in Occurrence.objects.values_list("starts_at", flat=True):
        by_weekday[starts_at.astimezone(TZ).weekday()] += 1
    assert sorted(by_weekday) == [0, 1, 2, 3, 4]
    assert min(by_weekday.values()) > 0.1 * sum(by_weekday.values())
