"""The two search backends behind one small interface.

`get_backend()` returns the backend named by settings.SEARCH_BACKEND: "database" (the
database's own full-text engine: FTS5 on SQLite, tsvector on PostgreSQL) or
"elasticsearch". Backends speak in `Document`s (search/documents.py) and return raw hits;
search/queries.py turns those into what pages show.
"""

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


@dataclass
class RawFacets:
    kind: dict[str, int] = field(default_factory=dict)
    category: dict[int, int] = field(default_factory=dict)
    solved: dict[bool, int] = field(default_factory=dict)
    tags: list[tuple[str, int]] = field(default_factory=list)
    capped_kinds: set[str] = field(default_factory=set)  # counted up to a limit only
    uncounted_kinds: set[str] = field(default_factory=set)  # offered, but not counted


@dataclass
class BackendResults:
    hits: list[Hit]
    total: int
    facets: RawFacets
    total_is_exact: bool = True  # False: at least `total` (a backend may stop counting)


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
        raise NotImplementedError

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
