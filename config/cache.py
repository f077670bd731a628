"""Django's Redis cache that degrades to "nothing cached" while Redis is down, instead of failing pages.

Everything the site keeps in the cache can be recomputed (Wagtail's site routes, the version
stamps of the page tree and of the glossary) or is a counter (the buyer forms' rate limits), so
a Redis that refuses, resets or stops answering turns every read into a miss and every write
into a no-op, with one warning in the log. django-ratelimit then sees no count and applies
`RATELIMIT_FAIL_OPEN` (the direction chosen in the settings); login lockouts (django-axes) are
kept in the database and hold either way.

After a failure the cache does not call Redis again for RETRY_AFTER seconds in that process:
a Redis that hangs would otherwise add its socket timeout to every cache call of every page.
`/healthz/` reads `last_error` to report the cache as degraded.
"""

import logging
import time

import redis

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds a process treats Redis as down after a failed call
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class ReusedRedisClient(RedisCacheClient):
    """Django's Redis client with one `redis.Redis` per connection pool, built once per process.

    Django builds a new `redis.Redis` for every cache call, and each one copies a table of a few
    hundred response callbacks: about a tenth of a page's CPU on a page that reads the cache a few
    times. A `redis.Redis` is safe to share: each command borrows a connection from the pool.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradableRedisCache(RedisCache):
    """RedisCache whose calls answer "not cached" while Redis is unreachable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient
        self.down_until = 0.0
        self.last_error = ""

    def _call(self, method, missing, *args, **kwargs):
        if time.monotonic() < self.down_until:
            return missing
        try:
            value = method(*args, **kwargs)
        except REDIS_DOWN as error:
            if not self.last_error:
                logger.warning("Redis unreachable, serving without the cache: %s", error)
            self.last_error = f"{type(error).__name__}: {error}"[:300]
            self.down_until = time.monotonic() + RETRY_AFTER
            return missing
        if self.last_error:
            logger.warning("Redis reachable again")
            self.last_error = ""
        return value

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # ValueError is what a missing key raises: django-ratelimit then sees no count.
        missing = object()
        value = self._call(super().incr, missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found: the cache is unreachable")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)
