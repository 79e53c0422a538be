"""The two search backends behind one small interface.

`get_backend()` returns the backend named by settings.SEARCH_BACKEND: "database" (the
database's own full-text engine: FTS5 on SQLite, tsvector on PostgreSQL) or
"elasticsearch". Backends speak in `Document`s (search/documents.py) and return raw hits;
search/queries.py turns those into what pages show.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils.safestring import SafeString

from search.documents import Document
from search.syntax import ParsedQuery


@dataclass(frozen=True)
class SearchRequest:
    """A parsed query with its filters resolved, as every backend receives it."""

    parsed: ParsedQuery
    kinds: tuple[str, ...]
    category_ids: tuple[int, ...] | None = None  # None: any category
    tags: tuple[str, ...] = ()
    solved: bool | None = None
    unanswered: bool = False
    offset: int = 0
    limit: int = 20
    facets: bool = True
    facet_size: int = 10
    visibilities: tuple[str, ...] = ("public",)  # which documents the viewer may find
    created_after: datetime | None = None  # the date filter: only documents since then


@dataclass(frozen=True)
class Hit:
    key: str
    kind: str
    object_id: int
    question_id: int | None
    title: str
    url: str
    snippet: SafeString
    is_solved: bool
    category_id: int | None
    relevance: float
    votes: int
    answer_count: int
    created_at: datetime
    language: str = "en"  # the document's (search.text.detect_language)
    title_html: SafeString | None = None  # the title, escaped, query words in <mark>


@dataclass(slots=True)
class Candidate:
    """One match of the window a search ranks: what the permission re-check, the folding
    of a thread into its article, the facet counts and the sort orders need, no text.

    A search makes a thousand of them: slotted and not frozen, it costs a sixth of what a
    frozen dataclass did (0.5 against 3 ms a window). Nothing changes one after it is made."""

    ref: object  # the backend's handle for it (a row id, or the document key)
    key: str
    kind: str
    object_id: int
    question_id: int | None
    category_id: int | None
    is_solved: bool
    score: float
    created_at: datetime
    votes: int
    tags: tuple[str, ...] | None = None  # None: the backend counts tags (tag_counts)


@dataclass
class BackendResults:
    """The best matches, best first: every result any page of this search can show.

    `complete` is False when the backend stopped at its window (there are more matches
    than it ranked). Kinds not being shown are only offered: counted (up to a cap) by
    `other_kinds`, or not counted at all (`uncounted_kinds`)."""

    candidates: list[Candidate]
    complete: bool = True
    other_kinds: dict[str, int] = field(default_factory=dict)
    capped_kinds: set[str] = field(default_factory=set)  # other kinds counted up to a cap
    uncounted_kinds: set[str] = field(default_factory=set)


class SearchBackend:
    """What every backend implements. Writes are idempotent; reads never write."""

    name = "base"

    def replace(self, source: str, documents: Sequence[Document]) -> None:
        """Make `documents` the whole of `source` in the index."""
        raise NotImplementedError

    def remove(self, source: str) -> None:
        """Drop every document of `source`; nothing happens when there is none."""
        raise NotImplementedError

    def search(self, request: SearchRequest) -> BackendResults:
        """The window of best matches for `request` (search/queries.py pages through it)."""
        raise NotImplementedError

    def hits(self, request: SearchRequest, candidates: Sequence[Candidate]) -> list[Hit]:
        """Hits for `candidates` (one page of them), in their order, with snippets and
        highlighted titles; a candidate gone from the index since is left out."""
        raise NotImplementedError

    def tag_counts(self, candidates: Sequence[Candidate], size: int) -> list[tuple[str, int]]:
        """The `size` tags most common among `candidates`, with how many hold each."""
        counts = Counter(tag for c in candidates for tag in c.tags or ())
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]

    def similar(
        self, text: str, *, limit: int, exclude: Sequence[str] = (), solved_only: bool = True
    ) -> list[Hit]:
        """Solved threads and articles (any thread with `solved_only=False`) closest to
        `text` (a draft title), less the sources in `exclude`."""
        raise NotImplementedError

    def rebuild(self, batches: Iterable[list[Document]], *, keep_old: bool = False) -> int:
        """Replace the whole index with `batches`, with no moment where search is empty.

        Returns how many documents were indexed. `keep_old` keeps the replaced index
        where there is one to keep (Elasticsearch).
        """
        raise NotImplementedError

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """Document key -> (fingerprint, source) for everything in the index."""
        raise NotImplementedError

    # For `search_check --sample` (an index too large to read whole); the database
    # backend answers each in one query, these defaults read everything.

    def source_fingerprints(self, sources) -> dict[str, tuple[str, str]]:
        """fingerprints() of the documents of `sources` only."""
        wanted = set(sources)
        return {k: v for k, v in self.fingerprints().items() if v[1] in wanted}

    def document_count(self) -> int:
        return len(self.fingerprints())

    def sample_sources(self, size: int, rng) -> set[str]:
        """The sources of about `size` stored documents drawn at random."""
        sources = sorted({source for _, source in self.fingerprints().values()})
        return set(rng.sample(sources, min(size, len(sources))))


_backends: dict[tuple, SearchBackend] = {}


def get_backend() -> SearchBackend:
    """The configured backend, built once per process (and per database vendor)."""
    name = settings.SEARCH_BACKEND
    cache_key = (name, connection.vendor, settings.ELASTICSEARCH_URL, settings.SEARCH_INDEX_PREFIX)
    if cache_key not in _backends:
        _backends[cache_key] = _build(name)
    return _backends[cache_key]


def _build(name: str) -> SearchBackend:
    if name == "database":
        if connection.vendor == "postgresql":
            from search.backends.postgres import PostgresBackend

            return PostgresBackend()
        if connection.vendor == "sqlite":
            from search.backends.sqlite import SQLiteBackend

            return SQLiteBackend()
        raise ImproperlyConfigured(
            f"The database search backend supports SQLite and PostgreSQL, not {connection.vendor}."
        )
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend.from_settings()
    raise ImproperlyConfigured(
        f"SEARCH_BACKEND must be 'database' or 'elasticsearch', not {name!r}."
    )
