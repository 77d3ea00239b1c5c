"""The shared rate-limit counters (umka.core.ratelimit)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from umka.accounts.tests.factories import make_person
from umka.audit.models import AuditEntry
from umka.core import ratelimit

WEB = RequestFactory().post("/")


def test_parse_reads_count_and_period():
    assert ratelimit.parse("10/h") == ratelimit.Rate(10, 3600)
    assert ratelimit.parse("5/10m") == ratelimit.Rate(5, 600)
    assert ratelimit.parse(" 3 / d ") == ratelimit.Rate(3, 86400)
    with pytest.raises(ValueError, match="Not a rate"):
        ratelimit.parse("ten an hour")


@pytest.mark.django_db
def test_enforce_refuses_over_the_rate_and_audits_once(settings):
    settings.RATE_LIMITS = {"test.act": "2/h"}
    user = make_person()
    ratelimit.enforce(action="test.act", who=user, request=WEB)
    ratelimit.enforce(action="test.act", who=user, request=WEB)
    for _ in range(3):
        with pytest.raises(ratelimit.RateLimited, match="60 минут"):
            ratelimit.enforce(action="test.act", who=user, request=WEB)
    entry = AuditEntry.objects.get(action=ratelimit.RATE_LIMITED)
    assert entry.actor == user
    assert entry.changes["limited"] == "test.act"
    # Another person has their own count.
    ratelimit.enforce(action="test.act", who=make_person(), request=WEB)


@pytest.mark.django_db
def test_window_ends_and_counting_starts_again(settings):
    settings.RATE_LIMITS = {"test.act": "1/h"}
    user = make_person()
    ratelimit.enforce(action="test.act", who=user, request=WEB)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.enforce(action="test.act", who=user, request=WEB)
    cache.delete(f"ratelimit:test.act:{user.pk}")  # what the hour's end does
    ratelimit.enforce(action="test.act", who=user, request=WEB)


def test_unlimited_action_is_never_refused(settings):
    settings.RATE_LIMITS = {}
    for _ in range(100):
        ratelimit.enforce(action="test.other", who="x", request=WEB)


def test_a_cache_that_cannot_answer_lets_the_action_through(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.RATE_LIMITS = {"test.act": "0/h"}
    assert ratelimit.hit("test.act", "x", ratelimit.Rate(0, 60)) == 0
    ratelimit.enforce(action="test.act", who="x", request=WEB)
    assert ratelimit.once_per("k", 60)


@pytest.mark.django_db
def test_calls_without_a_request_are_not_counted(settings):
    """The demo loader, imports and tasks call the services without a request."""
    settings.RATE_LIMITS = {"test.act": "0/h"}
    ratelimit.enforce(action="test.act", who=make_person())
