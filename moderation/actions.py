"""Every write moderation makes: flagging a post, hiding it once its flags weigh enough,
putting held posts in the queue, and resolving a review (docs/moderation.md).

The post's visibility moves only through forum.actions (hide_post, approve_post, ...),
which check their own permissions and record their own events; `resolve_flags` calls them
and records `flag.resolved`. Locks follow the forum's order: the thread's question, then
the answer or comment, then the review.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import actions as account_actions
from accounts.models import User
from accounts.permissions import is_member
from core import events
from core.errors import InvalidInput, NotAllowed, NotSignedIn
from core.ratelimit import check_rate
from forum import actions as forum_actions
from forum.models import Answer, Comment, Question
from moderation import permissions
from moderation import verbs as v
from moderation.errors import AlreadyFlagged
from moderation.models import HIDING_REASONS, Flag, Outcome, Reason, Review

Post = Question | Answer | Comment
NOTE_MAX = 500


def kind_of(post: Post) -> str:
    if isinstance(post, Question):
        return "question"
    return "answer" if isinstance(post, Answer) else "comment"


def _thread_id(post: Post) -> int:
    if isinstance(post, Question):
        return post.pk
    if isinstance(post, Answer):
        return post.question_id
    if post.question_id is not None:
        return post.question_id
    return Answer.objects.values_list("question_id", flat=True).get(pk=post.answer_id)


def _lock_post(post: Post) -> tuple[Post, Question]:
    """Lock the thread's question, then the post; the post comes back with what the
    visibility predicate reads (an answer's question, a comment's post)."""
    thread = Question.objects.select_for_update(no_key=True, of=("self",)).get(pk=_thread_id(post))
    if isinstance(post, Question):
        return thread, thread
    model = type(post)
    locked = model.objects.select_for_update(no_key=True).get(pk=post.pk)
    if isinstance(locked, Answer):
        locked.question = thread
    elif locked.answer_id is not None:
        locked.answer = Answer.objects.get(pk=locked.answer_id)
        locked.answer.question = thread
    else:
        locked.question = thread
    return locked, thread


def clean_flag(reason: str, note: str) -> tuple[str, str]:
    """A known reason; "other" needs a note; the note at most NOTE_MAX characters."""
    note = (note or "").strip()
    if reason not in Reason.values:
        raise InvalidInput(_("Choose a reason for flagging."), field="reason")
    if reason == Reason.OTHER and not note:
        raise InvalidInput(_("Please say what is wrong with this post."), field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            _("Keep the note under %(count)d characters.") % {"count": NOTE_MAX}, field="note"
        )
    return reason, note


def _open_review(post: Post, thread: Question, *, held: bool = False) -> Review:
    kind = kind_of(post)
    review = Review.objects.select_for_update().filter(**{kind: post}, closed_at=None).first()
    if review is None:
        review = Review.objects.create(
            **{kind: post},
            thread=thread,
            category_id=thread.category_id,
            author_id=post.author_id,
            held=held,
        )
    return review


@transaction.atomic
def flag_post(actor: User, post: Post, *, reason: str, note: str = "") -> Flag:
    """A member from TANYA_FLAG_REPUTATION (or a moderator) flags someone else's visible
    post, once while it is under review; records `post.flagged`. Spam and abuse flags
    weighing TANYA_FLAG_HIDE_WEIGHT hide the post (subscribers.hide_when_flagged)."""
    if not is_member(actor):
        raise NotSignedIn()
    actor.reputation = User.objects.values_list("reputation", flat=True).get(pk=actor.pk)
    post, thread = _lock_post(post)
    refusal = permissions.flag_refusal(actor, post)
    if refusal is not None:
        raise refusal
    reason, note = clean_flag(reason, note)
    review = _open_review(post, thread)
    if Flag.objects.filter(review=review, flagger=actor).exists():
        raise AlreadyFlagged()
    check_rate(actor, "flag")
    flag = Flag.objects.create(
        review=review,
        flagger=actor,
        reason=reason,
        note=note,
        weight=permissions.flag_weight(actor, post),
    )
    events.record(
        actor,
        v.POST_FLAGGED,
        post,
        question=thread,
        payload={
            "kind": kind_of(post),
            "review": review.pk,
            "reason": reason,
            "note": note[:200],
            "weight": flag.weight,
        },
    )
    return flag


def flag_weight_against(review: Review) -> float:
    """The summed weight of the review's spam and abuse flags."""
    total = review.flags.filter(reason__in=HIDING_REASONS).aggregate(total=Sum("weight"))
    return total["total"] or 0.0


@transaction.atomic
def hide_when_flagged(review_id: int) -> bool:
    """Hide the post of an open review whose spam and abuse flags weigh at least
    TANYA_FLAG_HIDE_WEIGHT, pending review (forum.actions.hide_post, automatic: no actor).
    Called by the subscriber of `post.flagged`; safe to run twice. True when hidden now."""
    review = Review.objects.filter(pk=review_id, closed_at=None).first()
    if review is None or flag_weight_against(review) < settings.TANYA_FLAG_HIDE_WEIGHT:
        return False
    post = _post_of(review)
    if post is None or not post.is_visible:
        return False
    forum_actions.hide_post(None, post, reason="flags", automatic=True)
    return True


