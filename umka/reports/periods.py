"""A report's period: a week, a month, a quarter, a year or any dates, on the
school's calendar (a quarter and a year are the school's own study periods when
they are set up, the calendar's otherwise)."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from umka.school.models import AcademicYear, StudyPeriod

KINDS = {
    "week": _("Week"),
    "month": _("Month"),
    "quarter": _("Quarter"),
    "year": _("Year"),
    "dates": _("Dates"),
}


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date
    last: dt.date  # inclusive

    def bounds(self, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as instants: midnight to midnight in the school's zone."""
        start = dt.datetime.combine(self.first, dt.time(), tzinfo=zone)
        end = dt.datetime.combine(
            self.last + dt.timedelta(days=1), dt.time(), tzinfo=zone
        )
        return start, end


def _month(on: dt.date) -> tuple[dt.date, dt.date]:
    first = on.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def period_of(kind: str, on: dt.date) -> Period:
    """The week, month, quarter or year that contains `on`."""
    if kind == "week":
        first = on - dt.timedelta(days=on.weekday())
        return Period(kind, first, first + dt.timedelta(days=6))
    if kind == "month":
        return Period(kind, *_month(on))
    if kind == "quarter":
        quarter = (
            StudyPeriod.objects.filter(
                kind=StudyPeriod.Kind.QUARTER, starts_on__lte=on, ends_on__gte=on
            )
            .order_by("starts_on")
            .first()
        )
        if quarter is not None:
            return Period(kind, quarter.starts_on, quarter.ends_on)
        first = on.replace(month=(on.month - 1) // 3 * 3 + 1, day=1)
        last = _month(first.replace(month=first.month + 2))[1]
        return Period(kind, first, last)
    if kind == "year":
        year = AcademicYear.objects.filter(starts_on__lte=on, ends_on__gte=on).first()
        if year is not None:
            return Period(kind, year.starts_on, year.ends_on)
        return Period(kind, on.replace(month=1, day=1), on.replace(month=12, day=31))
    raise ValueError(kind)


def previous_month(on: dt.date) -> Period:
    return period_of("month", on.replace(day=1) - dt.timedelta(days=1))
