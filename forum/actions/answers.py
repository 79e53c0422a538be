"""Posting, editing, deleting and restoring answers."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core import events
from core.ratelimit import check_rate
from forum import permissions
from forum import verbs as v
from forum.actions.acceptance import withdraw_acceptance
from forum.actions.attachments import attach_stored, stored_for
from forum.actions.reputation import regrant, reverse_grants
from forum.actions.screening import check_links, held, screen, verdict_payload
from forum.actions.shared import (
    lock_answer,
    lock_question,
    lock_users,
    record_revision,
    refuse,
    require_member,
    touch,
    visibility_change,
)
from forum.actions.validation import clean_body, clean_post_language, edited_language
from forum.mentions import render_post
from forum.models import (
    Answer,
    Correction,
    Question,
    ReputationEntry,
    Visibility,
)

# --- Answers ----------------------------------------------------------------------------


def post_answer(
    actor: User,
    question: Question,
    *,
    body: str,
    images: Iterable = (),
    image_alts: Iterable[str] = (),
    language: str = "",
) -> Answer:
    """Any active member answers an open question; records revision 1.

    Screened like a question (forum/actions/screening.py). A held answer doesn't count in
    the question's `answer_count` (visible answers only) nor bump its activity; approving
    it (moderation) does both. `images` are attached as ask_question attaches them;
    `language` is the one it is written in (blank: detected, docs/i18n.md).
    """
    with stored_for(actor, images) as stored:
        return _post_answer(
            actor, question, body=body, stored=stored, image_alts=image_alts, language=language
        )


@transaction.atomic
def _post_answer(
    actor: User,
    question: Question,
    *,
    body: str,
    stored: list,
    image_alts: Iterable[str],
    language: str,
) -> Answer:
    require_member(actor)
    question = lock_question(question.pk)
    refuse(permissions.answer_question_refusal(actor, question))
    body = clean_body(body)
    language = clean_post_language(language, body, actor)  # blank: detected (docs/i18n.md)
    check_rate(actor, "answer")
    verdict = screen(actor, "answer", body, question_id=question.pk)
    answer = Answer.objects.create(
        question=question,
        body=body,
        body_html=render_post(body),
        author=actor,
        language=language,
        visibility=Visibility.HELD if held(verdict) else Visibility.VISIBLE,
    )
    record_revision(actor, answer)
    attach_stored(actor, answer, stored, image_alts)
    if answer.is_visible:
        Question.objects.filter(pk=question.pk).update(
            answer_count=F("answer_count") + 1, last_activity_at=answer.created_at
        )
    payload = verdict_payload(verdict)
    if stored:
        payload["attachments"] = len(stored)
    events.record(actor, v.ANSWER_POSTED, answer, question=question, payload=payload)
    return answer


@transaction.atomic
def edit_answer(
    actor: User, answer: Answer, *, body: str, summary: str = "", language: str | None = None
) -> Answer:
    """The author, or anyone with the edit privilege, edits an answer; records a revision.

    `language`: the one it is written in; blank or None: detected again when the text
    changes, else kept (docs/i18n.md).
    """
    require_member(actor)
    question = lock_question(answer.question_id)
    answer = lock_answer(answer.pk)
    answer.question = question
    refuse(permissions.edit_post_refusal(actor, answer))
    body = clean_body(body)
    language = edited_language(language, answer, body, changed=body != answer.body)
    if body == answer.body and language == answer.language:
        return answer
    check_rate(actor, "edit")
    check_links(actor, body)
    answer.body, answer.body_html, answer.language = body, render_post(body), language
    answer.save(update_fields=["body", "body_html", "language", "updated_at"])
    revision = record_revision(actor, answer, summary=summary)
    touch(question.pk)
    events.record(
        actor,
        v.ANSWER_EDITED,
        answer,
        question=question,
        payload={
            "reason": summary,
            "revision": revision.number,
            "accepted": question.accepted_answer_id == answer.pk,
        },
    )
    return answer


@transaction.atomic
def delete_answer(actor: User, answer: Answer) -> Answer:
    """The author or a moderator deletes an answer (soft).

    An accepted answer is unaccepted first; then everything the answer earned is reversed.
    Refused while the question itself is deleted (restore the question first).
    """
    question = lock_question(answer.question_id)
    answer = lock_answer(answer.pk)
    answer.question = question
    # Refused while the question is deleted: its grants are already reversed as a whole
    # and come back as a whole on restore; changing its answers in between would restore
    # the wrong set.
    refuse(permissions.delete_post_refusal(actor, answer))
    if answer.is_deleted:
        return answer
    earned = ReputationEntry.objects.filter(answer=answer)
    # The acceptance and the votes reverse in two steps; lock all their members at once.
    lock_users(earned.values_list("user_id", flat=True))
    was_accepted = question.accepted_answer_id == answer.pk
    if was_accepted:
        withdraw_acceptance(actor, question)
    reverse_grants(earned, actor, Correction.ANSWER_DELETED)
    answer.visibility = Visibility.DELETED
    answer.deleted_at, answer.deleted_by = timezone.now(), actor
    answer.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") - 1)
    events.record(
        actor,
        v.POST_DELETED,
        answer,
        question=question,
        payload={
            "kind": "answer",
            "was_accepted": was_accepted,
            **visibility_change(Visibility.VISIBLE, Visibility.DELETED),
        },
    )
    return answer


@transaction.atomic
def restore_answer(actor: User, answer: Answer) -> Answer:
    """A moderator restores a deleted answer and re-grants its votes (not the acceptance).

    Refused while the question itself is deleted (restore the question first).
    """
    question = lock_question(answer.question_id)
    answer = lock_answer(answer.pk)
    answer.question = question
    refuse(permissions.restore_post_refusal(actor, answer))
    if not answer.is_deleted:
        return answer
    regrant(ReputationEntry.objects.filter(answer=answer), actor, Correction.ANSWER_DELETED)
    answer.visibility = Visibility.VISIBLE
    answer.deleted_at, answer.deleted_by = None, None
    answer.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    events.record(
        actor,
        v.POST_RESTORED,
        answer,
        question=question,
        payload={"kind": "answer", **visibility_change(Visibility.DELETED, Visibility.VISIBLE)},
    )
    return answer
