"""The database backend asks whether its word statistics are stale (a COUNT over every
document) at most once per TANYA_SEARCH_STATISTICS_CHECK_SECONDS per process, not on
every write: at a million questions that COUNT took about a second per reindexed thread."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import database, get_backend
from search.documents import question_documents
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def _counts_when_replacing(question) -> int:
    backend = get_backend()
    with CaptureQueriesContext(connection) as captured:
        backend.replace(f"question:{question.pk}", question_documents(question))
    return sum('SELECT COUNT(*) AS "__count" FROM "tanya_search_searchdocument"' in q["sql"]
               for q in captured.captured_queries)  # fmt: skip


def test_with_a_throttle_only_the_first_write_in_the_period_counts_every_document(
    settings, monkeypatch
):
    settings.TANYA_SEARCH_STATISTICS_CHECK_SECONDS = 60
    monkeypatch.setattr(database, "_last_statistics_check", float("-inf"))
    first, second = QuestionFactory(), QuestionFactory()

    assert _counts_when_replacing(first) == 1
    assert _counts_when_replacing(second) == 0


def test_without_a_throttle_every_write_asks(settings):
    settings.TANYA_SEARCH_STATISTICS_CHECK_SECONDS = 0

    assert [_counts_when_replacing(QuestionFactory()) for _ in range(2)] == [1, 1]
