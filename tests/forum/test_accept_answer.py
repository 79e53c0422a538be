import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from forum.actions import (
    accept_answer,
    delete_answer,
    delete_question,
    restore_question,
    unaccept_answer,
    verify_answer,
)
from forum.errors import (
    AnswerNotInQuestion,
    NotAllowed,
    NothingAccepted,
    NotSignedIn,
    PostDeleted,
    QuestionLocked,
)
from forum.models import Answer, Question, QuestionState, Visibility
from tests.factories import (
    AnswerFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
)
from tests.forum.ledger import assert_ledger_balanced, member, reputation_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ledger_balanced_after_each_test(db):
    yield
    assert_ledger_balanced()


@pytest.fixture
def question():
    return QuestionFactory()


@pytest.fixture
def answer(question):
    return AnswerFactory(question=question)


@pytest.fixture
def other_answer(question):
    return AnswerFactory(question=question)


def reloaded(question: Question) -> Question:
    return Question.objects.get(pk=question.pk)


# --- Who may accept ---------------------------------------------------------------------


def test_the_asker_accepts_an_answer(question, answer):
    accept_answer(question.author, question, answer)

    question = reloaded(question)
    assert (question.accepted_answer, question.accepted_by) == (answer, question.author)
    assert question.accepted_at is not None


def test_the_askers_acceptance_is_the_askers_signal_and_not_verified(question, answer):
    accept_answer(question.author, question, answer)

    question = reloaded(question)
    assert question.accepted_by_asker
    assert not question.is_verified


def test_a_moderators_acceptance_verifies_it_at_once(question, answer):
    moderator = ModeratorFactory()

    accept_answer(moderator, question, answer)

    question = reloaded(question)
    assert (question.accepted_by, question.verified_by) == (moderator, moderator)
    assert not question.accepted_by_asker


def test_a_staff_members_acceptance_verifies_it_at_once(question, answer):
    staff = StaffFactory()

    accept_answer(staff, question, answer)

    assert reloaded(question).verified_by == staff


def test_a_stranger_cannot_accept_an_answer(question, answer):
    with pytest.raises(NotAllowed):
        accept_answer(member(reputation=5000), question, answer)


def test_the_answerer_cannot_accept_their_own_answer_to_someone_elses_question(question, answer):
    with pytest.raises(NotAllowed):
        accept_answer(answer.author, question, answer)


def test_a_visitor_who_is_not_signed_in_cannot_accept(question, answer):
    with pytest.raises(NotSignedIn):
        accept_answer(AnonymousUser(), question, answer)


def test_a_refused_acceptance_changes_nothing(question, answer):
    with pytest.raises(NotAllowed):
        accept_answer(member(reputation=5000), question, answer)

    assert reloaded(question).accepted_answer is None
    assert reputation_of(answer.author) == 1


# --- What may be accepted ---------------------------------------------------------------


def test_an_answer_to_another_question_is_refused(question):
    elsewhere = AnswerFactory()

    with pytest.raises(AnswerNotInQuestion):
        accept_answer(question.author, question, elsewhere)


def test_a_deleted_answer_is_refused(question):
    deleted = AnswerFactory(question=question, deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        accept_answer(question.author, question, deleted)


def test_accepting_on_a_deleted_question_is_refused(question, answer):
    Question.objects.filter(pk=question.pk).update(
        visibility=Visibility.DELETED, deleted_at=timezone.now()
    )

    with pytest.raises(PostDeleted):
        accept_answer(ModeratorFactory(), question, answer)


def test_accepting_on_a_locked_question_is_refused_for_the_asker(question, answer):
    Question.objects.filter(pk=question.pk).update(state=QuestionState.LOCKED)

    with pytest.raises(QuestionLocked):
        accept_answer(question.author, question, answer)


def test_a_moderator_may_accept_on_a_locked_question(question, answer):
    Question.objects.filter(pk=question.pk).update(state=QuestionState.LOCKED)

    accept_answer(ModeratorFactory(), question, answer)

    assert reloaded(question).accepted_answer == answer


def test_the_asker_may_accept_their_own_answer(question):
    own = AnswerFactory(question=question, author=question.author)

    accept_answer(question.author, question, own)

    assert reloaded(question).accepted_answer == own


# --- Exactly one accepted answer --------------------------------------------------------


def test_accepting_another_answer_replaces_the_first(question, answer, other_answer):
    accept_answer(question.author, question, answer)

    accept_answer(question.author, question, other_answer)

    assert reloaded(question).accepted_answer == other_answer
    assert not Question.objects.filter(accepted_answer=answer).exists()


def test_accepting_the_accepted_answer_again_changes_nothing(question, answer):
    accept_answer(question.author, question, answer)
    accepted_at = reloaded(question).accepted_at

    accept_answer(question.author, question, answer)

    assert reloaded(question).accepted_at == accepted_at


def test_the_database_refuses_two_questions_pointing_at_one_answer(question, answer):
    accept_answer(question.author, question, answer)
    other = QuestionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=other.pk).update(
            accepted_answer=answer, accepted_by=other.author
        )


