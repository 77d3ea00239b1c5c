import pytest

from umka.grades.tests.factories import freeze, grades_school


@pytest.fixture
def clock(monkeypatch):
    freeze(monkeypatch)


@pytest.fixture
def school(clock, db):
    return grades_school()
