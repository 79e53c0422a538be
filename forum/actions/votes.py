"""Votes and what they earn."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import User
from core import events
from core.ratelimit import check_rate
from forum import permissions
from forum import verbs as v
from forum.actions.reputation import credit, reverse_grants
from forum.actions.shared import (
    Post,
    lock_answer,
    lock_question,
    lock_users,
    refuse,
    require_member,
)
from forum.errors import (
    InvalidInput,
)
from forum.models import (
    Correction,
    Question,
    ReputationReason,
    Vote,
)

# --- Votes ------------------------------------------------------------------------------


@transaction.atomic
def cast_vote(actor: User, post: Post, value: int) -> Post:
    """A member votes a post up (1), down (-1) or retracts (0). Returns the post, rescored.

    One vote per member per post (database-unique); never on one's own post. The score
    moves by an UPDATE ... SET score = score + delta, so concurrent votes are never lost;
    the earlier vote's reputation is reversed exactly before the new one is granted.
    """
    require_member(actor)
    if value not in (Vote.UP, Vote.DOWN, Vote.NONE):
        raise InvalidInput(_("A vote is 1, -1 or 0."), field="value")
    is_question = isinstance(post, Question)
    question = lock_question(post.pk if is_question else post.question_id)
    post = question if is_question else lock_answer(post.pk)
    if not is_question:
        post.question = question
    refuse(permissions.vote_refusal(actor, post))
    kind = "question" if is_question else "answer"
    vote = Vote.objects.filter(voter=actor, **{kind: post}).first()
    old = vote.value if vote else Vote.NONE
    if old == value:
        return post
    refuse(permissions.vote_refusal(actor, post, value))
    check_rate(actor, "vote")
    lock_users([actor.pk, post.author_id])

    if vote is None:
        vote = Vote.objects.create(voter=actor, **{kind: post}, value=value)
    else:
        reverse_grants(vote.reputation_entries.all(), actor, Correction.RETRACTED)
        vote.value = value
        vote.save(update_fields=["value", "updated_at"])

    rep = settings.TANYA_REPUTATION
    links = {"question": question, "answer": None if is_question else post, "vote": vote}
    if value == Vote.UP:
        reason = (
            ReputationReason.QUESTION_UPVOTED if is_question else ReputationReason.ANSWER_UPVOTED
        )
        amount = rep["QUESTION_UPVOTED"] if is_question else rep["ANSWER_UPVOTED"]
        credit(post.author_id, amount, reason, actor=actor, capped=True, **links)
    elif value == Vote.DOWN:
        credit(post.author_id, rep["DOWNVOTED"], ReputationReason.DOWNVOTED, actor=actor, **links)
        if not is_question:
            credit(
                actor.pk, rep["DOWNVOTE_CAST"], ReputationReason.DOWNVOTE_CAST, actor=actor, **links
            )

    type(post).objects.filter(pk=post.pk).update(score=F("score") + (value - old))
    post.refresh_from_db(fields=["score"])
    events.record(
        actor,
        v.VOTE_CAST,
        post,
        question=question,
        payload={"kind": kind, "from": old, "to": value},
    )
    return post


def retract_vote(actor: User, post: Post) -> Post:
    """Shorthand for cast_vote(actor, post, 0)."""
    return cast_vote(actor, post, Vote.NONE)
