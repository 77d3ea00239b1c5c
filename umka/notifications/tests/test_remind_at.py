"""A reminder that falls in the quiet hours goes before they begin (remind_at)."""

import datetime as dt
import zoneinfo

import pytest

from umka.notifications.quiet_hours import remind_at

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
VLADIVOSTOK = zoneinfo.ZoneInfo("Asia/Vladivostok")


def at(day: int, hour: int, minute: int = 0, tz=MOSCOW) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (at(12, 15, 0), at(12, 15, 0)),  # the day: at once
        (at(12, 8, 0), at(12, 8, 0)),  # quiet hours over
        (at(12, 18, 59), at(12, 18, 59)),  # not yet quiet
        (at(12, 19, 0), at(12, 18, 45)),  # quiet: before they begin, that evening
        (at(12, 23, 30), at(12, 18, 45)),
        (at(12, 0, 10), at(11, 18, 45)),  # after midnight: the evening before
        (at(12, 7, 30), at(11, 18, 45)),  # an hour before an 08:30 session
    ],
)
def test_a_reminder_in_the_quiet_hours_goes_before_they_begin(due, sent):
    assert remind_at(due, MOSCOW, quiet=True) == sent
    assert remind_at(due, MOSCOW, quiet=True) <= due


def test_without_quiet_hours_the_reminder_goes_when_due():
    assert remind_at(at(12, 7, 30), MOSCOW, quiet=False) == at(12, 7, 30)


def test_the_quiet_hours_are_the_schools_wall_clock():
    # 07:30 in Vladivostok is 00:30 in Moscow: quiet in both, but the evening is
    # Vladivostok's — 18:45 there the day before.
    due = at(12, 7, 30, tz=VLADIVOSTOK)
    sent = remind_at(due, VLADIVOSTOK, quiet=True)

    assert sent == at(11, 18, 45, tz=VLADIVOSTOK)
    # The same instant on a Moscow school's clock is 00:30: the Moscow evening before.
    assert remind_at(due, MOSCOW, quiet=True) == at(11, 18, 45)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        remind_at(dt.datetime(2026, 11, 12, 7, 30), MOSCOW, quiet=True)  # noqa: DTZ001
