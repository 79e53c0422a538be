"""core.cache.FailSafeRedisCache: Redis as usual, "missing" while Redis is down."""

import pytest

from core.cache import FailSafeRedisCache
from tests.core.conftest import CLOSED_PORT_URL, REDIS_URL, _redis_is_up


@pytest.fixture
def down(fresh_warnings):
    return FailSafeRedisCache(CLOSED_PORT_URL, {})


@pytest.fixture
def up():
    if not _redis_is_up():
        pytest.skip(f"needs a Redis at {REDIS_URL} (TANYA_TEST_REDIS_URL)")
    cache = FailSafeRedisCache(REDIS_URL, {})
    cache.clear()
    yield cache
    cache.clear()


def test_a_down_cache_reads_as_empty(down):
    assert down.get("k", "default") == "default"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("k") is False


def test_a_down_cache_takes_writes_without_raising(down):
    down.set("k", 1)
    down.delete("k")
    down.delete_many(["a"])
    down.clear()

    assert down.add("k", 1) is True  # as if the key were missing
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]  # none stored
    assert down.touch("k") is False


def test_a_down_cache_increments_nothing(down):
    with pytest.raises(ValueError):
        down.incr("k")


def test_a_working_cache_is_redis_as_usual(up):
    assert up.add("k", 1) is True
    assert up.add("k", 2) is False
    assert up.incr("k") == 2
    assert up.get_many(["k", "x"]) == {"k": 2}
    up.set_many({"a": "A"})
    assert up.get("a") == "A"
