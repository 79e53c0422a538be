"""Commenting and removing comments."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import events
from core.ratelimit import check_rate
from forum import permissions
from forum import verbs as v
from forum.actions.screening import held, screen, verdict_payload
from forum.actions.shared import Post, lock_question, refuse, require_member, thread_of, touch
from forum.actions.validation import clean_comment, clean_post_language
from forum.mentions import render_comment
from forum.models import (
    Answer,
    Comment,
    Question,
    Visibility,
)

# --- Comments ---------------------------------------------------------------------------


@transaction.atomic
def post_comment(actor: User, post: Post, *, body: str, language: str = "") -> Comment:
    """A member comments on a post: always on their own posts (and answers to their own
    question), elsewhere from the comment privilege."""
    require_member(actor)
    question = lock_question(post.pk if isinstance(post, Question) else post.question_id)
    if isinstance(post, Answer):
        post = Answer.objects.get(pk=post.pk)
        post.question = question
    else:
        post = question
    refuse(permissions.comment_refusal(actor, post))
    body = clean_comment(body)
    language = clean_post_language(language, body, actor)  # blank: detected (docs/i18n.md)
    check_rate(actor, "comment")
    verdict = screen(actor, "comment", body, question_id=question.pk)
    kind = "question" if isinstance(post, Question) else "answer"
    comment = Comment.objects.create(
        **{kind: post},
        body=body,
        body_html=render_comment(body),
        author=actor,
        language=language,
        visibility=Visibility.HELD if held(verdict) else Visibility.VISIBLE,
    )
    if comment.is_visible:
        touch(question.pk, comment.created_at)
    payload = {"on": kind, **verdict_payload(verdict)}
    events.record(actor, v.COMMENT_POSTED, comment, question=question, payload=payload)
    return comment


@transaction.atomic
def delete_comment(actor: User, comment: Comment) -> Comment:
    """The comment's author or a moderator removes a comment (soft)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    refuse(permissions.delete_comment_refusal(actor, comment))
    if comment.is_deleted:
        return comment
    comment.visibility = Visibility.DELETED
    comment.deleted_at, comment.deleted_by = timezone.now(), actor
    comment.save(update_fields=["visibility", "deleted_at", "deleted_by"])
    events.record(actor, v.COMMENT_DELETED, comment, question=thread_of(comment))
    return comment
