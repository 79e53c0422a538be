"""Moderating a post's visibility: hide and unhide, hold and approve, and removing a post
under review (docs/moderation.md).

Each moves one post (question, answer or comment) between the states of
forum.models.Visibility and records one event with the state before and after:

| action | from | to | verb |
| --- | --- | --- | --- |
| `hide_post` | visible | hidden | `post.hidden` |
| `unhide_post` | hidden | visible | `post.unhidden` |
| `hold_post` | visible | held | `post.held` |
| `approve_post` | held | visible | `post.approved` |
| `remove_post` | held or hidden | deleted | `post.removed` |

Moderators and staff only. `hide_post(None, post, automatic=True)` is the one exception:
the flag threshold (moderation's subscriber) hides a post for the moderators, with no actor.
Repeating a completed move is a no-op. `Question.answer_count` counts visible answers, so
moving an answer in or out of `visible` moves the count (and with it whether the question
is unanswered). Delete and restore (questions.py, answers.py, comments.py) stay between
visible and deleted; `remove_post` is how a post under review ends up deleted, reversing
what it earned as a deletion does, so a moderator's Restore brings it back whole.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core import events
from forum import counters, permissions
from forum import verbs as v
from forum.actions.acceptance import withdraw_acceptance
from forum.actions.reputation import reverse_grants
from forum.actions.shared import lock_question, lock_users, refuse, thread_of, visibility_change
from forum.models import Answer, Comment, Correction, Question, ReputationEntry, Visibility

Post = Question | Answer | Comment


def _kind(post: Post) -> str:
    if isinstance(post, Question):
        return "question"
    return "answer" if isinstance(post, Answer) else "comment"


def _lock(post: Post) -> tuple[Post, Question]:
    """Lock the post (its question first, in the fixed order) and load what the
    predicates read: an answer's question, a comment's post."""
    if isinstance(post, Question):
        question = lock_question(post.pk)
        return question, question
    if isinstance(post, Answer):
        question = lock_question(post.question_id)
        answer = Answer.objects.select_for_update(no_key=True).get(pk=post.pk)
        answer.question = question
        return answer, question
    question = lock_question(thread_of(post))
    comment = (
        Comment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("question", "answer__question")
        .get(pk=post.pk)
    )
    return comment, question


def _move(
    actor: User | None, post: Post, question: Question, to: str, verb: str, *, reason: str
) -> Post:
    before = post.visibility
    counted = counters.standing(post) if isinstance(post, Question) else None
    post.visibility = to
    fields = ["visibility"]
    if to == Visibility.DELETED:
        post.deleted_at, post.deleted_by = timezone.now(), actor
        fields += ["deleted_at", "deleted_by"]
    if not isinstance(post, Comment):
        fields.append("updated_at")
    post.save(update_fields=fields)
    if counted is not None:
        counters.settle(counted, counters.standing(post))
    if isinstance(post, Answer):
        # answer_count counts visible answers only.
        was, now = before == Visibility.VISIBLE, to == Visibility.VISIBLE
        if was != now:
            step = 1 if now else -1
            Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + step)
    if before == Visibility.HELD and to == Visibility.VISIBLE and not isinstance(post, Question):
        # A held answer or comment didn't bump its thread when posted (docs/spam.md); it
        # does when a moderator lets it through.
        Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now())
    events.record(
        actor,
        verb,
        post,
        question=question,
        payload={
            "kind": _kind(post),
            "author": post.author_id,
            "reason": reason[:500],
            **visibility_change(before, to),
        },
    )
    return post


@transaction.atomic
def hide_post(actor: User | None, post: Post, *, reason: str = "", automatic: bool = False) -> Post:
    """A moderator hides a visible post (its author still sees it, with a notice); records
    `post.hidden`. `automatic=True` (with no actor) is the flag threshold hiding it
    pending review. Hiding a hidden post is a no-op."""
    if automatic and actor is not None:
        raise ValueError("An automatic hide has no actor.")
    post, question = _lock(post)
    if not automatic:
        refuse(permissions.hide_post_refusal(actor, post))
    elif not post.is_visible:
        return post
    if post.is_hidden:
        return post
    return _move(actor, post, question, Visibility.HIDDEN, v.POST_HIDDEN, reason=reason)


@transaction.atomic
def unhide_post(actor: User, post: Post, *, reason: str = "") -> Post:
    """A moderator makes a hidden post visible again; records `post.unhidden`."""
    post, question = _lock(post)
    refuse(permissions.unhide_post_refusal(actor, post))
    if post.is_visible:
        return post
    return _move(actor, post, question, Visibility.VISIBLE, v.POST_UNHIDDEN, reason=reason)


@transaction.atomic
def hold_post(actor: User, post: Post, *, reason: str = "") -> Post:
    """A moderator holds a visible post for review (only its author and moderators see
    it until approved); records `post.held`."""
    post, question = _lock(post)
    refuse(permissions.hold_post_refusal(actor, post))
    if post.is_held:
        return post
    return _move(actor, post, question, Visibility.HELD, v.POST_HELD, reason=reason)


@transaction.atomic
def approve_post(actor: User, post: Post, *, reason: str = "") -> Post:
    """A moderator approves a held post: it becomes visible to everyone (an approved
    answer counts on its question); records `post.approved`."""
    post, question = _lock(post)
    refuse(permissions.approve_post_refusal(actor, post))
    if post.is_visible:
        return post
    return _move(actor, post, question, Visibility.VISIBLE, v.POST_APPROVED, reason=reason)


@transaction.atomic
def remove_post(actor: User, post: Post, *, reason: str = "") -> Post:
    """A moderator deletes a post under review (held or hidden), as the review queue's
    "delete" and "reject" do; records `post.removed`. Like a deletion it reverses the
    reputation the post earned (an accepted answer is unaccepted first), so a later
    Restore re-grants it. Removing a deleted post is a no-op."""
    post, question = _lock(post)
    refuse(permissions.remove_post_refusal(actor, post))
    if post.is_deleted:
        return post
    if isinstance(post, Question):
        earned = ReputationEntry.objects.filter(question=post)
        reverse_grants(earned, actor, Correction.QUESTION_DELETED)
    elif isinstance(post, Answer):
        earned = ReputationEntry.objects.filter(answer=post)
        lock_users(earned.values_list("user_id", flat=True))
        if question.accepted_answer_id == post.pk:
            withdraw_acceptance(actor, question)
        reverse_grants(earned, actor, Correction.ANSWER_DELETED)
    return _move(actor, post, question, Visibility.DELETED, v.POST_REMOVED, reason=reason)
