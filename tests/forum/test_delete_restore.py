import pytest

from forum.actions import (
    accept_answer,
    delete_answer,
    delete_question,
    restore_answer,
    restore_question,
)
from forum.errors import NotAllowed, PostDeleted, QuestionLocked
from forum.models import Answer, Question, QuestionState, Visibility
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, StaffFactory
from tests.forum.ledger import assert_ledger_balanced, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ledger_balanced_after_each_test(db):
    yield
    assert_ledger_balanced()


def reloaded(post):
    return type(post).objects.get(pk=post.pk)


# --- Deleting ---------------------------------------------------------------------------


def test_the_author_deletes_their_question_softly():
    question = QuestionFactory()

    delete_question(question.author, question)

    question = reloaded(question)
    assert question.deleted_at is not None
    assert question.deleted_by == question.author


def test_the_author_deletes_their_answer_softly():
    answer = AnswerFactory()

    delete_answer(answer.author, answer)

    answer = reloaded(answer)
    assert answer.deleted_at is not None
    assert answer.deleted_by == answer.author


def test_deleting_an_answer_uncounts_it_on_the_question():
    answer = AnswerFactory()

    delete_answer(answer.author, answer)

    assert reloaded(answer.question).answer_count == 0


def test_a_stranger_cannot_delete_a_question():
    question = QuestionFactory()

    with pytest.raises(NotAllowed):
        delete_question(member(reputation=5000), question)

    assert reloaded(question).deleted_at is None


def test_a_stranger_cannot_delete_an_answer():
    answer = AnswerFactory()

    with pytest.raises(NotAllowed):
        delete_answer(member(reputation=5000), answer)

    assert reloaded(answer).deleted_at is None


def test_the_asker_cannot_delete_someone_elses_answer_to_their_question():
    answer = AnswerFactory()

    with pytest.raises(NotAllowed):
        delete_answer(answer.question.author, answer)


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
def test_moderators_and_staff_delete_any_question(factory):
    question, moderator = QuestionFactory(), factory()

    delete_question(moderator, question)

    assert reloaded(question).deleted_by == moderator


def test_a_moderator_deletes_any_answer():
    answer, moderator = AnswerFactory(), ModeratorFactory()

    delete_answer(moderator, answer)

    assert reloaded(answer).deleted_by == moderator


def test_deleting_a_deleted_question_again_changes_nothing():
    question = QuestionFactory()
    delete_question(question.author, question)
    first = reloaded(question).deleted_at

    delete_question(ModeratorFactory(), question)

    question = reloaded(question)
    assert (question.deleted_at, question.deleted_by) == (first, question.author)


def test_deleting_a_deleted_answer_again_changes_nothing():
    answer = AnswerFactory()
    delete_answer(answer.author, answer)

    delete_answer(ModeratorFactory(), answer)

    assert reloaded(answer).deleted_by == answer.author
    assert reloaded(answer.question).answer_count == 0


def test_the_author_cannot_delete_a_question_a_moderator_locked():
    question = QuestionFactory(state=QuestionState.LOCKED)

    with pytest.raises(QuestionLocked):
        delete_question(question.author, question)


def test_the_author_cannot_delete_an_answer_to_a_locked_question():
    answer = AnswerFactory(question=QuestionFactory(state=QuestionState.LOCKED))

    with pytest.raises(QuestionLocked):
        delete_answer(answer.author, answer)


def test_a_moderator_deletes_a_locked_question():
    question = QuestionFactory(state=QuestionState.LOCKED)

    delete_question(ModeratorFactory(), question)

    assert reloaded(question).deleted_at is not None


def test_deleting_a_question_keeps_its_answers_and_acceptance_rows():
    answer = AnswerFactory()
    accept_answer(answer.question.author, answer.question, answer)

    delete_question(answer.question.author, answer.question)

    assert reloaded(answer.question).accepted_answer == answer
    assert Answer.objects.filter(pk=answer.pk, visibility=Visibility.VISIBLE).exists()


def test_deleting_the_accepted_answer_withdraws_the_acceptance():
    answer = AnswerFactory()
    accept_answer(answer.question.author, answer.question, answer)

    delete_answer(answer.author, answer)

    assert reloaded(answer.question).accepted_answer is None


def test_deleting_an_answer_of_a_deleted_question_is_refused():
    answer = AnswerFactory()
    delete_question(answer.question.author, answer.question)

    with pytest.raises(PostDeleted):
        delete_answer(ModeratorFactory(), answer)


# --- Restoring --------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
def test_moderators_and_staff_restore_a_deleted_question(factory):
    question = QuestionFactory()
    delete_question(question.author, question)

    restore_question(factory(), question)

    question = reloaded(question)
    assert (question.deleted_at, question.deleted_by) == (None, None)


def test_a_moderator_restores_a_deleted_answer_and_it_counts_again():
    answer = AnswerFactory()
    delete_answer(answer.author, answer)

    restore_answer(ModeratorFactory(), answer)

    assert reloaded(answer).deleted_at is None
    assert reloaded(answer.question).answer_count == 1


def test_the_author_cannot_restore_their_own_deleted_question():
    question = QuestionFactory()
    delete_question(question.author, question)

    with pytest.raises(NotAllowed):
        restore_question(question.author, question)

    assert reloaded(question).deleted_at is not None


def test_the_author_cannot_restore_their_own_deleted_answer():
    answer = AnswerFactory()
    delete_answer(answer.author, answer)

    with pytest.raises(NotAllowed):
        restore_answer(answer.author, answer)


def test_a_member_with_high_reputation_cannot_restore_a_question():
    question = QuestionFactory()
    delete_question(question.author, question)

    with pytest.raises(NotAllowed):
        restore_question(member(reputation=100_000), question)


def test_restoring_a_live_question_changes_nothing():
    question = QuestionFactory()

    restore_question(ModeratorFactory(), question)

    assert reloaded(question).deleted_at is None


def test_restoring_a_live_answer_changes_nothing():
    answer = AnswerFactory()

    restore_answer(ModeratorFactory(), answer)

    assert reloaded(answer.question).answer_count == 1


def test_restoring_an_answer_of_a_deleted_question_is_refused():
    answer = AnswerFactory()
    moderator = ModeratorFactory()
    delete_answer(answer.author, answer)
    delete_question(answer.question.author, answer.question)

    with pytest.raises(PostDeleted):
        restore_answer(moderator, answer)

    assert reloaded(answer).deleted_at is not None


def test_a_deleted_question_stays_in_the_database_with_its_answers():
    answer = AnswerFactory()

    delete_question(answer.question.author, answer.question)

    assert Question.objects.filter(pk=answer.question_id).exists()
    assert Answer.objects.filter(question_id=answer.question_id).count() == 1
