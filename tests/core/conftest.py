import os

import pytest
import redis

#: A real Redis for the tests that need one, on a database no other run uses.
REDIS_URL = os.environ.get("TANYA_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
#: Nothing listens on port 1: every connection is refused at once.
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


def _redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


def cache_at(url: str, backend: str = "django.core.cache.backends.redis.RedisCache") -> dict:
    return {"default": {"BACKEND": backend, "LOCATION": url}}


@pytest.fixture
def real_redis(settings):
    """The default cache is a real Redis (skipped when there is none)."""
    if not _redis_is_up():
        pytest.skip(f"needs a Redis at {REDIS_URL} (TANYA_TEST_REDIS_URL)")
    settings.CACHES = cache_at(REDIS_URL)
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def fresh_warnings(monkeypatch):
    """Forget the last cache outage and its warning, so this test's own is seen and logged."""
    import core.cache

    monkeypatch.setattr(core.cache, "_last_warning", float("-inf"))
    monkeypatch.setattr(core.cache, "_down_until", {})


@pytest.fixture
def locmem(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    }
    from django.core.cache import cache

    return cache
