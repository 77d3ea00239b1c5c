import datetime as dt

import pytest

from umka.consultations.models import ChecklistItem, Consultation, Occurrence
from umka.consultations.planning import held as held_services
from umka.consultations.planning import services as planning_services
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
        "form": Consultation.Form.VIDEOCONFERENCE,
        "subject": school.maths,
        "classes": [school.class_7a],
        "starts_on": TUESDAY,
        "start_time": dt.time(15, 0),
        "duration_minutes": 45,
    }
    fields.update(overrides)
    return planning_services.consultation_plan(**fields)


def message(exc: DomainError) -> str:
    return " ".join(exc.messages)


# --- R9: recurrence over the period, skipping holidays ---------------------------


@pytest.mark.requirement("R9")
def test_weekly_consultation_runs_to_the_end_of_the_period_skipping_holidays(school):
    consultation = plan(school, recurrence=Consultation.Recurrence.WEEKLY)

    days = [o.starts_at.date() for o in consultation.occurrences.order_by("starts_at")]
    assert days[0] == TUESDAY
    assert dt.date(2026, 12, 1) not in days  # the one-day holiday
    assert days[-1] == dt.date(2026, 12, 22)  # last Tuesday of the quarter
    assert len(days) == 5
    assert consultation.repeat_until == school.quarter.ends_on


@pytest.mark.requirement("R9")
def test_biweekly_consultation_every_other_week(school):
    consultation = plan(school, recurrence=Consultation.Recurrence.BIWEEKLY)
    days = [o.starts_at.date() for o in consultation.occurrences.order_by("starts_at")]
    # 17.11, (01.12 is a holiday), 15.12
    assert days == [TUESDAY, dt.date(2026, 12, 15)]


def test_single_consultation_on_a_holiday_is_refused(school):
    with pytest.raises(DomainError, match="каникул|holiday"):
        plan(school, starts_on=dt.date(2026, 12, 1))


# --- R7: contract limits ---------------------------------------------------------


@pytest.mark.requirement("R7")
def test_teacher_cannot_plan_more_hours_than_the_contract_sets_aside(school):
    plan(school, duration_minutes=90)
    with pytest.raises(DomainError) as refused:
        plan(school, starts_on=TUESDAY + dt.timedelta(days=2), duration_minutes=45)

    text = message(refused.value)
    assert "16.11.2026–22.11.2026" in text  # which week
    assert "2,25" in text  # planned hours
    assert "2 ч" in text  # allowed hours
    assert "0,25" in text  # by how much
    assert Consultation.objects.count() == 1


@pytest.mark.requirement("R7")
def test_weekly_limit_counts_each_week_of_a_recurring_consultation(school):
    plan(school, duration_minutes=60, recurrence=Consultation.Recurrence.WEEKLY)
    # Another hour on Thursdays fits (2 h a week) ...
    plan(
        school,
        starts_on=TUESDAY + dt.timedelta(days=2),
        duration_minutes=60,
        recurrence=Consultation.Recurrence.WEEKLY,
    )
    # ... a third hour in the week of 8 December does not.
    with pytest.raises(DomainError, match="07.12.2026–13.12.2026"):
        plan(school, starts_on=dt.date(2026, 12, 11), duration_minutes=30)


@pytest.mark.requirement("R7")
def test_deputy_consults_only_within_working_hours(school):
    ok = plan(
        school,
        actor=school.deputy,
        organiser=school.deputy,
        subject=None,
        start_time=dt.time(16, 0),
        duration_minutes=60,
    )
    assert ok.pk
    with pytest.raises(DomainError) as late:
        plan(
            school,
            actor=school.deputy,
            organiser=school.deputy,
            subject=None,
            starts_on=TUESDAY + dt.timedelta(days=1),
            start_time=dt.time(16, 30),
            duration_minutes=60,
        )
    assert "с 08:00 до 17:00" in message(late.value)
    assert "16:30–17:30" in message(late.value)
    with pytest.raises(DomainError, match="не является рабочим днём|not a working day"):
        plan(
            school,
            actor=school.deputy,
            organiser=school.deputy,
            subject=None,
            starts_on=dt.date(2026, 11, 21),  # Saturday
        )


@pytest.mark.requirement("R7")
def test_no_contract_no_consultations(school):
    school.other_teacher.contract.delete()
    with pytest.raises(DomainError, match="не внесены|not been entered") as refused:
        plan(school, actor=school.deputy, organiser=school.other_teacher)
    assert "(R7)" not in str(refused.value)  # the clause code is for code, not people


# --- Clashes --------------------------------------------------------------------


def test_organiser_cannot_be_in_two_places_at_once(school):
    plan(school)
    with pytest.raises(DomainError, match="15:00"):
        plan(school, classes=[school.class_7b], start_time=dt.time(15, 30))


def test_class_is_not_given_two_consultations_at_the_same_time(school):
    plan(school)
    with pytest.raises(DomainError, match="7А"):
        plan(
            school,
            actor=school.other_teacher,
            organiser=school.other_teacher,
            start_time=dt.time(15, 15),
        )


def test_back_to_back_sessions_do_not_clash(school):
    plan(school, duration_minutes=45)
    assert plan(
        school,
        classes=[school.class_7b],
        start_time=dt.time(15, 45),
        duration_minutes=30,
    )


# --- R10 -------------------------------------------------------------------------


