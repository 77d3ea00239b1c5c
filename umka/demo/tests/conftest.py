import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.test import override_settings

from umka.core.tests.clock import TEST_NOW
from umka.demo.builder import DEFAULT_SEED
from umka.demo.services import demo_school_load

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
#: A fixed day for the schedule tests (a Thursday of the second quarter of
#: 2026/27): two published quarters, the third submitted, the fourth a draft.
SCHEDULE_DAY = dt.date(2026, 11, 26)


@contextmanager
def _loaded(django_db_blocker, today: dt.date):
    """The demo school, loaded inside a transaction that is rolled back afterwards
    (each test runs in a savepoint within it)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield demo_school_load(seed=DEFAULT_SEED, today=today)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_school(django_db_setup, django_db_blocker):
    """The demo school of the test clock's day, loaded once per test module."""
    with _loaded(django_db_blocker, TEST_NOW.date()) as result:
        yield result


@pytest.fixture(scope="module")
def demo_school_on_schedule_day(django_db_setup, django_db_blocker):
    """The demo school as on SCHEDULE_DAY, loaded once per test module."""
    with _loaded(django_db_blocker, SCHEDULE_DAY) as result:
        yield result
