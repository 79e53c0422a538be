"""Question words ("what", "how", "can"...) are kept in queries and in both database
backends' indexes: they tell "What is X?" from "How do I renew X?" (issue 15, CovidFAQ).

Runs on the database the suite runs on: SQLite, or PostgreSQL in the PostgreSQL pass
(where the `english` configuration would drop them from documents: migration 0010)."""

import importlib
from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Question
from search.queries import search, similar_questions
from search.text import ENGLISH_QUESTION_WORDS, highlighted
from tests.search.conftest import index
from tests.search.test_contract import answer, ask

BODY = "The VPN client on the laptop shows the same settings page as before."
# Threads sharing no word with the queries, so every word's IDF means something.
OTHERS = [
    "Keyboard lights stay off",
    "Invoice total looks wrong",
    "Calendar sync stopped",
    "Password reset email missing",
    "Router drops the connection",
    "Avatar upload fails",
]


def _others():
    return [ask(title, body="Nothing special here.") for title in OTHERS]


def _questions(*, solved=False):
    """The FAQ that asks "what" (older, so a tie would put it second) and one that merely
    has the same subject, titles of the same length and the same body."""
    what = ask("What is VPN", body=BODY)
    Question.objects.filter(pk=what.pk).update(created_at=timezone.now() - timedelta(days=2))
    other = ask("Renewing VPN certificate", body=BODY)
    if solved:
        answer(what, "A private tunnel to the office network.", accept=True)
        answer(other, "A private tunnel to the office network.", accept=True)
    index(what, other, *_others())
    return what, other


@pytest.mark.django_db
def test_a_question_word_query_ranks_the_question_it_asks_first():
    what, other = _questions()

    titles = [r.title for r in search("what is a vpn").items]

    assert titles[:2] == [what.title, other.title]


@pytest.mark.django_db
def test_similar_questions_weigh_question_words_too():
    what, other = _questions(solved=True)

    similar = [r.title for r in similar_questions("What is a VPN?")]

    assert similar[:2] == [what.title, other.title]


@pytest.mark.django_db
def test_a_how_question_finds_the_how_thread_over_a_what_thread():
    how = ask("How do I install the printer driver", body="Nothing special here.")
    Question.objects.filter(pk=how.pk).update(created_at=timezone.now() - timedelta(days=2))
    what = ask("What printer driver is installed", body="Nothing special here.")
    index(how, what, *_others())

    titles = [r.title for r in search("how do i install a printer driver").items]

    assert titles[0] == how.title


@pytest.mark.django_db
def test_question_words_are_not_marked_in_titles():
    _questions()

    html = str(search("what is a vpn").items[0].highlighted_title)

    assert "<mark>VPN</mark>" in html
    assert "<mark>What</mark>" not in html and "<mark>is</mark>" not in html


@pytest.mark.django_db
def test_a_query_of_only_question_words_still_finds_and_marks_them():
    question = ask("Where is it", body="Nothing special here.")
    index(question, ask("Printer driver missing", body="Nothing special here."))

    [result] = search("where is").items

    assert result.title == question.title
    assert "<mark>Where</mark>" in str(result.highlighted_title)


def test_question_words_are_highlighted_only_when_nothing_else_is():
    assert highlighted(["what", "is", "vpn"]) == ["vpn"]
    assert highlighted(["what", "is"]) == ["what", "is"]
    assert highlighted(["what"], alongside=["factory", "reset"]) == []


def test_the_migration_indexes_the_question_words_queries_keep():
    migration = importlib.import_module("search.migrations.0010_postgres_question_words")

    assert set(migration.QUESTION_WORDS) == ENGLISH_QUESTION_WORDS


def test_a_word_in_half_the_documents_or_more_has_the_least_idf():
    from search.backends.postgres import IDF_FLOOR, _idf

    assert _idf(50, 100) == _idf(90, 100) == IDF_FLOOR
    assert _idf(1, 100) > _idf(10, 100) > _idf(40, 100) > IDF_FLOOR
