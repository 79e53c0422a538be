"""Fixed-window rate limits per member and action, counted in the cache.

Limits come from settings.TANYA_RATE_LIMITS as (count, seconds). Staff and moderators are
exempt, so someone cleaning up spam is never throttled. The counter lives in the shared cache, so
with Redis it holds across processes; with the local-memory default it is per process.
"""

import time

from django.conf import settings
from django.core.cache import cache

from forum.errors import RateLimited


def check_rate(user, action: str) -> None:
    """Count one `action` by `user`; raise RateLimited once the window's budget is spent."""
    if user.is_staff or user.is_moderator:
        return
    limit, window = settings.TANYA_RATE_LIMITS[action]
    now = int(time.time())
    bucket = now // window
    key = f"rl:{action}:{user.pk}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        raise RateLimited(retry_after=max(1, (bucket + 1) * window - now))
