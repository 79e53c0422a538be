"""Moderator actions on questions: close with a reason (or as a duplicate), reopen, lock,
unlock, pin, unpin, move, merge, and editing with a reason (docs/moderation-actions.md).

Each is one function: it asks `forum.permissions.moderate_refusal` (a moderator of the
question's category, or staff, who isn't suspended), owns its transaction and records
one event whose payload holds the `before` and `after` of what it changed and the
moderator's `reason`. Repeating a completed action is a no-op and records nothing.
"""

import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import events
from forum import permissions, queries
from forum import verbs as v
from forum.actions.acceptance import withdraw_acceptance
from forum.actions.answers import edit_answer
from forum.actions.questions import edit_question
from forum.actions.shared import lock_question as _locked_row
from forum.actions.shared import refuse
from forum.actions.validation import clean_category
from forum.errors import DomainError, InvalidInput, PostDeleted
from forum.models import (
    Answer,
    CategoryPage,
    CloseReason,
    Comment,
    Question,
    QuestionState,
    ReputationEntry,
    Visibility,
)

REASON_MAX = 500


class AlreadyMerged(DomainError):
    code, status = "already_merged", 409
    message = _("This question was already merged into another one.")


EDIT_REASON_MAX = 200  # a revision's summary


def clean_reason(reason: str, *, required: bool = False, limit: int = REASON_MAX) -> str:
    """A moderator's note: whitespace trimmed, at most `limit` characters."""
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise InvalidInput(_("Say why, for the history and the audit log."), field="reason")
    if len(reason) > limit:
        raise InvalidInput(
            _("Keep the reason under %(count)d characters.") % {"count": limit},
            field="reason",
        )
    return reason


def _facts(question: Question) -> dict:
    return {
        "state": question.state,
        "close_reason": question.close_reason,
        "duplicate_of": question.duplicate_of_id,
    }


def _moderated(actor: User, question: Question) -> Question:
    question = _locked_row(question.pk)
    refuse(permissions.moderate_refusal(actor, question))
    return question


def _record(actor: User, verb: str, question: Question, before: dict, after: dict, **payload):
    events.record(
        actor,
        verb,
        question,
        question=question,
        payload={"before": before, "after": after, **payload},
    )


def change_state(
    actor: User,
    question: Question,
    state: str,
    *,
    close_reason: str = "",
    duplicate_of: Question | None = None,
    reason: str = "",
) -> Question:
    """Move a locked question row to `state` and record the verb of the transition (in
    the caller's transaction). Leaving "closed" clears the close reason and target."""
    if state not in QuestionState.values:
        raise InvalidInput(_("Unknown state."), field="state")
    before = _facts(question)
    if state == QuestionState.CLOSED:
        question.close_reason = close_reason
        question.duplicate_of = duplicate_of
    elif state == QuestionState.OPEN:
        question.close_reason, question.duplicate_of = "", None
    question.state = state
    after = _facts(question)
    if before == after:
        return question
    question.save(update_fields=["state", "close_reason", "duplicate_of", "updated_at"])
    payload = {"reason": reason} if reason else {}
    _record(actor, v.state_verb(before["state"], state), question, before, after, **payload)
    return question


@transaction.atomic
def set_question_state(actor: User, question: Question, state: str) -> Question:
    """A moderator of the question's category opens, closes or locks it (the Wagtail
    admin's state field and the older state form). Prefer the actions below, which carry
    a reason; this records the same verbs and before/after."""
    question = _moderated(actor, question)
    return change_state(actor, question, state)


QuestionRef = Question | int | str | None


def question_named(ref: QuestionRef, *, field: str) -> Question | None:
    """The question a moderator names: a Question, its id, "#id", or its address
    (/questions/<id>/...); None for nothing named. A name that matches no question is
    InvalidInput on `field`. Called after the permission check, so only a moderator
    learns which questions exist."""
    if ref is None or isinstance(ref, Question):
        return ref
    if isinstance(ref, int):
        pk = ref
    else:
        text = str(ref).strip()
        if not text:
            return None
        match = re.search(r"/questions/(\d+)", text) or re.fullmatch(r"#?(\d{1,18})", text)
        pk = int(match.group(1)) if match else None
    question = Question.objects.filter(pk=pk).first() if pk is not None else None
    if question is None:
        raise InvalidInput(_("Give the other question's number or its address."), field=field)
    return question


def _duplicate_target(question: Question, target: QuestionRef) -> Question:
    target = question_named(target, field="duplicate_of")
    if target is None:
        raise InvalidInput(_("Name the question this one duplicates."), field="duplicate_of")
    if target.pk == question.pk:
        raise InvalidInput(_("A question can't duplicate itself."), field="duplicate_of")
    target = Question.objects.get(pk=target.pk)
    if not target.is_visible or target.is_merged:
        raise InvalidInput(
            _("The original question must be a visible question."), field="duplicate_of"
        )
    return target


