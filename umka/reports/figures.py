"""Arithmetic the apps' report sections share: working days between two moments on
the school's calendar, percentiles, weeks of a period, names of staff."""

import datetime as dt
import math
from collections.abc import Iterable, Sequence

from umka.accounts.models import User
from umka.school.calendar import holiday_dates, is_working_day
from umka.school.models import TeachingAssignment


class WorkingDays:
    """Working days of a span of dates, counted once (one query for holidays)."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first = first
        holidays = holiday_dates(first, last)
        self._prefix = [0]
        day = first
        while day <= last:
            self._prefix.append(self._prefix[-1] + is_working_day(day, holidays))
            day += dt.timedelta(days=1)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0: the same day),
        as `school.calendar.working_days_between` counts them."""
        last = len(self._prefix) - 2
        i = min(max((start - self.first).days + 1, 0), last + 1)
        j = min(max((end - self.first).days + 1, 0), last + 1)
        return max(self._prefix[j] - self._prefix[i], 0)

    def weeks_with_work(self, first: dt.date, last: dt.date) -> int:
        """Calendar weeks (Monday to Sunday) of [first, last] with a working day."""
        weeks = set()
        day = first
        while day <= last:
            i = (day - self.first).days + 1
            if self._prefix[i] > self._prefix[i - 1]:
                weeks.add(day.isocalendar()[:2])
            day += dt.timedelta(days=1)
        return len(weeks)


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile of `values` (`share` 0.9: the smallest value
    with at least 90 % of the values at or below it); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(share * len(ordered)), 1)
    return ordered[rank - 1]


def names(ids: Iterable[int]) -> dict[int, str]:
    """«Фамилия И. О.» of each person, in one query."""
    ids = {i for i in ids if i is not None}
    return {
        u.pk: u.short_name
        for u in User.objects.filter(pk__in=ids).only(
            "pk", "username", "last_name", "first_name", "middle_name"
        )
    }


def teachers_of_subject(subject):
    """The department of a subject: who teaches it (a subquery)."""
    return TeachingAssignment.objects.filter(subject=subject).values("teacher")


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"
