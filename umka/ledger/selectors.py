"""The ledger's period and its rows."""

import datetime as dt

from umka.core import clock
from umka.ledger import sources
from umka.school.selectors import current_year


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The current academic year up to today (else the last twelve months)."""
    year = current_year(today)
    if year is not None and year.starts_on <= today:
        return year.starts_on, today
    return today - dt.timedelta(days=365), today


def ledger(student, start: dt.date, end: dt.date) -> list[sources.Entry]:
    """Every piece of help `student` received from `start` to `end` (both
    inclusive, days in the school's zone)."""
    return sources.entries_for(
        student,
        clock.day_start(start),
        clock.day_start(end + dt.timedelta(days=1)),
    )


def rows(entries: list[sources.Entry]) -> list[list]:
    """The table for export: date, kind, what, who, outcome."""
    return [
        [
            clock.local(entry.happened_at).strftime("%d.%m.%Y %H:%M"),
            str(entry.kind),
            entry.title,
            entry.staff,
            entry.detail,
        ]
        for entry in entries
    ]