def test_the_database_refuses_an_acceptance_without_who_accepted_it(question, answer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(accepted_answer=answer)


def test_the_asker_unmarks_the_accepted_answer(question, answer):
    accept_answer(question.author, question, answer)

    unaccept_answer(question.author, question)

    question = reloaded(question)
    assert (question.accepted_answer, question.accepted_by, question.accepted_at) == (
        None,
        None,
        None,
    )


def test_unmarking_when_nothing_is_accepted_changes_nothing(question):
    unaccept_answer(question.author, question)

    assert reloaded(question).accepted_answer is None


def test_a_stranger_cannot_unmark_the_accepted_answer(question, answer):
    accept_answer(question.author, question, answer)

    with pytest.raises(NotAllowed):
        unaccept_answer(member(reputation=5000), question)


def test_unmarking_on_a_deleted_question_is_refused(question, answer):
    accept_answer(question.author, question, answer)
    delete_question(question.author, question)

    with pytest.raises(PostDeleted):
        unaccept_answer(ModeratorFactory(), question)


def test_restoring_a_question_keeps_its_acceptance_and_bonus(question, answer):
    accept_answer(question.author, question, answer)
    delete_question(question.author, question)

    restore_question(ModeratorFactory(), question)

    assert reloaded(question).accepted_answer == answer
    assert reputation_of(answer.author) == 16


# --- Verification -----------------------------------------------------------------------


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
def test_moderators_and_staff_verify_the_askers_choice(factory, question, answer):
    accept_answer(question.author, question, answer)
    verifier = factory()

    verify_answer(verifier, question)

    question = reloaded(question)
    assert (question.accepted_answer, question.accepted_by) == (answer, question.author)
    assert question.verified_by == verifier
    assert question.verified_at is not None


def test_a_moderator_accepting_the_askers_choice_verifies_it(question, answer):
    accept_answer(question.author, question, answer)
    moderator = ModeratorFactory()

    accept_answer(moderator, question, answer)

    question = reloaded(question)
    assert (question.accepted_by, question.verified_by) == (question.author, moderator)


def test_verifying_with_nothing_accepted_is_refused(question):
    with pytest.raises(NothingAccepted):
        verify_answer(ModeratorFactory(), question)


def test_the_asker_cannot_verify_their_own_choice(question, answer):
    accept_answer(question.author, question, answer)

    with pytest.raises(NotAllowed):
        verify_answer(question.author, question)


def test_verifying_a_verified_answer_again_keeps_the_first_verifier(question, answer):
    first = ModeratorFactory()
    accept_answer(first, question, answer)

    verify_answer(StaffFactory(), question)

    assert reloaded(question).verified_by == first


def test_staff_replace_the_askers_choice_with_a_verified_one(question, answer, other_answer):
    accept_answer(question.author, question, answer)
    staff = StaffFactory()

    accept_answer(staff, question, other_answer)

    question = reloaded(question)
    assert (question.accepted_answer, question.accepted_by, question.verified_by) == (
        other_answer,
        staff,
        staff,
    )
    assert (reputation_of(answer.author), reputation_of(other_answer.author)) == (1, 16)


def test_the_asker_cannot_unmark_a_verified_solution(question, answer):
    accept_answer(question.author, question, answer)
    verify_answer(ModeratorFactory(), question)

    with pytest.raises(NotAllowed):
        unaccept_answer(question.author, question)


def test_the_asker_cannot_replace_a_verified_solution(question, answer, other_answer):
    accept_answer(ModeratorFactory(), question, answer)

    with pytest.raises(NotAllowed):
        accept_answer(question.author, question, other_answer)

    assert reloaded(question).accepted_answer == answer
    assert reputation_of(answer.author) == 16


def test_a_moderator_unmarks_a_verified_solution(question, answer):
    accept_answer(question.author, question, answer)
    verify_answer(ModeratorFactory(), question)

    unaccept_answer(ModeratorFactory(), question)

    question = reloaded(question)
    assert (question.accepted_answer, question.verified_by) == (None, None)


def test_a_new_acceptance_by_the_asker_is_not_verified(question, answer, other_answer):
    accept_answer(question.author, question, answer)
    verify_answer(ModeratorFactory(), question)
    unaccept_answer(ModeratorFactory(), question)

    accept_answer(question.author, question, other_answer)

    assert not reloaded(question).is_verified


def test_deleting_the_accepted_answer_clears_acceptance_and_verification(question, answer):
    accept_answer(ModeratorFactory(), question, answer)

    delete_answer(answer.author, answer)

    question = reloaded(question)
    assert (question.accepted_answer, question.verified_by) == (None, None)
    assert Answer.objects.filter(pk=answer.pk).exists()