@transaction.atomic
def close_question(
    actor: User,
    question: Question,
    *,
    reason: str,
    duplicate_of: QuestionRef = None,
    note: str = "",
) -> Question:
    """A moderator of the question's category closes it with a reason (CloseReason); a
    duplicate names its original, which its page then links to. Records `question.closed`.
    Closing a locked question is refused: unlock it first."""
    question = _moderated(actor, question)
    if reason not in CloseReason.values:
        raise InvalidInput(_("Choose why the question is closed."), field="reason")
    note = clean_reason(note)
    target = _duplicate_target(question, duplicate_of) if reason == CloseReason.DUPLICATE else None
    if question.is_locked:
        raise InvalidInput(_("Unlock the question before closing it."), field="reason")
    return change_state(
        actor, question, QuestionState.CLOSED, close_reason=reason, duplicate_of=target, reason=note
    )


@transaction.atomic
def reopen_question(actor: User, question: Question, *, note: str = "") -> Question:
    """A moderator reopens a closed question (clearing its reason and duplicate target).
    Records `question.reopened`; reopening an open question is a no-op. A locked
    question is unlocked with `unlock_question`."""
    question = _moderated(actor, question)
    note = clean_reason(note)
    if question.is_locked:
        raise InvalidInput(_("The question is locked; unlock it instead."), field="state")
    return change_state(actor, question, QuestionState.OPEN, reason=note)


@transaction.atomic
def lock_question(actor: User, question: Question, *, note: str = "") -> Question:
    """A moderator locks a question: no answers, comments, votes or edits by anyone but
    its moderators. Records `question.locked`; a closed question keeps its close reason
    for when it is unlocked."""
    question = _moderated(actor, question)
    note = clean_reason(note)
    before = _facts(question)
    if question.is_locked:
        return question
    question.state = QuestionState.LOCKED
    question.save(update_fields=["state", "updated_at"])
    _record(actor, v.QUESTION_LOCKED, question, before, _facts(question), reason=note)
    return question


@transaction.atomic
def unlock_question(actor: User, question: Question, *, note: str = "") -> Question:
    """A moderator unlocks a question: back to closed if it was closed with a reason,
    else open. Records `question.unlocked`."""
    question = _moderated(actor, question)
    note = clean_reason(note)
    if not question.is_locked:
        return question
    before = _facts(question)
    question.state = QuestionState.CLOSED if question.close_reason else QuestionState.OPEN
    question.save(update_fields=["state", "updated_at"])
    _record(actor, v.QUESTION_UNLOCKED, question, before, _facts(question), reason=note)
    return question


@transaction.atomic
def pin_question(actor: User, question: Question, *, note: str = "") -> Question:
    """A moderator pins a visible question at the top of its category's page. Records
    `question.pinned`."""
    question = _moderated(actor, question)
    note = clean_reason(note)
    if not question.is_visible:
        raise PostDeleted()
    if question.is_pinned:
        return question
    question.pinned_at = timezone.now()
    question.save(update_fields=["pinned_at", "updated_at"])
    _record(actor, v.QUESTION_PINNED, question, {"pinned": False}, {"pinned": True}, reason=note)
    return question


@transaction.atomic
def unpin_question(actor: User, question: Question, *, note: str = "") -> Question:
    """A moderator unpins a question. Records `question.unpinned`."""
    question = _moderated(actor, question)
    note = clean_reason(note)
    if not question.is_pinned:
        return question
    question.pinned_at = None
    question.save(update_fields=["pinned_at", "updated_at"])
    _record(actor, v.QUESTION_UNPINNED, question, {"pinned": True}, {"pinned": False}, reason=note)
    return question


@transaction.atomic
def move_question(
    actor: User, question: Question, category: CategoryPage | int | str | None, *, note: str = ""
) -> Question:
    """A moderator of both categories moves a question to another category; its URL
    stays, a pin doesn't follow it. Records `question.moved` (search re-indexes)."""
    question = _moderated(actor, question)
    note = clean_reason(note)
    if not isinstance(category, CategoryPage) and category not in (None, ""):
        category = queries.category_named(str(category))
    category = clean_category(category)
    refuse(permissions.moderate_refusal(actor, category))
    if category.pk == question.category_id:
        return question
    before = {"category": question.category_id, "pinned": question.is_pinned}
    question.category, question.pinned_at = category, None
    question.save(update_fields=["category", "pinned_at", "updated_at"])
    after = {"category": category.pk, "pinned": False}
    _record(actor, v.QUESTION_MOVED, question, before, after, reason=note)
    return question


