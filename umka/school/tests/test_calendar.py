import datetime as dt

import pytest

from umka.school.calendar import add_working_days, working_days_between
from umka.school.tests.factories import AcademicYearFactory

pytestmark = pytest.mark.django_db
MSK = dt.timezone(dt.timedelta(hours=3))


@pytest.fixture
def winter(db):
    year = AcademicYearFactory(
        name="2026/2027", starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 8, 31)
    )
    year.holidays.create(
        name="Зимние каникулы",
        starts_on=dt.date(2026, 12, 31),
        ends_on=dt.date(2027, 1, 11),
    )
    return year


@pytest.mark.requirement("R13")
def test_three_working_days_from_friday_end_on_wednesday(winter):
    friday = dt.datetime(2026, 11, 27, 18, 30, tzinfo=MSK)
    assert add_working_days(friday, 3) == dt.datetime(2026, 12, 2, 18, 30, tzinfo=MSK)


@pytest.mark.requirement("R13")
def test_holidays_are_not_counted(winter):
    tuesday = dt.datetime(2026, 12, 29, 10, 0, tzinfo=MSK)
    # 30.12 counts; 31.12–11.01 are holidays; 12.01 and 13.01 count.
    assert add_working_days(tuesday, 3) == dt.datetime(2027, 1, 13, 10, 0, tzinfo=MSK)


def test_working_days_between(winter):
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 12, 2)) == 3
    assert working_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 12)) == 1


def test_zero_days_is_the_same_moment(winter):
    moment = dt.datetime(2026, 11, 28, 9, 0, tzinfo=MSK)
    assert add_working_days(moment, 0) == moment