def _post_of(review: Review) -> Post | None:
    model = {"question": Question, "answer": Answer, "comment": Comment}[review.kind]
    return model.objects.filter(pk=review.post_id).first()


@transaction.atomic
def queue_held_post(post: Post) -> Review | None:
    """Put a held post in the review queue (an open review marked held), once. Called by
    moderation's subscribers when a post is created held (the spam check) or held by a
    moderator; records no event of its own: the post's event already says it."""
    post, thread = _lock_post(post)
    if not post.is_held:
        return None
    review = _open_review(post, thread, held=True)
    if not review.held:
        review.held = True
        review.save(update_fields=["held"])
    return review


# --- Resolving ----------------------------------------------------------------------------


def _apply(actor: User, review: Review, post: Post, outcome: str, reason: str) -> None:
    """Carry out `outcome` on the post through the forum's own actions."""
    not_held = _("Only a held post can be approved or rejected.")
    if outcome in (Outcome.APPROVED, Outcome.REJECTED):
        if not post.is_held:
            raise InvalidInput(not_held, field="outcome")
        if outcome == Outcome.APPROVED:
            forum_actions.approve_post(actor, post, reason=reason)
        else:
            forum_actions.remove_post(actor, post, reason=reason)
        return
    if post.is_held and outcome in (Outcome.DISMISSED, Outcome.HIDDEN):
        raise InvalidInput(_("Approve or reject a held post."), field="outcome")
    if outcome == Outcome.DISMISSED:
        if post.is_hidden:  # hidden by its flags: they were wrong
            forum_actions.unhide_post(actor, post, reason=reason)
    elif outcome == Outcome.HIDDEN:
        if post.is_visible:
            forum_actions.hide_post(actor, post, reason=reason)
    elif outcome == Outcome.DELETED:
        _delete(actor, post, reason)
    elif outcome == Outcome.SUSPENDED:
        # The member is shown the reason (accounts.actions.suspend_member requires one).
        shown = reason or _("Your post was flagged and a moderator reviewed it.")
        account_actions.suspend_member(actor, review.author, reason=shown)
        if post.is_visible:
            forum_actions.hide_post(actor, post, reason=reason)
        elif post.is_held:
            forum_actions.remove_post(actor, post, reason=reason)


def _delete(actor: User, post: Post, reason: str) -> None:
    if post.is_deleted:
        return
    if not post.is_visible:
        forum_actions.remove_post(actor, post, reason=reason)
    elif isinstance(post, Question):
        forum_actions.delete_question(actor, post)
    elif isinstance(post, Answer):
        forum_actions.delete_answer(actor, post)
    else:
        forum_actions.delete_comment(actor, post)


@transaction.atomic
def resolve_flags(actor: User, review: Review, outcome: str, *, reason: str = "") -> Review:
    """A moderator or staff member closes a review with one outcome: dismiss (a post its
    flags hid is shown again), hide, delete, suspend the author (staff; the post is hidden
    too) or, for a held post, approve or reject. The post moves through forum.actions
    (each recording its own event); every open flag gets the outcome; records
    `flag.resolved`, which tells the flaggers. Resolving a closed review is a no-op."""
    if not is_member(actor):
        raise NotSignedIn()
    if not permissions.can_review(actor):
        raise NotAllowed(_("Only moderators can resolve flags."))
    if outcome not in Outcome.values:
        raise InvalidInput(_("Choose an outcome."), field="outcome")
    review = Review.objects.select_related("author").get(pk=review.pk)
    if outcome == Outcome.SUSPENDED and not permissions.can_suspend_member(actor, review.author):
        raise NotAllowed(_("Only staff can suspend members, and not themselves or a superuser."))
    post = _post_of(review)
    if post is None:
        raise InvalidInput(_("This post is gone."))
    post, thread = _lock_post(post)
    if not permissions.can_review_post(actor, post):
        raise NotAllowed(_("Only a moderator of this category can do that."))
    review = Review.objects.select_for_update().select_related("author").get(pk=review.pk)
    if not review.is_open:
        return review
    before = post.visibility
    _apply(actor, review, post, outcome, reason[:500])
    now = timezone.now()
    review.closed_at, review.closed_by, review.outcome = now, actor, outcome
    review.save(update_fields=["closed_at", "closed_by", "outcome"])
    flaggers = list(review.flags.order_by("pk").values_list("flagger_id", flat=True))
    review.flags.update(resolved_at=now, outcome=outcome)
    after = type(post).objects.values_list("visibility", flat=True).get(pk=post.pk)
    events.record(
        actor,
        v.FLAG_RESOLVED,
        post,
        question=thread,
        payload={
            "kind": kind_of(post),
            "review": review.pk,
            "outcome": outcome,
            "reason": reason[:500],
            "held": review.held,
            "flaggers": flaggers,
            "before": {"review": "open", "visibility": before},
            "after": {"review": outcome, "visibility": after},
        },
    )
    return review
