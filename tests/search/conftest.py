"""Fixtures for the search tests: backends to run the contract against, and indexing."""

import os
import uuid

import pytest

from search import indexing
from search.backends import get_backend
from search.documents import question_source

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


def index(*questions) -> None:
    """Bring the index up to date for `questions`, as their after-commit tasks would."""
    for question in questions:
        assert indexing.sync_source(question_source(question.pk))
    engine = get_backend()
    if hasattr(engine, "client"):
        engine.client.indices.refresh(index=engine.alias)
