import pytest

from umka.requests.tests.factories import Clock, request_school


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def school(db, clock):
    return request_school()
