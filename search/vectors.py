"""Semantic retrieval on the database backends: stored vectors, and a matrix per process.

What is embedded (docs/search.md, "Semantic search"): a question's title (the words a
customer's question is closest to) blended with the first lines of its accepted answer
(what the thread is about, in other words: `RECIPE`), and a published article's title
and summary. A
vector row (`DocumentVector`) per source is written by the event subscriber
`search.subscribers.embed_thread` / `embed_article` in the task worker, never in the
request; a source that is gone, deleted, held, hidden or unpublished keeps its row with
no vector (a tombstone), so every process sees the removal through the same cheap
"what changed since" check that shows it new vectors.

`VectorIndex` holds every current vector of the configured model in one contiguous
float32 matrix and answers a query by brute-force cosine (a matrix-vector product); from
PREFILTER_ROWS rows on, only over the rows whose sign bits are nearest the query's
(docs/search.md, "Sign bits, then the exact cosine").
Every write of vector rows happens in one transaction that also bumps the counter
`VectorsVersion` (`_write`); before each read the matrix compares that counter with the
version it holds (one primary-key read, whatever the number of vectors) and, when it
moved, reads only the rows written since (index `search_vector_since`). The counter
lives in the database, not the cache: every process (gunicorn workers, the task
worker) sees the same one, and a cache that is down changes nothing.
"""

import hashlib
import logging
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F

from search.documents import indexable_articles, parse_source
from search.embeddings import Embedder, get_embedder
from search.models import DocumentVector, VectorsVersion

logger = logging.getLogger(__name__)

COUNTER = 1  # VectorsVersion's one row (migration 0007 creates it)
QUERY_CACHE = 4096  # query vectors kept per process (the ask form re-sends as one types)
SHARED_QUERY_SECONDS = 7 * 24 * 3600  # ... and in a shared cache, this long
KIND_CODES = {"question": 0, "article": 1}
HEADROOM = 1024  # empty rows a matrix keeps for new vectors (then it grows by a quarter)
# The sign-bit prefilter (docs/search.md, "Sign bits, then the exact cosine"): from this
# many rows on, a query first ranks every row by the Hamming distance of their sign bits
# (48 bytes a row against 1,536 for the floats), then scores RESCORE_SHARE of them, and at
# least RESCORE_MIN, by the exact cosine. Below it the exact product is cheap anyway.
PREFILTER_ROWS = 20_000
RESCORE_SHARE = 0.05
RESCORE_MIN = 1_000


# How a question's vector is made (docs/search.md, "Semantic search"): the normalised
# TITLE_WEIGHT * v(title) + (1 - TITLE_WEIGHT) * v(lead of the accepted answer), each a
# passage embedding; the title alone while no visible answer is accepted. RECIPE is part
# of the stored model identifier (`stored_model`): changing how vectors are made re-embeds
# every row with `search_reindex --vectors`, as a change of model does.
RECIPE = "title0.7+lead0.3"
TITLE_WEIGHT = 0.7
LEAD_CHARS = 300  # the accepted answer's first lines: where an answer says what it is


def stored_model(embedder: Embedder) -> str:
    """The identifier stored with (and required of) every vector: model and recipe."""
    return f"{embedder.model_id}|{RECIPE}"


def vector_parts(source: str) -> list[tuple[str, float]] | None:
    """The (text, weight) passages `source`'s vector is made of now; None when it should
    have no vector."""
    from forum.models import Answer
    from forum.queries import visible_questions

    kind, pk = parse_source(source)
    if kind == "question":
        row = visible_questions().filter(pk=pk).values_list("title", "accepted_answer_id").first()
        if row is None:
            return None
        title, accepted_id = row
        if accepted_id is None:
            return [(title, 1.0)]
        html = (
            Answer.objects.visible_to(None)
            .filter(pk=accepted_id, question_id=pk)
            .values_list("body_html", flat=True)
            .first()
        )
        lead = answer_lead(html or "")
        if not lead:
            return [(title, 1.0)]
        return [(title, TITLE_WEIGHT), (lead, 1.0 - TITLE_WEIGHT)]
    if kind == "article":
        if not apps.is_installed("kb"):
            return None
        row = indexable_articles().filter(pk=pk).values_list("title", "summary").first()
        if row is None:
            return None
        from search.text import clean_text

        title, summary = row
        text = f"{title}. {clean_text(summary or '', 300)}".strip(". ") if summary else title
        return [(text, 1.0)]
    raise ValueError(f"Unknown search source {source!r}.")


