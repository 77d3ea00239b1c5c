import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from umka.notifications import kinds, services
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


class Clock:
    """services._now() under the test's control."""

    def __init__(self, monkeypatch):
        self.now = dt.datetime(2030, 3, 12, 12, 0, tzinfo=MOSCOW)
        monkeypatch.setattr(services, "_now", lambda: self.now)

    def set(self, *args, tz=MOSCOW) -> dt.datetime:
        self.now = dt.datetime(*args, tzinfo=tz)
        return self.now

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """A clock in 2030 (after the real now), so Huey keeps tasks with a later eta
    in its schedule instead of running them."""
    return Clock(monkeypatch)
