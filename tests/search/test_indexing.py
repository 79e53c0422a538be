"""Indexing follows writes: scheduled after commit, idempotent, and never fatal to a post."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from forum import actions
from forum.models import Question
from search import schedule_index_question, tasks
from search.models import PendingIndex, SearchDocument
from search.queries import search
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

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


# --- Writes through forum.actions keep the index in step ---------------------------------


def _ask(title="Scanner shows a paper jam every morning", **kwargs):
    fields = {"body": "It stops after the first page, every single time.", **kwargs}
    return actions.ask_question(UserFactory(), title=title, category=CategoryFactory(), **fields)


def titles(query):
    return [result.title for result in search(query).items]


def test_a_question_asked_is_found_once_the_write_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()
        assert titles("scanner") == []

    assert titles("scanner") == [question.title]
    assert not PendingIndex.objects.exists()


def test_an_edited_question_is_found_by_its_new_words(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()

    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_question(
            question.author,
            question,
            title="Printer feeds two sheets at once",
            body=question.body,
            tags=[],
        )

    assert titles("scanner") == []
    assert titles("printer sheets") == ["Printer feeds two sheets at once"]


def test_a_deleted_question_leaves_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_question(question.author, question)

    assert keys() == set()


def test_a_restored_question_comes_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_question(question.author, question)

    with django_capture_on_commit_callbacks(execute=True):
        actions.restore_question(ModeratorFactory(), question)

    assert titles("scanner") == [question.title]


def _asked_and_answered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()
    with django_capture_on_commit_callbacks(execute=True):
        answer = actions.post_answer(
            UserFactory(), question, body="Clean the pickup roller with a damp cloth."
        )
    return question, answer


def test_an_answer_is_indexed_with_its_thread(django_capture_on_commit_callbacks):
    question, answer = _asked_and_answered(django_capture_on_commit_callbacks)

    assert titles("roller") == [question.title]
    assert f"answer:{answer.pk}" in keys()


def test_accepting_an_answer_marks_the_thread_solved(django_capture_on_commit_callbacks):
    question, answer = _asked_and_answered(django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_answer(question.author, question, answer)

    assert [r.is_solved for r in search("roller").items] == [True]


def test_an_edited_answer_is_found_by_its_new_words(django_capture_on_commit_callbacks):
    question, answer = _asked_and_answered(django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_answer(answer.author, answer, body="Update the driver from the vendor site.")

    assert titles("roller") == []
    assert titles("driver") == [question.title]


def test_a_deleted_answer_leaves_the_index(django_capture_on_commit_callbacks):
    question, answer = _asked_and_answered(django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_answer(answer.author, answer)

    assert keys() == {f"question:{question.pk}"}
    assert titles("roller") == []


def test_a_vote_updates_the_score_the_index_holds(django_capture_on_commit_callbacks):
    _question, answer = _asked_and_answered(django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        actions.cast_vote(StaffFactory(), answer, 1)

    assert SearchDocument.objects.get(key=f"answer:{answer.pk}").votes == 1


def test_after_each_write_search_check_finds_nothing_to_fix(django_capture_on_commit_callbacks):
    question, answer = _asked_and_answered(django_capture_on_commit_callbacks)
    voter, moderator = StaffFactory(), ModeratorFactory()
    writes = [
        lambda: actions.cast_vote(voter, question, 1),
        lambda: actions.accept_answer(question.author, question, answer),
        lambda: actions.unaccept_answer(question.author, question),
        lambda: actions.retract_vote(voter, question),
        lambda: actions.delete_answer(answer.author, answer),
        lambda: actions.restore_answer(moderator, answer),
    ]

    for write in writes:
        with django_capture_on_commit_callbacks(execute=True):
            write()
        call_command("search_check", stdout=StringIO())  # CommandError on any difference


def test_a_post_succeeds_while_search_is_down(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = DOWN.values()
    settings.SEARCH_TIMEOUT = 1

    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()

    assert Question.objects.filter(pk=question.pk).exists()
    assert PendingIndex.objects.get().source == f"question:{question.pk}"
