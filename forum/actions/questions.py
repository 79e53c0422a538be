"""Asking, editing, deleting and restoring questions (closing and the other moderator
actions are in moderation.py)."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core import events
from core.ratelimit import check_rate
from forum import counters, permissions
from forum import verbs as v
from forum.actions.attachments import attach_stored, stored_for
from forum.actions.reputation import regrant, reverse_grants
from forum.actions.screening import check_links, held, screen, verdict_payload
from forum.actions.shared import (
    changes,
    lock_question,
    question_facts,
    record_revision,
    refuse,
    require_member,
    visibility_change,
)
from forum.actions.validation import (
    clean_body,
    clean_category,
    clean_post_language,
    clean_tags,
    clean_title,
    edited_language,
)
from forum.mentions import render_post
from forum.models import (
    CategoryPage,
    Correction,
    Question,
    ReputationEntry,
    Visibility,
)

# --- Questions --------------------------------------------------------------------------


def ask_question(
    actor: User,
    *,
    title: str,
    body: str,
    category: CategoryPage | None,
    tags: Iterable[str] | str = (),
    ask_visit: str | None = None,
    private: bool = False,
    images: Iterable = (),
    image_alts: Iterable[str] = (),
    language: str = "",
) -> Question:
    """Any active member asks a question; records revision 1 and `question.asked`.

    The post is screened first (forum/actions/screening.py): refused, or created held
    for review when the spam check says so (the event says "held" and "spam_reason").
    `ask_visit` names the ask form's visit that was shown similar questions (search
    marks it as ending in a question). `private` keeps it to the asker, moderators and
    staff (docs/support.md); the event says so in its payload. `images` (uploads, or
    images forum.attachments already cleaned) are attached, described by `image_alts`;
    each counts against the "upload" rate, and the event says how many. `language` is the
    one it is written in (blank: detected, docs/i18n.md).
    """
    with stored_for(actor, images) as stored:
        return _ask_question(
            actor,
            title=title,
            body=body,
            category=category,
            tags=tags,
            ask_visit=ask_visit,
            private=private,
            stored=stored,
            image_alts=image_alts,
            language=language,
        )


@transaction.atomic
def _ask_question(
    actor: User,
    *,
    title: str,
    body: str,
    category: CategoryPage | None,
    tags: Iterable[str] | str,
    ask_visit: str | None,
    private: bool,
    stored: list,
    image_alts: Iterable[str],
    language: str,
) -> Question:
    require_member(actor)
    title, body = clean_title(title), clean_body(body)
    language = clean_post_language(language, f"{title}\n{body}", actor)
    category, tag_names = clean_category(category), clean_tags(tags)
    check_rate(actor, "ask")
    verdict = screen(actor, "question", body, title=title)
    question = Question.objects.create(
        title=title,
        body=body,
        body_html=render_post(body),
        category=category,
        author=actor,
        is_private=bool(private),
        language=language,
        visibility=Visibility.HELD if held(verdict) else Visibility.VISIBLE,
    )
    question.tags.set(tag_names)
    counters.settle(None, counters.standing(question))
    record_revision(actor, question, title=title, tags=" ".join(tag_names))
    attach_stored(actor, question, stored, image_alts)
    payload = {"ask_visit": ask_visit[:64]} if ask_visit else {}
    if private:
        payload["private"] = True
    if stored:
        payload["attachments"] = len(stored)
    payload.update(verdict_payload(verdict))
    events.record(actor, v.QUESTION_ASKED, question, question=question, payload=payload)
    return question


@transaction.atomic
def edit_question(
    actor: User,
    question: Question,
    *,
    title: str,
    body: str,
    tags: Iterable[str] | str,
    category: CategoryPage | None = None,
    summary: str = "",
    language: str | None = None,
) -> Question:
    """The author, or anyone with the edit privilege, edits a question; records a revision.

    Moving it to another category keeps its URL (`/questions/<id>/<slug>/`). `language`:
    the one it is written in; blank or None: detected again when the title or body
    changes, else kept (docs/i18n.md).
    """
    require_member(actor)
    question = lock_question(question.pk)
    refuse(permissions.edit_post_refusal(actor, question))
    title, body, tag_names = clean_title(title), clean_body(body), clean_tags(tags)
    category = clean_category(category) if category is not None else question.category
    old_tags = sorted(question.tags.names())
    text_changed = title != question.title or body != question.body
    language = edited_language(language, question, f"{title}\n{body}", changed=text_changed)
    if (
        not text_changed
        and sorted(tag_names) == old_tags
        and category.pk == question.category_id
        and language == question.language
    ):
        return question
    check_rate(actor, "edit")
    check_links(actor, body, title=title)
    before = question_facts(question, old_tags)
    counted = counters.standing(question)
    question.title, question.body, question.body_html = title, body, render_post(body)
    question.category, question.language = category, language
    question.last_activity_at = timezone.now()
    question.save()
    question.tags.set(tag_names)  # before the "after" standing: the tags' counts move too
    counters.settle(counted, counters.standing(question))
    revision = record_revision(
        actor, question, title=title, tags=" ".join(tag_names), summary=summary
    )
    after = question_facts(question, sorted(tag_names))
    events.record(
        actor,
        v.QUESTION_EDITED,
        question,
        question=question,
        payload={"reason": summary, "revision": revision.number, **changes(before, after)},
    )
    return question


@transaction.atomic
def set_question_privacy(actor: User, question: Question, private: bool) -> Question:
    """Staff or a moderator makes a question private (asker, moderators and staff only,
    answers and comments included) or public again; records `question.privacy_changed`
    with the before and after. Setting what already holds is a no-op."""
    question = lock_question(question.pk)
    refuse(permissions.change_privacy_refusal(actor, question))
    private = bool(private)
    if question.is_private == private:
        return question
    counted = counters.standing(question)
    question.is_private = private
    question.save(update_fields=["is_private", "updated_at"])
    counters.settle(counted, counters.standing(question))
    events.record(
        actor,
        v.QUESTION_PRIVACY_CHANGED,
        question,
        question=question,
        payload={"before": {"is_private": not private}, "after": {"is_private": private}},
    )
    return question


@transaction.atomic
def delete_question(actor: User, question: Question) -> Question:
    """The author or a moderator deletes a question (soft). Reverses the reputation it granted."""
    question = lock_question(question.pk)
    refuse(permissions.delete_post_refusal(actor, question))
    if question.is_deleted:
        return question
    reverse_grants(
        ReputationEntry.objects.filter(question=question), actor, Correction.QUESTION_DELETED
    )
    counted = counters.standing(question)
    question.visibility = Visibility.DELETED
    question.deleted_at, question.deleted_by = timezone.now(), actor
    question.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    counters.settle(counted, counters.standing(question))
    events.record(
        actor,
        v.POST_DELETED,
        question,
        question=question,
        payload={"kind": "question", **visibility_change(Visibility.VISIBLE, Visibility.DELETED)},
    )
    return question


@transaction.atomic
def restore_question(actor: User, question: Question) -> Question:
    """A moderator restores a deleted question and re-grants what its deletion took back."""
    question = lock_question(question.pk)
    refuse(permissions.restore_post_refusal(actor, question))
    if not question.is_deleted:
        return question
    regrant(ReputationEntry.objects.filter(question=question), actor, Correction.QUESTION_DELETED)
    counted = counters.standing(question)
    question.visibility = Visibility.VISIBLE
    question.deleted_at, question.deleted_by = None, None
    question.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    counters.settle(counted, counters.standing(question))
    events.record(
        actor,
        v.POST_RESTORED,
        question,
        question=question,
        payload={"kind": "question", **visibility_change(Visibility.DELETED, Visibility.VISIBLE)},
    )
    return question


@transaction.atomic
def add_views(counts: dict[int, int]) -> None:
    """Add batched page views to questions (forum.viewcounts.flush, from the periodic job
    or a process's flusher, never a request). One UPDATE per question, in id order, with
    F() so concurrent flushes add up; a question gone since is skipped. Not an event: a
    view count is a counter, not an action."""
    for question_id, n in sorted(counts.items()):
        if n > 0:
            Question.objects.filter(pk=question_id).update(view_count=F("view_count") + n)
