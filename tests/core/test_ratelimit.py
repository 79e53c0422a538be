"""The one limiter: fixed windows in the cache, per member or per any subject."""

import logging

import pytest
from django.test import override_settings

from core import ratelimit
from core.errors import RateLimited
from tests.core.conftest import CLOSED_PORT_URL, cache_at
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

HOUR = 3600


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, set by the test: windows are aligned to it."""
    now = {"t": 1_000 * HOUR}
    monkeypatch.setattr(ratelimit.time, "time", lambda: now["t"])
    return now


def spend(subject: str, count: int, *, rate=(3, HOUR)) -> None:
    for _ in range(count):
        ratelimit.limit("test", [subject], rate=rate)


def test_hits_within_the_budget_pass(clock):
    spend("a", 3)


def test_the_hit_after_the_budget_is_refused_with_the_seconds_left_in_the_window(clock):
    clock["t"] += 600
    spend("a", 3)

    with pytest.raises(RateLimited) as refused:
        spend("a", 1)

    assert refused.value.retry_after == HOUR - 600


def test_a_new_window_starts_with_a_fresh_budget(clock):
    spend("a", 3)
    clock["t"] += HOUR

    spend("a", 3)


def test_each_subject_has_its_own_budget(clock):
    spend("a", 3)

    spend("b", 3)


def test_one_spent_subject_refuses_a_hit_counted_for_several(clock):
    spend("ip", 3)

    with pytest.raises(RateLimited):
        ratelimit.limit("test", ["visitor", "ip"], rate=(3, HOUR))


def test_empty_subjects_are_not_counted(clock):
    for _ in range(5):
        ratelimit.limit("test", ["", ""], rate=(1, HOUR))


def test_a_member_is_limited_by_their_action_setting(settings, clock):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "ask": (1, HOUR)}
    member = UserFactory()
    ratelimit.check_rate(member, "ask")

    with pytest.raises(RateLimited):
        ratelimit.check_rate(member, "ask")


@pytest.mark.parametrize("factory", [StaffFactory, ModeratorFactory])
def test_staff_and_moderators_are_never_limited(factory, clock):
    user = factory()

    for _ in range(5):
        ratelimit.check_rate(user, "ask", rate=(1, HOUR))


def test_the_limiter_counts_in_locmem(locmem, clock):
    spend("a", 3)

    with pytest.raises(RateLimited):
        spend("a", 1)
    assert locmem.get(f"rl:test:a:{clock['t'] // HOUR}") == 4


def test_the_limiter_counts_in_a_real_redis(real_redis, clock):
    spend("a", 3)

    with pytest.raises(RateLimited):
        spend("a", 1)
    assert real_redis.get(f"rl:test:a:{clock['t'] // HOUR}") == 4


def test_the_limiter_fails_open_when_a_plain_redis_cache_is_down(fresh_warnings, clock):
    with override_settings(CACHES=cache_at(CLOSED_PORT_URL)):
        spend("a", 10)


def test_a_cache_outage_is_logged_once_not_per_hit(fresh_warnings, caplog, clock):
    with override_settings(CACHES=cache_at(CLOSED_PORT_URL)), caplog.at_level(logging.WARNING):
        spend("a", 10)

    warnings = [r for r in caplog.records if "The cache is unreachable" in r.getMessage()]
    assert len(warnings) == 1
