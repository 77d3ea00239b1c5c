"""The schedule document screens: who sees what, the week grid, the list, the
conflicts (R7, R11) and the query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.consultations.models import (
    ApprovalDelegation,
    Consultation,
    Occurrence,
    ScheduleDocument,
)
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.school.models import (
    Contract,
    ProgramPartCompletion,
    SchoolClass,
    StudyPeriod,
    WorkingTime,
)
from umka.school.tests.factories import ContractFactory, SchoolFactory

pytestmark = pytest.mark.django_db

WEEK = "2026-11-16"  # the Monday of TUESDAY's week


@pytest.fixture
def school():
    SchoolFactory()
    s = small_school()
    s.administrator = make_person(Role.ADMINISTRATOR)
    s.staff = make_person(Role.STAFF)
    return s


def plan(school, **overrides):
    fields = {
        "actor": school.deputy,
        "schedule": school.schedule,
        "organiser": school.teacher,
        "form": Consultation.Form.VIDEOCONFERENCE,
        "subject": school.maths,
        "classes": [school.class_7a],
        "starts_on": TUESDAY,
        "start_time": dt.time(15, 0),
        "duration_minutes": 45,
    }
    fields.update(overrides)
    return planning_services.consultation_plan(**fields)


def page(schedule, **query) -> str:
    url = reverse("consultations:schedule", args=[schedule.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def state(schedule):
    """Everything an action could change."""
    schedule.refresh_from_db()
    return (
        ScheduleDocument.objects.count(),
        schedule.status,
        schedule.version,
        schedule.submitted_at,
        schedule.approved_at,
        schedule.published_at,
        schedule.versions.count(),
        ApprovalDelegation.objects.count(),
        AuditEntry.objects.exclude(action__startswith="accounts.").count(),
    )


# --- Who sees what ------------------------------------------------------------------

READERS = ["teacher", "other_teacher", "staff", "deputy", "director", "administrator"]
OUTSIDERS = ["student", "classmate", "other_student", "parent", "other_parent"]


def _urls(schedule):
    return [
        reverse("consultations:schedules"),
        page(schedule),
        reverse("consultations:schedule_versions", args=[schedule.pk]),
        reverse("consultations:schedule_version", args=[schedule.pk, 1]),
        reverse("consultations:schedule_compare", args=[schedule.pk]) + "?a=1&b=1",
    ]


def _approved(school):
    plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)
    return school.schedule


@pytest.mark.requirement("R3", "R8")
@pytest.mark.parametrize("who", READERS)
def test_staff_and_administration_read_every_schedule_page(client, school, who):
    schedule = _approved(school)
    client.force_login(getattr(school, who))
    for url in _urls(schedule):
        assert client.get(url).status_code == 200, url


@pytest.mark.requirement("R3", "R8")
@pytest.mark.parametrize("who", OUTSIDERS)
def test_students_and_parents_get_404_on_every_schedule_page(client, school, who):
    schedule = _approved(school)
    client.force_login(getattr(school, who))
    for url in _urls(schedule):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(client, school):
    schedule = _approved(school)
    for url in _urls(schedule):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    before = state(schedule)
    response = client.post(
        reverse("consultations:schedule_publish", args=[schedule.pk])
    )
    assert response.status_code == 302
    assert state(schedule) == before


def force_status(school, status: str) -> None:
    """Put the schedule in a state directly (the services are tested elsewhere)."""
    approved = status in ("approved", "published")
    ScheduleDocument.objects.filter(pk=school.schedule.pk).update(
        status=status,
        approved_by=school.director if approved else None,
        approved_at=timezone.now() if approved else None,
    )


def _actions(schedule):
    return {
        "open": (
            reverse("consultations:schedule_open"),
            {"year": schedule.year_id, "period": ""},
        ),
        "submit": (
            reverse("consultations:schedule_submit", args=[schedule.pk]),
            {"confirmed": "yes"},
        ),
        "return": (
            reverse("consultations:schedule_return", args=[schedule.pk]),
            {"reason": "Нет"},
        ),
        "approve": (
            reverse("consultations:schedule_approve", args=[schedule.pk]),
            {"order_number": "1", "confirmed": "yes"},
        ),
        "publish": (
            reverse("consultations:schedule_publish", args=[schedule.pk]),
            {"confirmed": "yes"},
        ),
        "delegate": (
            reverse("consultations:schedule_delegate"),
            {"deputy": "", "valid_from": "2026-11-01"},
        ),
    }


@pytest.mark.requirement("R3", "R8")
@pytest.mark.parametrize("who", OUTSIDERS)
def test_students_and_parents_get_404_on_every_action(client, school, who):
    plan(school)
    schedule = school.schedule
    client.force_login(getattr(school, who))
    for status in ("draft", "submitted", "approved"):
        force_status(school, status)
        before = state(schedule)
        for name, (url, data) in _actions(schedule).items():
            assert client.post(url, data).status_code == 404, (status, name)
        assert state(schedule) == before


@pytest.mark.requirement("R8")
@pytest.mark.parametrize("who", ["teacher", "staff"])
def test_other_staff_read_but_every_action_is_refused(client, school, who):
    plan(school)
    schedule = school.schedule
    client.force_login(getattr(school, who))
    for status in ("draft", "submitted", "approved"):
        force_status(school, status)
        before = state(schedule)
        for name, (url, data) in _actions(schedule).items():
            assert client.post(url, data).status_code == 403, (status, name)
        assert state(schedule) == before
    response = client.get(page(schedule))
    assert b"approve-form" not in response.content
    assert b"submit-form" not in response.content
    assert b"publish-form" not in response.content


def test_action_urls_refuse_get(client, school):
    client.force_login(school.director)
    for url, _data in _actions(school.schedule).values():
        assert client.get(url).status_code == 405


# --- The list of schedules ------------------------------------------------------------


def test_list_shows_each_period_with_its_document_and_counts(client, school):
    plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=3,
        starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 3, 20),
    )
    client.force_login(school.deputy)

    response = client.get(reverse("consultations:schedules"))

    assert response.status_code == 200
    rows = {str(r.period): r for r in response.context["rows"] if r.period}
    second = rows[str(school.quarter)]
    assert second.document == school.schedule
    assert second.document.consultation_count == 1
    assert second.document.session_count == 5  # weekly, one holiday skipped
    third = next(
        r for r in response.context["rows"] if r.period and r.period.number == 3
    )
    assert third.document is None
    assert b"Create the draft" in response.content or (
        "Создать проект".encode() in response.content
    )
    assert b'action="/consultations/schedules/open/"' in response.content


def test_teacher_sees_the_list_without_buttons(client, school):
    client.force_login(school.teacher)
    response = client.get(reverse("consultations:schedules"))
    assert response.status_code == 200
    assert b"schedules/open/" not in response.content
    assert b"delegation-form" not in response.content


@pytest.mark.requirement("R8")
def test_deputy_creates_a_period_draft_once(client, school):
    third = StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=3,
        starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 3, 20),
    )
    client.force_login(school.deputy)
    data = {"year": school.year.pk, "period": third.pk}

    response = client.post(reverse("consultations:schedule_open"), data)
    created = ScheduleDocument.objects.get(period=third)
    assert response.status_code == 302
    assert response.url == page(created)
    assert created.status == ScheduleDocument.Status.DRAFT

    again = client.post(reverse("consultations:schedule_open"), data)
    assert again.url == page(created)
    assert ScheduleDocument.objects.filter(period=third).count() == 1


def test_opening_a_period_of_another_year_is_refused(client, school):
    client.force_login(school.deputy)
    other = StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.HALF,
        number=1,
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 12, 28),
    )
    from umka.school.models import AcademicYear

    next_year = AcademicYear.objects.create(
        name="2027/2028", starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2028, 8, 31)
    )
    count = ScheduleDocument.objects.count()
    client.post(
        reverse("consultations:schedule_open"),
        {"year": next_year.pk, "period": other.pk},
    )
    assert ScheduleDocument.objects.count() == count


def test_administrator_creates_a_draft(client, school):
    client.force_login(school.administrator)
    client.post(
        reverse("consultations:schedule_open"),
        {"year": school.year.pk, "period": ""},
    )
    assert ScheduleDocument.objects.filter(year=school.year, period=None).exists()


# --- The document: list, grid, filters ------------------------------------------------


def test_document_lists_consultations_by_organiser_in_the_appendix_columns(
    client, school
):
    plan(school, recurrence=Consultation.Recurrence.WEEKLY, how_to_join="Кабинет 12")
    plan(
        school,
        organiser=school.other_teacher,
        classes=[school.class_7b],
        volume=Consultation.Volume.TOPICAL,
        topics="Дроби\nПроценты",
    )
    client.force_login(school.deputy)

    response = client.get(page(school.schedule, week=WEEK))

    board = response.context["board"]
    assert [g.organiser for g in board.groups] == [
        school.teacher,  # Кондратьева
        school.other_teacher,  # Орлов
    ]
    first = board.groups[0].rows[0]
    assert first.classes == "7А"
    assert first.time == "15:00–15:45"
    assert first.sessions == 5
    assert board.groups[0].position == "Учитель математики"
    html = response.content.decode()
    assert "Кабинет 12" in html
    assert "Дроби; Проценты" in html


def test_week_grid_shows_the_chosen_week_with_previous_and_next(client, school):
    consultation = plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    occurrence = consultation.occurrences.order_by("starts_at").first()
    client.force_login(school.deputy)

    response = client.get(page(school.schedule, week="2026-11-19"))  # a Thursday

    board = response.context["board"]
    assert board.week == dt.date(2026, 11, 16)
    assert [d.date.weekday() for d in board.days] == [0, 1, 2, 3, 4, 5]  # Mon–Sat
    tuesday = board.days[1]
    assert [b.session.pk for b in tuesday.blocks] == [occurrence.pk]
    html = response.content.decode()
    assert f'id="occ-{occurrence.pk}"' in html
    assert "week=2026-11-09" in html
    assert "week=2026-11-23" in html
    assert "Алгебра" in html


def test_week_grid_marks_holidays_and_cancelled_sessions(client, school):
    consultation = plan(school, recurrence=Consultation.Recurrence.WEEKLY)
    first = consultation.occurrences.order_by("starts_at").first()
    Occurrence.objects.filter(pk=first.pk).update(
        status=Occurrence.Status.CANCELLED, change_reason="Болезнь"
    )
    client.force_login(school.deputy)

    holiday_week = client.get(page(school.schedule, week="2026-12-01"))
    assert holiday_week.context["board"].days[1].holiday == "Ремонт"

    response = client.get(page(school.schedule, week=WEEK))
    assert "Болезнь" in response.content.decode()
    assert response.context["board"].session_count == 4


def test_overlapping_sessions_share_the_day_column(client, school):
    plan(school)
    plan(
        school,
        organiser=school.other_teacher,
        classes=[school.class_7b],
        start_time=dt.time(15, 15),
    )
    client.force_login(school.deputy)
    blocks = client.get(page(school.schedule, week=WEEK)).context["grid"].days[1].blocks
    assert [(b.left, b.width) for b in blocks] == [
        ("0.000", "50.000"),
        ("50.000", "50.000"),
    ]


def test_filters_narrow_the_list_and_the_grid(client, school):
    plan(school)
    plan(
        school,
        organiser=school.other_teacher,
        classes=[school.class_7b],
        start_time=dt.time(16, 0),
    )
    client.force_login(school.deputy)

    by_class = client.get(
        page(school.schedule, week=WEEK, school_class=school.class_7b.pk)
    )
    board = by_class.context["board"]
    assert [g.organiser for g in board.groups] == [school.other_teacher]
    assert [b.session.consultation.organiser for b in board.days[1].blocks] == [
        school.other_teacher
    ]
    assert board.consultation_count == 2
    assert board.shown_count == 1

    by_organiser = client.get(page(school.schedule, organiser=school.teacher.pk))
    assert [g.organiser for g in by_organiser.context["board"].groups] == [
        school.teacher
    ]
    nothing = client.get(page(school.schedule, subject=999999))
    assert nothing.context["board"].groups == []
    assert client.get(page(school.schedule, organiser="x")).status_code == 200


def test_a_bad_week_falls_back_to_the_current_one(client, school):
    client.force_login(school.deputy)
    response = client.get(page(school.schedule, week="31.02.2026"))
    assert response.status_code == 200
    assert response.context["board"].week.weekday() == 0


# --- Conflicts (R7, R11) ----------------------------------------------------------


def conflicts(client, schedule, **query):
    return client.get(page(schedule, **query)).context["board"].conflicts


@pytest.mark.requirement("R7")
def test_lowered_contract_hours_flag_the_week_on_the_grid(client, school):
    consultation = plan(school, duration_minutes=90)
    occurrence = consultation.occurrences.get()
    client.force_login(school.deputy)
    assert conflicts(client, school.schedule) == []

    # The contract is edited in the back office after planning.
    Contract.objects.filter(person=school.teacher).update(consultation_hours=Decimal(1))

    response = client.get(page(school.schedule, week=WEEK))
    (conflict,) = response.context["board"].conflicts
    assert conflict.kind == "weekly_hours"
    assert conflict.requirement == "R7"
    assert conflict.week == dt.date(2026, 11, 16)
    text = conflict.message
    assert "16.11.2026–22.11.2026" in text
    assert "1,5" in text
    assert "0,5" in text
    html = response.content.decode()
    assert f"?week=2026-11-16#occ-{occurrence.pk}" in html
    block = response.context["board"].days[1].blocks[0]
    assert block.conflicted
    assert 'class="session conflict"' in html
    assert response.context["board"].groups[0].rows[0].conflicted


@pytest.mark.requirement("R7")
def test_weekly_limit_counts_only_live_sessions_and_flags_only_that_week(
    client, school
):
    consultation = plan(
        school, duration_minutes=60, recurrence=Consultation.Recurrence.WEEKLY
    )
    plan(school, starts_on=dt.date(2026, 11, 26), duration_minutes=60)  # Thursday
    Contract.objects.filter(person=school.teacher).update(
        consultation_hours=Decimal("1.5")
    )
    client.force_login(school.deputy)

    found = conflicts(client, school.schedule)
    assert [(c.kind, c.week) for c in found] == [
        ("weekly_hours", dt.date(2026, 11, 23))
    ]

    tuesday = consultation.occurrences.get(starts_at__date=dt.date(2026, 11, 24))
    planning_services.occurrence_cancel(
        actor=school.deputy, occurrence=tuesday, reason="Болезнь"
    )
    assert conflicts(client, school.schedule) == []


@pytest.mark.requirement("R7")
def test_session_outside_a_deputys_working_time_is_flagged(client, school):
    plan(
        school,
        organiser=school.deputy,
        subject=None,
        start_time=dt.time(16, 0),
        duration_minutes=60,
    )
    WorkingTime.objects.filter(contract__person=school.deputy, weekday=1).update(
        ends_at=dt.time(16, 30)
    )
    client.force_login(school.director)
    (late,) = conflicts(client, school.schedule)
    assert late.kind == "working_time"
    assert "с 08:00 до 16:30" in late.message
    assert "16:00–17:00" in late.message

    WorkingTime.objects.filter(contract__person=school.deputy, weekday=1).delete()
    (off,) = conflicts(client, school.schedule)
    assert off.kind == "working_time"
    assert "17.11.2026" in off.message


@pytest.mark.requirement("R7")
def test_organiser_without_contract_terms_is_flagged(client, school):
    plan(school)
    Contract.objects.filter(person=school.teacher).delete()
    client.force_login(school.deputy)
    (conflict,) = conflicts(client, school.schedule)
    assert conflict.kind == "no_contract"
    assert school.teacher.full_name in conflict.message


def test_double_booked_organiser_and_class_are_flagged(client, school):
    first = plan(school).occurrences.get()
    second = plan(school, starts_on=TUESDAY + dt.timedelta(days=1)).occurrences.get()
    # Moved by hand (as if in the database), bypassing the rules.
    Occurrence.objects.filter(pk=second.pk).update(
        starts_at=first.starts_at + dt.timedelta(minutes=30),
        ends_at=first.ends_at + dt.timedelta(minutes=30),
    )
    client.force_login(school.deputy)

    found = conflicts(client, school.schedule)

    assert sorted(c.kind for c in found) == ["class_busy", "organiser_busy"]
    busy = next(c for c in found if c.kind == "class_busy")
    assert "7А" in busy.message
    assert {s.pk for s in busy.sessions} == {first.pk, second.pk}


def test_clash_with_another_schedule_is_flagged(client, school):
    plan(school)
    yearly = ScheduleDocument.objects.create(year=school.year, period=None)
    other = plan(
        school,
        schedule=yearly,
        starts_on=TUESDAY + dt.timedelta(days=1),
        classes=[school.class_7b],
    ).occurrences.get()
    first = Occurrence.objects.get(consultation__schedule=school.schedule)
    Occurrence.objects.filter(pk=other.pk).update(
        starts_at=first.starts_at, ends_at=first.ends_at
    )
    client.force_login(school.deputy)

    (conflict,) = conflicts(client, school.schedule)
    assert conflict.kind == "organiser_busy"
    assert conflict.anchor.pk == first.pk
    assert str(yearly) in conflict.message


@pytest.mark.requirement("R11")
def test_attestation_consultation_before_the_parts_new_completion_is_flagged(
    client, school
):
    plan(
        school,
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        starts_on=dt.date(2026, 12, 10),
    )
    client.force_login(school.deputy)
    assert conflicts(client, school.schedule) == []

    ProgramPartCompletion.objects.filter(school_class=school.class_7a).update(
        planned_on=dt.date(2026, 12, 17)
    )
    (conflict,) = conflicts(client, school.schedule)
    assert conflict.kind == "attestation_early"
    assert conflict.requirement == "R11"
    assert "17.12.2026" in conflict.message
    assert "10.12.2026" in conflict.message

    ProgramPartCompletion.objects.filter(school_class=school.class_7a).delete()
    (missing,) = conflicts(client, school.schedule)
    assert "Линейные уравнения" in missing.message


# --- Query counts ------------------------------------------------------------------


def _teachers(school) -> list:
    """Ten teachers, each with a class of their own and 2 consultation hours."""
    teachers = []
    for i in range(10):
        teacher = make_person(Role.TEACHER, last_name=f"Учитель{i:02d}")
        ContractFactory(person=teacher, consultation_hours=Decimal(2))
        school_class = SchoolClass.objects.create(
            year=school.year, grade=5 + i // 2, letter="ВГ"[i % 2]
        )
        teachers.append((teacher, school_class))
    return teachers


def _plan_many(school, teachers, numbers) -> None:
    for n in numbers:
        teacher, school_class = teachers[n % 10]
        plan(
            school,
            organiser=teacher,
            classes=[school_class],
            starts_on=dt.date(2026, 11, 16) + dt.timedelta(days=n // 10),
            start_time=dt.time(14, 0),
            duration_minutes=20,
        )


def _page_queries(client, schedule) -> int:
    url = page(schedule, week=WEEK)
    client.get(url)  # warm the cached school
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


#: Session, person and their roles (3); the document; consultations, this and
#: other schedules' sessions, classes, chosen students, contracts, working times,
#: organisers' roles, the week's holidays (9); reasons of returns (a draft); the
#: header's unread count.
SCHEDULE_PAGE_QUERIES = 15


def test_schedule_page_query_count_does_not_grow_with_the_schedule(
    client, school, django_assert_num_queries
):
    client.force_login(school.deputy)
    teachers = _teachers(school)
    _plan_many(school, teachers, range(5))
    small = _page_queries(client, school.schedule)

    _plan_many(school, teachers, range(5, 50))
    assert school.schedule.consultations.count() == 50

    with django_assert_num_queries(small):
        response = client.get(page(school.schedule, week=WEEK))
    board = response.context["board"]
    assert board.conflicts == []
    assert sum(len(d.blocks) for d in board.days) == 50
    assert sum(len(g.rows) for g in board.groups) == 50
    assert small == SCHEDULE_PAGE_QUERIES


def test_list_page_query_count_is_pinned(client, school, django_assert_num_queries):
    client.force_login(school.director)
    plan(school)
    url = reverse("consultations:schedules")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in (3, 4):
        StudyPeriod.objects.create(
            year=school.year,
            kind=StudyPeriod.Kind.QUARTER,
            number=number,
            starts_on=dt.date(2027, number, 1),
            ends_on=dt.date(2027, number, 20),
        )
    schedule_services.approval_delegate(
        actor=school.director, deputy=school.deputy, valid_from=dt.date(2026, 11, 1)
    )
    with django_assert_num_queries(len(few)):
        client.get(url)
