"""Dates of a consultation's sessions: once, weekly or every two weeks, skipping
holidays (R9: ongoing consultations run for the whole study period)."""

import datetime as dt
from collections.abc import Iterable

STEP_DAYS = {"once": None, "weekly": 7, "biweekly": 14}


def session_dates(
    recurrence: str,
    first: dt.date,
    until: dt.date | None,
    holidays: Iterable[tuple[dt.date, dt.date]] = (),
) -> tuple[list[dt.date], list[dt.date]]:
    """(dates, skipped): the session dates, and those dropped for holidays."""
    holidays = list(holidays)
    step = STEP_DAYS[recurrence]
    candidates = [first]
    if step is not None and until is not None:
        day = first + dt.timedelta(days=step)
        while day <= until:
            candidates.append(day)
            day += dt.timedelta(days=step)
    dates, skipped = [], []
    for day in candidates:
        if any(start <= day <= end for start, end in holidays):
            skipped.append(day)
        else:
            dates.append(day)
    return dates, skipped


def week_start(day: dt.date) -> dt.date:
    """Monday of the ISO week that contains `day`."""
    return day - dt.timedelta(days=day.weekday())
