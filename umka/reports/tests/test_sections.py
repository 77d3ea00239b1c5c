"""Every section counts correctly on the fixed dataset (R13), in the school's zone,
with a number of queries independent of the school's size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from umka.reports import registry
from umka.reports.build import report_build
from umka.reports.periods import Period, period_of
from umka.reports.tests import dataset

pytestmark = [pytest.mark.django_db, pytest.mark.requirement("R13")]

NOVEMBER = Period("month", *dataset.NOVEMBER)


@pytest.fixture
def data(clock):
    return dataset.build()


def section(report, code):
    return next(s for s in report.sections if s.code == code).result


def figures(result) -> dict[str, float]:
    return {str(f.label): f.value for f in result.figures}


def test_requests_on_time_and_late_at_the_deadline_minute(data):
    result = section(report_build(NOVEMBER), "requests")
    # Всего, вовремя, с опозданием, просрочено, открыто, эскалировано, медиана, p90
    assert result.totals[1:] == [7, 3, 2, 1, 1, 1, 2, 2]
    assert figures(result)["Отвечено вовремя"] == 3
    teacher = next(r for r in result.rows if r[0] == data.school.teacher.short_name)
    assert teacher[1:] == [6, 2, 2, 1, 1, 1, 2, 2]


def test_requests_period_is_cut_at_midnight_in_the_schools_zone(data):
    october = Period("month", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    result = section(report_build(october), "requests")
    assert result.totals[1] == 1  # the one written at 23:30 on 31 October, Moscow


def test_requests_filters_by_class_staff_and_department(data):
    s = data.school
    by_class = section(report_build(NOVEMBER, school_class=s.class_7b), "requests")
    assert by_class.totals[1:4] == [1, 1, 0]
    by_staff = section(report_build(NOVEMBER, staff=s.teacher), "requests")
    assert by_staff.totals[1] == 6
    by_subject = section(report_build(NOVEMBER, subject=s.physics), "requests")
    assert by_subject.totals[1] == 1


def test_consultations_held_cancelled_not_marked_and_hours_against_contract(data):
    result = section(report_build(NOVEMBER), "consultations")
    # Сессий, проведено, отменено, не отмечено, впереди, часов план, часов проведено,
    # лимит по договору
    assert result.totals[1:9] == [7, 2, 2, 2, 1, 5.0, 2.0, 10.0]
    (row,) = result.rows
    assert row[8:11] == [10.0, "50 %", "Болезнь (2)"]


def test_attestation_sessions_with_incomplete_checklist(data):
    result = section(report_build(NOVEMBER), "attestation-checklists")
    assert figures(result) == {
        "Чек-лист выполнен": 1,
        "Чек-лист не выполнен": 1,
    }
    (row,) = result.rows
    assert row[0] == "06.11.2026 16:00"
    assert row[4] == "2 / 3"


def test_individual_meetings_offered_booked_held_no_show_cancelled_late(data):
    result = section(report_build(NOVEMBER), "bookings")
    # предложено, записей, проведено, не пришёл, отменено поздно, вовремя,
    # не отмечено, впереди
    assert result.totals[1:] == [6, 5, 1, 1, 1, 1, 1, 0]


def test_week_and_quarter_periods(data):
    week = period_of("week", dt.date(2026, 11, 10))
    assert (week.first, week.last) == (dt.date(2026, 11, 9), dt.date(2026, 11, 15))
    quarter = period_of("quarter", dt.date(2026, 11, 10))  # the school's quarter
    assert (quarter.first, quarter.last) == (
        dt.date(2026, 11, 5),
        dt.date(2026, 12, 28),
    )
    assert section(report_build(week), "requests").totals[1] == 1  # 9 November


def test_deferred_work_and_materials_count_nothing_without_records(data):
    report = report_build(NOVEMBER)
    assert section(report, "deferred-work").totals[1:] == [0, 0, 0, 0, 0]
    assert section(report, "materials").totals[1:] == [0, 0, 0, 0]


def test_low_rated_help_lists_the_low_scores_with_their_comments(data):
    from umka.ratings.models import Rating

    s = data.school

    def rate(score, comment, day, staff=None):
        Rating.objects.create(
            rater=s.student,
            student=s.student,
            staff=staff or s.teacher,
            kind="bookings.booking",
            object_id=day,
            title=f"Встреча {day}",
            score=score,
            comment=comment,
            created_at=dataset.at(day, 12),
        )

    rate(5, "Спасибо", 3)
    rate(2, "Не объяснили задачу", 4)
    rate(1, "Не пришёл", 5, staff=s.physics_teacher)
    rate(1, "Октябрь не в счёт", 1)
    Rating.objects.filter(comment="Октябрь не в счёт").update(
        created_at=dataset.at(31, 23, month=10)
    )
    assert "low-rated-help" in registry.RESERVED_CODES
    result = section(report_build(NOVEMBER), "low-rated-help")
    bars = figures(result)
    assert bars["Оценка 5"] == 1
    assert bars["Оценка 2"] == 1
    assert bars["Оценка 1"] == 1  # October's is outside the period
    assert [row[4] for row in result.rows] == ["Не пришёл", "Не объяснили задачу"]
    assert str(result.totals[2]) == "2 низких из 3 оценок"

    only_teacher = report_build(NOVEMBER, staff=s.teacher)
    rows = section(only_teacher, "low-rated-help").rows
    assert [row[4] for row in rows] == ["Не объяснили задачу"]


def _queries(period) -> int:
    with CaptureQueriesContext(connection) as queries:
        report_build(period)
    return len(queries)


def test_query_count_does_not_grow_with_the_school(data):
    _queries(NOVEMBER)  # the school's row is cached from the first report on
    small = _queries(NOVEMBER)
    dataset.requests(data.school)  # twice the requests
    dataset.bookings(data.school)  # twice the windows and bookings
    dataset.consultations_more(data.school)
    assert _queries(NOVEMBER) == small
    assert small == 17  # pinned: 2–5 per section
