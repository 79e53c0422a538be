"""Reputation helpers shared by the forum's action tests.

The ledger's invariant: every member's cached `reputation` is the floor (1) plus the sum
of their ledger entries. Members who need reputation to act get it as an `adjustment`
entry, so the invariant holds from the first line of every test.
"""

from django.db.models import Sum

from accounts.models import User
from forum.models import ReputationEntry, ReputationReason
from tests.factories import UserFactory

FLOOR = 1


def assert_ledger_balanced() -> None:
    """Fail unless, for every user, reputation == 1 + the sum of their ledger amounts."""
    sums = dict(
        ReputationEntry.objects.values("user")
        .annotate(total=Sum("amount"))
        .values_list("user", "total")
    )
    unbalanced = {
        user.username: (user.reputation, FLOOR + sums.get(user.pk, 0))
        for user in User.objects.only("username", "reputation")
        if user.reputation != FLOOR + sums.get(user.pk, 0)
    }
    assert not unbalanced, f"reputation != 1 + ledger (cached, from ledger): {unbalanced}"


def member(reputation: int = FLOOR, **kwargs) -> User:
    """A member whose `reputation` is backed by an adjustment entry in the ledger."""
    user = UserFactory(**kwargs)
    if reputation != FLOOR:
        ReputationEntry.objects.create(
            user=user, amount=reputation - FLOOR, reason=ReputationReason.ADJUSTMENT
        )
        User.objects.filter(pk=user.pk).update(reputation=reputation)
        user.refresh_from_db()
    return user


def reputation_of(user: User) -> int:
    return User.objects.values_list("reputation", flat=True).get(pk=user.pk)
