"""Search in the JSON API."""

import pytest
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI

from forum.models import Question
from search import api as search_api
from search.models import ZeroResultSearch
from tests.factories import AnswerFactory, QuestionFactory
from tests.search.conftest import index

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# Until config/api.py mounts the router, these tests mount it on an API of their own
# (with the project's error handlers) beside the site's URLs.
from config.api import api as site_api  # noqa: E402
from config.urls import urlpatterns as site_urlpatterns  # noqa: E402

if any(router is search_api.router for _, router in site_api._routers):
    API = "/api/v1"
    urlpatterns = site_urlpatterns
else:
    API = "/search-api-test"
    test_api = NinjaAPI(urls_namespace="search-api-test")
    test_api.add_router("/", search_api.router)
    test_api._exception_handlers = site_api._exception_handlers
    urlpatterns = [path("search-api-test/", test_api.urls), *site_urlpatterns]


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
