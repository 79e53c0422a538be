"""The reputation ledger: append-only entries and the cached totals that move with them."""

from django.conf import settings
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from forum.actions.shared import lock_users
from forum.models import (
    Answer,
    Correction,
    ReputationEntry,
    ReputationReason,
)

# --- The reputation ledger --------------------------------------------------------------


def grant_kb_bonus(actor: User | None, answer: Answer, amount: int) -> ReputationEntry | None:
    """An article promoted from `answer` was first published: credit its author `amount`
    (settings.TANYA_KB["PROMOTION_BONUS"]), in the caller's transaction."""
    lock_users([answer.author_id])
    return credit(
        answer.author_id,
        amount,
        ReputationReason.PROMOTED_TO_KB,
        actor=actor,
        question_id=answer.question_id,
        answer_id=answer.pk,
    )


def revoke_kb_bonus(actor: User | None, grant: ReputationEntry) -> ReputationEntry | None:
    """The article that earned `grant` is deleted: take back what is left of it.

    Writes the correction even when nothing is left (the source post's deletion already
    took it back), so restoring the post can't bring the bonus back.
    """
    lock_users([grant.user_id])
    corrections = list(grant.corrections.order_by("pk").values_list("amount", "cause"))
    if corrections and corrections[-1][1] == Correction.ARTICLE_DELETED:
        return None
    net = grant.amount + sum(amount for amount, _cause in corrections)
    return credit(
        grant.user_id,
        -net,
        grant.reason,
        actor=actor,
        reverses=grant,
        cause=Correction.ARTICLE_DELETED,
        question_id=grant.question_id,
        answer_id=grant.answer_id,
    )


def credit(
    user_id: int,
    amount: int,
    reason: str,
    *,
    actor: User | None,
    capped: bool = False,
    reverses: ReputationEntry | None = None,
    cause: str = "",
    **links,
) -> ReputationEntry | None:
    """Append one ledger entry and move the cached total with it, in the caller's transaction.

    The entry records what was actually applied: upvote grants stop at the daily cap, and
    nothing takes a total below the floor. So reversing an entry takes back exactly what
    it gave. The caller holds the user's row lock. `links` name the question, answer and
    vote the entry came from.
    """
    rep = settings.TANYA_REPUTATION
    current = User.objects.filter(pk=user_id).values_list("reputation", flat=True).get()
    if capped and amount > 0:
        amount = min(amount, max(0, rep["DAILY_VOTE_CAP"] - _earned_from_votes_today(user_id)))
    if amount < 0:
        amount = max(amount, rep["FLOOR"] - current)
    if amount == 0 and reverses is None:
        return None
    entry = ReputationEntry.objects.create(
        user_id=user_id,
        amount=amount,
        reason=reason,
        actor=actor,
        reverses=reverses,
        cause=cause,
        **links,
    )
    if amount:
        User.objects.filter(pk=user_id).update(reputation=F("reputation") + amount)
    return entry


def _earned_from_votes_today(user_id: int) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return ReputationEntry.objects.filter(
        user_id=user_id,
        reverses=None,
        reason__in=[ReputationReason.QUESTION_UPVOTED, ReputationReason.ANSWER_UPVOTED],
        created_at__gte=start,
    ).aggregate(total=Coalesce(Sum("amount"), 0))["total"]


def _grants_with_net(entries: QuerySet[ReputationEntry]) -> QuerySet[ReputationEntry]:
    return (
        entries.filter(reverses=None)
        .annotate(net=F("amount") + Coalesce(Sum("corrections__amount"), 0))
        .order_by("pk")
    )


def reverse_grants(entries: QuerySet[ReputationEntry], actor: User, cause: str) -> None:
    """Add a correction for every grant among `entries` still in force, taking its net back."""
    grants = [grant for grant in _grants_with_net(entries) if grant.net != 0]
    lock_users(grant.user_id for grant in grants)
    for grant in grants:
        _correct(grant, -grant.net, actor, cause)


def regrant(entries: QuerySet[ReputationEntry], actor: User, undone_by: str) -> None:
    """Restore the grants whose latest correction was `undone_by` (a deletion being undone)."""
    grants = list(_grants_with_net(entries))
    latest = {}
    for correction in ReputationEntry.objects.filter(reverses__in=grants).order_by("pk"):
        latest[correction.reverses_id] = correction.cause
    restore = [g for g in grants if latest.get(g.pk) == undone_by and g.net != g.amount]
    lock_users(grant.user_id for grant in restore)
    for grant in restore:
        _correct(grant, grant.amount - grant.net, actor, Correction.RESTORED)


def _correct(grant: ReputationEntry, amount: int, actor: User, cause: str) -> None:
    credit(
        grant.user_id,
        amount,
        grant.reason,
        actor=actor,
        reverses=grant,
        cause=cause,
        question_id=grant.question_id,
        answer_id=grant.answer_id,
        vote_id=grant.vote_id,
    )
