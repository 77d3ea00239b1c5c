"""Django's Redis cache, with one Redis client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` (and its table of some
hundred response callbacks) for every cache call; a signed-in page makes several
(the session, the school). A client is thread-safe over its pool, so one each is
enough: the booking path's profile (bench/booking_rush.py --profile) spent about
7 % of a refusal building them. Behaviour is Django's own.

`FailSoftRedisCache` (the one settings use) also treats a Redis that is away as
an empty cache (issue 15: stopping Redis made every page answer 500).
"""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError


class _OneClientPerPool(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _OneClientPerPool


# --- Fail-soft: Redis away is a miss, not a 500 ------------------------------------

logger = logging.getLogger(__name__)

#: What a lost or refused Redis connection raises (redis-py's errors, sockets).
CONNECTION_ERRORS = (RedisError, OSError)


class FailSoftRedisCache(RedisCache):
    """The cache pages read through (the school, sessions, progress): when Redis
    cannot answer, a read is a miss and a write does nothing, so a page answers from
    the database instead of failing. The loss is logged once until Redis is back.
    """

    _broken = False

    def _soft(self, method: str, default, *args, **kwargs):
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except CONNECTION_ERRORS as exc:
            if not self._broken:
                self._broken = True
                logger.warning("The cache is unreachable, serving without it: %s", exc)
            return default
        if self._broken:
            self._broken = False
            logger.warning("The cache answers again")
        return result

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._soft("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._soft("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read is not there (Django raises ValueError).
        try:
            return super().incr(key, delta, version)
        except CONNECTION_ERRORS as exc:
            raise ValueError(
                f"Key {key!r} not found (the cache is unreachable)"
            ) from exc

    def clear(self):
        return self._soft("clear", False)
