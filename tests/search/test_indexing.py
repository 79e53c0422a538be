"""Indexing follows writes: search's subscribers run after commit, are idempotent, and
are never fatal to a post; the event stays pending until search has it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from core import events
from core.models import Event
from forum import actions
from forum.models import Question
from search import indexing, subscribers
from search.documents import question_source
from search.models import SearchDocument
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


def search_down(settings):
    settings.SEARCH_BACKEND, settings.ELASTICSEARCH_URL = DOWN.values()
    settings.SEARCH_TIMEOUT = 1


def test_syncing_a_question_indexes_it_and_its_answers():
    answer = AnswerFactory()

    indexing.sync_source(question_source(answer.question_id))

    assert keys() == {f"question:{answer.question_id}", f"answer:{answer.pk}"}


def test_syncing_twice_changes_nothing():
    answer = AnswerFactory()
    indexing.sync_source(question_source(answer.question_id))
    before = set(SearchDocument.objects.values_list("key", "fingerprint"))

    indexing.sync_source(question_source(answer.question_id))

    assert set(SearchDocument.objects.values_list("key", "fingerprint")) == before


def test_syncing_a_question_that_is_gone_removes_it_quietly():
    question = QuestionFactory()
    indexing.sync_source(question_source(question.pk))
    Question.objects.filter(pk=question.pk).delete()

    indexing.sync_source(question_source(question.pk))
    indexing.sync_source(question_source(question.pk))

    assert keys() == set()


def test_unindexing_a_question_drops_its_documents():
    answer = AnswerFactory()
    indexing.sync_source(question_source(answer.question_id))

    indexing.unindex_source(question_source(answer.question_id))

    assert keys() == set()


def test_a_question_is_indexed_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = _ask(title="Scanner shows a paper jam")
        assert keys() == set()

    assert [r.title for r in search("scanner").items] == [question.title]
    assert not subscribers.pending_events().exists()


def test_a_rolled_back_write_indexes_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _ask()
        raise RuntimeError

    assert callbacks == []
    assert keys() == set()
    assert not Event.objects.exists()


def test_a_write_succeeds_while_search_is_down_and_its_event_stays_pending(
    settings, django_capture_on_commit_callbacks
):
    search_down(settings)

    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()

    event = subscribers.pending_events().get()
    assert (event.verb, event.question_id, event.attempts) == ("question.asked", question.pk, 1)
    assert "SearchUnavailable" in event.last_error


def test_the_next_successful_delivery_catches_up(settings, django_capture_on_commit_callbacks):
    search_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        missed = _ask(title="Scanner shows a paper jam")
    settings.SEARCH_BACKEND = "database"
    Event.objects.update(next_attempt_at=None)  # its back-off has passed

    with django_capture_on_commit_callbacks(execute=True):
        _ask(title="Printer feeds two sheets at once")

    assert f"question:{missed.pk}" in keys()
    assert not subscribers.pending_events().exists()


def test_a_failed_event_waits_out_its_back_off(settings, django_capture_on_commit_callbacks):
    search_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        missed = _ask()
    settings.SEARCH_BACKEND = "database"

    events.catch_up()

    assert f"question:{missed.pk}" not in keys()
    Event.objects.update(next_attempt_at=events.timezone.now() - timedelta(seconds=1))
    events.catch_up()
    assert f"question:{missed.pk}" in keys()


def test_search_reindex_pending_catches_up(settings, django_capture_on_commit_callbacks):
    search_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        missed = _ask()
    settings.SEARCH_BACKEND = "database"

    call_command("search_reindex", "--pending", stdout=StringIO())

    assert f"question:{missed.pk}" in keys()
    assert not subscribers.pending_events().exists()


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
    assert not subscribers.pending_events().exists()


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
    search_down(settings)

    with django_capture_on_commit_callbacks(execute=True):
        question = _ask()

    assert Question.objects.filter(pk=question.pk).exists()
    assert subscribers.pending_events().get().question_id == question.pk
