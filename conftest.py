"""Settings shared by every test: fast hashing, immediate tasks, plain static files,
and one stopped clock (no test depends on the day it runs)."""

from pathlib import Path

import pytest

from umka.core.tests.clock import TEST_NOW, Clock

E2E = Path(__file__).resolve().parent / "e2e"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "umka.accounts.hashers.OneTimePasswordHasher",
    ]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "ru"
    # The consent gate (umka/privacy) is tested by its own tests, which switch it on.
    settings.PRIVACY_CONSENT_REQUIRED = False
    # Tests sign staff in with force_login; umka/signin's tests turn it back on.
    settings.TWO_FACTOR_REQUIRED = False
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _immediate_tasks():
    """Background tasks run inline in tests (the queue is Huey's in-memory mode)."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def clock(request, monkeypatch):
    """The test clock, stopped at TEST_NOW; a test moves it with travel/set/advance.

    The browser tests drive a real server in another process on the real clock, so
    this one is not theirs; nor is it of a test marked `real_clock` (django-axes
    stamps failed sign-ins with its own import of `now`).
    """
    if Path(str(request.node.fspath)).is_relative_to(E2E):
        return None
    if request.node.get_closest_marker("real_clock"):
        return None
    return Clock(monkeypatch, TEST_NOW)
