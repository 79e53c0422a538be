"""Indexing follows writes: scheduled after commit, idempotent, and never fatal to a post."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from forum.models import Question
from search import schedule_index_question, tasks
from search.models import PendingIndex, SearchDocument
from search.queries import search
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

DOWN = {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": "http://127.0.0.1:9"}


def keys():
    return set(SearchDocument.objects.values_list("key", flat=True))


def test_indexing_a_question_indexes_it_and_its_answers():
    answer = AnswerFactory()

    tasks.index_question.call(answer.question_id)

    assert keys() == {f"question:{answer.question_id}", f"answer:{answer.pk}"}


def test_indexing_twice_changes_nothing():
    answer = AnswerFactory()
    tasks.index_question.call(answer.question_id)
    before = set(SearchDocument.objects.values_list("key", "fingerprint"))

    tasks.index_question.call(answer.question_id)

    assert set(SearchDocument.objects.values_list("key", "fingerprint")) == before


def test_indexing_a_question_that_is_gone_removes_it_quietly():
    question = QuestionFactory()
    tasks.index_question.call(question.pk)
    Question.objects.filter(pk=question.pk).delete()

    tasks.index_question.call(question.pk)
    tasks.index_question.call(question.pk)

    assert keys() == set()


def test_removing_a_question_drops_its_documents():
    answer = AnswerFactory()
    tasks.index_question.call(answer.question_id)

    tasks.remove_question.call(answer.question_id)

    assert keys() == set()


def test_scheduling_indexes_after_the_commit(django_capture_on_commit_callbacks):
    question = QuestionFactory(title="Scanner shows a paper jam")

    with django_capture_on_commit_callbacks(execute=True):
        schedule_index_question(question.pk)
        assert keys() == set()

    assert [r.title for r in search("scanner").items] == [question.title]
    assert not PendingIndex.objects.exists()


def test_a_rolled_back_write_schedules_nothing(django_capture_on_commit_callbacks):
    question = QuestionFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        schedule_index_question(question.pk)
        raise RuntimeError

    assert callbacks == []
    assert not PendingIndex.objects.exists()


def test_a_write_succeeds_while_search_is_down_and_stays_pending(
    settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = DOWN.values()
    settings.SEARCH_TIMEOUT = 1
    question = QuestionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        schedule_index_question(question.pk)

    pending = PendingIndex.objects.get()
    assert (pending.source, pending.attempts) == (f"question:{question.pk}", 1)
    assert pending.last_error


def test_the_next_successful_task_catches_up(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = DOWN.values()
    settings.SEARCH_TIMEOUT = 1
    missed = QuestionFactory(title="Scanner shows a paper jam")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_index_question(missed.pk)
    settings.SEARCH_BACKEND = "database"

    tasks.index_question.call(QuestionFactory().pk)

    assert f"question:{missed.pk}" in keys()
    assert not PendingIndex.objects.exists()


def test_search_reindex_pending_catches_up(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = DOWN.values()
    settings.SEARCH_TIMEOUT = 1
    missed = QuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_index_question(missed.pk)
    settings.SEARCH_BACKEND = "database"

    call_command("search_reindex", "--pending", stdout=StringIO())

    assert f"question:{missed.pk}" in keys()
    assert not PendingIndex.objects.exists()
