"""Every write the forum makes. Web views, the JSON API, the Wagtail admin, management
commands and tasks all call these functions; none of them writes on its own.

Each function checks permission, keeps the invariants and owns its transaction. Locks are
taken in a fixed order (question, then answer, then users by primary key) so two writes
never wait on each other in a cycle. SQLite serialises writers, so there the locks are
no-ops and still safe; the concurrency tests run on PostgreSQL.

Each write records one event (core.events.record, verbs in forum/verbs.py) as the last
step of its transaction. The forum does nothing else after a write: search re-indexes
the thread, the knowledge base re-checks its article, and so on, in their own
subscribers (docs/ARCHITECTURE.md, "Events"). So this module imports none of them.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from core import events
from core.ratelimit import check_rate
from forum import permissions
from forum import verbs as v
from forum.errors import (
    AnswerNotInQuestion,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotSignedIn,
)
from forum.markdown import render_inline_markdown, render_markdown
from forum.models import (
    Answer,
    CategoryPage,
    Comment,
    Correction,
    Question,
    QuestionState,
    ReputationEntry,
    ReputationReason,
    Revision,
    Visibility,
    Vote,
)
from forum.tags import tag_slug

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MIN, BODY_MAX = 20, 30_000
COMMENT_MIN, COMMENT_MAX = 2, 600
TAGS_MAX, TAG_LENGTH_MAX = 5, 35
_TAG_RE = re.compile(r"^[\w][\w.+#-]*$", re.UNICODE)

Post = Question | Answer


# --- Validation (the one place the limits live; forms show the same errors) -------------


def _refuse_nul(text: str, field: str) -> str:
    # PostgreSQL can't store NUL in text; refuse it here so no caller gets a 500.
    if "\x00" in text:
        raise InvalidInput(_("Text can't contain NUL characters."), field=field)
    return text


def clean_title(title: str) -> str:
    title = " ".join(_refuse_nul(title or "", "title").split())
    if len(title) < TITLE_MIN:
        raise InvalidInput(
            ngettext(
                "The title must be at least %(count)d character long.",
                "The title must be at least %(count)d characters long.",
                TITLE_MIN,
            )
            % {"count": TITLE_MIN},
            field="title",
        )
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            _("The title must be at most %(count)d characters long.") % {"count": TITLE_MAX},
            field="title",
        )
    return title


def clean_body(body: str) -> str:
    body = _refuse_nul(body or "", "body").strip()
    if len(body) < BODY_MIN:
        raise InvalidInput(
            _("Please write at least %(count)d characters.") % {"count": BODY_MIN}, field="body"
        )
    if len(body) > BODY_MAX:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.") % {"count": BODY_MAX}, field="body"
        )
    return body


def clean_comment(body: str) -> str:
    body = " ".join(_refuse_nul(body or "", "body").split())
    if len(body) < COMMENT_MIN:
        raise InvalidInput(_("The comment is too short."), field="body")
    if len(body) > COMMENT_MAX:
        raise InvalidInput(
            _("Comments are at most %(count)d characters.") % {"count": COMMENT_MAX}, field="body"
        )
    return body


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    """Lower-case, de-duplicate and check tags; accepts a list or a space/comma separated string."""
    if isinstance(tags, str):
        tags = re.split(r"[\s,]+", tags)
    cleaned: list[str] = []
    for raw in tags:
        tag = tag_slug(str(raw)) if raw else ""
        if not tag or tag in cleaned:
            continue
        if len(tag) > TAG_LENGTH_MAX or not _TAG_RE.match(tag):
            raise InvalidInput(
                _("“%(tag)s” is not a valid tag (letters, digits and dashes, at most %(count)d).")
                % {"tag": str(raw)[:40], "count": TAG_LENGTH_MAX},
                field="tags",
            )
        cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise InvalidInput(_("Use at most %(count)d tags.") % {"count": TAGS_MAX}, field="tags")
    return cleaned


def _clean_category(category: CategoryPage | None) -> CategoryPage:
    # Re-read: the caller's instance may be unsaved, or unpublished since it was loaded.
    if isinstance(category, CategoryPage) and category.pk is not None:
        category = CategoryPage.objects.live().filter(pk=category.pk).first()
    else:
        category = None
    if category is None:
        raise InvalidInput(_("Choose one of the categories."), field="category")
    return category


def _require_member(actor: User) -> None:
    """Refuse anyone not signed in; and judge privileges on the reputation the database
    holds now, not on what a long-lived instance (a request's user after earlier writes,
    a command's or a task's copy) remembers."""
    if not permissions.is_member(actor):
        raise NotSignedIn()
    actor.reputation = User.objects.values_list("reputation", flat=True).get(pk=actor.pk)


def _refuse(refusal: DomainError | None) -> None:
    """Raise what a predicate in forum.permissions refused, so the action and the button
    that offers it decide by the same rules."""
    if refusal is not None:
        raise refusal


def _lock_question(question_id: int) -> Question:
    # of=("self",): lock only the question row, never the nullable accepted answer it joins.
    return Question.objects.select_for_update(no_key=True, of=("self",)).get(pk=question_id)


def _lock_answer(answer_id: int) -> Answer:
    return Answer.objects.select_for_update(no_key=True).get(pk=answer_id)


def _lock_users(user_ids: Iterable[int | None]) -> None:
    ids = sorted({pk for pk in user_ids if pk is not None})
    list(User.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values("pk"))


def _touch(question_id: int, when: datetime | None = None) -> None:
    Question.objects.filter(pk=question_id).update(last_activity_at=when or timezone.now())


def _question_facts(question: Question, tags: list[str]) -> dict:
    """What an edit can change on a question, as the audit log shows it."""
    return {
        "title": question.title,
        "tags": " ".join(tags),
        "category": question.category_id,
        "body": question.body,
    }


def _changes(before: dict, after: dict) -> dict:
    """The before and after of the fields that changed; a body is named, not copied (its
    text is in the revisions)."""
    changed = [key for key in before if before[key] != after[key]]
    shown = [key for key in changed if key != "body"]
    return {
        "changed": changed,
        "before": {key: before[key] for key in shown},
        "after": {key: after[key] for key in shown},
    }


def _thread_of(comment: Comment) -> int:
    if comment.question_id is not None:
        return comment.question_id
    return Answer.objects.values_list("question_id", flat=True).get(pk=comment.answer_id)


def _record_revision(
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


# --- Questions --------------------------------------------------------------------------


@transaction.atomic
def ask_question(
    actor: User,
    *,
    title: str,
    body: str,
    category: CategoryPage | None,
    tags: Iterable[str] | str = (),
    ask_visit: str | None = None,
) -> Question:
    """Any active member asks a question; records revision 1 and `question.asked`.

    `ask_visit` names the ask form's visit that was shown similar questions (search
    marks it as ending in a question).
    """
    _require_member(actor)
    title, body = clean_title(title), clean_body(body)
    category, tag_names = _clean_category(category), clean_tags(tags)
    check_rate(actor, "ask")
    question = Question.objects.create(
        title=title, body=body, body_html=render_markdown(body), category=category, author=actor
    )
    question.tags.set(tag_names)
    _record_revision(actor, question, title=title, tags=" ".join(tag_names))
    payload = {"ask_visit": ask_visit[:64]} if ask_visit else {}
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
) -> Question:
    """The author, or anyone with the edit privilege, edits a question; records a revision.

    Moving it to another category keeps its URL (`/questions/<id>/<slug>/`).
    """
    _require_member(actor)
    question = _lock_question(question.pk)
    _refuse(permissions.edit_post_refusal(actor, question))
    title, body, tag_names = clean_title(title), clean_body(body), clean_tags(tags)
    category = _clean_category(category) if category is not None else question.category
    old_tags = sorted(question.tags.names())
    if (
        title == question.title
        and body == question.body
        and sorted(tag_names) == old_tags
        and category.pk == question.category_id
    ):
        return question
    check_rate(actor, "edit")
    before = _question_facts(question, old_tags)
    question.title, question.body, question.body_html = title, body, render_markdown(body)
    question.category = category
    question.last_activity_at = timezone.now()
    question.save()
    question.tags.set(tag_names)
    revision = _record_revision(
        actor, question, title=title, tags=" ".join(tag_names), summary=summary
    )
    after = _question_facts(question, sorted(tag_names))
    events.record(
        actor,
        v.QUESTION_EDITED,
        question,
        question=question,
        payload={"reason": summary, "revision": revision.number, **_changes(before, after)},
    )
    return question


@transaction.atomic
def set_question_state(actor: User, question: Question, state: str) -> Question:
    """A moderator opens, closes or locks a question."""
    question = _lock_question(question.pk)
    if not permissions.can_change_state(actor, question):
        raise NotAllowed()
    if state not in QuestionState.values:
        raise InvalidInput(_("Unknown state."), field="state")
    if question.state != state:
        previous, question.state = question.state, state
        question.save(update_fields=["state", "updated_at"])
        events.record(
            actor,
            v.STATE_VERBS[state],
            question,
            question=question,
            payload={"before": {"state": previous}, "after": {"state": state}},
        )
    return question


@transaction.atomic
def delete_question(actor: User, question: Question) -> Question:
    """The author or a moderator deletes a question (soft). Reverses the reputation it granted."""
    question = _lock_question(question.pk)
    _refuse(permissions.delete_post_refusal(actor, question))
    if question.is_deleted:
        return question
    _reverse_grants(
        ReputationEntry.objects.filter(question=question), actor, Correction.QUESTION_DELETED
    )
    question.visibility = Visibility.DELETED
    question.deleted_at, question.deleted_by = timezone.now(), actor
    question.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    events.record(actor, v.POST_DELETED, question, question=question, payload={"kind": "question"})
    return question


@transaction.atomic
def restore_question(actor: User, question: Question) -> Question:
    """A moderator restores a deleted question and re-grants what its deletion took back."""
    question = _lock_question(question.pk)
    _refuse(permissions.restore_post_refusal(actor, question))
    if not question.is_deleted:
        return question
    _regrant(ReputationEntry.objects.filter(question=question), actor, Correction.QUESTION_DELETED)
    question.visibility = Visibility.VISIBLE
    question.deleted_at, question.deleted_by = None, None
    question.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    events.record(actor, v.POST_RESTORED, question, question=question, payload={"kind": "question"})
    return question


def count_view(question: Question) -> None:
    """Add one view. A single UPDATE, so concurrent views are never lost."""
    Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)


# --- Answers ----------------------------------------------------------------------------


@transaction.atomic
def post_answer(actor: User, question: Question, *, body: str) -> Answer:
    """Any active member answers an open question; records revision 1."""
    _require_member(actor)
    question = _lock_question(question.pk)
    _refuse(permissions.answer_question_refusal(actor, question))
    body = clean_body(body)
    check_rate(actor, "answer")
    answer = Answer.objects.create(
        question=question, body=body, body_html=render_markdown(body), author=actor
    )
    _record_revision(actor, answer)
    Question.objects.filter(pk=question.pk).update(
        answer_count=F("answer_count") + 1, last_activity_at=answer.created_at
    )
    events.record(actor, v.ANSWER_POSTED, answer, question=question)
    return answer


@transaction.atomic
def edit_answer(actor: User, answer: Answer, *, body: str, summary: str = "") -> Answer:
    """The author, or anyone with the edit privilege, edits an answer; records a revision."""
    _require_member(actor)
    question = _lock_question(answer.question_id)
    answer = _lock_answer(answer.pk)
    answer.question = question
    _refuse(permissions.edit_post_refusal(actor, answer))
    body = clean_body(body)
    if body == answer.body:
        return answer
    check_rate(actor, "edit")
    answer.body, answer.body_html = body, render_markdown(body)
    answer.save(update_fields=["body", "body_html", "updated_at"])
    revision = _record_revision(actor, answer, summary=summary)
    _touch(question.pk)
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
    question = _lock_question(answer.question_id)
    answer = _lock_answer(answer.pk)
    answer.question = question
    # Refused while the question is deleted: its grants are already reversed as a whole
    # and come back as a whole on restore; changing its answers in between would restore
    # the wrong set.
    _refuse(permissions.delete_post_refusal(actor, answer))
    if answer.is_deleted:
        return answer
    earned = ReputationEntry.objects.filter(answer=answer)
    # The acceptance and the votes reverse in two steps; lock all their members at once.
    _lock_users(earned.values_list("user_id", flat=True))
    was_accepted = question.accepted_answer_id == answer.pk
    if was_accepted:
        _withdraw_acceptance(actor, question)
    _reverse_grants(earned, actor, Correction.ANSWER_DELETED)
    answer.visibility = Visibility.DELETED
    answer.deleted_at, answer.deleted_by = timezone.now(), actor
    answer.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") - 1)
    events.record(
        actor,
        v.POST_DELETED,
        answer,
        question=question,
        payload={"kind": "answer", "was_accepted": was_accepted},
    )
    return answer


@transaction.atomic
def restore_answer(actor: User, answer: Answer) -> Answer:
    """A moderator restores a deleted answer and re-grants its votes (not the acceptance).

    Refused while the question itself is deleted (restore the question first).
    """
    question = _lock_question(answer.question_id)
    answer = _lock_answer(answer.pk)
    answer.question = question
    _refuse(permissions.restore_post_refusal(actor, answer))
    if not answer.is_deleted:
        return answer
    _regrant(ReputationEntry.objects.filter(answer=answer), actor, Correction.ANSWER_DELETED)
    answer.visibility = Visibility.VISIBLE
    answer.deleted_at, answer.deleted_by = None, None
    answer.save(update_fields=["visibility", "deleted_at", "deleted_by", "updated_at"])
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    events.record(actor, v.POST_RESTORED, answer, question=question, payload={"kind": "answer"})
    return answer


# --- Comments ---------------------------------------------------------------------------


@transaction.atomic
def post_comment(actor: User, post: Post, *, body: str) -> Comment:
    """A member comments on a post: always on their own posts (and answers to their own
    question), elsewhere from the comment privilege."""
    _require_member(actor)
    question = _lock_question(post.pk if isinstance(post, Question) else post.question_id)
    if isinstance(post, Answer):
        post = Answer.objects.get(pk=post.pk)
        post.question = question
    else:
        post = question
    _refuse(permissions.comment_refusal(actor, post))
    body = clean_comment(body)
    check_rate(actor, "comment")
    kind = "question" if isinstance(post, Question) else "answer"
    comment = Comment.objects.create(
        **{kind: post}, body=body, body_html=render_inline_markdown(body), author=actor
    )
    _touch(question.pk, comment.created_at)
    events.record(actor, v.COMMENT_POSTED, comment, question=question, payload={"on": kind})
    return comment


@transaction.atomic
def delete_comment(actor: User, comment: Comment) -> Comment:
    """The comment's author or a moderator removes a comment (soft)."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _refuse(permissions.delete_comment_refusal(actor, comment))
    if comment.is_deleted:
        return comment
    comment.visibility = Visibility.DELETED
    comment.deleted_at, comment.deleted_by = timezone.now(), actor
    comment.save(update_fields=["visibility", "deleted_at", "deleted_by"])
    events.record(actor, v.COMMENT_DELETED, comment, question=_thread_of(comment))
    return comment


