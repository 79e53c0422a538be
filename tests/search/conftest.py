"""Fixtures for the search tests: backends to run the contract against, and indexing."""

import os
import uuid

import pytest
from django.utils.html import escape
from wagtail.rich_text import RichText

from forum import actions
from kb.demo import ensure_kb_index
from kb.pages import ArticlePage
from search import indexing
from search.backends import get_backend
from search.documents import article_source, question_source
from tests.factories import CategoryFactory, UserFactory

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
NO_CLUSTER = "needs a live cluster: set ELASTICSEARCH_URL to run the Elasticsearch contract"


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, settings):
    """Each backend available here, configured for this test; the contract runs on each.

    The database backend is whatever database the suite runs on (SQLite, or PostgreSQL in
    the PostgreSQL pass). Elasticsearch runs when ELASTICSEARCH_URL names a live cluster,
    in an index of its own that is deleted afterwards.
    """
    if request.param == "elasticsearch":
        if not ELASTICSEARCH_URL:
            pytest.skip(NO_CLUSTER)
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
        settings.SEARCH_INDEX_PREFIX = f"tanya-test-{uuid.uuid4().hex[:10]}"
        engine = get_backend()
        engine.rebuild([])
        yield engine
        engine.client.indices.delete(index=f"{engine.alias}-*", ignore_unavailable=True)
        return
    settings.SEARCH_BACKEND = "database"
    yield get_backend()


def index(*items) -> None:
    """Bring the index up to date for questions and articles, as their after-commit tasks
    would."""
    for item in items:
        source = article_source(item.pk) if isinstance(item, ArticlePage) else None
        indexing.sync_source(source or question_source(item.pk))
    engine = get_backend()
    if hasattr(engine, "client"):
        engine.client.indices.refresh(index=engine.alias)


def publish_article(
    title: str,
    body: str = "Follow these steps, then restart the device.",
    *,
    summary: str = "A short summary of the fix.",
    **fields,
) -> ArticlePage:
    """A knowledge-base article, published through Wagtail as an editor would."""
    article = ArticlePage(
        title=title,
        slug=f"article-{uuid.uuid4().hex[:10]}",
        summary=summary,
        body=[("rich_text", RichText(f"<p>{escape(body)}</p>"))],
        **{"category": CategoryFactory(), **fields},
    )
    ensure_kb_index().add_child(instance=article)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture(autouse=True)
def fresh_vector_matrices():
    """Each test starts with no matrix in this process: a test's rollback rewinds the
    vectors' counter, which no running site ever sees (search/vectors.py)."""
    from search import vectors

    vectors.forget_matrices()
    yield
    vectors.forget_matrices()


def ask_through_actions(title, capture, *, private=False, solved=True):
    """A solved thread (unless not `solved`) asked, answered and accepted through the
    actions, their events delivered (the vector is embedded by search's subscriber), then
    indexed."""
    with capture(execute=True):
        question = actions.ask_question(
            UserFactory(),
            title=title,
            body="Any help with this would be much appreciated.",
            category=CategoryFactory(),
            private=private,
        )
    with capture(execute=True):
        reply = actions.post_answer(
            UserFactory(), question, body="This is what worked for me in the end."
        )
    if solved:
        with capture(execute=True):
            actions.accept_answer(question.author, question, reply)
    index(question)
    return question
