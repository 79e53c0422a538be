"""The forum's periodic jobs (core.periodic)."""

from datetime import datetime, timedelta

from core import periodic
from forum import viewcounts


@periodic.job(every=timedelta(minutes=1), name="forum.flush_view_counts")
def flush_view_counts(now: datetime) -> None:
    """Write the page views counted in the cache to the questions (forum/viewcounts.py).

    Idempotent: each pending view is taken out of the cache as it is written, so a second
    run finds nothing more to add."""
    viewcounts.flush()