# --- Votes ------------------------------------------------------------------------------


@transaction.atomic
def cast_vote(actor: User, post: Post, value: int) -> Post:
    """A member votes a post up (1), down (-1) or retracts (0). Returns the post, rescored.

    One vote per member per post (database-unique); never on one's own post. The score
    moves by an UPDATE ... SET score = score + delta, so concurrent votes are never lost;
    the earlier vote's reputation is reversed exactly before the new one is granted.
    """
    _require_member(actor)
    if value not in (Vote.UP, Vote.DOWN, Vote.NONE):
        raise InvalidInput(_("A vote is 1, -1 or 0."), field="value")
    is_question = isinstance(post, Question)
    question = _lock_question(post.pk if is_question else post.question_id)
    post = question if is_question else _lock_answer(post.pk)
    if not is_question:
        post.question = question
    _refuse(permissions.vote_refusal(actor, post))
    kind = "question" if is_question else "answer"
    vote = Vote.objects.filter(voter=actor, **{kind: post}).first()
    old = vote.value if vote else Vote.NONE
    if old == value:
        return post
    _refuse(permissions.vote_refusal(actor, post, value))
    check_rate(actor, "vote")
    _lock_users([actor.pk, post.author_id])

    if vote is None:
        vote = Vote.objects.create(voter=actor, **{kind: post}, value=value)
    else:
        _reverse_grants(vote.reputation_entries.all(), actor, Correction.RETRACTED)
        vote.value = value
        vote.save(update_fields=["value", "updated_at"])

    rep = settings.TANYA_REPUTATION
    links = {"question": question, "answer": None if is_question else post, "vote": vote}
    if value == Vote.UP:
        reason = (
            ReputationReason.QUESTION_UPVOTED if is_question else ReputationReason.ANSWER_UPVOTED
        )
        amount = rep["QUESTION_UPVOTED"] if is_question else rep["ANSWER_UPVOTED"]
        _credit(post.author_id, amount, reason, actor=actor, capped=True, **links)
    elif value == Vote.DOWN:
        _credit(post.author_id, rep["DOWNVOTED"], ReputationReason.DOWNVOTED, actor=actor, **links)
        if not is_question:
            _credit(
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


# --- Accepted answers -------------------------------------------------------------------


@transaction.atomic
def accept_answer(actor: User, question: Question, answer: Answer) -> Question:
    """The asker, a moderator or staff marks `answer` as the solution.

    Moves the acceptance bonus (answer author +15; the asker +2 when the asker accepts
    someone else's answer). The asker's own answer earns nothing: a solution you write
    yourself is worth sharing, not a way to farm reputation. A moderator's or staff
    member's acceptance also verifies it; only they may replace a verified acceptance.
    """
    _require_member(actor)
    question = _lock_question(question.pk)
    _refuse(permissions.accept_answer_refusal(actor, question))
    if answer.question_id != question.pk:
        raise AnswerNotInQuestion()
    answer = _lock_answer(answer.pk)
    _refuse(permissions.accept_answer_refusal(actor, question, answer))
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
    _lock_users([question.author_id, answer.author_id, *previous.values_list("author", flat=True)])
    if question.accepted_answer_id is not None:
        _withdraw_acceptance(actor, question)
    rep = settings.TANYA_REPUTATION
    links = {"question": question, "answer": answer}
    if answer.author_id != question.author_id:
        _credit(
            answer.author_id,
            rep["ANSWER_ACCEPTED"],
            ReputationReason.ANSWER_ACCEPTED,
            actor=actor,
            **links,
        )
    if actor.pk == question.author_id and answer.author_id != question.author_id:
        _credit(
            question.author_id,
            rep["ACCEPTED_AN_ANSWER"],
            ReputationReason.ACCEPTED_AN_ANSWER,
            actor=actor,
            **links,
        )
    now = timezone.now()
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
    _require_member(actor)
    question = _lock_question(question.pk)
    _refuse(permissions.unaccept_answer_refusal(actor, question))
    if question.accepted_answer_id is None:
        return question
    withdrawn = question.accepted_answer
    _withdraw_acceptance(actor, question)
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
    question = _lock_question(question.pk)
    _refuse(permissions.verify_answer_refusal(actor, question))
    if question.verified_by_id is not None:
        return question
    return _verify(actor, question)


def _verify(actor: User, question: Question) -> Question:
    question.verified_by, question.verified_at = actor, timezone.now()
    question.save(update_fields=["verified_by", "verified_at", "updated_at"])
    events.record(actor, v.ANSWER_VERIFIED, question.accepted_answer, question=question)
    return question


def _withdraw_acceptance(actor: User, question: Question) -> None:
    """Reverse the current acceptance's grants and clear it on the (locked) question."""
    entries = ReputationEntry.objects.filter(
        question=question,
        answer_id=question.accepted_answer_id,
        reason__in=[ReputationReason.ANSWER_ACCEPTED, ReputationReason.ACCEPTED_AN_ANSWER],
    )
    _reverse_grants(entries, actor, Correction.UNACCEPTED)
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


# --- The reputation ledger --------------------------------------------------------------


def grant_kb_bonus(actor: User | None, answer: Answer, amount: int) -> ReputationEntry | None:
    """An article promoted from `answer` was first published: credit its author `amount`
    (settings.TANYA_KB["PROMOTION_BONUS"]), in the caller's transaction."""
    _lock_users([answer.author_id])
    return _credit(
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
    _lock_users([grant.user_id])
    corrections = list(grant.corrections.order_by("pk").values_list("amount", "cause"))
    if corrections and corrections[-1][1] == Correction.ARTICLE_DELETED:
        return None
    net = grant.amount + sum(amount for amount, _cause in corrections)
    return _credit(
        grant.user_id,
        -net,
        grant.reason,
        actor=actor,
        reverses=grant,
        cause=Correction.ARTICLE_DELETED,
        question_id=grant.question_id,
        answer_id=grant.answer_id,
    )


def _credit(
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


def _reverse_grants(entries: QuerySet[ReputationEntry], actor: User, cause: str) -> None:
    """Add a correction for every grant among `entries` still in force, taking its net back."""
    grants = [grant for grant in _grants_with_net(entries) if grant.net != 0]
    _lock_users(grant.user_id for grant in grants)
    for grant in grants:
        _correct(grant, -grant.net, actor, cause)


def _regrant(entries: QuerySet[ReputationEntry], actor: User, undone_by: str) -> None:
    """Restore the grants whose latest correction was `undone_by` (a deletion being undone)."""
    grants = list(_grants_with_net(entries))
    latest = {}
    for correction in ReputationEntry.objects.filter(reverses__in=grants).order_by("pk"):
        latest[correction.reverses_id] = correction.cause
    restore = [g for g in grants if latest.get(g.pk) == undone_by and g.net != g.amount]
    _lock_users(grant.user_id for grant in restore)
    for grant in restore:
        _correct(grant, grant.amount - grant.net, actor, Correction.RESTORED)


def _correct(grant: ReputationEntry, amount: int, actor: User, cause: str) -> None:
    _credit(
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
