import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from umka.accounts.models import Role
from umka.notifications.quiet_hours import deliver_at, is_quiet_for

MOSCOW = ZoneInfo("Europe/Moscow")  # UTC+3 all year
VLADIVOSTOK = ZoneInfo("Asia/Vladivostok")  # UTC+10 all year
BERLIN = ZoneInfo("Europe/Berlin")  # with DST: 31 March and 27 October 2030


def moscow(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (moscow(2030, 3, 12, 18, 59), moscow(2030, 3, 12, 18, 59)),
        (moscow(2030, 3, 12, 19, 0), moscow(2030, 3, 13, 8, 0)),
        (moscow(2030, 3, 12, 23, 30), moscow(2030, 3, 13, 8, 0)),
        (moscow(2030, 3, 13, 0, 10), moscow(2030, 3, 13, 8, 0)),
        (moscow(2030, 3, 13, 7, 59), moscow(2030, 3, 13, 8, 0)),
        (moscow(2030, 3, 13, 8, 0), moscow(2030, 3, 13, 8, 0)),
        (moscow(2030, 3, 13, 7, 59, 59, 999999), moscow(2030, 3, 13, 8, 0)),
        # The last evening of the year waits for the first morning of the next.
        (moscow(2030, 12, 31, 22, 0), moscow(2031, 1, 1, 8, 0)),
    ],
)
def test_deliver_at_moves_the_quiet_hours_to_eight_in_moscow(now, expected):
    at = deliver_at(now, MOSCOW, quiet=True)

    assert at == expected


@pytest.mark.parametrize(
    "now", [moscow(2030, 3, 12, 23, 30), moscow(2030, 3, 13, 0, 10)]
)
def test_deliver_at_without_quiet_hours_is_now(now):
    assert deliver_at(now, MOSCOW, quiet=False) == now


def test_deliver_at_reads_the_clock_of_the_school_zone():
    now = dt.datetime(2030, 3, 12, 9, 30, tzinfo=dt.UTC)  # 12:30 Moscow, 19:30 Vl.

    assert deliver_at(now, MOSCOW, quiet=True) == now
    at = deliver_at(now, VLADIVOSTOK, quiet=True)
    assert at == dt.datetime(2030, 3, 13, 8, 0, tzinfo=VLADIVOSTOK)
    assert at == dt.datetime(2030, 3, 12, 22, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("now_utc", "expected_local"),
    [
        # 18:59 and 19:00 in Vladivostok
        ((2030, 3, 12, 8, 59), (2030, 3, 12, 18, 59)),
        ((2030, 3, 12, 9, 0), (2030, 3, 13, 8, 0)),
        # 00:10 and 07:59 in Vladivostok
        ((2030, 3, 12, 14, 10), (2030, 3, 13, 8, 0)),
        ((2030, 3, 12, 21, 59), (2030, 3, 13, 8, 0)),
        ((2030, 3, 12, 22, 0), (2030, 3, 13, 8, 0)),
    ],
)
def test_deliver_at_in_vladivostok(now_utc, expected_local):
    now = dt.datetime(*now_utc, tzinfo=dt.UTC)

    at = deliver_at(now, VLADIVOSTOK, quiet=True)

    assert at == dt.datetime(*expected_local, tzinfo=VLADIVOSTOK)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        # The night clocks go forward: 08:00 CEST is 06:00 UTC.
        (dt.datetime(2030, 3, 30, 23, 30, tzinfo=BERLIN), (2030, 3, 31, 6, 0)),
        # The night clocks go back: 08:00 CET is 07:00 UTC.
        (dt.datetime(2030, 10, 26, 21, 0, tzinfo=BERLIN), (2030, 10, 27, 7, 0)),
    ],
)
def test_deliver_at_keeps_eight_on_the_wall_clock_across_dst(now, expected_utc):
    at = deliver_at(now, BERLIN, quiet=True)

    assert at == dt.datetime(*expected_utc, tzinfo=dt.UTC)
    assert at.astimezone(BERLIN).time() == dt.time(8, 0)


def test_deliver_at_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="aware"):
        deliver_at(dt.datetime(2030, 3, 12, 21, 0), MOSCOW, quiet=True)


@pytest.mark.parametrize(
    ("roles", "evening", "quiet"),
    [
        ({Role.STUDENT}, False, True),
        ({Role.PARENT}, False, True),
        ({Role.PARENT}, True, False),
        ({Role.TEACHER}, False, False),
        ({Role.DIRECTOR}, False, False),
        ({Role.TEACHER, Role.PARENT}, False, True),
        (set(), False, False),
    ],
)
def test_quiet_hours_protect_students_and_parents_who_did_not_opt_in(
    roles, evening, quiet
):
    assert is_quiet_for(roles, evening) is quiet
