"""Knowledge-base articles are in the anonymous page cache (core/pagecache.py), personal
only for a visitor who rated one (their "Thank you"), and every change shows at once."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from core import pagecache
from kb.actions import mark_reviewed, promote_question, rate_article
from kb.models import ArticlePage
from kb.queries import VISITOR_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.TANYA_PAGE_CACHE = True
    pagecache._local.clear()


@pytest.fixture
def article(editor, solved_question):
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_an_article_is_served_from_the_cache_the_second_time(client, article):
    url = article.url

    assert _get(client, url)["X-Page-Cache"] == "miss"
    second = _get(client, url)
    assert second["X-Page-Cache"] == "hit"
    assert "Was this helpful?" in second.content.decode()


def test_a_visitor_who_rated_is_never_served_another_visitors_page(client, article):
    _get(client, article.url)
    _get(client, article.url)  # stored, with the form
    voter = Client()
    rated = voter.post(
        reverse("kb:rate", args=[article.pk]), {"helpful": "yes"}, HTTP_HX_REQUEST="true"
    )
    assert rated.status_code == 200 and VISITOR_COOKIE in voter.cookies

    page = _get(voter, article.url)

    assert "X-Page-Cache" not in page
    assert "Thank you for your feedback." in page.content.decode()


def test_a_rating_empties_the_cached_article(client, commit, article):
    _get(client, article.url)
    assert _get(client, article.url)["X-Page-Cache"] == "hit"

    commit(rate_article, AnonymousUser(), article, helpful=True, visitor_token="browser-a")

    assert _get(client, article.url)["X-Page-Cache"] == "miss"


def _last_reviewed(response) -> str:
    return re.search(r'Last reviewed <time datetime="([^"]+)"', response.content.decode())[1]


def test_a_review_shows_on_the_very_next_request(client, commit, editor, article):
    _get(client, article.url)
    before = _last_reviewed(_get(client, article.url))

    commit(mark_reviewed, editor, article)

    page = _get(client, article.url)
    assert page["X-Page-Cache"] == "miss"
    assert _last_reviewed(page) != before


def test_an_edit_published_in_wagtail_shows_on_the_very_next_request(
    client, commit, editor, article
):
    _get(client, article.url)
    _get(client, article.url)
    article.title = "Restart the router after an update"

    commit(lambda: article.save_revision(user=editor).publish(user=editor))

    assert "Restart the router after an update" in _get(client, article.url).content.decode()