def answer_lead(html: str, limit: int = LEAD_CHARS) -> str:
    """The first `limit` characters of an answer's text, cut at a word."""
    from search.text import HEADING_END, HEADING_START, plain_text

    text = plain_text(html, limit + 40).replace(HEADING_START, " ").replace(HEADING_END, ". ")
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[:limit]
        text = cut[: cut.rfind(" ")] if " " in cut else cut
    return text.strip()


def _digest(parts: list[tuple[str, float]]) -> str:
    """Of everything the vector is computed from: a change of any part re-embeds."""
    raw = "\0".join(f"{weight:.3f}\0{text}" for text, weight in parts)
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


def sync_vector(source: str, *, embedder: Embedder | None = None) -> bool:
    """Make `source`'s stored vector match what it holds now. Returns whether it wrote.

    Idempotent: the same passages under the same model and recipe are not embedded again.
    Without an embedder (semantic search off) it does nothing; `search_reindex --vectors`
    catches up.
    """
    embedder = embedder or get_embedder()
    if embedder is None:
        return False
    parts = vector_parts(source)
    current = DocumentVector.objects.filter(key=source).first()
    if parts is None:
        if current is None or not current.vector:
            return False
        _write([(source, {"vector": b"", "text_digest": ""})])
        return True
    digest = _digest(parts)
    if (
        current is not None
        and current.vector
        and current.text_digest == digest
        and current.model == stored_model(embedder)
    ):
        return False
    _write([(source, _row(source, embedder, digest, embed_passages(embedder, [parts])[0]))])
    return True


def _row(source: str, embedder: Embedder, digest: str, vector: np.ndarray) -> dict:
    kind, pk = parse_source(source)
    return {
        "kind": kind,
        "object_id": pk,
        "model": stored_model(embedder),
        "text_digest": digest,
        "vector": np.ascontiguousarray(vector, dtype=np.float32).tobytes(),
    }


def _write(rows: list[tuple[str, dict]]) -> int:
    """Write vector rows (key, fields) in one transaction that bumps the counter; returns
    the new version. Every write of `DocumentVector` goes through here, or the matrices
    of running processes would not hear of it."""
    rows = list(dict(rows).items())  # a key twice: its last fields
    with transaction.atomic():
        version = bump_version()
        keys = [key for key, _ in rows]
        existing = set(DocumentVector.objects.filter(key__in=keys).values_list("key", flat=True))
        for key, fields in rows:
            if key in existing:
                DocumentVector.objects.filter(key=key).update(**fields, version=version)
        # New rows in one INSERT a batch (a first `search_reindex --vectors`).
        DocumentVector.objects.bulk_create(
            [
                DocumentVector(key=key, **fields, version=version)
                for key, fields in rows
                if key not in existing
            ],
            batch_size=500,
        )
    return version


def bump_version() -> int:
    """Move the counter on, inside the caller's transaction. The UPDATE's row lock is
    held to the commit, so writers queue on it: a version is visible only after every
    lower one has committed, and a reader that saw N never misses a row written at N or
    below."""
    token = secrets.token_hex(8)
    counter = VectorsVersion.objects.filter(pk=COUNTER)
    if not counter.update(version=F("version") + 1, token=token):
        try:
            with transaction.atomic():  # the row is gone (a flushed test database)
                VectorsVersion.objects.create(pk=COUNTER, version=1, token=token)
        except IntegrityError:  # another writer made it first
            counter.update(version=F("version") + 1, token=token)
    return counter.values_list("version", flat=True).get()


def current_version() -> tuple[int, str]:
    """(version, token) of the vectors as committed now: one primary-key read."""
    row = VectorsVersion.objects.filter(pk=COUNTER).values_list("version", "token").first()
    return row or (0, "")


