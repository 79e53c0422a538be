"""What the kernel does when the cache can't be reached: say so, at most once a minute.

Tanya keeps nothing in the cache it can't lose (rate-limit counters, "already counted
this view" marks), so code that counts in the cache fails open when Redis is down and
calls `warn_cache_down`, which logs one warning a minute per process, not one a request.
"""

import logging
import threading
import time

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What "the cache is unreachable" looks like. Anything else (a bug, a bad value) raises.
CACHE_DOWN_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)

#: Seconds between two "the cache is down" warnings from one process.
WARN_EVERY = 60

_lock = threading.Lock()
_last_warning = float("-inf")


def warn_cache_down(error: Exception) -> None:
    """Log that the cache is unreachable, at most once every WARN_EVERY seconds."""
    global _last_warning
    now = time.monotonic()
    with _lock:
        if now - _last_warning < WARN_EVERY:
            return
        _last_warning = now
    logger.warning(
        "The cache is unreachable (%s: %s). Serving without it: rate limits and view "
        "counts are off until it is back. (Logged at most once a minute.)",
        type(error).__name__,
        error,
    )
