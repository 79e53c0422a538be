"""The report figures as pure functions, on hand-made numbers with known answers."""

from datetime import datetime

import pytest

from reports import stats


def test_the_median_of_30_and_90_minutes_is_60():
    assert stats.median([30, 90]) == 60


def test_percentiles_interpolate_between_ranks():
    assert stats.percentile([30, 90], 0.9) == pytest.approx(84)
    assert stats.percentile([10, 20, 30, 40, 50], 0.5) == 30
    assert stats.percentile([5], 0.9) == 5
    assert stats.percentile([], 0.5) is None


def test_a_share_of_nothing_is_no_figure():
    assert stats.share(2, 3) == pytest.approx(2 / 3)
    assert stats.share(0, 0) is None


def test_weeks_start_on_monday():
    assert stats.week_of(datetime(2026, 11, 22, 23, 59)).isoformat() == "2026-11-16"
    assert stats.week_of(datetime(2026, 11, 23, 0, 0)).isoformat() == "2026-11-23"
