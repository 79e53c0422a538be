import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.actions import cast_vote, retract_vote
from forum.errors import (
    InvalidInput,
    NotEnoughReputation,
    NotSignedIn,
    OwnPost,
    PostDeleted,
    QuestionLocked,
)
from forum.models import Question, QuestionState, ReputationEntry, Vote
from tests.factories import (
    AnswerFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
)
from tests.forum.ledger import assert_ledger_balanced, member

pytestmark = pytest.mark.django_db

UP, DOWN, NONE = Vote.UP, Vote.DOWN, Vote.NONE


@pytest.fixture(autouse=True)
def _ledger_balanced_after_each_test(db):
    yield
    assert_ledger_balanced()


@pytest.fixture
def voter():
    """A member allowed to vote both ways."""
    return member(reputation=125)


def test_an_upvote_raises_the_score_by_one(voter):
    answer = AnswerFactory()

    answer = cast_vote(voter, answer, UP)

    assert answer.score == 1


def test_a_downvote_lowers_the_score_by_one(voter):
    question = QuestionFactory()

    question = cast_vote(voter, question, DOWN)

    assert question.score == -1


def test_retracting_a_vote_returns_the_score_and_keeps_the_row_at_zero(voter):
    answer = AnswerFactory()
    cast_vote(voter, answer, UP)

    answer = retract_vote(voter, answer)

    assert answer.score == 0
    assert Vote.objects.get(voter=voter, answer=answer).value == NONE


def test_changing_an_upvote_to_a_downvote_moves_the_score_by_two(voter):
    answer = AnswerFactory()
    cast_vote(voter, answer, UP)

    answer = cast_vote(voter, answer, DOWN)

    assert answer.score == -1


def test_the_score_is_the_sum_of_the_votes_from_several_members():
    question = QuestionFactory()
    for value in (UP, UP, UP, DOWN):
        cast_vote(member(reputation=125), question, value)

    question.refresh_from_db()
    assert question.score == 2


def test_a_member_keeps_one_vote_row_per_post_however_often_they_change_it(voter):
    answer = AnswerFactory()

    for value in (UP, DOWN, NONE, UP, NONE, DOWN):
        cast_vote(voter, answer, value)

    assert Vote.objects.filter(voter=voter, answer=answer).count() == 1


def test_repeating_the_same_vote_changes_nothing(voter):
    answer = AnswerFactory()
    cast_vote(voter, answer, UP)
    entries = ReputationEntry.objects.count()

    answer = cast_vote(voter, answer, UP)

    assert answer.score == 1
    assert ReputationEntry.objects.count() == entries


def test_retracting_a_vote_never_cast_changes_nothing(voter):
    answer = AnswerFactory()

    answer = retract_vote(voter, answer)

    assert answer.score == 0
    assert not Vote.objects.exists()


def test_the_database_refuses_a_second_vote_row_for_one_member_on_a_question(voter):
    question = QuestionFactory()
    Vote.objects.create(voter=voter, question=question, value=UP)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, question=question, value=DOWN)


def test_the_database_refuses_a_second_vote_row_for_one_member_on_an_answer(voter):
    answer = AnswerFactory()
    Vote.objects.create(voter=voter, answer=answer, value=UP)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, answer=answer, value=UP)


def test_voting_on_your_own_question_is_refused():
    question = QuestionFactory(author=member(reputation=125))

    with pytest.raises(OwnPost):
        cast_vote(question.author, question, UP)


def test_voting_on_your_own_answer_is_refused():
    answer = AnswerFactory(author=member(reputation=125))

    with pytest.raises(OwnPost):
        cast_vote(answer.author, answer, DOWN)


def test_moderators_cannot_vote_on_their_own_posts_either():
    answer = AnswerFactory(author=ModeratorFactory())

    with pytest.raises(OwnPost):
        cast_vote(answer.author, answer, UP)


def test_voting_on_a_deleted_question_is_refused(voter):
    question = QuestionFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        cast_vote(voter, question, UP)


def test_voting_on_a_deleted_answer_is_refused(voter):
    answer = AnswerFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        cast_vote(voter, answer, UP)


def test_voting_on_an_answer_to_a_deleted_question_is_refused(voter):
    answer = AnswerFactory(question=QuestionFactory(deleted_at=timezone.now()))

    with pytest.raises(PostDeleted):
        cast_vote(voter, answer, UP)


