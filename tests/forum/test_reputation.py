"""The reputation ledger: what each event grants, the daily cap, the floor, and that every
reversal takes back exactly what was granted. After every test, each member's cached
reputation equals 1 plus the sum of their ledger entries."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from forum.actions import (
    accept_answer,
    cast_vote,
    delete_answer,
    delete_question,
    restore_answer,
    restore_question,
    retract_vote,
    unaccept_answer,
)
from forum.models import ReputationEntry, ReputationReason, Vote
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from tests.forum.ledger import assert_ledger_balanced, member, reputation_of

pytestmark = pytest.mark.django_db

UP, DOWN = Vote.UP, Vote.DOWN


@pytest.fixture(autouse=True)
def _ledger_balanced_after_each_test(db):
    yield
    assert_ledger_balanced()


def upvoter():
    return member(reputation=15)


def downvoter():
    return member(reputation=125)


# --- What each event grants -------------------------------------------------------------


def test_a_new_member_starts_at_one_with_an_empty_ledger():
    newcomer = UserFactory()

    assert newcomer.reputation == 1
    assert not ReputationEntry.objects.filter(user=newcomer).exists()


def test_an_upvoted_question_earns_its_author_10():
    question = QuestionFactory()

    cast_vote(upvoter(), question, UP)

    assert reputation_of(question.author) == 11
    assert ReputationEntry.objects.get(user=question.author).reason == (
        ReputationReason.QUESTION_UPVOTED
    )


def test_an_upvoted_answer_earns_its_author_10():
    answer = AnswerFactory()

    cast_vote(upvoter(), answer, UP)

    assert reputation_of(answer.author) == 11
    assert ReputationEntry.objects.get(user=answer.author).reason == (
        ReputationReason.ANSWER_UPVOTED
    )


def test_a_downvoted_question_costs_its_author_2():
    question = QuestionFactory(author=member(reputation=100))

    cast_vote(downvoter(), question, DOWN)

    assert reputation_of(question.author) == 98


def test_downvoting_a_question_costs_the_voter_nothing():
    voter = downvoter()

    cast_vote(voter, QuestionFactory(), DOWN)

    assert reputation_of(voter) == 125


def test_a_downvoted_answer_costs_its_author_2():
    answer = AnswerFactory(author=member(reputation=100))

    cast_vote(downvoter(), answer, DOWN)

    assert reputation_of(answer.author) == 98


def test_downvoting_an_answer_costs_the_voter_1():
    voter = downvoter()

    cast_vote(voter, AnswerFactory(), DOWN)

    assert reputation_of(voter) == 124
    assert ReputationEntry.objects.filter(user=voter).last().reason == (
        ReputationReason.DOWNVOTE_CAST
    )


def test_an_accepted_answer_earns_its_author_15():
    answer = AnswerFactory()

    accept_answer(answer.question.author, answer.question, answer)

    assert reputation_of(answer.author) == 16


def test_accepting_someone_elses_answer_earns_the_asker_2():
    answer = AnswerFactory()

    accept_answer(answer.question.author, answer.question, answer)

    assert reputation_of(answer.question.author) == 3


def test_accepting_your_own_answer_earns_no_acceptors_bonus():
    question = QuestionFactory()
    own = AnswerFactory(question=question, author=question.author)

    accept_answer(question.author, question, own)

    assert not ReputationEntry.objects.filter(
        user=question.author, reason=ReputationReason.ACCEPTED_AN_ANSWER
    ).exists()


def test_a_moderator_accepting_earns_the_answerer_15_and_nobody_the_acceptors_bonus():
    answer, moderator = AnswerFactory(), ModeratorFactory()

    accept_answer(moderator, answer.question, answer)

    assert reputation_of(answer.author) == 16
    assert reputation_of(answer.question.author) == 1
    assert reputation_of(moderator) == 1


def test_accepting_the_same_answer_twice_grants_once():
    answer = AnswerFactory()
    accept_answer(answer.question.author, answer.question, answer)

    accept_answer(answer.question.author, answer.question, answer)

    assert reputation_of(answer.author) == 16


# --- The daily cap ----------------------------------------------------------------------


def test_upvotes_earn_at_most_200_a_day():
    answer = AnswerFactory()

    for _ in range(21):
        cast_vote(upvoter(), answer, UP)

    assert reputation_of(answer.author) == 1 + 200


def test_the_21st_upvote_in_a_day_grants_nothing():
    answer = AnswerFactory()
    for _ in range(20):
        cast_vote(upvoter(), answer, UP)

    cast_vote(last := upvoter(), answer, UP)

    assert not ReputationEntry.objects.filter(vote__voter=last).exclude(amount=0).exists()


def test_retracting_the_21st_upvote_takes_back_nothing():
    answer = AnswerFactory()
    for _ in range(20):
        cast_vote(upvoter(), answer, UP)
    cast_vote(last := upvoter(), answer, UP)

    retract_vote(last, answer)

    assert reputation_of(answer.author) == 1 + 200


def test_retracting_one_of_the_first_20_upvotes_takes_back_its_10():
    answer = AnswerFactory()
    voters = [upvoter() for _ in range(21)]
    for voter in voters:
        cast_vote(voter, answer, UP)

    retract_vote(voters[0], answer)

    assert reputation_of(answer.author) == 1 + 190


def test_an_upvote_crossing_the_cap_grants_only_the_rest_and_its_retraction_takes_back_that(
    settings,
):
    settings.TANYA_REPUTATION = {**settings.TANYA_REPUTATION, "DAILY_VOTE_CAP": 15}
    answer = AnswerFactory()
    cast_vote(upvoter(), answer, UP)
    cast_vote(second := upvoter(), answer, UP)
    assert reputation_of(answer.author) == 16

    retract_vote(second, answer)

    assert reputation_of(answer.author) == 11


def test_the_cap_counts_upvotes_on_questions_and_answers_together():
    author = UserFactory()
    answers = [AnswerFactory(author=author) for _ in range(10)]
    questions = [QuestionFactory(author=author) for _ in range(11)]

    for post in answers + questions:
        cast_vote(upvoter(), post, UP)

    assert reputation_of(author) == 1 + 200


def test_upvotes_earned_yesterday_do_not_count_towards_todays_cap():
    answer = AnswerFactory()
    for _ in range(20):
        cast_vote(upvoter(), answer, UP)
    ReputationEntry.objects.filter(user=answer.author).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    cast_vote(upvoter(), answer, UP)

    assert reputation_of(answer.author) == 1 + 210


def test_downvotes_are_not_capped():
    answer = AnswerFactory(author=member(reputation=1000))

    for _ in range(110):
        cast_vote(downvoter(), answer, DOWN)

    assert reputation_of(answer.author) == 1000 - 220


# --- The floor --------------------------------------------------------------------------


def test_a_downvote_never_takes_a_member_below_1():
    answer = AnswerFactory()

    cast_vote(downvoter(), answer, DOWN)

    assert reputation_of(answer.author) == 1


def test_a_downvote_at_1_records_nothing_and_its_retraction_gives_back_nothing():
    answer, voter = AnswerFactory(), downvoter()
    cast_vote(voter, answer, DOWN)
    assert not ReputationEntry.objects.filter(user=answer.author).exclude(amount=0).exists()

    retract_vote(voter, answer)

    assert reputation_of(answer.author) == 1


def test_a_downvote_at_2_records_minus_1_and_its_retraction_gives_back_exactly_1():
    answer, voter = AnswerFactory(author=member(reputation=2)), downvoter()
    cast_vote(voter, answer, DOWN)
    applied = ReputationEntry.objects.get(user=answer.author, reason=ReputationReason.DOWNVOTED)
    assert (applied.amount, reputation_of(answer.author)) == (-1, 1)

    retract_vote(voter, answer)

    assert reputation_of(answer.author) == 2


def test_reversing_an_upvote_never_takes_a_member_below_1():
    author = UserFactory()
    upvoted, downvoted = QuestionFactory(author=author), AnswerFactory(author=author)
    voter = upvoter()
    cast_vote(voter, upvoted, UP)
    for _ in range(5):
        cast_vote(downvoter(), downvoted, DOWN)
    assert reputation_of(author) == 1

    retract_vote(voter, upvoted)

    assert reputation_of(author) == 1


def test_restoring_a_post_gives_back_exactly_what_its_deletion_could_take():
    author = UserFactory()
    upvoted, downvoted = QuestionFactory(author=author), AnswerFactory(author=author)
    cast_vote(upvoter(), upvoted, UP)
    for _ in range(4):
        cast_vote(downvoter(), downvoted, DOWN)
    moderator = ModeratorFactory()
    delete_question(moderator, upvoted)
    assert reputation_of(author) == 1  # 3 - 10, stopped at the floor

    restore_question(moderator, upvoted)

    assert reputation_of(author) == 3


# --- Every reversal takes back exactly what was granted ---------------------------------


def test_retracting_an_upvote_takes_back_its_10():
    answer, voter = AnswerFactory(), upvoter()
    cast_vote(voter, answer, UP)

    retract_vote(voter, answer)

    assert reputation_of(answer.author) == 1


def test_retracting_a_downvote_on_an_answer_gives_back_both_costs():
    answer, voter = AnswerFactory(author=member(reputation=100)), downvoter()
    cast_vote(voter, answer, DOWN)

    retract_vote(voter, answer)

    assert (reputation_of(answer.author), reputation_of(voter)) == (100, 125)


def test_changing_an_upvote_to_a_downvote_leaves_only_the_downvotes_effect():
    answer, voter = AnswerFactory(author=member(reputation=100)), downvoter()
    cast_vote(voter, answer, UP)

    cast_vote(voter, answer, DOWN)

    assert (reputation_of(answer.author), reputation_of(voter)) == (98, 124)


def test_changing_a_downvote_to_an_upvote_leaves_only_the_upvotes_effect():
    answer, voter = AnswerFactory(author=member(reputation=100)), downvoter()
    cast_vote(voter, answer, DOWN)

    cast_vote(voter, answer, UP)

    assert (reputation_of(answer.author), reputation_of(voter)) == (110, 125)


def test_flipping_a_vote_many_times_ends_where_the_last_vote_says():
    answer, voter = AnswerFactory(author=member(reputation=100)), downvoter()

    for value in (UP, DOWN, UP, Vote.NONE, DOWN, UP):
        cast_vote(voter, answer, value)

    assert (reputation_of(answer.author), reputation_of(voter)) == (110, 125)


def test_changing_the_accepted_answer_moves_the_15_to_the_new_answer():
    question = QuestionFactory()
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    accept_answer(question.author, question, first)

    accept_answer(question.author, question, second)

    assert (reputation_of(first.author), reputation_of(second.author)) == (1, 16)


def test_changing_the_accepted_answer_keeps_the_askers_2_once():
    question = QuestionFactory()
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    accept_answer(question.author, question, first)

    accept_answer(question.author, question, second)

    assert reputation_of(question.author) == 3


def test_changing_to_the_askers_own_answer_takes_back_the_askers_2():
    question = QuestionFactory()
    other, own = AnswerFactory(question=question), AnswerFactory(question=question)
    own.author = question.author
    own.save()
    accept_answer(question.author, question, other)

    accept_answer(question.author, question, own)

    bonus = ReputationEntry.objects.filter(
        user=question.author, reason=ReputationReason.ACCEPTED_AN_ANSWER
    ).aggregate(net=Sum("amount"))["net"]
    assert bonus == 0
    assert reputation_of(other.author) == 1


def test_removing_the_acceptance_takes_back_both_bonuses():
    answer = AnswerFactory()
    accept_answer(answer.question.author, answer.question, answer)

    unaccept_answer(answer.question.author, answer.question)

    assert (reputation_of(answer.author), reputation_of(answer.question.author)) == (1, 1)


def test_deleting_an_answer_takes_back_its_upvotes():
    answer = AnswerFactory()
    for _ in range(3):
        cast_vote(upvoter(), answer, UP)

    delete_answer(answer.author, answer)

    assert reputation_of(answer.author) == 1


def test_deleting_an_answer_gives_back_its_downvoters_their_1():
    answer, voter = AnswerFactory(), downvoter()
    cast_vote(voter, answer, DOWN)

    delete_answer(answer.author, answer)

    assert reputation_of(voter) == 125


def test_deleting_an_accepted_answer_takes_back_both_acceptance_bonuses():
    answer = AnswerFactory()
    accept_answer(answer.question.author, answer.question, answer)

    delete_answer(answer.author, answer)

    assert (reputation_of(answer.author), reputation_of(answer.question.author)) == (1, 1)


def test_deleting_a_question_takes_back_everything_earned_on_it():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    cast_vote(upvoter(), question, UP)
    cast_vote(upvoter(), answer, UP)
    cast_vote(voter := downvoter(), answer, DOWN)
    accept_answer(question.author, question, answer)

    delete_question(question.author, question)

    assert (reputation_of(question.author), reputation_of(answer.author)) == (1, 1)
    assert reputation_of(voter) == 125


def test_restoring_an_answer_gives_back_its_votes():
    answer = AnswerFactory()
    cast_vote(upvoter(), answer, UP)
    delete_answer(answer.author, answer)

    restore_answer(ModeratorFactory(), answer)

    assert reputation_of(answer.author) == 11


def test_restoring_an_answer_does_not_give_back_its_withdrawn_acceptance():
    answer = AnswerFactory()
    cast_vote(upvoter(), answer, UP)
    accept_answer(answer.question.author, answer.question, answer)
    delete_answer(answer.author, answer)

    restore_answer(ModeratorFactory(), answer)

    answer.question.refresh_from_db()
    assert answer.question.accepted_answer is None
    assert (reputation_of(answer.author), reputation_of(answer.question.author)) == (11, 1)


def test_restoring_a_question_gives_back_its_votes_and_its_standing_acceptance():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    cast_vote(upvoter(), question, UP)
    cast_vote(upvoter(), answer, UP)
    accept_answer(question.author, question, answer)
    delete_question(question.author, question)

    restore_question(ModeratorFactory(), question)

    assert (reputation_of(question.author), reputation_of(answer.author)) == (13, 26)


def test_a_vote_retracted_before_a_deletion_is_not_given_back_on_restore():
    answer, kept, retracted = AnswerFactory(), upvoter(), upvoter()
    cast_vote(kept, answer, UP)
    cast_vote(retracted, answer, UP)
    retract_vote(retracted, answer)
    delete_answer(answer.author, answer)

    restore_answer(ModeratorFactory(), answer)

    assert reputation_of(answer.author) == 11


def test_restoring_a_question_leaves_an_answer_deleted_before_it_reversed():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    cast_vote(upvoter(), answer, UP)
    delete_answer(answer.author, answer)
    delete_question(question.author, question)

    restore_question(ModeratorFactory(), question)

    assert reputation_of(answer.author) == 1


def test_deleting_and_restoring_twice_gives_back_exactly_once():
    answer, moderator = AnswerFactory(), ModeratorFactory()
    cast_vote(upvoter(), answer, UP)

    for _ in range(2):
        delete_answer(moderator, answer)
        restore_answer(moderator, answer)

    assert reputation_of(answer.author) == 11


def test_each_correction_points_at_the_grant_it_reverses():
    answer, voter = AnswerFactory(), upvoter()
    cast_vote(voter, answer, UP)
    grant = ReputationEntry.objects.get(user=answer.author)

    retract_vote(voter, answer)

    correction = ReputationEntry.objects.get(reverses=grant)
    assert (correction.amount, correction.cause) == (-10, "retracted")


def test_accepting_your_own_answer_earns_you_nothing():
    question = QuestionFactory()
    own = AnswerFactory(question=question, author=question.author)

    accept_answer(question.author, question, own)

    assert reputation_of(question.author) == 1
    assert_ledger_balanced()