def reembed(*, all_rows: bool = False, batch_size: int = 64, stdout=None) -> int:
    """Embed every source whose vector is missing or made by another model (all of them
    with `all_rows`); drop vectors of sources that should have none. Returns rows written.
    """
    from search.documents import article_source, indexable_questions, question_source

    embedder = get_embedder()
    if embedder is None:
        return 0
    sources = [
        question_source(pk) for pk in indexable_questions().values_list("pk", flat=True).order_by()
    ]
    if apps.is_installed("kb"):
        sources += [article_source(pk) for pk in indexable_articles().values_list("pk", flat=True)]
    current = {
        key: (model, bool(vector))
        for key, model, vector in DocumentVector.objects.values_list("key", "model", "vector")
    }
    wanted = set(sources)
    todo = [
        s
        for s in sources
        if all_rows or current.get(s, ("", False)) != (stored_model(embedder), True)
    ]
    written = 0
    for start in range(0, len(todo), batch_size):
        chunk = todo[start : start + batch_size]
        parts = {s: vector_parts(s) for s in chunk}
        chunk = [s for s in chunk if parts[s]]
        if not chunk:
            continue
        vectors = embed_passages(embedder, [parts[s] for s in chunk])
        _write(
            [
                (source, _row(source, embedder, _digest(parts[source]), vector))
                for source, vector in zip(chunk, vectors, strict=True)
            ]
        )
        written += len(chunk)
        if stdout is not None:
            stdout.write(f"  embedded {start + len(chunk)} of {len(todo)}")
    gone = [key for key, (_, has) in current.items() if has and key not in wanted]
    for key in gone:
        sync_vector(key, embedder=embedder)
    return written + len(gone)


def embed_passages(embedder: Embedder, sources: list[list[tuple[str, float]]]) -> np.ndarray:
    """The stored vectors of `vector_parts` results: every passage embedded in one batch,
    each source's weighted sum normalised."""
    from search.embeddings import normalised

    texts = [text for parts in sources for text, _ in parts]
    embedded = embedder.embed(texts, kind="passage") if texts else None
    out = np.zeros((len(sources), embedder.dimensions), dtype=np.float32)
    row = 0
    for index, parts in enumerate(sources):
        for _, weight in parts:
            out[index] += weight * embedded[row]
            row += 1
    return normalised(out)


@dataclass(frozen=True)
class Neighbour:
    key: str
    cosine: float


