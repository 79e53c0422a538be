"""GET /api/v1/kb/articles/ and /api/v1/kb/articles/{id}/: published articles for anyone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.actions import promote_question
from tests.factories import CategoryFactory
from tests.kb.test_pages import _published_article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/kb/articles/"


def test_anyone_lists_published_articles_newest_first_without_drafts(
    client, editor, solved_question
):
    older = _published_article(editor)
    newer = _published_article(editor, faq=True)
    draft = promote_question(editor, solved_question)

    body = client.get(LIST).json()

    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert draft.pk not in [item["id"] for item in body["items"]]
    first = body["items"][0]
    assert first["url"].endswith(newer.url)
    assert first["is_faq"] is True
    assert first["tags"] == ["router"]
    assert first["source_question_id"] == newer.source_question_id
    assert first["last_reviewed"] is not None
    assert first["helpful_yes"] == 0 and first["helpful_no"] == 0
    assert body["next_cursor"] is None


def test_the_list_filters_by_category_and_faq(client, editor):
    routers, billing = CategoryFactory(slug="routers"), CategoryFactory(slug="billing")
    in_routers = _published_article(editor, category=routers, faq=True)
    _published_article(editor, category=billing)

    by_slug = client.get(LIST, {"category": "routers"}).json()["items"]
    by_id = client.get(LIST, {"category": str(routers.pk)}).json()["items"]
    faq = client.get(LIST, {"faq": "true"}).json()["items"]

    assert [item["id"] for item in by_slug] == [in_routers.pk]
    assert [item["id"] for item in by_id] == [in_routers.pk]
    assert [item["id"] for item in faq] == [in_routers.pk]
    assert client.get(LIST, {"category": "no-such-thing"}).status_code == 404
    assert client.get(LIST, {"category": "9" * 30}).status_code == 404


def test_the_list_pages_by_cursor_at_a_constant_query_count(client, editor):
    for _ in range(23):
        _published_article(editor)
    client.get(LIST)  # warms Wagtail's cached site root paths, as any earlier request would

    with CaptureQueriesContext(connection) as first:
        page_one = client.get(LIST).json()
    with CaptureQueriesContext(connection) as second:
        page_two = client.get(LIST, {"cursor": page_one["next_cursor"]}).json()

    ids = [item["id"] for item in page_one["items"] + page_two["items"]]
    assert len(page_one["items"]) == 20 and len(page_two["items"]) == 3
    assert len(set(ids)) == 23
    assert page_two["next_cursor"] is None
    # Wagtail's view restrictions, the articles (with helpfulness and review), their tags.
    assert len(first.captured_queries) == len(second.captured_queries) == 3


def test_a_forged_cursor_starts_from_the_beginning(client, editor):
    article = _published_article(editor)

    body = client.get(LIST, {"cursor": "forged"}).json()

    assert [item["id"] for item in body["items"]] == [article.pk]


def test_an_article_reads_with_its_body_and_credits(client, editor):
    article = _published_article(editor)

    response = client.get(f"{LIST}{article.pk}/")

    body = response.json()
    assert response.status_code == 200
    assert '<code class="language-sh">reboot</code>' in body["body_html"]
    assert "reboot" in body["body_text"] and "<" not in body["body_text"]
    assert body["credited"] == [article.source_answer.author.username]
    assert body["title"] == article.title


def test_a_draft_or_missing_article_is_404_json(client, editor, solved_question):
    draft = promote_question(editor, solved_question)

    for path in (f"{LIST}{draft.pk}/", f"{LIST}999999/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["code"]
