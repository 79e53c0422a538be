from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum.actions import post_answer
from forum.errors import InvalidInput, NotSignedIn, PostDeleted, QuestionClosed, QuestionLocked
from forum.models import Answer, Question, QuestionState, Revision
from tests.factories import ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "Hold the reset button for ten seconds until the light blinks."


def test_a_member_answers_an_open_question():
    question, answerer = QuestionFactory(), UserFactory()

    answer = post_answer(answerer, question, body=BODY)

    answer.refresh_from_db()
    assert (answer.question, answer.author, answer.body) == (question, answerer, BODY)


def test_answering_counts_the_answer_on_the_question():
    question = QuestionFactory()

    post_answer(UserFactory(), question, body=BODY)
    post_answer(UserFactory(), question, body=BODY)

    question.refresh_from_db()
    assert question.answer_count == 2


def test_answering_moves_the_questions_last_activity_to_the_answer():
    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(
        last_activity_at=timezone.now() - timedelta(days=3)
    )

    answer = post_answer(UserFactory(), question, body=BODY)

    question.refresh_from_db()
    assert question.last_activity_at == answer.created_at


def test_answering_records_revision_one():
    answerer = UserFactory()

    answer = post_answer(answerer, QuestionFactory(), body=BODY)

    revision = Revision.objects.get(answer=answer)
    assert (revision.number, revision.editor, revision.body) == (1, answerer, BODY)


def test_the_asker_may_answer_their_own_question():
    question = QuestionFactory()

    answer = post_answer(question.author, question, body=BODY)

    assert answer.author == question.author


@pytest.mark.parametrize("body", ["x" * 19, "x" * 30_001], ids=["too-short", "too-long"])
def test_an_answer_outside_the_body_limits_is_refused_on_the_body_field(body):
    with pytest.raises(InvalidInput) as refused:
        post_answer(UserFactory(), QuestionFactory(), body=body)

    assert refused.value.field == "body"


def test_a_refused_answer_leaves_nothing_behind():
    question = QuestionFactory()

    with pytest.raises(InvalidInput):
        post_answer(UserFactory(), question, body="too short")

    question.refresh_from_db()
    assert Answer.objects.count() == 0
    assert Revision.objects.count() == 0
    assert question.answer_count == 0


def test_answering_a_closed_question_is_refused():
    question = QuestionFactory(state=QuestionState.CLOSED)

    with pytest.raises(QuestionClosed):
        post_answer(UserFactory(), question, body=BODY)


def test_answering_a_locked_question_is_refused_for_a_member():
    question = QuestionFactory(state=QuestionState.LOCKED)

    with pytest.raises(QuestionLocked):
        post_answer(UserFactory(), question, body=BODY)


def test_a_moderator_may_answer_a_locked_question():
    question = QuestionFactory(state=QuestionState.LOCKED)

    answer = post_answer(ModeratorFactory(), question, body=BODY)

    assert answer.pk is not None


def test_answering_a_deleted_question_is_refused():
    question = QuestionFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        post_answer(UserFactory(), question, body=BODY)


def test_a_visitor_who_is_not_signed_in_cannot_answer():
    with pytest.raises(NotSignedIn):
        post_answer(AnonymousUser(), QuestionFactory(), body=BODY)
