"""Writes and visibility: delete and restore move a post between visible and deleted,
and every write refuses a post that is held or hidden, as it refuses a deleted one."""

import pytest

from forum import actions
from forum.errors import PostDeleted
from forum.models import Answer, Comment, Question, Visibility, Vote
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_PUBLIC = pytest.mark.parametrize("state", [Visibility.HELD, Visibility.HIDDEN])


def test_deleting_and_restoring_a_question_sets_its_state():
    question = QuestionFactory()

    actions.delete_question(question.author, question)
    deleted = Question.objects.get(pk=question.pk).visibility
    actions.restore_question(ModeratorFactory(), question)

    assert deleted == Visibility.DELETED
    assert Question.objects.get(pk=question.pk).visibility == Visibility.VISIBLE


def test_deleting_and_restoring_an_answer_sets_its_state():
    answer = AnswerFactory()

    actions.delete_answer(answer.author, answer)
    deleted = Answer.objects.get(pk=answer.pk).visibility
    actions.restore_answer(ModeratorFactory(), answer)

    assert deleted == Visibility.DELETED
    assert Answer.objects.get(pk=answer.pk).visibility == Visibility.VISIBLE


def test_deleting_a_comment_sets_its_state():
    comment = CommentFactory(question=QuestionFactory())

    actions.delete_comment(comment.author, comment)

    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.DELETED


@NOT_PUBLIC
@pytest.mark.parametrize("who", ["author", "moderator"])
def test_a_held_or_hidden_question_cannot_be_deleted_so_restoring_cannot_publish_it(state, who):
    question = QuestionFactory(visibility=state)
    actor = question.author if who == "author" else ModeratorFactory()

    with pytest.raises(PostDeleted):
        actions.delete_question(actor, question)


@NOT_PUBLIC
def test_restoring_a_held_or_hidden_question_changes_nothing(state):
    question = QuestionFactory(visibility=state)

    actions.restore_question(ModeratorFactory(), question)

    assert Question.objects.get(pk=question.pk).visibility == state


@NOT_PUBLIC
def test_a_held_or_hidden_answer_cannot_be_deleted(state):
    answer = AnswerFactory(visibility=state)

    with pytest.raises(PostDeleted):
        actions.delete_answer(answer.author, answer)


@NOT_PUBLIC
def test_the_author_cannot_edit_a_held_or_hidden_question(state):
    question = QuestionFactory(visibility=state)

    with pytest.raises(PostDeleted):
        actions.edit_question(
            question.author, question, title=question.title, body=question.body + " More.", tags=[]
        )


@NOT_PUBLIC
def test_the_author_cannot_edit_a_held_or_hidden_answer(state):
    answer = AnswerFactory(visibility=state)

    with pytest.raises(PostDeleted):
        actions.edit_answer(answer.author, answer, body=answer.body + " And wait.")


@NOT_PUBLIC
def test_nobody_answers_a_held_or_hidden_question(state):
    question = QuestionFactory(visibility=state)

    for actor in (question.author, ModeratorFactory()):
        with pytest.raises(PostDeleted):
            actions.post_answer(actor, question, body="Try the other network band instead.")


@NOT_PUBLIC
def test_nobody_comments_on_a_held_or_hidden_answer(state):
    answer = AnswerFactory(visibility=state)

    for actor in (answer.author, ModeratorFactory()):
        with pytest.raises(PostDeleted):
            actions.post_comment(actor, answer, body="Which model is it?")


@NOT_PUBLIC
def test_nobody_votes_on_a_held_or_hidden_answer(state):
    answer = AnswerFactory(visibility=state)

    with pytest.raises(PostDeleted):
        actions.cast_vote(UserFactory(trusted=True), answer, Vote.UP)


@NOT_PUBLIC
def test_a_held_or_hidden_answer_cannot_be_accepted(state):
    answer = AnswerFactory(visibility=state)

    with pytest.raises(PostDeleted):
        actions.accept_answer(answer.question.author, answer.question, answer)


@NOT_PUBLIC
def test_nothing_is_verified_on_a_held_or_hidden_question(state):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    actions.accept_answer(question.author, question, answer)
    Question.objects.filter(pk=question.pk).update(visibility=state)

    with pytest.raises(PostDeleted):
        actions.verify_answer(ModeratorFactory(), question)


def test_a_member_cannot_remove_their_comment_under_a_question_they_no_longer_see():
    comment = CommentFactory(question=QuestionFactory(deleted=True))

    with pytest.raises(PostDeleted):
        actions.delete_comment(comment.author, comment)