class VectorIndex:
    """Every vector of one model in a contiguous float32 matrix, kept in step incrementally."""

    def __init__(self, model_id: str, dimensions: int) -> None:
        self.model_id = model_id
        self.dimensions = dimensions
        self.words = -(-dimensions // 64)  # sign bits per row, in 64-bit words
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.matrix = np.zeros((0, self.dimensions), dtype=np.float32)
        # Word-major (one contiguous array per 64 dimensions): the Hamming distance is then
        # six passes over contiguous words, not a sum across each short row (0.8 ms
        # against 5 at 100,000 rows).
        self.bits = np.zeros((self.words, 0), dtype=np.uint64)
        self.center = np.zeros(self.dimensions, dtype=np.float32)
        self.centered_on = 0  # the rows the centre was taken over
        self.alive = np.zeros(0, dtype=bool)
        self.kinds = np.zeros(0, dtype=np.int8)
        self.keys: list[str] = []
        self.row_of: dict[str, int] = {}
        self.size = 0
        self.seen: tuple[int, str] | None = None  # the counter (version, token) held

    def __len__(self) -> int:
        return int(self.alive[: self.size].sum())

    @property
    def nbytes(self) -> int:
        return self.matrix.nbytes + self.bits.nbytes + self.alive.nbytes + self.kinds.nbytes

    def refresh(self) -> None:
        """Catch up with the table: one primary-key read; when the counter moved, the
        rows written since (all of them the first time, or when history was rewritten:
        the same or a lower version than the one held, as a rolled-back test's)."""
        state = current_version()
        if state == self.seen:
            return
        rows = DocumentVector.objects.filter(model=self.model_id)
        with self._lock:
            if state == self.seen:  # another thread caught up meanwhile
                return
            # Rows newer than `state` may come too (committed since): reading them again
            # next time is harmless.
            if self.seen is None or state[0] <= self.seen[0]:
                self._load(rows.count(), rows.values_list("key", "vector").iterator(2000))
            else:
                rows = rows.filter(version__gt=self.seen[0])
                self._apply(rows.values_list("key", "vector").iterator(2000))
            self.seen = state

    def _load(self, count: int, rows) -> None:
        """Every row (the first read, or a reload) into a matrix of `count` rows plus
        HEADROOM, filled in place: growing by doubling left a quarter of the 100,000-row
        matrix empty (192 MiB for 147; docs/search.md, "Latency"). Rows committed after
        the count are appended as usual."""
        self._reset()
        capacity = count + HEADROOM
        self.matrix = np.zeros((capacity, self.dimensions), dtype=np.float32)
        self.bits = np.zeros((self.words, capacity), dtype=np.uint64)
        self.alive = np.zeros(capacity, dtype=bool)
        self.kinds = np.full(capacity, -1, dtype=np.int8)
        self._apply(rows, encode=False)
        self._recenter()

    def _recenter(self) -> None:
        """Sign bits are taken about the mean of the live vectors: e5's vectors share a
        large common component, so raw signs would be nearly the same for every row. The
        centre is fixed at a load, and taken again (every row re-encoded, about 50 ms at
        100,000) once the rows have more than doubled since: new rows are encoded about it.
        """
        live = self.matrix[: self.size][self.alive[: self.size]]
        self.center = live.mean(axis=0) if len(live) else np.zeros(self.dimensions, np.float32)
        self.centered_on = self.size
        if self.size:
            self._encode(np.arange(self.size))

    def _encode(self, rows: np.ndarray) -> None:
        self.bits[:, rows] = self._signs(self.matrix[rows]).T

    def _signs(self, vectors: np.ndarray) -> np.ndarray:
        """(rows, words) uint64: bit d of a row is set where dimension d is above centre."""
        above = np.zeros((len(vectors), self.words * 64), dtype=bool)
        above[:, : self.dimensions] = vectors > self.center
        return np.packbits(above, axis=1).view(np.uint64)

    def _apply(self, rows, *, encode: bool = True) -> None:
        changed = []
        for key, vector in rows:
            row = self.row_of.get(key)
            if row is None:
                row = self._append(key)
            data = bytes(vector) if vector else b""
            if data:
                self.matrix[row] = np.frombuffer(data, dtype=np.float32)
                self.alive[row] = True
            else:
                self.matrix[row] = 0.0
                self.alive[row] = False
            changed.append(row)
        if encode and changed:
            if self.size > 2 * self.centered_on and self.size >= PREFILTER_ROWS // 2:
                self._recenter()
            else:
                self._encode(np.array(changed))

    def _append(self, key: str) -> int:
        if self.size == len(self.matrix):
            capacity = max(HEADROOM, len(self.matrix) + len(self.matrix) // 4)
            for name, dtype, shape in (
                ("matrix", np.float32, (capacity, self.dimensions)),
                ("alive", bool, (capacity,)),
                ("kinds", np.int8, (capacity,)),
            ):
                grown = np.zeros(shape, dtype=dtype)
                grown[: self.size] = getattr(self, name)[: self.size]
                setattr(self, name, grown)
            bits = np.zeros((self.words, capacity), dtype=np.uint64)
            bits[:, : self.size] = self.bits[:, : self.size]
            self.bits = bits
        row = self.size
        self.size += 1
        self.keys.append(key)
        self.row_of[key] = row
        self.kinds[row] = KIND_CODES.get(key.partition(":")[0], -1)
        return row

    def nearest(
        self, query: np.ndarray, *, limit: int, kinds=("question", "article"), exclude=()
    ) -> list[Neighbour]:
        """The `limit` live vectors of `kinds` with the highest cosine to `query`: exact
        below PREFILTER_ROWS rows; above, exact among the rows whose sign bits are nearest
        (`_prefiltered`)."""
        with self._lock:
            size = self.size
            if not size or limit <= 0:
                return []
            allowed = self.alive[:size].copy()
            codes = {KIND_CODES[k] for k in kinds if k in KIND_CODES}
            if len(codes) < len(KIND_CODES):
                wanted = np.zeros(size, dtype=bool)
                for code in codes:  # `==` per kind: a tenth of what np.isin costs here
                    wanted |= self.kinds[:size] == code
                allowed &= wanted
            for key in exclude:
                if (row := self.row_of.get(key)) is not None:
                    allowed[row] = False
            count = min(limit, int(allowed.sum()))
            if count <= 0:
                return []
            if size >= PREFILTER_ROWS:
                rows = self._prefiltered(query, allowed, count)
                scores = self.matrix[rows] @ query
            else:
                scores = np.where(allowed, self.matrix[:size] @ query, -np.inf)
                rows = np.arange(size)
            top = np.argpartition(-scores, count - 1)[:count]
            top = top[np.argsort(-scores[top], kind="stable")]
            return [Neighbour(self.keys[rows[i]], float(scores[i])) for i in top]

    def _prefiltered(self, query: np.ndarray, allowed: np.ndarray, count: int) -> np.ndarray:
        """The allowed rows whose sign bits differ least from the query's: RESCORE_SHARE of
        the rows (at least RESCORE_MIN, and at least `count`) for the exact cosine."""
        size = len(allowed)
        signs = self._signs(query[None, :])[0]
        distance = np.bitwise_count(self.bits[0, :size] ^ signs[0]).astype(np.int16)
        for word in range(1, self.words):
            distance += np.bitwise_count(self.bits[word, :size] ^ signs[word])
        far = self.words * 64 + 1  # farther than any row can be
        distance[~allowed] = far
        wanted = max(count, RESCORE_MIN, int(size * RESCORE_SHARE))
        # The distance is a small integer, so the cut is read off its histogram (0.2 ms,
        # against 1.2 for a partition): every row at most `limit` bits away, ties kept.
        reached = np.cumsum(np.bincount(distance, minlength=far + 1)[:far])
        limit = int(np.searchsorted(reached, wanted))
        return np.flatnonzero(distance <= min(limit, far - 1))

    def vector_of(self, key: str) -> np.ndarray | None:
        with self._lock:
            row = self.row_of.get(key)
            if row is None or not self.alive[row]:
                return None
            return self.matrix[row].copy()


_indexes: dict[str, VectorIndex] = {}
_query_vectors: OrderedDict = OrderedDict()
_query_lock = threading.Lock()


def forget_matrices() -> None:
    """Drop this process's matrices (tests: a rollback rewinds the counter)."""
    _indexes.clear()


def get_index() -> VectorIndex | None:
    """This process's matrix for the configured model, refreshed; None without an embedder."""
    embedder = get_embedder()
    if embedder is None:
        return None
    model = stored_model(embedder)
    index = _indexes.get(model)
    if index is None:
        index = _indexes.setdefault(model, VectorIndex(model, embedder.dimensions))
    index.refresh()
    return index


def query_vector(text: str) -> np.ndarray | None:
    """The query embedding of `text`; None without an embedder, or when the embedder
    fails (logged): the search that asked runs on its words alone.

    Embedding a query is most of what a hybrid search costs (20 to 40 ms on one core), so
    each vector is kept per process (QUERY_CACHE, least recently used first out) and, when
    the site's cache is shared (Redis), there too, for the other workers: the ask form
    re-sends a title as it is typed, and a search is often repeated from its page links.
    Keyed by the model and the text with its spacing and case normalised (as before: the
    same words typed in another case share the vector of the first).
    """
    embedder = get_embedder()
    if embedder is None:
        return None
    normal = " ".join(text.split()).lower()
    key = (embedder.model_id, normal)
    with _query_lock:
        if key in _query_vectors:
            _query_vectors.move_to_end(key)
            return _query_vectors[key]
    shared = _shared_cache()
    shared_key = _shared_key(embedder.model_id, normal)
    vector = None
    if shared is not None:
        data = shared.get(shared_key)
        if isinstance(data, bytes) and len(data) == 4 * embedder.dimensions:
            vector = np.frombuffer(data, dtype=np.float32)
    if vector is None:
        try:
            vector = embedder.embed([text], kind="query")[0]
        except Exception:  # a broken model degrades search to its words, never a 500
            logger.exception("The query embedding failed; this search is lexical only.")
            return None
        if shared is not None:
            shared.set(shared_key, vector.tobytes(), SHARED_QUERY_SECONDS)
    with _query_lock:
        _query_vectors[key] = vector
        while len(_query_vectors) > QUERY_CACHE:
            _query_vectors.popitem(last=False)
    return vector


def _shared_cache():
    """The site's cache when other processes share it; None for the per-process ones
    (local memory, dummy), where the dictionary above already does its job. A shared
    cache that is down reads as empty (core.cache.FailSafeRedisCache)."""
    from django.core.cache import caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    return None if isinstance(cache, LocMemCache | DummyCache) else cache


def _shared_key(model_id: str, normal: str) -> str:
    # A digest: cache keys have a length limit and may not hold spaces (memcached).
    digest = hashlib.sha1(f"{model_id}\0{normal}".encode(), usedforsecurity=False).hexdigest()
    return f"search:qv:{digest}"