@transaction.atomic
def merge_question(
    actor: User, duplicate: Question, original: QuestionRef, *, note: str = ""
) -> Question:
    """A moderator of both questions merges `duplicate` into `original`.

    The duplicate's answers (with their votes, comments and revisions) and its own
    comments move to the original; the ledger keeps every amount, and the moved answers'
    entries name the original, so deleting or unaccepting there later reverses them.
    The duplicate's question votes and their reputation stay on it. Its acceptance
    moves along when the original has none; otherwise it is withdrawn (its bonus
    reversed), since a question has one solution. The duplicate is closed as a
    duplicate, leaves every list (visibility "deleted", which restoring can't undo) and
    its URL redirects to the original. Returns the original; records `question.merged`
    on the duplicate, in the original's thread (search re-indexes both).

    `original` may be named by id or address (`question_named`); it is resolved after
    the permission check on the duplicate.
    """
    refuse(permissions.moderate_refusal(actor, duplicate))
    original = question_named(original, field="into")
    if original is None:
        raise InvalidInput(_("Name the question to merge into."), field="into")
    if duplicate.pk == original.pk:
        raise InvalidInput(_("A question can't be merged into itself."), field="into")
    rows = {pk: _locked_row(pk) for pk in sorted((duplicate.pk, original.pk))}
    duplicate, original = rows[duplicate.pk], rows[original.pk]
    refuse(permissions.moderate_refusal(actor, duplicate))
    refuse(permissions.moderate_refusal(actor, original))
    note = clean_reason(note)
    if duplicate.merged_into_id == original.pk:
        return original
    if duplicate.is_merged:
        raise AlreadyMerged()
    if not duplicate.is_visible:
        raise PostDeleted()
    if not original.is_visible or original.is_merged:
        raise InvalidInput(_("The original question must be a visible question."), field="into")

    acceptance = None
    if duplicate.accepted_answer_id is not None:
        if original.accepted_answer_id is None:
            acceptance = _take_acceptance(duplicate)
        else:
            withdraw_acceptance(actor, duplicate)
    answer_ids = list(Answer.objects.filter(question=duplicate).values_list("pk", flat=True))
    visible_moved = Answer.objects.filter(pk__in=answer_ids, visibility=Visibility.VISIBLE).count()
    Answer.objects.filter(pk__in=answer_ids).update(question=original)
    ReputationEntry.objects.filter(answer_id__in=answer_ids).update(question=original)
    comments = Comment.objects.filter(question=duplicate).update(question=original)

    now = timezone.now()
    before = {**_facts(duplicate), "visibility": duplicate.visibility}
    duplicate.state = QuestionState.CLOSED
    duplicate.close_reason, duplicate.duplicate_of = CloseReason.DUPLICATE, original
    duplicate.merged_into = original
    duplicate.visibility, duplicate.deleted_at, duplicate.deleted_by = (
        Visibility.DELETED,
        now,
        actor,
    )
    duplicate.answer_count, duplicate.pinned_at = 0, None
    duplicate.save()
    original.answer_count += visible_moved
    original.last_activity_at = now
    if acceptance is not None:
        for field, value in acceptance.items():
            setattr(original, field, value)
    original.save()

    after = {**_facts(duplicate), "visibility": duplicate.visibility}
    # The event's thread is the original (search re-indexes it); its subject is the
    # duplicate (search drops it, the knowledge base re-checks an article from it).
    events.record(
        actor,
        v.QUESTION_MERGED,
        duplicate,
        question=original,
        payload={
            "before": before | {"merged_into": None},
            "after": after | {"merged_into": original.pk},
            "reason": note,
            "answers": answer_ids,
            "comments": comments,
            "accepted_moved": acceptance is not None,
        },
    )
    return original


_ACCEPTANCE = ("accepted_answer", "accepted_by", "accepted_at", "verified_by", "verified_at")


def _take_acceptance(question: Question) -> dict:
    """Release a question's acceptance (the accepted answer is a one-to-one) and return
    it, to set on the question it moves to. The ledger is untouched."""
    taken = {field: getattr(question, field) for field in _ACCEPTANCE}
    for field in _ACCEPTANCE:
        setattr(question, field, None)
    question.save(update_fields=list(_ACCEPTANCE))
    return taken


# --- Editing with a reason --------------------------------------------------------------


@transaction.atomic
def moderator_edit_question(
    actor: User,
    question: Question,
    *,
    reason: str,
    title: str,
    body: str,
    tags: Iterable[str] | str,
    category: CategoryPage | None = None,
    language: str | None = None,
) -> Question:
    """A moderator of the question's category edits it, saying why: the reason is the
    revision's summary (shown in the history) and the `question.edited` event's reason."""
    refuse(permissions.moderate_refusal(actor, question))
    reason = clean_reason(reason, required=True, limit=EDIT_REASON_MAX)
    if category is not None and category.pk != question.category_id:
        refuse(permissions.moderate_refusal(actor, category))
    return edit_question(
        actor,
        question,
        title=title,
        body=body,
        tags=tags,
        category=category,
        summary=reason,
        language=language,
    )


@transaction.atomic
def moderator_edit_answer(
    actor: User, answer: Answer, *, reason: str, body: str, language: str | None = None
) -> Answer:
    """A moderator of the answer's category edits it, saying why (as above)."""
    refuse(permissions.moderate_refusal(actor, answer))
    reason = clean_reason(reason, required=True, limit=EDIT_REASON_MAX)
    return edit_answer(actor, answer, body=body, summary=reason, language=language)
