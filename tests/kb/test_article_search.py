"""Knowledge-base articles in the site's search: indexed when published, dropped when
unpublished or deleted, and part of search_reindex and search_check."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.actions.delete_page import DeletePageAction

from kb.actions import promote_question
from kb.models import ArticlePage
from search.models import SearchDocument
from search.queries import search, similar_questions

pytestmark = pytest.mark.django_db


def _publish(article, user) -> ArticlePage:
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=user)
    return ArticlePage.objects.get(pk=article.pk)


def _found(query) -> list[tuple[str, str]]:
    return [(r.kind, r.url) for r in search(query).items if r.kind == "article"]


@pytest.fixture
def article(editor, solved_question):
    return promote_question(editor, solved_question)


def test_a_published_article_is_found_once_the_publication_commits(
    article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        live = _publish(article, editor)

    assert _found("router systemctl") == [("article", live.url)]


def test_an_article_result_is_labelled_and_links_to_the_article(
    article, editor, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        live = _publish(article, editor)

    response = client.get("/search/", {"q": "systemctl"})

    assert f'href="{live.url}"' in response.text
    assert "Knowledge base" in response.text


def test_a_draft_article_is_not_found(article):
    call_command("search_reindex", stdout=StringIO())

    assert _found("router systemctl") == []
    assert search("router systemctl").total == 1  # its source thread is


def test_an_unpublished_article_leaves_the_index(
    article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        live = _publish(article, editor)

    with django_capture_on_commit_callbacks(execute=True):
        live.unpublish(user=editor)

    assert not SearchDocument.objects.filter(kind="article").exists()


def test_a_deleted_article_leaves_the_index(article, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        live = _publish(article, editor)

    with django_capture_on_commit_callbacks(execute=True):
        DeletePageAction(live, user=editor).execute()

    assert not SearchDocument.objects.filter(kind="article").exists()


def test_search_reindex_includes_published_articles(article, editor):
    live = _publish(article, editor)  # its after-commit indexing never runs here

    call_command("search_reindex", stdout=StringIO())

    assert SearchDocument.objects.filter(key=f"article:{live.pk}").exists()


def test_search_check_reports_a_missing_article_and_fixes_it(article, editor):
    live = _publish(article, editor)
    call_command("search_reindex", stdout=StringIO())
    SearchDocument.objects.filter(key=f"article:{live.pk}").delete()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("search_check", stdout=out)
    call_command("search_check", "--fix", stdout=StringIO())

    assert f"missing: 1 (article:{live.pk})" in out.getvalue()
    assert SearchDocument.objects.filter(key=f"article:{live.pk}").exists()


def test_a_thread_found_with_its_article_is_shown_once_as_the_article(
    article, editor, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        live = _publish(article, editor)

    results = search("router systemctl")
    suggestions = similar_questions("router stopped answering after the update")

    assert [(r.kind, r.url) for r in results.items] == [("article", live.url)]
    assert results.total == 1
    assert [(r.kind, r.object_id) for r in suggestions] == [("article", live.pk)]
    html = client.get("/search/", {"q": "systemctl"}).text
    card = html.split('<article class="question-card search-result')[1].split("</article>")[0]
    assert "vote" not in card


def test_the_thread_is_found_again_once_its_article_is_unpublished(
    article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        live = _publish(article, editor)
    live.unpublish(user=editor)  # the index still holds the article until its task runs

    results = search("router systemctl").items

    assert [r.kind for r in results] == ["question"]
