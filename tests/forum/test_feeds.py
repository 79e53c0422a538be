# ruff: noqa: S314 (parsing the feeds this very test rendered)
"""RSS and Atom feeds of the newest questions: what they list, what they never list, and
what they cost."""

import xml.etree.ElementTree as ET

import pytest

from forum.models import Visibility
from forum.queries import FEED_SIZE
from tests.factories import CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _rss_titles(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def _atom_titles(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_the_questions_feed_lists_the_newest_public_questions_first(client):
    older = QuestionFactory(title="Older question about printers")
    newer = QuestionFactory(title="Newer question about routers")
    newer.tags.set(["router"])

    response = client.get("/feeds/questions/")

    assert _rss_titles(response) == [newer.title, older.title]
    item = next(ET.fromstring(response.content).iter("item"))
    assert item.findtext("link").endswith(newer.get_absolute_url())
    assert item.findtext("link").startswith("http")
    assert [c.text for c in item.iter("category")] == ["router"]
    assert "nothing happened" in item.findtext("description")


def test_the_atom_feed_lists_the_same(client):
    question = QuestionFactory(title="An Atom question")

    response = client.get("/feeds/questions/atom/")

    assert _atom_titles(response) == [question.title]


@pytest.mark.parametrize("state", [Visibility.HELD, Visibility.HIDDEN, Visibility.DELETED])
def test_the_feeds_never_list_held_hidden_or_deleted_questions(client, state):
    category = CategoryFactory()
    shown = QuestionFactory(title="A visible question", category=category)
    secret = QuestionFactory(title="A question nobody may list", category=category)
    for question in (shown, secret):
        question.tags.set(["wifi"])
    secret.visibility = state
    secret.save(update_fields=["visibility"])

    for url in (
        "/feeds/questions/",
        "/feeds/questions/atom/",
        f"/feeds/categories/{category.slug}/",
        "/feeds/tags/wifi/",
    ):
        response = client.get(url)
        assert secret.title not in response.content.decode(), url
        assert shown.title in response.content.decode(), url


def test_a_category_feed_lists_only_that_category(client):
    printers, routers = CategoryFactory(), CategoryFactory()
    QuestionFactory(title="Printer jams", category=printers)
    mine = QuestionFactory(title="Router reboots", category=routers)

    assert _rss_titles(client.get(f"/feeds/categories/{routers.slug}/")) == [mine.title]
    assert _atom_titles(client.get(f"/feeds/categories/{routers.slug}/atom/")) == [mine.title]


def test_a_tag_feed_lists_only_that_tag(client):
    tagged = QuestionFactory(title="Tagged question")
    tagged.tags.set(["printer"])
    QuestionFactory(title="Untagged question")

    assert _rss_titles(client.get("/feeds/tags/printer/")) == [tagged.title]
    assert _atom_titles(client.get("/feeds/tags/printer/atom/")) == [tagged.title]


def test_an_unknown_category_or_tag_is_404(client):
    assert client.get("/feeds/categories/no-such-category/").status_code == 404
    assert client.get("/feeds/tags/no-such-tag/").status_code == 404


def test_a_feed_holds_at_most_the_newest_feed_size(client):
    category = CategoryFactory()
    QuestionFactory.create_batch(FEED_SIZE + 2, category=category)

    assert len(_rss_titles(client.get("/feeds/questions/"))) == FEED_SIZE


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize(
    ("url", "queries"),
    # the category feed also reads Wagtail's site root paths for its link (then cached)
    [("/feeds/questions/", 2), ("/feeds/categories/{slug}/", 5), ("/feeds/tags/wifi/", 3)],
)
def test_a_feed_costs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size, url, queries
):
    category = CategoryFactory()
    for question in QuestionFactory.create_batch(size, category=category):
        question.tags.set(["wifi", "router"])

    with django_assert_num_queries(queries):
        response = client.get(url.format(slug=category.slug))

    assert len(_rss_titles(response)) == size


def test_list_pages_point_feed_readers_at_their_feeds(client):
    category = CategoryFactory()
    question = QuestionFactory(category=category)
    question.tags.set(["wifi"])

    pages = {
        "/questions/": "/feeds/questions/",
        category.url: f"/feeds/categories/{category.slug}/",
        "/tags/wifi/": "/feeds/tags/wifi/",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert 'type="application/rss+xml"' in html, page
        assert f'href="{feed}"' in html, page
        assert f'href="{feed}atom/"' in html, page


def test_no_feed_lists_a_private_question_even_to_its_asker(client):
    category = CategoryFactory()
    public = QuestionFactory(title="A public router question", category=category)
    private = QuestionFactory(title="My private billing question", category=category)
    for question in (public, private):
        question.tags.set(["billing"])
    private.is_private = True
    private.save(update_fields=["is_private"])
    client.force_login(private.author)

    for url in (
        "/feeds/questions/",
        "/feeds/questions/atom/",
        f"/feeds/categories/{category.slug}/",
        "/feeds/tags/billing/",
    ):
        titles = (
            _rss_titles(client.get(url)) if "atom" not in url else _atom_titles(client.get(url))
        )
        assert public.title in titles, url
        assert private.title not in titles, url
