"""Concurrent promotions, on PostgreSQL (SQLite serialises writers, so it can't race)."""

import pytest

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.models import ArticlePage
from tests.factories import AnswerFactory, QuestionFactory
from tests.forum.test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after a transactional test would otherwise take the
    # community index page and the groups (data migrations) with it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _solved_question():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    forum_actions.accept_answer(question.author, question, answer)
    return question


def test_promoting_one_thread_twice_at_once_makes_one_article(editor):
    question = _solved_question()

    errors = run_together(promote_question, [(editor, question)] * 4)

    assert errors == []
    assert ArticlePage.objects.filter(source_question=question).count() == 1


def test_promoting_different_threads_at_once_makes_one_article_each(editor, kb_index):
    questions = [_solved_question() for _ in range(4)]

    errors = run_together(promote_question, [(editor, question) for question in questions])

    assert errors == []
    assert ArticlePage.objects.count() == 4
    kb_index.refresh_from_db()
    assert kb_index.numchild == 5  # the FAQ page and the four articles