def test_voting_on_a_locked_question_is_refused(voter):
    question = QuestionFactory(state=QuestionState.LOCKED)

    with pytest.raises(QuestionLocked):
        cast_vote(voter, question, UP)


def test_voting_on_an_answer_to_a_locked_question_is_refused(voter):
    answer = AnswerFactory(question=QuestionFactory(state=QuestionState.LOCKED))

    with pytest.raises(QuestionLocked):
        cast_vote(voter, answer, DOWN)


def test_retracting_a_vote_on_a_locked_question_is_refused(voter):
    question = QuestionFactory()
    cast_vote(voter, question, UP)
    Question.objects.filter(pk=question.pk).update(state=QuestionState.LOCKED)

    with pytest.raises(QuestionLocked):
        retract_vote(voter, question)


def test_voting_on_a_closed_question_is_allowed(voter):
    question = QuestionFactory(state=QuestionState.CLOSED)

    question = cast_vote(voter, question, UP)

    assert question.score == 1


def test_voting_up_needs_15_reputation():
    with pytest.raises(NotEnoughReputation):
        cast_vote(member(reputation=14), AnswerFactory(), UP)


def test_a_member_with_15_reputation_votes_up():
    answer = cast_vote(member(reputation=15), AnswerFactory(), UP)

    assert answer.score == 1


def test_voting_down_needs_125_reputation():
    with pytest.raises(NotEnoughReputation):
        cast_vote(member(reputation=124), AnswerFactory(), DOWN)


def test_a_member_with_125_reputation_votes_down():
    answer = cast_vote(member(reputation=125), AnswerFactory(), DOWN)

    assert answer.score == -1


def test_changing_a_vote_to_down_needs_the_downvote_privilege():
    answer = AnswerFactory()
    voter = member(reputation=15)
    cast_vote(voter, answer, UP)

    with pytest.raises(NotEnoughReputation):
        cast_vote(voter, answer, DOWN)


def test_retracting_a_vote_needs_no_reputation():
    answer = AnswerFactory()
    voter = member(reputation=15)
    cast_vote(voter, answer, UP)
    voter.reputation = 1  # as if they had lost it since

    answer = retract_vote(voter, answer)

    assert answer.score == 0


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
@pytest.mark.parametrize("value", [UP, DOWN], ids=["up", "down"])
def test_moderators_and_staff_vote_without_reputation(factory, value):
    answer = cast_vote(factory(), AnswerFactory(), value)

    assert answer.score == value


def test_a_refused_vote_changes_neither_score_nor_ledger():
    answer = AnswerFactory()

    with pytest.raises(NotEnoughReputation):
        cast_vote(member(reputation=14), answer, UP)

    answer.refresh_from_db()
    assert answer.score == 0
    assert not Vote.objects.exists()
    assert not ReputationEntry.objects.exclude(reason="adjustment").exists()


@pytest.mark.parametrize("value", [2, -2, "1"])
def test_a_vote_other_than_up_down_or_none_is_refused_on_the_value_field(voter, value):
    with pytest.raises(InvalidInput) as refused:
        cast_vote(voter, AnswerFactory(), value)

    assert refused.value.field == "value"


def test_a_visitor_who_is_not_signed_in_cannot_vote():
    with pytest.raises(NotSignedIn):
        cast_vote(AnonymousUser(), AnswerFactory(), UP)


def test_a_deactivated_member_cannot_vote():
    voter = member(reputation=125)
    voter.is_active = False

    with pytest.raises(NotSignedIn):
        cast_vote(voter, AnswerFactory(), UP)


def test_the_returned_post_carries_the_new_score(voter):
    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(score=41)

    returned = cast_vote(voter, question, UP)

    assert returned.score == 42
    assert isinstance(returned, Question)


def test_privileges_follow_the_reputation_in_the_database_not_a_stale_instance():
    earned = member(reputation=125)
    stale = type(earned).objects.get(pk=earned.pk)
    stale.reputation = 1  # as loaded before the member earned their points
    answer = AnswerFactory()

    cast_vote(stale, answer, DOWN)

    answer.refresh_from_db()
    assert answer.score == -1


def test_a_stale_instance_cannot_vote_on_points_the_member_no_longer_has():
    newcomer = member()
    stale = type(newcomer).objects.get(pk=newcomer.pk)
    stale.reputation = 500  # remembered from before a reversal took the points back

    with pytest.raises(NotEnoughReputation):
        cast_vote(stale, AnswerFactory(), UP)
