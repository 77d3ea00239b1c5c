"""Planning screens: «my consultations» and the weekly load, the planning form,
a consultation's page and its sessions. Each view has a role matrix asserting
the status code and that nothing changed."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from umka.accounts.models import Role
from umka.accounts.tests.factories import make_person
from umka.consultations import policies, rules
from umka.consultations.models import Consultation, Occurrence, ScheduleDocument
from umka.consultations.planning import load as planning_load
from umka.consultations.planning import services as planning_services
from umka.consultations.schedule import services as schedule_services
from umka.consultations.tests.factories import TUESDAY, small_school
from umka.school.models import SchoolClass, StudyPeriod

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
#: «Now» for these tests: before the sessions they plan, inside the second quarter.
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=TZ)


@pytest.fixture
def school(clock):
    return small_school()


def plan(school, **overrides) -> Consultation:
    fields = {
        "actor": school.teacher,
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


def approve(school) -> None:
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    schedule_services.schedule_approve(actor=school.director, schedule=school.schedule)


def attestation(school, **overrides) -> Consultation:
    return plan(
        school,
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        starts_on=dt.date(2026, 12, 10),
        **overrides,
    )


def page(response) -> str:
    return response.content.decode()


def as_user(client, user):
    client.force_login(user)
    return client


def who(school, name: str):
    if name == "administrator":
        return make_person(Role.ADMINISTRATOR)
    return getattr(school, name)


def state() -> list:
    """Everything a refused request must leave as it was."""
    return [
        list(Consultation.objects.order_by("pk").values()),
        list(Occurrence.objects.order_by("pk").values()),
        list(
            Occurrence.objects.order_by("pk").values_list(
                "checklist__kind", "checklist__done", "checklist__note"
            )
        ),
        list(ScheduleDocument.objects.order_by("pk").values()),
    ]


def form_data(school, **overrides) -> dict:
    data = {
        "period": str(school.quarter.pk),
        "subject": str(school.maths.pk),
        "classes": [str(school.class_7a.pk)],
        "form": Consultation.Form.VIDEOCONFERENCE,
        "volume": Consultation.Volume.OVERVIEW,
        "topics": "",
        "purpose": Consultation.Purpose.ONGOING,
        "recurrence": Consultation.Recurrence.ONCE,
        "starts_on": TUESDAY.isoformat(),
        "start_time": "15:00",
        "duration_minutes": "45",
        "description": "Разбор домашней работы",
        "how_to_join": "https://meet.example.org/algebra",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- «My consultations» --------------------------------------------------------------


def test_my_consultations_needs_sign_in(client, school):
    response = client.get(reverse("consultations:mine"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 404),
        ("parent", 404),
        ("teacher", 200),
        ("other_teacher", 200),
        ("deputy", 200),
        ("director", 200),
        ("administrator", 200),
    ],
)
def test_my_consultations_is_for_staff(client, school, name, status):
    response = as_user(client, who(school, name)).get(reverse("consultations:mine"))
    assert response.status_code == status


def test_my_consultations_lists_own_ones_by_schedule_with_its_status(client, school):
    mine = plan(school, description="моя")
    plan(
        school,
        actor=school.other_teacher,
        organiser=school.other_teacher,
        classes=[school.class_7b],
        subject=None,
        start_time=dt.time(12, 0),
    )
    html = page(as_user(client, school.teacher).get(reverse("consultations:mine")))
    assert reverse("consultations:detail", args=[mine.pk]) in html
    assert html.count('href="/consultations/') - html.count("/consultations/new/") >= 1
    assert "Алгебра" in html
    assert "7А" in html
    assert "7Б" not in html  # the other teacher's consultation
    assert str(school.quarter) in html
    assert "Проект" in html  # the schedule's status badge


def test_my_consultations_shows_the_approved_status(client, school):
    plan(school)
    approve(school)
    html = page(as_user(client, school.teacher).get(reverse("consultations:mine")))
    assert "Утверждён" in html


@pytest.mark.requirement("R7")
def test_week_strip_shows_planned_hours_against_the_contract(client, school):
    plan(school, duration_minutes=90)
    html = page(as_user(client, school.teacher).get(reverse("consultations:mine")))
    strip = html[html.index('id="load"') :]
    row = strip[strip.index("16.11–22.11.2026") :]
    row = row[: row.index("</tr>")]
    assert ">1,5<" in row  # planned
    assert ">2<" in row  # allowed by the contract
    assert "0,5 " in row  # free


@pytest.mark.requirement("R7")
def test_staff_without_hours_see_their_working_time(client, school):
    html = page(as_user(client, school.deputy).get(reverse("consultations:mine")))
    assert "08:00–17:00" in html


@pytest.mark.requirement("R7")
def test_week_strip_counts_hours_as_the_rules_do(school, monkeypatch):
    from umka.consultations import planned_time

    # Another app's planned time (e.g. a booking window), one across a week's end.
    def windows(organiser, start, end, exclude):
        return [
            planned_time.Planned(
                "test:1",
                dt.datetime(2026, 11, 29, 23, 45, tzinfo=TZ),
                dt.datetime(2026, 11, 30, 0, 15, tzinfo=TZ),
                "window",
            ),
            planned_time.Planned(
                "test:2",
                dt.datetime(2026, 12, 9, 12, 0, tzinfo=TZ),
                dt.datetime(2026, 12, 9, 12, 15, tzinfo=TZ),
                "window",
            ),
        ]

    monkeypatch.setattr(planned_time, "_providers", [windows])
    plan(school, duration_minutes=60, recurrence=Consultation.Recurrence.WEEKLY)
    plan(school, starts_on=TUESDAY + dt.timedelta(days=2), duration_minutes=50)
    load = planning_load.load_of(
        school.teacher, school.quarter.starts_on, school.quarter.ends_on
    )
    assert load.hourly
    assert len(load.weeks) == 9  # 05.11 (Thursday) – 28.12 (Monday)
    for week in load.weeks:
        assert week.hours == rules.weekly_load(school.teacher, week.starts_on)
        assert week.allowed == Decimal(2)
    assert any(week.hours == Decimal(110) / 60 for week in load.weeks)


def _add_consultations(school, start: int, n: int) -> None:
    """Weekly consultations of the deputy, each for its own class, some with a
    chosen student: numbers start … start + n - 1 (at most 40)."""
    for i in range(start, start + n):
        school_class = SchoolClass.objects.create(
            year=school.year, grade=8, letter=str(i)
        )
        plan(
            school,
            actor=school.deputy,
            organiser=school.deputy,
            subject=None,
            classes=[school_class],
            students=[school.student] if i % 2 else [],
            starts_on=dt.date(2026, 11, 16) + dt.timedelta(days=i % 5),
            start_time=dt.time(8 + i // 5, 0),
            recurrence=Consultation.Recurrence.WEEKLY,
            duration_minutes=15,
        )


def _queries(client, url) -> int:
    client.get(url)  # warm the caches (school, translations)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_my_consultations_query_count_does_not_grow(client, school):
    as_user(client, school.deputy)
    url = reverse("consultations:mine")
    _add_consultations(school, 0, 3)
    few = _queries(client, url)
    _add_consultations(school, 3, 27)
    assert Consultation.objects.filter(organiser=school.deputy).count() == 30
    assert _queries(client, url) == few


# --- Planning: who may open the form -------------------------------------------------


def test_plan_form_needs_sign_in(client, school):
    response = client.get(reverse("consultations:plan"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 404),
        ("parent", 404),
        ("administrator", 404),  # the back office, not a consultant (R3)
        ("teacher", 200),
        ("deputy", 200),
    ],
)
def test_plan_form_is_for_those_who_consult(client, school, name, status):
    user = who(school, name)
    response = as_user(client, user).get(reverse("consultations:plan"))
    assert response.status_code == status
    response = client.post(reverse("consultations:plan"), form_data(school))
    assert response.status_code in (status, 302)
    if status == 404:
        assert not Consultation.objects.exists()


def test_teacher_plans_for_self_and_sees_own_subjects_and_classes_first(client, school):
    html = page(as_user(client, school.teacher).get(reverse("consultations:plan")))
    assert 'name="organiser"' not in html
    assert school.teacher.full_name in html
    # Optgroups: the teacher's own subject and class come first.
    assert html.index(gettext("Your subjects")) < html.index("Алгебра")
    assert html.index(gettext("Your classes")) < html.index(">7А<") or "7А" in html
    # The default schedule is the period that contains today.
    assert re.search(rf'<option value="{school.quarter.pk}"[^>]*selected', html), (
        "the current quarter is preselected"
    )


def test_teacher_cannot_plan_for_someone_else(client, school):
    as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, organiser=str(school.other_teacher.pk)),
    )
    consultation = Consultation.objects.get()
    assert consultation.organiser == school.teacher


def test_deputy_chooses_the_organiser(client, school):
    html = page(as_user(client, school.deputy).get(reverse("consultations:plan")))
    assert 'name="organiser"' in html
    assert "Учитель математики" in html  # positions help to choose
    response = client.post(
        reverse("consultations:plan"),
        form_data(school, organiser=str(school.teacher.pk)),
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert consultation.organiser == school.teacher
    assert consultation.created_by == school.deputy


# --- Planning: success ---------------------------------------------------------------


def test_planning_creates_the_consultation_and_opens_its_page(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"), form_data(school, capacity="25")
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "consultations:detail", args=[consultation.pk]
    )
    assert consultation.schedule == school.schedule
    assert list(consultation.audience_classes.all()) == [school.class_7a]
    assert consultation.capacity == 25
    assert consultation.how_to_join == "https://meet.example.org/algebra"
    assert consultation.occurrences.count() == 1
    html = page(client.get(response["Location"]))
    assert "https://meet.example.org/algebra" in html
    assert "17.11.2026" in html


@pytest.mark.requirement("R9")
def test_weekly_consultation_runs_to_the_period_end_and_names_skipped_holidays(
    client, school
):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school, recurrence=Consultation.Recurrence.WEEKLY, duration_minutes="30"
        ),
        follow=True,
    )
    consultation = Consultation.objects.get()
    assert consultation.repeat_until == school.quarter.ends_on
    assert consultation.occurrences.count() == 5
    html = page(response)
    assert "01.12.2026" in html  # the holiday named in the message
    assert html.count('id="session-') == 5


def test_the_schedule_of_a_period_is_opened_on_first_use(client, school):
    third = StudyPeriod.objects.create(
        year=school.year,
        kind=StudyPeriod.Kind.QUARTER,
        number=3,
        starts_on=dt.date(2027, 1, 11),
        ends_on=dt.date(2027, 3, 20),
    )
    as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, period=str(third.pk), starts_on="2027-01-12"),
    )
    consultation = Consultation.objects.get()
    assert consultation.schedule.period == third
    assert consultation.schedule.status == ScheduleDocument.Status.DRAFT


@pytest.mark.requirement("R10")
def test_topical_consultation_keeps_its_topics(client, school):
    as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            volume=Consultation.Volume.TOPICAL,
            topics="Линейные уравнения\nСистемы уравнений",
        ),
    )
    assert Consultation.objects.get().topic_list == [
        "Линейные уравнения",
        "Системы уравнений",
    ]


def test_chosen_students_of_the_teachers_class(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            classes=[],
            students=[str(school.student.pk)],
            form=Consultation.Form.INDIVIDUAL,
            for_parents="on",
        ),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert list(consultation.audience_students.all()) == [school.student]
    assert consultation.for_parents


def test_a_student_outside_the_classes_in_play_is_refused(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            classes=[],
            students=[str(school.other_student.pk)],  # 7Б: not the teacher's
            form=Consultation.Form.INDIVIDUAL,
        ),
    )
    assert response.status_code == 200
    assert 'id="plan-errors"' in page(response)
    assert not Consultation.objects.exists()


# --- Planning: the rules' refusals, with everything kept -------------------------


def _refused(response) -> str:
    assert response.status_code == 200
    html = page(response)
    alert = re.search(
        r'<div class="form-errors" role="alert"[^>]*>(.*?)</div>', html, re.S
    )
    assert alert, "the refusal is shown at the top of the form"
    assert not Consultation.objects.filter(
        description="Разбор домашней работы"
    ).exists()
    return alert.group(1)


@pytest.mark.requirement("R7")
def test_plan_over_the_weekly_limit_is_refused_with_the_overrun(client, school):
    plan(school, duration_minutes=90)
    before = state()
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, starts_on="2026-11-19", duration_minutes="45"),
    )
    alert = _refused(response)
    assert "трудовой договор допускает" in alert
    assert "16.11.2026–22.11.2026" in alert
    assert "0,25" in alert  # by how much
    assert state() == before
    html = page(response)
    # Nothing the teacher typed is lost.
    assert 'value="2026-11-19"' in html
    assert 'value="45"' in html
    assert "Разбор домашней работы" in html
    assert 'value="https://meet.example.org/algebra"' in html
    assert re.search(rf'value="{school.class_7a.pk}"[^>]*checked', html)


@pytest.mark.requirement("R7")
def test_deputy_outside_working_hours_is_refused(client, school):
    response = as_user(client, school.deputy).post(
        reverse("consultations:plan"),
        form_data(
            school,
            organiser=str(school.deputy.pk),
            subject="",
            start_time="16:30",
            duration_minutes="60",
        ),
    )
    alert = _refused(response)
    assert "с 08:00 до 17:00" in alert
    assert "16:30–17:30" in alert


@pytest.mark.requirement("R10")
def test_topical_without_topics_is_refused(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, volume=Consultation.Volume.TOPICAL, topics="  "),
    )
    refused = _refused(response)
    assert "должны быть указаны темы." in refused
    assert "(R10)" not in refused


@pytest.mark.requirement("R11")
def test_individual_attestation_consultation_is_refused(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            classes=[],
            students=[str(school.student.pk)],
            form=Consultation.Form.INDIVIDUAL,
            purpose=Consultation.Purpose.ATTESTATION,
            program_part=str(school.part.pk),
            starts_on="2026-12-22",
        ),
    )
    assert "только в групповой форме" in _refused(response)


@pytest.mark.requirement("R11")
def test_attestation_before_the_part_is_completed_is_refused(client, school):
    response = as_user(client, school.deputy).post(
        reverse("consultations:plan"),
        form_data(
            school,
            organiser=str(school.teacher.pk),
            classes=[str(school.class_7a.pk), str(school.class_7b.pk)],
            purpose=Consultation.Purpose.ATTESTATION,
            program_part=str(school.part.pk),
            starts_on="2026-12-14",
        ),
    )
    alert = _refused(response)
    assert "7Б" in alert
    assert "15.12.2026" in alert
    assert "раньше" in alert
    assert "(R11)" not in alert


@pytest.mark.requirement("R11")
def test_attestation_needs_its_program_part(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school, purpose=Consultation.Purpose.ATTESTATION, starts_on="2026-12-15"
        ),
    )
    assert "Выберите раздел программы" in _refused(response)


@pytest.mark.requirement("R11")
def test_program_part_must_fit_the_subject_and_the_grade(client, school):
    from umka.school.models import ProgramPart, Subject

    physics = Subject.objects.create(name="Физика")
    foreign = ProgramPart.objects.create(
        subject=physics, grade=7, number=1, title="Механика"
    )
    response = as_user(client, school.deputy).post(
        reverse("consultations:plan"),
        form_data(
            school,
            organiser=str(school.teacher.pk),
            subject=str(school.maths.pk),
            purpose=Consultation.Purpose.ATTESTATION,
            program_part=str(foreign.pk),
            starts_on="2026-12-15",
        ),
    )
    _refused(response)
    assert 'id="f-program_part"' in page(response)


@pytest.mark.requirement("R11")
def test_attestation_after_completion_is_planned_with_its_checklist(client, school):
    as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            purpose=Consultation.Purpose.ATTESTATION,
            program_part=str(school.part.pk),
            starts_on="2026-12-10",
        ),
    )
    consultation = Consultation.objects.get()
    assert consultation.program_part == school.part
    assert consultation.occurrences.get().checklist.count() == 3


def test_a_clash_is_refused(client, school):
    plan(school)
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, classes=[str(school.class_7b.pk)], start_time="15:30"),
    )
    assert "две консультации одновременно" in _refused(response)


def test_a_holiday_date_is_refused(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"), form_data(school, starts_on="2026-12-01")
    )
    assert "каникулы" in _refused(response)


# --- Planning: amendments and locked schedules (R8) --------------------------------


@pytest.mark.requirement("R8")
def test_planning_into_an_approved_schedule_needs_a_reason(client, school):
    plan(school)
    approve(school)
    before = state()
    as_user(client, school.teacher)
    response = client.post(
        reverse("consultations:plan"), form_data(school, starts_on="2026-11-18")
    )
    assert response.status_code == 200
    assert "каждое изменение вносится" in page(response)
    assert state() == before
    response = client.post(
        reverse("consultations:plan"),
        form_data(school, starts_on="2026-11-18", reason="Запрос родителей"),
    )
    assert response.status_code == 302
    school.schedule.refresh_from_db()
    assert school.schedule.version == 2
    assert school.schedule.versions.last().reason == "Запрос родителей"


def test_a_submitted_schedule_is_locked_for_teachers(client, school):
    plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    html = page(as_user(client, school.teacher).get(reverse("consultations:plan")))
    assert re.search(rf'<option value="{school.quarter.pk}"[^>]*disabled', html)
    response = client.post(
        reverse("consultations:plan"), form_data(school, starts_on="2026-11-18")
    )
    assert response.status_code == 200
    assert Consultation.objects.count() == 1


# --- Planning: the dependent lists ---------------------------------------------------


def test_student_list_follows_the_chosen_classes(client, school):
    as_user(client, school.teacher)
    url = reverse("consultations:plan_fields")
    html = page(client.get(url, {"period": school.quarter.pk}))
    assert 'hx-swap-oob="true"' in html
    assert school.student.full_name in html  # the teacher's class 7А
    assert school.other_student.full_name not in html
    as_user(client, school.deputy)
    html = page(
        client.get(url, {"period": school.quarter.pk, "classes": [school.class_7b.pk]})
    )
    assert school.other_student.full_name in html
    html = page(
        client.get(
            url, {"period": school.quarter.pk, "student_class": school.class_7b.pk}
        )
    )
    assert school.other_student.full_name in html


@pytest.mark.parametrize(
    ("name", "sees_names"),
    [
        ("teacher", False),  # teaches 7А only
        ("other_teacher", False),  # teaches no class
        ("unit_head", False),
        ("staff", False),
        ("deputy", True),  # the administration sees the whole school
        ("director", True),
        ("administrator", True),
    ],
)
def test_students_of_a_class_are_named_only_to_who_may_see_them(
    client, school, name, sees_names
):
    """Issue 15: the field endpoint listed any class's students by full name to any
    planner, while their profiles answered 404. Whole classes stay choosable."""
    if name in ("unit_head", "staff"):
        user = make_person(Role.UNIT_HEAD if name == "unit_head" else Role.STAFF)
    else:
        user = who(school, name)
    url = reverse("consultations:plan_fields")
    response = as_user(client, user).get(
        url, {"period": school.quarter.pk, "student_class": school.class_7b.pk}
    )
    if not policies.can_plan_consultations(user):
        assert response.status_code == 404
        return
    html = page(response)
    assert (school.other_student.full_name in html) is sees_names
    assert (school.other_student.last_name in html) is sees_names
    html = page(
        client.get(url, {"period": school.quarter.pk, "classes": [school.class_7b.pk]})
    )
    assert (school.other_student.full_name in html) is sees_names


def test_a_hidden_student_cannot_be_chosen_by_posting_the_id(client, school):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(
            school,
            classes=[],
            student_class=str(school.class_7b.pk),
            students=[str(school.other_student.pk)],
        ),
    )
    assert response.status_code == 200
    assert school.other_student.full_name not in page(response)
    assert not Consultation.objects.exists()


def test_program_parts_follow_the_subject_and_grade(client, school):
    as_user(client, school.teacher)
    html = page(
        client.get(
            reverse("consultations:plan_fields"),
            {"subject": school.maths.pk, "classes": [school.class_7a.pk]},
        )
    )
    assert "Линейные уравнения" in html
    eighth = SchoolClass.objects.create(year=school.year, grade=8, letter="А")
    html = page(
        client.get(
            reverse("consultations:plan_fields"),
            {"subject": school.maths.pk, "classes": [eighth.pk]},
        )
    )
    assert "Линейные уравнения" not in html


def test_update_the_lists_without_javascript_keeps_values_and_plans_nothing(
    client, school
):
    response = as_user(client, school.teacher).post(
        reverse("consultations:plan"),
        form_data(school, classes=[str(school.class_7b.pk)], _refresh="1"),
    )
    assert response.status_code == 200
    html = page(response)
    assert school.student.full_name in html  # the teacher's own class 7А
    assert "Разбор домашней работы" in html
    assert 'role="alert"' not in html
    assert not Consultation.objects.exists()


def test_dependent_lists_need_sign_in(client, school):
    response = client.get(reverse("consultations:plan_fields"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["student", "parent"])
def test_dependent_lists_are_for_planners_only(client, school, name):
    response = as_user(client, who(school, name)).get(
        reverse("consultations:plan_fields"), {"classes": [school.class_7a.pk]}
    )
    assert response.status_code == 404


# --- A consultation's page: who may see it ---------------------------------------


def test_consultation_and_session_pages_need_sign_in(client, school):
    consultation = plan(school)
    occurrence = consultation.occurrences.get()
    for url in (
        reverse("consultations:detail", args=[consultation.pk]),
        reverse("consultations:session", args=[occurrence.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_consultation_page_query_count_does_not_grow_with_sessions(client, school):
    once = plan(school, students=[school.classmate])
    weekly = plan(
        school,
        start_time=dt.time(16, 0),
        recurrence=Consultation.Recurrence.WEEKLY,
        students=[school.classmate, school.student],
    )
    assert weekly.occurrences.count() == 5
    as_user(client, school.teacher)
    few = _queries(client, reverse("consultations:detail", args=[once.pk]))
    many = _queries(client, reverse("consultations:detail", args=[weekly.pk]))
    assert many == few


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 404),  # a draft is not theirs to see yet
        ("parent", 404),
        ("other_student", 404),
        ("other_parent", 404),
        ("other_teacher", 404),
        ("teacher", 200),
        ("deputy", 200),
        ("director", 200),
        ("administrator", 200),
    ],
)
def test_draft_consultation_page_role_matrix(client, school, name, status):
    consultation = plan(school)
    occurrence = consultation.occurrences.get()
    as_user(client, who(school, name))
    response = client.get(reverse("consultations:detail", args=[consultation.pk]))
    assert response.status_code == status
    response = client.get(reverse("consultations:session", args=[occurrence.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("student", 200),
        ("parent", 200),
        ("other_student", 404),
        ("other_parent", 404),
        ("other_teacher", 404),
    ],
)
def test_approved_consultation_is_visible_to_its_audience(client, school, name, status):
    consultation = plan(school)
    approve(school)
    response = as_user(client, who(school, name)).get(
        reverse("consultations:detail", args=[consultation.pk])
    )
    assert response.status_code == status
    if status == 200:
        html = page(response)
        assert "session_move" not in html
        assert "/move/" not in html
        assert "/cancel/" not in html
        assert "/held/" not in html


def test_audience_sees_no_names_of_chosen_students(client, school):
    consultation = plan(school, students=[school.classmate])
    approve(school)
    html = page(
        as_user(client, school.parent).get(
            reverse("consultations:detail", args=[consultation.pk])
        )
    )
    assert school.classmate.full_name not in html
    html = page(
        as_user(client, school.teacher).get(
            reverse("consultations:detail", args=[consultation.pk])
        )
    )
    assert school.classmate.full_name in html


# --- Session actions: who may act ----------------------------------------------------


def _action_urls(consultation, occurrence) -> list[tuple[str, dict]]:
    return [
        (
            reverse("consultations:session_move", args=[occurrence.pk]),
            {"new_date": "2026-11-19", "new_time": "15:00", "reason": "Болезнь"},
        ),
        (
            reverse("consultations:session_cancel", args=[occurrence.pk]),
            {"reason": "Болезнь"},
        ),
        (reverse("consultations:session_held", args=[occurrence.pk]), {}),
        (reverse("consultations:consultation_remove", args=[consultation.pk]), {}),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "student",
        "parent",
        "other_student",
        "other_parent",
        "other_teacher",
        "administrator",
    ],
)
@pytest.mark.parametrize("approved", [False, True])
def test_only_the_organiser_or_a_coordinator_acts(client, school, name, approved):
    consultation = plan(school)
    if approved:
        approve(school)
    occurrence = consultation.occurrences.get()
    before = state()
    as_user(client, who(school, name))
    for url, data in _action_urls(consultation, occurrence):
        assert client.post(url, data).status_code == 404, url
    assert state() == before


def test_anonymous_actions_go_to_sign_in(client, school):
    consultation = plan(school)
    occurrence = consultation.occurrences.get()
    before = state()
    for url, data in _action_urls(consultation, occurrence):
        response = client.post(url, data)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert state() == before


def test_actions_need_post(client, school):
    consultation = plan(school)
    occurrence = consultation.occurrences.get()
    as_user(client, school.teacher)
    for url, _data in _action_urls(consultation, occurrence):
        assert client.get(url).status_code == 405


# --- Session actions: the organiser and coordinators ------------------------------


@pytest.mark.parametrize("name", ["teacher", "deputy"])
def test_organiser_or_deputy_moves_a_session(client, school, name):
    occurrence = plan(school).occurrences.get()
    response = as_user(client, who(school, name)).post(
        reverse("consultations:session_move", args=[occurrence.pk]),
        {"new_date": "2026-11-19", "new_time": "16:00", "reason": "Олимпиада"},
    )
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert timezone.localtime(occurrence.starts_at) == dt.datetime(
        2026, 11, 19, 16, 0, tzinfo=TZ
    )
    assert occurrence.change_reason == "Олимпиада"
    html = page(client.get(response["Location"]))
    assert "Олимпиада" in html
    assert "17.11.2026 15:00" in html  # moved from


def test_moving_onto_a_holiday_is_refused(client, school):
    occurrence = plan(school).occurrences.get()
    before = state()
    response = as_user(client, school.teacher).post(
        reverse("consultations:session_move", args=[occurrence.pk]),
        {"new_date": "2026-12-01", "new_time": "15:00", "reason": "Олимпиада"},
    )
    assert response.status_code == 200
    assert "каникулы" in page(response)
    assert 'value="Олимпиада"' in page(response)
    assert state() == before


@pytest.mark.requirement("R7")
def test_moving_into_a_full_week_is_refused(client, school):
    plan(school, duration_minutes=90, starts_on=TUESDAY + dt.timedelta(days=7))
    occurrence = plan(school, start_time=dt.time(10, 0)).occurrences.get()
    before = state()
    response = as_user(client, school.teacher).post(
        reverse("consultations:session_move", args=[occurrence.pk]),
        {"new_date": "2026-11-26", "new_time": "15:00", "reason": "Олимпиада"},
    )
    assert response.status_code == 200
    assert "трудовой договор допускает" in page(response)
    assert 'role="alert"' in page(response)
    assert state() == before


def test_cancelling_needs_a_reason(client, school):
    occurrence = plan(school).occurrences.get()
    before = state()
    as_user(client, school.teacher)
    url = reverse("consultations:session_cancel", args=[occurrence.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Укажите причину отмены" in page(response)
    assert state() == before
    response = client.post(url, {"reason": "Карантин", "next": "detail"})
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("consultations:detail", args=[occurrence.consultation_id])
    )
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.CANCELLED
    assert occurrence.change_reason == "Карантин"


@pytest.mark.requirement("R8")
def test_cancelling_in_an_approved_schedule_is_an_amendment(client, school):
    occurrence = plan(school).occurrences.get()
    approve(school)
    as_user(client, school.teacher).post(
        reverse("consultations:session_cancel", args=[occurrence.pk]),
        {"reason": "Карантин"},
    )
    school.schedule.refresh_from_db()
    assert school.schedule.version == 2
    assert school.schedule.versions.last().reason == "Карантин"
    from umka.notifications.models import Notification

    told = set(Notification.objects.values_list("recipient", flat=True))
    assert {school.student.pk, school.parent.pk} <= told  # the audience is told
    assert school.other_parent.pk not in told


def test_a_session_is_marked_held_only_after_it_starts(client, school, clock):
    occurrence = plan(school).occurrences.get()
    as_user(client, school.teacher)
    html = page(client.get(reverse("consultations:session", args=[occurrence.pk])))
    assert re.search(r"<button[^>]*disabled[^>]*>\s*" + gettext("Mark as held"), html)
    before = state()
    response = client.post(reverse("consultations:session_held", args=[occurrence.pk]))
    assert response.status_code == 200
    assert "до его начала" in page(response)
    assert state() == before
    clock.travel(occurrence.ends_at)
    as_user(client, school.teacher)  # the sign-in of a week ago has expired
    response = client.post(reverse("consultations:session_held", args=[occurrence.pk]))
    assert response.status_code == 302
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.HELD
    assert occurrence.held_by == school.teacher


def test_consultation_is_removed_from_a_draft(client, school):
    consultation = plan(school)
    response = as_user(client, school.teacher).post(
        reverse("consultations:consultation_remove", args=[consultation.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:mine")
    assert not Consultation.objects.exists()


@pytest.mark.requirement("R8")
def test_an_approved_consultation_is_not_removed(client, school):
    consultation = plan(school)
    approve(school)
    before = state()
    response = as_user(client, school.teacher).post(
        reverse("consultations:consultation_remove", args=[consultation.pk])
    )
    assert response.status_code == 200
    assert "вместо удаления" in page(response)
    assert state() == before


def test_a_submitted_schedule_locks_the_teachers_sessions(client, school):
    consultation = plan(school)
    schedule_services.schedule_submit(actor=school.deputy, schedule=school.schedule)
    occurrence = consultation.occurrences.get()
    before = state()
    as_user(client, school.teacher)
    html = page(client.get(reverse("consultations:detail", args=[consultation.pk])))
    assert "/move/" not in html
    response = client.post(
        reverse("consultations:session_cancel", args=[occurrence.pk]),
        {"reason": "Карантин"},
    )
    assert response.status_code == 200
    assert "нет прав" in page(response)
    assert state() == before


@pytest.mark.requirement("R9")
def test_a_topic_link_prefills_a_topical_consultation(client):
    from urllib.parse import urlencode

    from umka.consultations.tests.factories import small_school

    school = small_school()
    client.force_login(school.teacher)
    query = urlencode(
        {
            "subject": school.maths.pk,
            "classes": school.class_7a.pk,
            "volume": "topical",
            "topics": "Линейные уравнения с параметром",
        }
    )
    page = client.get(f"/consultations/new/?{query}").content.decode()
    assert "Линейные уравнения с параметром</textarea>" in page
    import re

    assert re.search(
        rf'name="classes" value="{school.class_7a.pk}"[^>]*checked', page
    ), "the class from the link is ticked"
