"""Counts derived from a member's posts, kept for their profile (forum.models.MemberCounts).

No event: a recount changes no post, it only stores what the posts already say, and it
runs because of an event (forum.subscribers.recount_member_posts).
"""

from django.db import transaction

from forum import counters


@transaction.atomic
def recount_member_posts(member_ids) -> int:
    """Recount and store the profile counts of `member_ids`; returns how many were stored.
    Idempotent: run twice, it stores the same counts."""
    return counters.store_member_counts(member_ids)
