"""A model that fails degrades search to its words, never the page: an embedder that
raises on every call, and one that will not load, both leave a lexical search that
answers (search/vectors.py `query_vector`, search/embeddings.py `get_embedder`)."""

import logging

import pytest

from search import embeddings
from search.embeddings import Embedder
from search.queries import search, similar_questions
from tests.search.conftest import ask_through_actions

pytestmark = pytest.mark.django_db

TITLE = "Printer will not print over the wireless network"


class FailingEmbedder(Embedder):
    """Loads, then raises on every text: a crashed runtime, a corrupt weights page."""

    model_id = "failing-test-1"
    dimensions = 8

    def embed(self, texts, *, kind="passage"):
        raise RuntimeError("the model crashed")


class UnloadableEmbedder(Embedder):
    """Raises while it loads, with an error that is neither ImportError nor OSError."""

    def __init__(self):
        raise ValueError("the weights file is not one this runtime reads")


@pytest.fixture
def solved_thread(settings, django_capture_on_commit_callbacks):
    settings.SEARCH_EMBEDDER = "none"  # written while no model runs: no vector to make
    return ask_through_actions(TITLE, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("path", [f"{__name__}.FailingEmbedder", f"{__name__}.UnloadableEmbedder"])
def test_search_and_similar_questions_fall_back_to_their_words(
    solved_thread, settings, client, caplog, path
):
    settings.SEARCH_EMBEDDER = path
    with caplog.at_level(logging.WARNING):
        found = [r.title for r in search("printer wireless").items]
        similar = [r.title for r in similar_questions("my printer will not print")]
        page = client.get("/search/", {"q": "printer wireless"})

    assert found == [TITLE]
    assert similar == [TITLE]
    assert page.status_code == 200
    assert solved_thread.get_absolute_url() in page.content.decode()
    assert caplog.records  # said in the log, not swallowed


def test_a_model_that_will_not_load_is_reported_by_search_check(settings):
    settings.SEARCH_EMBEDDER = f"{__name__}.UnloadableEmbedder"

    assert embeddings.get_embedder() is None
    assert "unavailable (ValueError" in embeddings.status()
