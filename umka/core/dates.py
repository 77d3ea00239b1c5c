"""Date arithmetic shared by every app: ages and majority (R3).

«Today» is the school's and comes from `umka.core.clock.today()`.
"""

import datetime as dt


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Full years of age on a given day (the birthday itself counts)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


AGE_OF_MAJORITY = 18


def majority_date(birth_date: dt.date) -> dt.date:
    """The day a person turns 18 (совершеннолетие)."""
    return add_years(birth_date, AGE_OF_MAJORITY)


def latest_adult_birth_date(on: dt.date) -> dt.date:
    """The latest birth date of someone who is 18 or older on `on`.

    Someone born on 29 February comes of age on 28 February of a common year
    (ГК РФ ст. 192: a term ending in a month without that day ends on its last day).
    """
    cutoff = add_years(on, -AGE_OF_MAJORITY)
    if (on.month, on.day) == (2, 28) and cutoff.month == 2:
        try:
            return cutoff.replace(day=29)
        except ValueError:
            return cutoff
    return cutoff
