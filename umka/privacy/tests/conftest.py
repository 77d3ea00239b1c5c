import pytest

from umka.requests.tests.factories import NOW, request_school


@pytest.fixture
def clock(clock):
    clock.travel(NOW)
    return clock


@pytest.fixture
def school(db, clock):
    return request_school()


@pytest.fixture
def consent_required(settings):
    """The consent gate on, as in production (the root conftest turns it off)."""
    settings.PRIVACY_CONSENT_REQUIRED = True
    return settings
