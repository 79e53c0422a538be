"""The forum's periodic jobs (core.periodic)."""

from datetime import datetime, timedelta

from core import periodic
from forum import actions, viewcounts


@periodic.job(every=timedelta(minutes=1), name="forum.flush_view_counts")
def flush_view_counts(now: datetime) -> None:
    """Write the page views counted in the cache to the questions (forum/viewcounts.py).

    Idempotent: each pending view is taken out of the cache as it is written, so a second
    run finds nothing more to add."""
    viewcounts.flush()


@periodic.job(every=timedelta(minutes=1), name="forum.recount_member_posts")
def recount_member_posts(now: datetime) -> None:
    """Recount the profile counts events have marked stale (forum.models.MemberCounts): a
    member who posts all day costs one recount a minute, not one per post. Idempotent."""
    actions.recount_stale_member_posts()


@periodic.job(every=timedelta(days=1), name="forum.purge_orphan_images")
def purge_orphan_images(now: datetime) -> None:
    """Delete image files no attachment row names (forum/actions/attachments.py).

    The forms send images with the post, so no draft leaves uploads behind; but a caller's
    own transaction rolled back after the action returned leaves its files without rows.
    Only files older than a day go, so a post being written right now keeps its own.
    Idempotent: a second run finds nothing left to delete."""
    actions.purge_orphan_images(now - timedelta(days=1))
