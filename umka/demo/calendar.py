"""The demo school's calendar: quarters and holidays of the academic year around a
date, after the usual Russian pattern, and the school's time zone."""

import datetime as dt
from dataclasses import dataclass

TIME_ZONE = "Europe/Moscow"
SATURDAY, SUNDAY = 5, 6


def academic_year_start(today: dt.date) -> int:
    """The calendar year in which the academic year containing `today` began."""
    return today.year if today.month >= 9 else today.year - 1


def _on_or_before(day: dt.date, weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


@dataclass(frozen=True)
class Calendar:
    """One academic year after the usual Russian pattern (four quarters)."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    quarters: tuple[tuple[dt.date, dt.date], ...]
    holidays: tuple[tuple[str, dt.date, dt.date], ...]

    def is_study_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < SATURDAY
            and any(start <= day <= end for start, end in self.quarters)
            and not any(start <= day <= end for _n, start, end in self.holidays)
        )

    def study_days(self) -> list[dt.date]:
        first, last = self.quarters[0][0], self.quarters[-1][1]
        days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return [day for day in days if self.is_study_day(day)]


def school_calendar(today: dt.date) -> Calendar:
    """Quarters and holidays of the year containing `today`.

    Autumn holidays: the nine days from the last Saturday on or before 26 October
    (2025: 25.10–03.11); winter: 29 December to the first Sunday on or after
    8 January; spring: the nine days from the last Saturday of March; summer from
    27 May. The extra February week of the 1st grade is not a row: a Holiday
    closes the whole school.
    """
    y = academic_year_start(today)
    starts_on, ends_on = dt.date(y, 9, 1), dt.date(y + 1, 8, 31)
    # Lessons start on 1 September, or on the Monday after it at a weekend.
    first_day = (
        _on_or_after(starts_on, 0) if starts_on.weekday() >= SATURDAY else starts_on
    )
    autumn = _on_or_before(dt.date(y, 10, 26), SATURDAY)
    autumn_end = autumn + dt.timedelta(days=9)
    second_starts = autumn_end + dt.timedelta(days=1)
    if second_starts == dt.date(y, 11, 4):
        second_starts += dt.timedelta(days=1)
    winter, winter_end = dt.date(y, 12, 29), _on_or_after(dt.date(y + 1, 1, 8), SUNDAY)
    spring = _on_or_before(dt.date(y + 1, 3, 31), SATURDAY)
    spring_end = spring + dt.timedelta(days=8)
    last_day = dt.date(y + 1, 5, 26)
    quarters = (
        (first_day, autumn - dt.timedelta(days=1)),
        (second_starts, winter - dt.timedelta(days=1)),
        (winter_end + dt.timedelta(days=1), spring - dt.timedelta(days=1)),
        (spring_end + dt.timedelta(days=1), last_day),
    )
    holidays = (
        ("Осенние каникулы", autumn, autumn_end),
        ("День народного единства", dt.date(y, 11, 4), dt.date(y, 11, 4)),
        ("Зимние каникулы", winter, winter_end),
        ("День защитника Отечества", dt.date(y + 1, 2, 23), dt.date(y + 1, 2, 23)),
        ("Международный женский день", dt.date(y + 1, 3, 8), dt.date(y + 1, 3, 8)),
        ("Весенние каникулы", spring, spring_end),
        ("Праздник Весны и Труда", dt.date(y + 1, 5, 1), dt.date(y + 1, 5, 1)),
        ("День Победы", dt.date(y + 1, 5, 9), dt.date(y + 1, 5, 9)),
        ("Летние каникулы", last_day + dt.timedelta(days=1), ends_on),
    )
    return Calendar(f"{y}/{y + 1}", starts_on, ends_on, quarters, holidays)
