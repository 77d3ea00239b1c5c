"""The Redis cache (umka.core.cache): Django's behaviour, one client per pool.
Needs a test Redis (UMKA_TEST_REDIS_URL, as CI sets); skipped without it."""

import os
import threading

import pytest

from umka.core.cache import RedisCache


@pytest.fixture
def cache():
    url = os.environ.get("UMKA_TEST_REDIS_URL")
    if not url:
        pytest.skip("no test Redis (set UMKA_TEST_REDIS_URL)")
    cache = RedisCache(url, {"KEY_PREFIX": f"umka-cache-test-{os.getpid()}"})
    yield cache
    cache.delete_many([f"k{n}" for n in range(200)] + ["school", "gone"])


def test_the_cache_keeps_reads_and_forgets_like_djangos(cache):
    cache.set("school", {"name": "СОШ № 17"}, 30)
    assert cache.get("school") == {"name": "СОШ № 17"}
    assert cache.add("school", "other") is False
    cache.set("gone", 1, 30)
    cache.delete("gone")
    assert cache.get("gone", "missing") == "missing"


def test_one_client_serves_every_call_and_every_thread(cache):
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    failures = []

    def work(offset: int) -> None:
        for n in range(offset, 200, 4):
            cache.set(f"k{n}", n, 30)
            if cache.get(f"k{n}") != n:
                failures.append(n)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert cache._cache.get_client() is client
