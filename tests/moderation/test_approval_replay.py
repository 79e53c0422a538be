"""A held post approved by a moderator is news as if it had just been posted: followers,
mentions, topic followers and webhooks hear of it then, once (not while it is held, not
again on a second approval), through the original posting event."""

import json

import pytest

from core.models import Event
from forum import actions
from notifications import actions as notification_actions
from notifications.models import Kind, Notification
from tests.factories import CategoryFactory, ModeratorFactory, QuestionFactory, UserFactory
from webhooks.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db

LINKED = "Download the fixed firmware from https://example.com/fw and flash it, @{name}."


@pytest.fixture(autouse=True)
def _defences_on(settings):
    settings.TANYA_NEW_MEMBER_REPUTATION = 10


@pytest.fixture
def newcomer():
    return UserFactory(reputation=1)


def _kinds(member) -> list[str]:
    return sorted(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def test_an_approved_question_reaches_topic_followers_mentions_and_webhooks_once(
    run, receiver, endpoint_for, newcomer
):
    endpoint_for("question.asked")
    category = CategoryFactory()
    follower, mentioned = UserFactory(), UserFactory()
    notification_actions.follow(follower, category=category)

    question = run(
        actions.ask_question,
        newcomer,
        title="Router firmware that fixes the evening drops",
        body=LINKED.format(name=mentioned.username),
        category=category,
    )

    assert question.is_held
    assert _kinds(follower) == [] and _kinds(mentioned) == []
    assert receiver.requests == []
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED

    moderator = ModeratorFactory()
    run(actions.approve_post, moderator, question)

    assert _kinds(follower) == [Kind.NEW_QUESTION]
    assert _kinds(mentioned) == [Kind.MENTION]
    [request] = receiver.requests
    body = json.loads(request.body)
    asked = Event.objects.get(verb="question.asked")
    assert (body["id"], body["type"]) == (asked.pk, "question.asked")
    assert body["data"]["question"]["id"] == question.pk
    assert Delivery.objects.get().status == DeliveryStatus.SUCCEEDED
    approved = Event.objects.get(verb="post.approved")
    told = Notification.objects.get(recipient=follower)
    assert told.event_id == asked.pk and told.created_at == approved.created_at

    # Held again and approved again: nobody hears of it a second time.
    run(actions.hold_post, moderator, question)
    question.refresh_from_db()
    run(actions.approve_post, moderator, question)

    assert _kinds(follower) == [Kind.NEW_QUESTION]
    assert _kinds(mentioned) == [Kind.MENTION]
    assert len(receiver.requests) == 1


def test_an_approved_answer_reaches_the_threads_followers_and_webhooks_once(
    run, receiver, endpoint_for, newcomer
):
    endpoint_for("answer.posted")
    question = QuestionFactory()
    notification_actions.follow(question.author, question=question)

    answer = run(
        actions.post_answer, newcomer, question, body=LINKED.format(name=question.author.username)
    )

    assert answer.is_held
    assert _kinds(question.author) == []
    assert receiver.requests == []

    run(actions.approve_post, ModeratorFactory(), answer)

    # One notification per event and recipient: the answer and the mention are one.
    assert len(_kinds(question.author)) == 1
    [request] = receiver.requests
    assert json.loads(request.body)["type"] == "answer.posted"


def test_an_approved_comment_reaches_the_threads_followers(run, newcomer):
    question = QuestionFactory(author=newcomer)
    follower = UserFactory()
    notification_actions.follow(follower, question=question)

    comment = run(actions.post_comment, newcomer, question, body=LINKED.format(name="nobody"))

    assert comment.is_held
    assert _kinds(follower) == []

    run(actions.approve_post, ModeratorFactory(), comment)

    assert _kinds(follower) == [Kind.COMMENT]


def test_a_post_held_by_a_moderator_after_it_was_told_is_not_told_again(
    run, receiver, endpoint_for
):
    endpoint_for("question.asked")
    category = CategoryFactory()
    follower = UserFactory()
    notification_actions.follow(follower, category=category)
    question = run(
        actions.ask_question,
        UserFactory(reputation=50),
        title="Router firmware that fixes the evening drops",
        body="The router drops every evening; which firmware fixes it for good?",
        category=category,
    )
    assert _kinds(follower) == [Kind.NEW_QUESTION]
    assert len(receiver.requests) == 1
    moderator = ModeratorFactory()

    run(actions.hold_post, moderator, question)
    question.refresh_from_db()
    run(actions.approve_post, moderator, question)

    assert _kinds(follower) == [Kind.NEW_QUESTION]
    assert len(receiver.requests) == 1
