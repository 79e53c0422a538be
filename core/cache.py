"""A Redis cache that fails safe: when Redis can't be reached, the site runs without it.

Tanya keeps nothing in the cache it can't lose: rate-limit counters, "already counted this
view" marks, allauth's rate-limit history, Wagtail's site map. So when Redis is down or
slow, `FailSafeRedisCache` answers every operation as if the key were simply missing
(get: the default; add: stored; incr: no such key; set, delete: nothing) instead of
raising, and the page or write goes on. Rate limits and view counts then fail open until
Redis is back, and a warning says so in the log: at most one a minute per process, not
one per request.

After a failure the cache stops trying for `RETRY_AFTER` seconds, so a Redis that hangs
costs one socket timeout every few seconds, not one per operation. settings
`_cache_from_url` picks this backend for redis:// and rediss:// URLs with short socket
timeouts.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What "the cache is unreachable" looks like. Anything else (a bug, a bad value) raises.
CACHE_DOWN_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)

#: Seconds between two "the cache is down" warnings from one process.
WARN_EVERY = 60
#: Seconds to answer from nothing after a failure before trying Redis again.
RETRY_AFTER = 5

_lock = threading.Lock()
_last_warning = float("-inf")
# Per LOCATION, not per instance: Django builds one cache object per thread.
_down_until: dict[str, float] = {}


def warn_cache_down(error: Exception) -> None:
    """Log that the cache is unreachable, at most once every WARN_EVERY seconds."""
    global _last_warning
    now = time.monotonic()
    with _lock:
        if now - _last_warning < WARN_EVERY:
            return
        _last_warning = now
    logger.warning(
        "The cache is unreachable (%s: %s). Serving without it until it is back: rate "
        "limits fail open and question views are not counted. (Logged at most once a "
        "minute.)",
        type(error).__name__,
        error,
    )


class FailSafeRedisCache(RedisCache):
    """Django's RedisCache, answering "missing" instead of raising while Redis is down."""

    def _safely(self, missing: Any, run: Callable, *args: Any) -> Any:
        if _down_until.get(self._location_key, 0.0) > time.monotonic():
            return missing
        try:
            return run(*args)
        except CACHE_DOWN_ERRORS as error:
            _down_until[self._location_key] = time.monotonic() + RETRY_AFTER
            warn_cache_down(error)
            return missing

    @property
    def _location_key(self) -> str:
        return ",".join(self._servers)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._safely(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._safely(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._safely({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._safely(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._safely(missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found.")  # what a missing key raises
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._safely(None, super().delete_many, keys, version)

    def clear(self):
        return self._safely(False, super().clear)
