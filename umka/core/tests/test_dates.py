import datetime as dt

import pytest

from umka.core.dates import age_on, latest_adult_birth_date, majority_date


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (dt.date(2008, 11, 28), dt.date(2026, 11, 27), 17),
        (dt.date(2008, 11, 28), dt.date(2026, 11, 28), 18),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


@pytest.mark.requirement("R3")
@pytest.mark.parametrize(
    "birth",
    [
        dt.date(2008, 2, 29),
        dt.date(2008, 2, 28),
        dt.date(2008, 3, 1),
        dt.date(2007, 12, 31),
    ],
)
def test_majority_agrees_with_the_adult_cutoff(birth):
    turns_18 = majority_date(birth)
    assert birth <= latest_adult_birth_date(turns_18)
    assert birth > latest_adult_birth_date(turns_18 - dt.timedelta(days=1))