@pytest.mark.requirement("R10")
def test_topical_consultation_must_name_its_topics(school):
    with pytest.raises(DomainError, match="указаны темы|must name its topics"):
        plan(school, volume=Consultation.Volume.TOPICAL, topics="  ")
    topical = plan(
        school,
        volume=Consultation.Volume.TOPICAL,
        topics="Линейные уравнения\nСистемы уравнений\n",
    )
    assert topical.topic_list == ["Линейные уравнения", "Системы уравнений"]


@pytest.mark.requirement("R10")
def test_overview_consultation_needs_no_topics(school):
    assert plan(school, volume=Consultation.Volume.OVERVIEW).topic_list == []


# --- R11 -------------------------------------------------------------------------


@pytest.mark.requirement("R11")
def test_individual_attestation_consultation_is_refused(school):
    with pytest.raises(DomainError) as refused:
        plan(
            school,
            form=Consultation.Form.INDIVIDUAL,
            classes=[],
            students=[school.student],
            purpose=Consultation.Purpose.ATTESTATION,
            program_part=school.part,
            starts_on=dt.date(2026, 12, 22),
        )
    assert "только в групповой форме" in message(refused.value)


@pytest.mark.requirement("R11")
def test_attestation_consultation_before_the_part_is_completed_is_refused(school):
    with pytest.raises(DomainError) as refused:
        plan(
            school,
            classes=[school.class_7a, school.class_7b],
            purpose=Consultation.Purpose.ATTESTATION,
            program_part=school.part,
            starts_on=dt.date(2026, 12, 14),  # after 7А's date, before 7Б's
        )
    text = message(refused.value)
    assert "7Б" in text
    assert "15.12.2026" in text


@pytest.mark.requirement("R11")
def test_attestation_consultation_after_completion_is_planned_with_checklist(school):
    consultation = plan(
        school,
        classes=[school.class_7a, school.class_7b],
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        starts_on=dt.date(2026, 12, 15),
    )
    occurrence = consultation.occurrences.get()
    assert sorted(occurrence.checklist.values_list("kind", flat=True)) == sorted(
        ChecklistItem.Kind.values
    )


# --- R12 -------------------------------------------------------------------------


@pytest.mark.requirement("R12")
def test_attestation_consultation_is_held_only_with_all_three_items_done(school, clock):
    consultation = plan(
        school,
        purpose=Consultation.Purpose.ATTESTATION,
        program_part=school.part,
        starts_on=dt.date(2026, 12, 10),
        classes=[school.class_7a],
    )
    occurrence = consultation.occurrences.get()
    items = {i.kind: i for i in occurrence.checklist.all()}
    held_services.checklist_item_set(
        actor=school.teacher, item=items["briefing"], done=True, note="Регламент"
    )
    held_services.checklist_item_set(
        actor=school.teacher, item=items["hard_tasks"], done=True, note="№ 5, 7"
    )

    clock.travel(occurrence.ends_at)
    with pytest.raises(DomainError) as refused:
        held_services.occurrence_mark_held(actor=school.teacher, occurrence=occurrence)
    assert "критериев оценивания" in message(refused.value).lower()
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.PLANNED

    held_services.checklist_item_set(
        actor=school.teacher, item=items["criteria"], done=True, note="Таблица"
    )
    held_services.occurrence_mark_held(actor=school.teacher, occurrence=occurrence)
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.HELD


def test_ongoing_consultation_is_held_without_a_checklist(school, clock):
    occurrence = plan(school).occurrences.get()
    clock.travel(occurrence.ends_at)
    held_services.occurrence_mark_held(actor=school.teacher, occurrence=occurrence)
    occurrence.refresh_from_db()
    assert occurrence.status == Occurrence.Status.HELD


# --- Who may plan ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "parent", "other_teacher"])
def test_only_the_organiser_or_a_coordinator_plans(school, who):
    with pytest.raises(DomainError):
        plan(school, actor=getattr(school, who))
    assert not Consultation.objects.exists()


def test_deputy_plans_for_a_teacher(school):
    assert plan(school, actor=school.deputy).organiser == school.teacher


def test_a_session_cannot_be_marked_held_before_it_starts(school, clock):
    occurrence = plan(school).occurrences.get()
    clock.travel(occurrence.starts_at - dt.timedelta(minutes=1))
    with pytest.raises(DomainError, match="до его начала"):
        held_services.occurrence_mark_held(actor=school.teacher, occurrence=occurrence)


@pytest.mark.requirement("R7")
def test_other_planned_time_counts_towards_the_weekly_limit(school):
    from umka.consultations import planned_time
    from umka.consultations.planned_time import Planned

    tz = dt.timezone(dt.timedelta(hours=3))
    window = Planned(
        key="test.window:1",
        starts_at=dt.datetime(2026, 11, 19, 15, 0, tzinfo=tz),
        ends_at=dt.datetime(2026, 11, 19, 16, 30, tzinfo=tz),
        label="окно записи",
    )

    def provider(organiser, start, end, exclude):
        return [window] if organiser == school.teacher else []

    planned_time.register(provider)
    try:
        with pytest.raises(DomainError, match="лишних|too many"):
            plan(school, duration_minutes=45)  # 1.5 h + 0.75 h > 2 h
        with pytest.raises(DomainError, match="окно записи"):
            plan(school, starts_on=dt.date(2026, 11, 19), duration_minutes=15)
        assert plan(school, duration_minutes=30)  # exactly 2 h
    finally:
        planned_time._providers.remove(provider)
