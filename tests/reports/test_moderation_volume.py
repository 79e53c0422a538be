"""The Community report's moderation figures on a hand-made set: flags resolved after
exactly 30 and 90 minutes give a median of 60 minutes."""

from datetime import UTC, datetime, timedelta

import pytest

from moderation import actions
from moderation.models import Flag, Outcome, Review
from reports import queries
from tests.factories import CategoryFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PERIOD = queries.Period(NOW - timedelta(days=7), NOW)


def _flagged(category, *, hours_ago: int, resolved_after: int | None, outcome: str = "") -> Flag:
    question = QuestionFactory(category=category)
    flagger = UserFactory(reputation=500)
    flag = actions.flag_post(flagger, question, reason="off_topic")
    created = NOW - timedelta(hours=hours_ago)
    resolved = None if resolved_after is None else created + timedelta(minutes=resolved_after)
    Flag.objects.filter(pk=flag.pk).update(
        created_at=created, resolved_at=resolved, outcome=outcome
    )
    Review.objects.filter(pk=flag.review_id).update(
        opened_at=created, closed_at=resolved, outcome=outcome
    )
    return flag


def test_moderation_volume_on_a_known_set():
    category, elsewhere = CategoryFactory(), CategoryFactory()
    ModeratorFactory()
    _flagged(category, hours_ago=5, resolved_after=30, outcome=Outcome.DISMISSED)
    _flagged(category, hours_ago=4, resolved_after=90, outcome=Outcome.HIDDEN)
    _flagged(category, hours_ago=2, resolved_after=None)
    _flagged(elsewhere, hours_ago=3, resolved_after=10, outcome=Outcome.HIDDEN)
    _flagged(category, hours_ago=24 * 30, resolved_after=5, outcome=Outcome.HIDDEN)  # before

    volume = queries.moderation_volume(queries.Period(PERIOD.start, PERIOD.end, category))

    assert volume.flags_raised == 3
    assert (volume.reviews_closed, volume.still_open) == (2, 1)
    assert volume.median_resolve_minutes == 60
    assert volume.outcomes == {"Dismissed": 1, "Post hidden": 1}
    everywhere = queries.moderation_volume(PERIOD)
    assert everywhere.flags_raised == 4 and everywhere.outcomes["Post hidden"] == 2
