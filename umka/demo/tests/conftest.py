import pytest
from django.db import transaction
from django.test import override_settings

from umka.core.dates import local_today
from umka.demo.builder import DEFAULT_SEED
from umka.demo.services import demo_school_load

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_school(django_db_setup, django_db_blocker):
    """The demo school, loaded once per test module inside a transaction that is
    rolled back afterwards (each test runs in a savepoint within it)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        result = demo_school_load(seed=DEFAULT_SEED, today=local_today())
        yield result
        transaction.set_rollback(True)
