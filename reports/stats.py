"""The figures a report is made of, as pure functions over plain numbers, so each one is
tested on a hand-made set with a known answer (tests/reports/test_stats.py)."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` (0..1) percentile with linear interpolation between the closest ranks
    (PostgreSQL's percentile_cont, numpy's default): the median of 30 and 90 is 60."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5)


def share(part: int, whole: int) -> float | None:
    """part / whole, or None (shown as a dash) when there is nothing to divide."""
    return part / whole if whole else None


def minutes_between(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 60


def week_of(moment: datetime) -> date:
    """The Monday of the ISO week `moment` falls in (in the site's time zone; the caller
    passes a local datetime)."""
    day = moment.date()
    return day - timedelta(days=day.weekday())
