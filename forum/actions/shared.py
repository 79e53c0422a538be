"""Helpers every forum write shares: membership, refusals, locks in the fixed order,
revisions, and the before/after an event records."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from accounts.models import User
from forum import permissions
from forum.errors import (
    DomainError,
    NotSignedIn,
)
from forum.models import (
    Answer,
    Comment,
    Question,
    Revision,
)

Post = Question | Answer


def require_member(actor: User) -> None:
    """Refuse anyone not signed in; and judge privileges on the reputation the database
    holds now, not on what a long-lived instance (a request's user after earlier writes,
    a command's or a task's copy) remembers."""
    if not permissions.is_member(actor):
        raise NotSignedIn()
    # The reputation and any suspension as the database holds them now.
    (
        actor.reputation,
        actor.suspended_at,
        actor.suspended_until,
        actor.suspension_reason,
    ) = User.objects.values_list(
        "reputation", "suspended_at", "suspended_until", "suspension_reason"
    ).get(pk=actor.pk)
    refuse(permissions.write_refusal(actor))


def refuse(refusal: DomainError | None) -> None:
    """Raise what a predicate in forum.permissions refused, so the action and the button
    that offers it decide by the same rules."""
    if refusal is not None:
        raise refusal


def lock_question(question_id: int) -> Question:
    # of=("self",): lock only the question row, never the nullable accepted answer it joins.
    return Question.objects.select_for_update(no_key=True, of=("self",)).get(pk=question_id)


def lock_answer(answer_id: int) -> Answer:
    return Answer.objects.select_for_update(no_key=True).get(pk=answer_id)


def lock_users(user_ids: Iterable[int | None]) -> None:
    ids = sorted({pk for pk in user_ids if pk is not None})
    list(User.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values("pk"))


def touch(question_id: int, when: datetime | None = None) -> None:
    Question.objects.filter(pk=question_id).update(last_activity_at=when or timezone.now())


def question_facts(question: Question, tags: list[str]) -> dict:
    """What an edit can change on a question, as the audit log shows it."""
    return {
        "title": question.title,
        "tags": " ".join(tags),
        "category": question.category_id,
        "body": question.body,
    }


def changes(before: dict, after: dict) -> dict:
    """The before and after of the fields that changed; a body is named, not copied (its
    text is in the revisions)."""
    changed = [key for key in before if before[key] != after[key]]
    shown = [key for key in changed if key != "body"]
    return {
        "changed": changed,
        "before": {key: before[key] for key in shown},
        "after": {key: after[key] for key in shown},
    }


def visibility_change(before: str, after: str) -> dict:
    """An audit payload's before/after for a post whose visibility moved (hide, unhide,
    hold, approve, remove, delete, restore)."""
    return {"before": {"visibility": before}, "after": {"visibility": after}}


def thread_of(comment: Comment) -> int:
    if comment.question_id is not None:
        return comment.question_id
    return Answer.objects.values_list("question_id", flat=True).get(pk=comment.answer_id)


def record_revision(
    editor: User, post: Post, *, title: str = "", tags: str = "", summary: str = ""
) -> Revision:
    kind = "question" if isinstance(post, Question) else "answer"
    number = Revision.objects.filter(**{kind: post}).count() + 1
    return Revision.objects.create(
        **{kind: post},
        number=number,
        editor=editor,
        title=title,
        body=post.body,
        tags=tags,
        summary=summary[:200],
    )
