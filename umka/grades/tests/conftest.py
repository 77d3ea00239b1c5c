import pytest

from umka.grades.tests.factories import NOW, grades_school


@pytest.fixture
def clock(clock):
    clock.travel(NOW)
    return clock


@pytest.fixture
def school(clock, db):
    return grades_school()
