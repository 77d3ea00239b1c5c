from zoneinfo import ZoneInfo

import pytest

from umka.notifications import kinds
from umka.notifications.tests.factories import KIND
from umka.school.tests.factories import SchoolFactory

MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _test_kind(monkeypatch):
    """Only the test kind is registered here, whatever other apps register."""
    monkeypatch.setattr(kinds, "_labels", {KIND: "Test notice"})


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://umka.example.org/"


@pytest.fixture
def school(db):
    return SchoolFactory(time_zone="Europe/Moscow")


@pytest.fixture
def clock(clock):
    """A clock in 2030 (after the real now), so Huey keeps tasks with a later eta
    in its schedule instead of running them."""
    clock.set(2030, 3, 12, 12, 0)
    return clock
