"""A page view never writes to the database: views are counted in the cache and written
in batches by the periodic job forum.flush_view_counts (forum/viewcounts.py)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.settings.base import _cache_from_url
from forum import viewcounts
from forum.models import Question
from tests.core.conftest import CLOSED_PORT_URL, fresh_warnings, real_redis  # noqa: F401
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    return QuestionFactory()


def _views(question) -> int:
    return Question.objects.values_list("view_count", flat=True).get(pk=question.pk)


def _view(client, question, address="192.0.2.1"):
    response = client.get(question.get_absolute_url(), REMOTE_ADDR=address)
    assert response.status_code == 200
    return response


def test_a_page_view_writes_nothing_to_the_database(client, question):
    with CaptureQueriesContext(connection) as captured:
        _view(client, question)

    writes = [q["sql"] for q in captured if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert _views(question) == 0
    assert viewcounts.pending() == {question.pk: 1}


def test_the_flush_writes_the_pending_views_once(client, question):
    other = QuestionFactory()
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _view(client, question, address)
    _view(client, question, "192.0.2.1")  # the same visitor within the hour: not again
    _view(client, other)

    assert viewcounts.flush() == 4
    assert (_views(question), _views(other)) == (3, 1)
    assert viewcounts.pending() == {}
    assert viewcounts.flush() == 0  # a second run adds nothing
    assert _views(question) == 3


def test_views_after_a_flush_are_written_by_the_next_one(client, question):
    _view(client, question, "192.0.2.1")
    viewcounts.flush()
    _view(client, question, "192.0.2.2")
    _view(client, question, "192.0.2.3")

    assert viewcounts.flush() == 2
    assert _views(question) == 3


def test_the_periodic_job_flushes_the_views(client, question):
    _view(client, question)

    call_command("run_periodic", "--once", "--job", "forum.flush_view_counts", "--force")

    assert _views(question) == 1


def test_the_page_shows_the_view_it_just_counted(client, question):
    Question.objects.filter(pk=question.pk).update(view_count=41)

    response = _view(client, question)

    assert response.context["question"].view_count == 42


def test_with_the_cache_down_the_page_works_and_the_view_is_not_counted(
    client,
    question,
    settings,
    fresh_warnings,  # noqa: F811
):
    settings.CACHES = {"default": _cache_from_url(CLOSED_PORT_URL)}

    with CaptureQueriesContext(connection) as captured:
        _view(client, question)

    assert not [q for q in captured if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert viewcounts.flush() == 0
    assert _views(question) == 0


def test_views_counted_in_redis_add_up_across_processes_and_flush(
    client,
    question,
    real_redis,  # noqa: F811
):
    for address in ("192.0.2.1", "192.0.2.2"):
        _view(client, question, address)

    assert viewcounts.flush() == 2
    assert _views(question) == 2
    assert viewcounts.flush() == 0
