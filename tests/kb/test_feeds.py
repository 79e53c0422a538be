# ruff: noqa: S314 (parsing the feeds this very test rendered)
"""The knowledge base's RSS and Atom feeds: live, public articles only, newest first."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.models import ArticlePage
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _article(editor, title: str, *, publish: bool = True) -> ArticlePage:
    question = QuestionFactory(title=title)
    answer = AnswerFactory(question=question)
    forum_actions.accept_answer(question.author, question, answer)
    article = ArticlePage.objects.get(pk=promote_question(editor, question).pk)
    if publish:
        article.save_revision(user=editor).publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


def _titles(response) -> list[str]:
    assert response.status_code == 200
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]


def test_the_articles_feed_lists_published_articles_newest_first(client, editor):
    first = _article(editor, "How to reset the router")
    second = _article(editor, "How to pair the printer")

    response = client.get("/feeds/articles/")

    assert response["Content-Type"].startswith("application/rss+xml")
    assert _titles(response) == [second.title, first.title]
    item = next(ET.fromstring(response.content).iter("item"))
    assert item.findtext("link").startswith("http")
    assert item.findtext("link").endswith(second.url)
    assert item.findtext("description") == second.summary


def test_the_atom_feed_lists_the_same(client, editor):
    article = _article(editor, "How to reset the router")

    response = client.get("/feeds/articles/atom/")

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")] == [article.title]


def test_drafts_unpublished_and_restricted_articles_are_never_listed(client, editor):
    shown = _article(editor, "A public article")
    _article(editor, "A draft article", publish=False)
    unpublished = _article(editor, "An unpublished article")
    unpublished.unpublish(user=editor)
    restricted = _article(editor, "A staff-only article")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")

    assert _titles(client.get("/feeds/articles/")) == [shown.title]


def test_the_knowledge_base_index_points_feed_readers_at_the_feed(client, editor, kb_index):
    html = client.get(kb_index.url).content.decode()

    assert 'type="application/rss+xml"' in html
    assert 'href="/feeds/articles/"' in html
    assert 'href="/feeds/articles/atom/"' in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_feed_costs_the_same_queries_at_any_size(
    client, editor, size, django_assert_num_queries
):
    for n in range(size):
        _article(editor, f"Article number {n}")
    client.get("/feeds/articles/")  # Wagtail caches the site's root paths after one read

    with django_assert_num_queries(3):
        response = client.get("/feeds/articles/")

    assert len(_titles(response)) == size
