"""Fixed-window rate limits counted in the cache: the one limiter every app uses.

A rate is (count, seconds): at most `count` hits per subject in each window of `seconds`,
windows aligned to the clock. The counter lives in the shared cache, so with Redis it
holds across processes; with the local-memory default it is per process.

`check_rate` limits a member's action (settings.TANYA_RATE_LIMITS) and exempts staff and
moderators, so someone cleaning up spam is never throttled. `limit` counts any subjects
(an IP address, an anonymous visitor's token) for callers with no member to count, like
the API's per-IP write budget and the knowledge base's helpfulness votes.

A refusal is core.errors.RateLimited with `retry_after`, the seconds until the window
turns: 429 with Retry-After in the API, a "slow down" page or message on the site. When
the cache can't be reached the limiter fails open (nothing is refused) and logs a
warning, so a Redis outage never stops people from posting.
"""

import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache

from core.cache import CACHE_DOWN_ERRORS, warn_cache_down
from core.errors import RateLimited
from core.spam import is_new_member

Rate = tuple[int, int]


def is_exempt(user) -> bool:
    """Staff and moderators are never rate-limited."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or getattr(user, "is_moderator", False))
    )


def check_rate(user, action: str, *, rate: Rate | None = None) -> None:
    """Count one `action` by member `user`; raise RateLimited once the window's budget is
    spent. The rate is settings.TANYA_RATE_LIMITS[action] unless given, or for a new
    member (core.spam.is_new_member) TANYA_NEW_MEMBER_RATE_LIMITS[action] where it names
    one. Both count on the same counter, so growing out of "new" mid-window keeps the count."""
    if is_exempt(user):
        return
    limit(action, [str(user.pk)], rate=rate or rate_for(user, action))


def rate_for(user, action: str) -> Rate:
    """The limit `user` has for `action`: the new members' one if they are new."""
    stricter = getattr(settings, "TANYA_NEW_MEMBER_RATE_LIMITS", {})
    if action in stricter and is_new_member(user):
        return stricter[action]
    return settings.TANYA_RATE_LIMITS[action]


def limit(scope: str, subjects: Iterable[str], *, rate: Rate) -> None:
    """Count one `scope` hit for each of `subjects` (empty ones are skipped); raise
    RateLimited as soon as one of them has spent its window's budget."""
    count, window = rate
    now = int(time.time())
    bucket = now // window
    for subject in filter(None, subjects):
        if _hit(f"rl:{scope}:{subject}:{bucket}", window) > count:
            raise RateLimited(retry_after=max(1, (bucket + 1) * window - now))


def _hit(key: str, window: int) -> int:
    """Add one to the window's counter and return it; 0 (fail open) if the cache is down."""
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr, or a fail-safe cache is down
            cache.set(key, 1, timeout=window + 1)
            return 1
    except CACHE_DOWN_ERRORS as error:  # a plain RedisCache that can't reach Redis
        warn_cache_down(error)
        return 0
