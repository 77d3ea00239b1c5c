"""The one test clock: `timezone.now()` (and so `umka.core.clock`) under a test's
control. Every test outside the browser suite runs on it (root conftest.py), so no
test depends on the day it runs."""

import datetime as dt
import zoneinfo

from django.utils import timezone

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
#: «Now» of a test that does not choose: a Tuesday morning of the second quarter of
#: 2026/27 (the demo school of the tests is built for this day too).
TEST_NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=MOSCOW)


class Clock:
    """A stopped clock a test moves by hand: `set`, `travel` or `advance`."""

    def __init__(self, monkeypatch, moment: dt.datetime = TEST_NOW):
        self.moment = moment
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    @property
    def now(self) -> dt.datetime:
        return self.moment

    def travel(self, moment: dt.datetime) -> dt.datetime:
        """Jump to an aware instant."""
        if moment.tzinfo is None:
            raise ValueError("The test clock takes aware datetimes only.")
        self.moment = moment
        return moment

    def set(self, *args: int, tz: dt.tzinfo = MOSCOW) -> dt.datetime:
        """Jump to a wall-clock time: `clock.set(2026, 11, 17, 10, 0)` (Moscow)."""
        return self.travel(dt.datetime(*args, tzinfo=tz))

    def advance(self, **delta: float) -> dt.datetime:
        """Move on: `clock.advance(hours=2)`."""
        self.moment += dt.timedelta(**delta)
        return self.moment

    def today(self, tz: dt.tzinfo = MOSCOW) -> dt.date:
        return self.moment.astimezone(tz).date()
