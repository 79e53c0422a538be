"""The review queue: resolving a review (every outcome, by every role), what the flaggers
are told, and the queue's pages on the site and in the Wagtail admin."""

import pytest

from core.errors import InvalidInput, NotAllowed
from core.models import Event
from forum.models import Answer, Question, Visibility
from moderation import actions
from moderation.models import Flag, Outcome, Review
from notifications.models import Kind, Notification
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _flagged(post=None, *, reason="spam", flaggers=1):
    post = post or QuestionFactory()
    flags = [
        actions.flag_post(UserFactory(reputation=15), post, reason=reason) for _ in range(flaggers)
    ]
    return post, flags[0].review


def _held(kind="question"):
    post = {
        "question": lambda: QuestionFactory(held=True),
        "answer": lambda: AnswerFactory(held=True),
        "comment": lambda: CommentFactory(question=QuestionFactory(), held=True),
    }[kind]()
    return post, actions.queue_held_post(post)


def _state(post) -> str:
    return type(post).objects.get(pk=post.pk).visibility


# --- Resolving ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "after"),
    [
        (Outcome.DISMISSED, Visibility.VISIBLE),
        (Outcome.HIDDEN, Visibility.HIDDEN),
        (Outcome.DELETED, Visibility.DELETED),
    ],
)
@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_a_moderator_resolves_a_review_and_it_is_recorded(outcome, after, role):
    post, review = _flagged(flaggers=2)
    actor = ModeratorFactory() if role == "moderator" else StaffFactory()

    actions.resolve_flags(actor, review, outcome, reason="checked")

    review.refresh_from_db()
    assert (review.closed_by_id, review.outcome) == (actor.pk, outcome)
    assert set(Flag.objects.values_list("outcome", flat=True)) == {outcome}
    assert _state(post) == after
    event = Event.objects.get(verb="flag.resolved")
    assert event.actor_id == actor.pk
    assert event.payload["before"] == {"review": "open", "visibility": "visible"}
    assert event.payload["after"] == {"review": outcome, "visibility": after}
    assert len(event.payload["flaggers"]) == 2


@pytest.mark.parametrize("who", ["author", "member", "trusted member"])
def test_members_cannot_resolve_a_review(who):
    post, review = _flagged()
    actor = {
        "author": post.author,
        "member": UserFactory(),
        "trusted member": UserFactory(trusted=True),
    }[who]

    with pytest.raises(NotAllowed):
        actions.resolve_flags(actor, review, Outcome.DELETED)

    assert Review.objects.get(pk=review.pk).is_open
    assert _state(post) == Visibility.VISIBLE
    assert not Event.objects.filter(verb="flag.resolved").exists()


def test_dismissing_shows_again_a_post_its_flags_hid(django_capture_on_commit_callbacks):
    question = QuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        flag = actions.flag_post(ModeratorFactory(), question, reason="spam")
    hidden = _state(question)

    actions.resolve_flags(ModeratorFactory(), flag.review, Outcome.DISMISSED)

    assert hidden == Visibility.HIDDEN
    assert _state(question) == Visibility.VISIBLE
    assert Event.objects.filter(verb="post.unhidden").count() == 1


def test_deleting_a_post_its_flags_hid_deletes_it(django_capture_on_commit_callbacks):
    answer = AnswerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        flag = actions.flag_post(ModeratorFactory(), answer, reason="spam")

    actions.resolve_flags(ModeratorFactory(), flag.review, Outcome.DELETED)

    assert _state(answer) == Visibility.DELETED


def test_staff_suspend_the_author_and_the_post_is_hidden():
    post, review = _flagged()

    actions.resolve_flags(StaffFactory(), review, Outcome.SUSPENDED, reason="spammer")

    post.author.refresh_from_db()
    assert not post.author.is_active
    assert _state(post) == Visibility.HIDDEN
    assert Event.objects.get(verb="member.suspended").payload["reason"] == "spammer"


def test_a_moderator_who_is_not_staff_cannot_suspend():
    post, review = _flagged()

    with pytest.raises(NotAllowed):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.SUSPENDED)

    post.author.refresh_from_db()
    assert post.author.is_active
    assert Review.objects.get(pk=review.pk).is_open


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_approving_a_held_post_makes_it_visible(kind):
    post, review = _held(kind)

    actions.resolve_flags(ModeratorFactory(), review, Outcome.APPROVED)

    assert _state(post) == Visibility.VISIBLE
    assert Event.objects.filter(verb="post.approved").count() == 1
    assert not Review.objects.get(pk=review.pk).is_open


def test_approving_a_held_answer_counts_it():
    answer, review = _held("answer")

    actions.resolve_flags(ModeratorFactory(), review, Outcome.APPROVED)

    assert Question.objects.get(pk=answer.question_id).answer_count == 1


def test_rejecting_a_held_post_deletes_it():
    post, review = _held("answer")

    actions.resolve_flags(ModeratorFactory(), review, Outcome.REJECTED)

    assert Answer.objects.get(pk=post.pk).visibility == Visibility.DELETED


def test_a_visible_post_cannot_be_approved_or_rejected():
    _post, review = _flagged()

    with pytest.raises(InvalidInput):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.APPROVED)


def test_a_held_post_cannot_be_dismissed():
    _post, review = _held()

    with pytest.raises(InvalidInput):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.DISMISSED)


def test_an_unknown_outcome_is_refused():
    _post, review = _flagged()

    with pytest.raises(InvalidInput):
        actions.resolve_flags(ModeratorFactory(), review, "banished")


def test_resolving_a_closed_review_again_is_a_no_op():
    _post, review = _flagged()
    moderator = ModeratorFactory()
    actions.resolve_flags(moderator, review, Outcome.DISMISSED)

    actions.resolve_flags(moderator, review, Outcome.DELETED)

    assert Event.objects.filter(verb="flag.resolved").count() == 1
    assert Review.objects.get(pk=review.pk).outcome == Outcome.DISMISSED


# --- The flagger is told --------------------------------------------------------------------


def test_every_flagger_is_told_their_flag_was_resolved(django_capture_on_commit_callbacks):
    post, review = _flagged(flaggers=2, reason="off_topic")
    flaggers = set(Flag.objects.values_list("flagger_id", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.DISMISSED)

    told = Notification.objects.filter(kind=Kind.FLAG_RESOLVED)
    assert set(told.values_list("recipient_id", flat=True)) == flaggers
    assert all(n.url == post.get_absolute_url() for n in told)


def test_a_flagger_who_can_no_longer_see_the_post_is_told_without_a_link_to_it(
    django_capture_on_commit_callbacks,
):
    _post, review = _flagged()

    with django_capture_on_commit_callbacks(execute=True):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.DELETED)

    notification = Notification.objects.get(kind=Kind.FLAG_RESOLVED)
    assert notification.url == "/notifications/"
