"""Accepting, unaccepting and verifying a solution."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import events
from forum import counters, permissions
from forum import verbs as v
from forum.actions.reputation import credit, reverse_grants
from forum.actions.shared import (
    lock_answer,
    lock_question,
    lock_users,
    refuse,
    require_member,
)
from forum.errors import (
    AnswerNotInQuestion,
)
from forum.models import (
    Answer,
    Correction,
    Question,
    ReputationEntry,
    ReputationReason,
)

# --- Accepted answers -------------------------------------------------------------------


@transaction.atomic
def accept_answer(actor: User, question: Question, answer: Answer) -> Question:
    """The asker, a moderator or staff marks `answer` as the solution.

    Moves the acceptance bonus (answer author +15; the asker +2 when the asker accepts
    someone else's answer). The asker's own answer earns nothing: a solution you write
    yourself is worth sharing, not a way to farm reputation. A moderator's or staff
    member's acceptance also verifies it; only they may replace a verified acceptance.
    """
    require_member(actor)
    question = lock_question(question.pk)
    refuse(permissions.accept_answer_refusal(actor, question))
    if answer.question_id != question.pk:
        raise AnswerNotInQuestion()
    answer = lock_answer(answer.pk)
    refuse(permissions.accept_answer_refusal(actor, question, answer))
    verifying = permissions.is_moderator(actor)
    if question.accepted_answer_id == answer.pk:
        if verifying and question.verified_by_id is None:
            return _verify(actor, question)
        return question

    # Every member whose total moves (the asker, the new answerer, the previous one), in
    # one sorted batch: locking the previous answerer first and the new one later could
    # cross a concurrent vote between the two and deadlock.
    previous_id = question.accepted_answer_id
    previous = Answer.objects.filter(pk=previous_id)
    lock_users([question.author_id, answer.author_id, *previous.values_list("author", flat=True)])
    if question.accepted_answer_id is not None:
        withdraw_acceptance(actor, question)
    rep = settings.TANYA_REPUTATION
    links = {"question": question, "answer": answer}
    if answer.author_id != question.author_id:
        credit(
            answer.author_id,
            rep["ANSWER_ACCEPTED"],
            ReputationReason.ANSWER_ACCEPTED,
            actor=actor,
            **links,
        )
    if actor.pk == question.author_id and answer.author_id != question.author_id:
        credit(
            question.author_id,
            rep["ACCEPTED_AN_ANSWER"],
            ReputationReason.ACCEPTED_AN_ANSWER,
            actor=actor,
            **links,
        )
    now = timezone.now()
    counted = counters.standing(question)  # after any withdrawal above, which settled its own
    question.accepted_answer, question.accepted_by, question.accepted_at = answer, actor, now
    question.verified_by, question.verified_at = (actor, now) if verifying else (None, None)
    question.last_activity_at = now
    question.save(
        update_fields=[
            "accepted_answer",
            "accepted_by",
            "accepted_at",
            "verified_by",
            "verified_at",
            "last_activity_at",
            "updated_at",
        ]
    )
    counters.settle(counted, counters.standing(question))
    events.record(
        actor,
        v.ANSWER_ACCEPTED,
        answer,
        question=question,
        payload={"verified": verifying, "replaced": previous_id},
    )
    return question


@transaction.atomic
def unaccept_answer(actor: User, question: Question) -> Question:
    """The asker or a moderator withdraws the acceptance; its reputation is reversed.

    Only a moderator may withdraw a verified acceptance. Refused on a deleted question.
    """
    require_member(actor)
    question = lock_question(question.pk)
    refuse(permissions.unaccept_answer_refusal(actor, question))
    if question.accepted_answer_id is None:
        return question
    withdrawn = question.accepted_answer
    withdraw_acceptance(actor, question)
    events.record(actor, v.ANSWER_UNACCEPTED, withdrawn, question=question)
    question.save(
        update_fields=[
            "accepted_answer",
            "accepted_by",
            "accepted_at",
            "verified_by",
            "verified_at",
            "updated_at",
        ]
    )
    return question


@transaction.atomic
def verify_answer(actor: User, question: Question) -> Question:
    """Staff or a moderator confirms the accepted answer as a verified solution."""
    question = lock_question(question.pk)
    refuse(permissions.verify_answer_refusal(actor, question))
    if question.verified_by_id is not None:
        return question
    return _verify(actor, question)


def _verify(actor: User, question: Question) -> Question:
    question.verified_by, question.verified_at = actor, timezone.now()
    question.save(update_fields=["verified_by", "verified_at", "updated_at"])
    events.record(actor, v.ANSWER_VERIFIED, question.accepted_answer, question=question)
    return question


def withdraw_acceptance(actor: User, question: Question) -> None:
    """Reverse the current acceptance's grants and clear it on the (locked) question."""
    entries = ReputationEntry.objects.filter(
        question=question,
        answer_id=question.accepted_answer_id,
        reason__in=[ReputationReason.ANSWER_ACCEPTED, ReputationReason.ACCEPTED_AN_ANSWER],
    )
    reverse_grants(entries, actor, Correction.UNACCEPTED)
    counted = counters.standing(question)
    question.accepted_answer = question.accepted_by = question.verified_by = None
    question.accepted_at = question.verified_at = None
    # Save now: the accepted answer is a one-to-one, so the next acceptance (possibly of
    # another answer) must find this one released.
    question.save(
        update_fields=[
            "accepted_answer",
            "accepted_by",
            "accepted_at",
            "verified_by",
            "verified_at",
        ]
    )
    counters.settle(counted, counters.standing(question))
