"""The school calendar: working days (weekends and holidays out) — the one place
where deadline arithmetic lives (R13: requests answered on time)."""

import datetime as dt
from collections.abc import Iterable

from umka.school.models import Holiday

#: Saturday and Sunday. (A six-day school still counts deadlines in office days.)
WEEKEND = frozenset({5, 6})


def holiday_dates(start: dt.date, end: dt.date) -> set[dt.date]:
    """Every holiday date between `start` and `end` (inclusive)."""
    days: set[dt.date] = set()
    for first, last in Holiday.objects.filter(
        starts_on__lte=end, ends_on__gte=start
    ).values_list("starts_on", "ends_on"):
        day = max(first, start)
        while day <= min(last, end):
            days.add(day)
            day += dt.timedelta(days=1)
    return days


def is_working_day(day: dt.date, holidays: Iterable[dt.date] = ()) -> bool:
    return day.weekday() not in WEEKEND and day not in set(holidays)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` working days after `start` (same time of day).

    A request sent on Friday evening with 3 days to answer is due on Wednesday
    evening; one sent during the winter holidays counts from the first school day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # Holidays of the next few months are plenty: long holidays are ~2 weeks.
    holidays = holiday_dates(
        start.date(), start.date() + dt.timedelta(days=days * 7 + 60)
    )
    moment = start
    counted = 0
    while counted < days:
        moment += dt.timedelta(days=1)
        if is_working_day(moment.date(), holidays):
            counted += 1
    return moment


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie after `start` up to and including `end`."""
    holidays = holiday_dates(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
