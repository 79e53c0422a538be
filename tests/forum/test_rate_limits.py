"""Every write a member can repeat is rate-limited through core.ratelimit.check_rate."""

import pytest

from forum.actions import ask_question, cast_vote, edit_answer, post_answer, post_comment
from forum.errors import OwnPost, RateLimited
from forum.models import Answer, Comment, Question, Vote
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
)
from tests.forum.ledger import member

pytestmark = pytest.mark.django_db

TITLE = "How do I reset my router?"
BODY = "I pressed the button on the back and nothing happened."


@pytest.fixture
def limit(settings):
    """Lower one action's limit to `count` an hour for this test."""

    def lower(action: str, count: int) -> None:
        settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, action: (count, 3600)}

    return lower


def ask(actor):
    return ask_question(actor, title=TITLE, body=BODY, category=CategoryFactory())


def test_asking_more_often_than_the_limit_is_refused_with_a_429_and_a_retry_time(limit):
    limit("ask", 2)
    asker = member()
    ask(asker)
    ask(asker)

    with pytest.raises(RateLimited) as refused:
        ask(asker)

    assert refused.value.status == 429
    assert 0 < refused.value.retry_after <= 3600


def test_a_question_refused_by_the_rate_limit_is_not_saved(limit):
    limit("ask", 1)
    asker = member()
    ask(asker)

    with pytest.raises(RateLimited):
        ask(asker)

    assert Question.objects.count() == 1


def test_answering_more_often_than_the_limit_is_refused(limit):
    limit("answer", 2)
    answerer = member()
    for _ in range(2):
        post_answer(answerer, QuestionFactory(), body=BODY)

    with pytest.raises(RateLimited):
        post_answer(answerer, QuestionFactory(), body=BODY)

    assert Answer.objects.count() == 2


def test_commenting_more_often_than_the_limit_is_refused(limit):
    limit("comment", 2)
    question = QuestionFactory()
    for _ in range(2):
        post_comment(question.author, question, body="One more detail.")

    with pytest.raises(RateLimited):
        post_comment(question.author, question, body="One more detail.")

    assert Comment.objects.count() == 2


def test_voting_more_often_than_the_limit_is_refused(limit):
    limit("vote", 2)
    voter = member(reputation=15)
    for _ in range(2):
        cast_vote(voter, AnswerFactory(), Vote.UP)
    answer = AnswerFactory()

    with pytest.raises(RateLimited):
        cast_vote(voter, answer, Vote.UP)

    answer.refresh_from_db()
    assert answer.score == 0


def test_retracting_a_vote_counts_towards_the_vote_limit(limit):
    limit("vote", 2)
    voter, answer = member(reputation=15), AnswerFactory()
    cast_vote(voter, answer, Vote.UP)
    cast_vote(voter, answer, Vote.NONE)

    with pytest.raises(RateLimited):
        cast_vote(voter, answer, Vote.UP)


def test_editing_more_often_than_the_limit_is_refused(limit):
    limit("edit", 1)
    answer = AnswerFactory()
    edit_answer(answer.author, answer, body=BODY)

    with pytest.raises(RateLimited):
        edit_answer(answer.author, answer, body=BODY + " Edited.")


def test_repeating_a_vote_that_changes_nothing_spends_no_budget(limit):
    limit("vote", 1)
    voter, answer = member(reputation=15), AnswerFactory()
    cast_vote(voter, answer, Vote.UP)

    answer = cast_vote(voter, answer, Vote.UP)

    assert answer.score == 1


def test_a_refused_vote_spends_no_budget(limit):
    limit("vote", 1)
    voter = member(reputation=15)
    with pytest.raises(OwnPost):
        cast_vote(voter, AnswerFactory(author=voter), Vote.UP)

    answer = cast_vote(voter, AnswerFactory(), Vote.UP)

    assert answer.score == 1


def test_the_limit_is_counted_per_member(limit):
    limit("ask", 1)
    ask(member())

    question = ask(member())

    assert question.pk is not None


def test_the_limit_is_counted_per_action(limit):
    limit("ask", 1)
    asker = member()
    question = ask(asker)

    answer = post_answer(asker, question, body=BODY)

    assert answer.pk is not None


@pytest.mark.parametrize("action", ["ask", "answer", "comment", "vote"])
def test_staff_are_never_rate_limited(limit, action):
    limit(action, 1)
    staff = StaffFactory()
    writes = {
        "ask": lambda: ask(staff),
        "answer": lambda: post_answer(staff, QuestionFactory(), body=BODY),
        "comment": lambda: post_comment(staff, QuestionFactory(), body="One more detail."),
        "vote": lambda: cast_vote(staff, AnswerFactory(), Vote.UP),
    }

    done = [writes[action]() for _ in range(3)]

    assert all(post.pk for post in done)


def test_moderators_are_not_throttled(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "ask": (1, 3600)}
    moderator, category = ModeratorFactory(), CategoryFactory()

    for n in range(3):
        ask_question(
            moderator,
            title=f"Moderator question number {n}",
            body="A long enough body for the question.",
            category=category,
        )

    assert Question.objects.filter(author=moderator).count() == 3
