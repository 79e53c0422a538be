"""Search in the JSON API."""

import pytest
from django.utils import timezone

from forum.models import Question
from search.models import ZeroResultSearch
from tests.factories import AnswerFactory, QuestionFactory
from tests.search.conftest import index

pytestmark = pytest.mark.django_db

API = "/api/v1"


def solved(title):
    question = QuestionFactory(title=title)
    answer = AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(
        accepted_answer=answer, accepted_by=question.author, accepted_at=timezone.now()
    )
    index(question)
    return question


def test_search_returns_results_with_absolute_urls_and_facets(client):
    question = solved("Router keeps rebooting every night")

    response = client.get(f"{API}/search/", {"q": "router"})

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    result = body["results"][0]
    assert result["title"] == question.title
    assert result["url"] == f"http://testserver{question.get_absolute_url()}"
    assert "button" in result["snippet"]  # the start of the body: only the title matched
    assert [f["value"] for f in body["facets"]["solved"]] == ["1"]


def test_search_filters_by_parameters(client):
    solved("Router keeps rebooting every night")

    response = client.get(f"{API}/search/", {"q": "router", "solved": "false"})

    assert response.json()["total"] == 0


def test_a_search_without_results_is_recorded(client):
    client.get(f"{API}/search/", {"q": "zebra"})

    assert ZeroResultSearch.objects.get().origin == "api"


def test_similar_questions_lists_solved_threads(client):
    question = solved("Router keeps rebooting every night")

    response = client.get(f"{API}/search/similar/", {"title": "my router reboots"})

    assert [r["title"] for r in response.json()] == [question.title]


def test_search_is_503_when_the_backend_is_down(client, settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_TIMEOUT = 1

    response = client.get(f"{API}/search/", {"q": "router"})

    assert response.status_code == 503
    assert response.json()["code"] == "search_unavailable"


def test_bad_parameters_are_422(client):
    response = client.get(f"{API}/search/", {"q": "router", "page": "99"})

    assert response.status_code == 422


def test_search_sorts_and_filters_by_date_and_highlights_titles(client):
    older = solved("Router keeps rebooting every night")
    newer = solved("Router firmware update fails")
    Question.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=90)
    )
    index(older)

    newest = client.get(f"{API}/search/", {"q": "router", "sort": "newest"}).json()
    recent = client.get(f"{API}/search/", {"q": "router", "date": "month"}).json()
    wrong = client.get(f"{API}/search/", {"q": "router", "sort": "random"})

    assert [r["title"] for r in newest["results"]] == [newer.title, older.title]
    assert (newest["sort"], newest["date"]) == ("newest", "any")
    assert "<mark>Router</mark>" in newest["results"][0]["title_html"]
    assert [r["title"] for r in recent["results"]] == [newer.title]
    assert recent["total"] == 1 == sum(f["count"] for f in recent["facets"]["solved"])
    assert wrong.status_code == 422
