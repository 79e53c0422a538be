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


@transaction.atomic
def note_member_posts_changed(member_ids) -> None:
    """After an event about `member_ids`' posts: a member with no counts yet is counted
    now; an existing row is marked stale, for the periodic recount. Idempotent."""
    from forum.models import MemberCounts

    ids = set(member_ids)
    counted = set(MemberCounts.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
    if counted:
        MemberCounts.objects.filter(user_id__in=counted, stale=False).update(stale=True)
    if ids - counted:
        counters.store_member_counts(ids - counted)


def recount_stale_member_posts(batch: int = 1000) -> int:
    """Recount every stale row, `batch` members per transaction; returns how many."""
    done = 0
    while members := counters.stale_members(batch):
        done += recount_member_posts(members)
    return done
