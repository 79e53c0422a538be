"""Reads about a member's part in the forum that accounts can't make: accounts imports
nothing from the forum, so what joins a member to their posts lives here.
"""

from datetime import datetime

from accounts import queries as account_queries
from accounts.models import User
from forum.models import Answer, Comment, Question, ReputationEntry, Vote


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_member_data(actor: User, member: User) -> dict:
    """Everything Tanya holds about `member` that they gave it or earned, as a JSON-ready
    dict: their account (accounts.queries.export_account_data: profile, email addresses,
    connected accounts, MFA methods, never their secrets), then their questions, answers
    and comments (in every visibility state: they wrote them; `deleted_at` is their data,
    the when of a deletion, never used to decide who sees what), votes and reputation
    history.

    Nothing about other members: no other authors, voters or actors, only the ids and
    addresses of the posts the member answered or voted on. Only the member themself, or
    a superuser answering their request, may read it (the account part refuses anyone
    else). A read, so it lives here and not in actions.py (STYLE.md §1 and §8). A fixed
    number of queries however much there is.
    """
    account = account_queries.export_account_data(actor, member)
    questions = (
        Question.objects.filter(author=member).select_related("category").prefetch_related("tags")
    )
    answers = Answer.objects.filter(author=member).select_related("question")
    comments = Comment.objects.filter(author=member)
    votes = Vote.objects.filter(voter=member)
    history = ReputationEntry.objects.filter(user=member)
    return {
        **account,
        "questions": [
            {
                "id": question.pk,
                "url": question.get_absolute_url(),
                "title": question.title,
                "body": question.body,
                "category": question.category.title,
                "tags": sorted(tag.name for tag in question.tags.all()),
                "state": question.state,
                "score": question.score,
                "created_at": _when(question.created_at),
                "updated_at": _when(question.updated_at),
                "visibility": question.visibility,
                "deleted_at": _when(question.deleted_at),
            }
            for question in questions.order_by("pk")
        ],
        "answers": [
            {
                "id": answer.pk,
                "url": answer.get_absolute_url(),
                "question_id": answer.question_id,
                "body": answer.body,
                "score": answer.score,
                "accepted": answer.question.accepted_answer_id == answer.pk,
                "created_at": _when(answer.created_at),
                "updated_at": _when(answer.updated_at),
                "visibility": answer.visibility,
                "deleted_at": _when(answer.deleted_at),
            }
            for answer in answers.order_by("pk")
        ],
        "comments": [
            {
                "id": comment.pk,
                "question_id": comment.question_id,
                "answer_id": comment.answer_id,
                "body": comment.body,
                "created_at": _when(comment.created_at),
                "visibility": comment.visibility,
                "deleted_at": _when(comment.deleted_at),
            }
            for comment in comments.order_by("pk")
        ],
        "votes": [
            {
                "question_id": vote.question_id,
                "answer_id": vote.answer_id,
                "value": vote.value,
                "created_at": _when(vote.created_at),
                "updated_at": _when(vote.updated_at),
            }
            for vote in votes.order_by("pk")
        ],
        "reputation_history": [
            {
                "amount": entry.amount,
                "reason": entry.reason,
                "correction_of": entry.reverses_id,
                "cause": entry.cause,
                "question_id": entry.question_id,
                "answer_id": entry.answer_id,
                "created_at": _when(entry.created_at),
                "id": entry.pk,
            }
            for entry in history.order_by("created_at", "pk")
        ],
    }
