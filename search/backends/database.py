"""The embedded backend: the database's own full-text engine, on SQLite or PostgreSQL.

Documents live in `SearchDocument` (plain text plus filter and ranking facts) with their
tags in `DocumentTag`; each vendor adds its full-text index (see migration 0002) and says
how to match, rank and highlight (sqlite.py, postgres.py). Everything else, the filters,
the facet counts, the ordering and the writes, is the same SQL on both and lives here.

Ranking is relevance times the document's boost (solved threads and articles first,
votes on a log scale; see documents.ranking_boost), then newest first.

Customers type whole sentences, so queries match ANY of their meaningful words (OR). A
word found in a large share of all documents ("google" on a Google-help forum) would make
nearly every document a match and every query slow, while adding little to the ranking.
So, like Lucene's CommonTermsQuery, such words only rank: documents are selected by the
query's rarer words (`select`), using per-word document counts kept in LexemeStat. When
even the rare words together would select a few thousand documents, a document must hold
two of them (Elasticsearch's minimum_should_match); when every word is common, the
rarest three must all appear. A forum of a few thousand posts never reaches either limit
and simply matches any word.
"""

import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe

from search import fusion
from search.backends import BackendResults, Candidate, Hit, SearchBackend, SearchRequest
from search.documents import Document
from search.models import DocumentTag, Kind, LexemeStat, SearchDocument
from search.syntax import ParsedQuery
from search.text import highlight, highlighted, mark_words, query_stems

DOCS = SearchDocument._meta.db_table
TAGS = DocumentTag._meta.db_table
STATS = LexemeStat._meta.db_table
THREAD_KINDS = (Kind.QUESTION.value, Kind.ARTICLE.value)
# A word in more than this share of all documents, and in more than MIN_COMMON of them,
# ranks but does not select (small forums just match any word).
COMMON_SHARE = 0.05
MIN_COMMON = 200
ALL_OF_COMMON = 3  # when every word is common, documents must hold this many rarest ones
# When OR over the rare words would still match more documents than this, a document
# must hold two of them (of the PAIRED rarest, so at most 6 pairs): ranking costs per
# matching row, and on PostgreSQL it is tens of microseconds a row. Measured on 100,000
# threads (docs/search.md): 8 words to pair and 2 common words to require gave a p95 of
# 200 ms on PostgreSQL; 4 and 3 gave 90 ms.
BROAD_MATCH = 3000
PAIRED = 4
SOLVED_FILTER = "d.is_solved = %s"
SNIPPET_SOURCE_LIMIT = 4000  # characters of each field a snippet is cut from
OTHER_KINDS_CAP = 100  # kinds not shown are counted up to this ("Answers 100+")
SOLVED_OVERFETCH = 4  # similar(): nearest threads asked for, per solved one wanted
WINDOW = 1000  # best matches ranked per search: 50 pages of 20, and the facets' sample
STALE_STATISTICS = 0.1  # recount word statistics when the document count moved this much
# How often a process asks whether they moved that much (TANYA_SEARCH_STATISTICS_CHECK_SECONDS,
# 60): the question is a COUNT over every document (5 million at a million questions, about
# a second on PostgreSQL), so it is asked at most once per that many seconds per process,
# not on every write (docs/search.md, "Word statistics").
_last_statistics_check = float("-inf")

# What the window needs of each ranked row beyond (id, kind, category, solved, rank): read
# by the ranking query itself from the row it already joins, not by a second query over
# the window's thousand ids (docs/search.md, "Latency").
FACTS = "d.key, d.object_id, d.question_id, d.created_at, d.votes"

_COLUMNS = (
    "d.id, d.key, d.kind, d.object_id, d.question_id, d.title, d.url, d.is_solved, "
    "d.category_id, d.votes, d.answer_count, d.created_at, d.language"
)


@dataclass
class Match:
    """How one vendor matches a query: FROM clause, WHERE condition, relevance expression.

    `relevance` is SQL for a number where higher is better; parameters follow the order
    the pieces appear in the statement (FROM, then WHERE, relevance is in SELECT, first).
    """

    from_sql: str
    condition: str
    relevance: str
    from_params: list = field(default_factory=list)
    condition_params: list = field(default_factory=list)
    relevance_params: list = field(default_factory=list)


@dataclass
class Selection:
    """The words documents must hold: any of `any_of`, two of `two_of`, or all of `all_of`
    (exactly one of the three is set)."""

    any_of: list[str] = field(default_factory=list)
    two_of: list[str] = field(default_factory=list)
    all_of: list[str] = field(default_factory=list)
    common: list[str] = field(default_factory=list)  # in more documents than COMMON_SHARE
    total: int = 0
    frequencies: dict[str, int] = field(default_factory=dict)


_BROWSE = Match(from_sql=f"{DOCS} d", condition="1 = 1", relevance="1.0")


class DatabaseBackend(SearchBackend):
    name = "database"
    count_other_kinds = True  # whether the kind facet counts kinds not being shown

    # --- What each vendor provides ------------------------------------------------------

    def _match(self, parsed: ParsedQuery, *, beside_embedding: bool = False) -> Match | None:
        """How to find `parsed`'s words and phrases; None when nothing can match.

        `beside_embedding`: the query's embedding ranks the same search, reading the
        question whole, so the words too common to select documents (Selection.common)
        need not be scored here as well (docs/search.md, "seventh pass")."""
        raise NotImplementedError

    def _exclusion(self, parsed: ParsedQuery) -> tuple[str, list]:
        """A condition on `d` leaving out documents with an excluded word or phrase."""
        raise NotImplementedError

    def _snippets(self, ids: list[int], parsed: ParsedQuery) -> dict[int, SafeString]:
        """The page's snippets, cut from the stored text around the query's words (each
        document in its own language, text.highlight): the same code on both vendors.

        PostgreSQL used `ts_headline`, which parses all it is given: 9 ms p50, 20 ms p95
        for a page of 20 at 100,000 threads, against 5 and 7 ms here on the same rows
        (docs/search.md, "Latency")."""
        wanted = wanted_stems(parsed)
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, language, substr(body, 1, %s), substr(accepted, 1, %s), "  # noqa: S608
                f"substr(answers, 1, %s) FROM {DOCS} WHERE id IN ({marks})",
                [SNIPPET_SOURCE_LIMIT] * 3 + ids,
            )
            rows = cursor.fetchall()
        return {
            pk: highlight(" … ".join(t for t in texts if t), language, wanted)
            for pk, language, *texts in rows
        }

    def _index_fulltext(self, cursor, documents: Sequence[tuple[int, Document]]) -> None:
        """Add the full-text entries of freshly inserted document rows (id, document)."""

    def _unindex_fulltext(self, cursor, ids: list[int]) -> None:
        """Drop the full-text entries of document rows about to be deleted."""

    def _clear_fulltext(self, cursor) -> None:
        """Drop every full-text entry."""

    def _optimize(self, cursor) -> None:
        """Compact the full-text index after a rebuild."""

    def _refresh_statistics(self, cursor) -> None:
        """Recount LexemeStat from the full-text index (and its total under '')."""
        raise NotImplementedError

    def _frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(documents counted, word -> documents holding it) from LexemeStat."""
        raise NotImplementedError

    def select(self, words: Sequence[str]) -> Selection:
        """Which of the query's words select documents (see the module docstring).

        Any rare word selects, unless together they would select more than BROAD_MATCH
        documents: then two of the rarest words must (topped up with the rarest common
        word when only one is rare). If every word is common, the ALL_OF_COMMON rarest
        must all appear. A word missing from the statistics counts as rare: it may be newer.
        """
        total, frequencies = self._frequencies(words)

        def count(word: str) -> int:
            return frequencies.get(word, 0)

        limit = max(MIN_COMMON, COMMON_SHARE * total)
        selective = [w for w in words if count(w) <= limit]
        common = sorted((w for w in _distinct(words) if count(w) > limit), key=count)
        if not selective and words:
            rarest = common[:ALL_OF_COMMON]
            return Selection(
                all_of=[w for w in words if w in rarest],
                common=common,
                total=total,
                frequencies=frequencies,
            )
        pool = sorted(_distinct(selective), key=count)[:PAIRED]
        if len(pool) < 2:
            pool += common[:1]
        if sum(count(w) for w in selective) <= BROAD_MATCH or len(pool) < 2:
            return Selection(any_of=selective, common=common, total=total, frequencies=frequencies)
        return Selection(
            two_of=[w for w in words if w in pool],
            common=common,
            total=total,
            frequencies=frequencies,
        )

    def refresh_statistics(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {STATS}")  # noqa: S608
            self._refresh_statistics(cursor)

    def _statistics_stale(self) -> bool:
        counted = LexemeStat.objects.filter(lexeme="").values_list("documents", flat=True).first()
        documents = SearchDocument.objects.count()
        return counted is None or abs(documents - counted) > max(20, STALE_STATISTICS * counted)

    # --- Writes -------------------------------------------------------------------------

    @transaction.atomic
    def replace(self, source: str, documents: Sequence[Document]) -> None:
        self._delete_sources([source])
        self._insert(documents)
        if _statistics_check_due() and self._statistics_stale():
            self.refresh_statistics()

    @transaction.atomic
    def remove(self, source: str) -> None:
        self._delete_sources([source])

    @transaction.atomic
    def rebuild(self, batches: Iterable[list[Document]], *, keep_old: bool = False) -> int:
        # One transaction: readers see the old index until the new one is complete.
        with connection.cursor() as cursor:
            self._clear_fulltext(cursor)
            cursor.execute(f"DELETE FROM {TAGS}")  # noqa: S608 - table names are ours
            cursor.execute(f"DELETE FROM {DOCS}")  # noqa: S608
        count = 0
        for batch in batches:
            self._insert(batch)
            count += len(batch)
        with connection.cursor() as cursor:
            self._optimize(cursor)
        self.refresh_statistics()
        return count

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        rows = SearchDocument.objects.values_list("key", "fingerprint", "source")
        return {key: (fingerprint, source) for key, fingerprint, source in rows}

    def source_fingerprints(self, sources) -> dict[str, tuple[str, str]]:
        rows = SearchDocument.objects.filter(source__in=list(sources)).values_list(
            "key", "fingerprint", "source"
        )
        return {key: (fingerprint, source) for key, fingerprint, source in rows}

    def document_count(self) -> int:
        return SearchDocument.objects.count()

    def sample_sources(self, size: int, rng) -> set[str]:
        from django.db.models import Max, Min

        bounds = SearchDocument.objects.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return set()
        drawn = {rng.randint(bounds["low"], bounds["high"]) for _ in range(size)}
        rows = SearchDocument.objects.filter(pk__in=drawn).values_list("source", flat=True)
        return set(rows)

    def _delete_sources(self, sources: list[str]) -> None:
        ids = list(SearchDocument.objects.filter(source__in=sources).values_list("pk", flat=True))
        if not ids:
            return
        with connection.cursor() as cursor:
            self._unindex_fulltext(cursor, ids)
        DocumentTag.objects.filter(document_id__in=ids).delete()
        SearchDocument.objects.filter(pk__in=ids).delete()

    def _insert(self, documents: Sequence[Document]) -> None:
        if not documents:
            return
        rows = SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    key=doc.key,
                    source=doc.source,
                    kind=doc.kind,
                    object_id=doc.object_id,
                    question_id=doc.question_id,
                    title=doc.title,
                    body=doc.body,
                    accepted=doc.accepted,
                    answers=doc.answers,
                    tags=" ".join(doc.tags),
                    category_id=doc.category_id,
                    language=doc.language,
                    is_solved=doc.is_solved,
                    answer_count=doc.answer_count,
                    is_open=doc.is_open,
                    votes=doc.votes,
                    boost=doc.boost,
                    url=doc.url,
                    created_at=doc.created_at,
                    fingerprint=doc.fingerprint,
                )
                for doc in documents
            ],
            batch_size=500,
        )
        DocumentTag.objects.bulk_create(
            [
                DocumentTag(document_id=row.pk, name=tag)
                for row, doc in zip(rows, documents, strict=True)
                for tag in doc.tags
            ],
            batch_size=1000,
        )
        with connection.cursor() as cursor:
            self._index_fulltext(
                cursor, [(row.pk, doc) for row, doc in zip(rows, documents, strict=True)]
            )

    # --- Reads --------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> BackendResults:
        """The best WINDOW matches, ranked once: every page, the facets and the total come
        from them (search/queries.py re-checks, folds and counts them).

        Scoring every match is what a query costs, so it happens once: the window holds
        every result the 50 pages can show (the best thousand matches of an OR query,
        which are the ones anyone means).
        """
        parsed = request.parsed
        # Required phrases ask for those words: the embedding, which finds what a query
        # means without its words, joins only free-word queries.
        semantic = parsed.has_text and not parsed.phrases and bool(parsed.terms)
        window = max(WINDOW, request.offset + request.limit)
        # The query's embedding and the matrix scan run in a worker thread while the
        # lexical queries run here (both release the GIL): a search costs the longer of
        # the two, not their sum. So the thread starts first, and every query that does
        # not need its result (word statistics, ranking, the other kinds' counts) runs
        # before its result is waited for.
        pending = (
            self.start_semantic(
                " ".join(parsed.terms),
                kinds=request.kinds,
                limit=fusion.PARAMS.semantic_candidates,
            )
            if semantic
            else None
        )
        match = (
            self._match(_lexical(parsed, pending), beside_embedding=pending is not None)
            if parsed.has_text
            else _BROWSE
        )
        if match is None and pending is None:
            return BackendResults(candidates=[])
        filters, filter_params = self._filters(request)
        if parsed.excluded and not parsed.has_text:
            exclusion, exclusion_params = self._exclusion(parsed)
            filters.append(exclusion)
            filter_params += exclusion_params
        ranked: list[tuple] = []
        if match is not None:
            sql, params = self._ranking(match, filters, filter_params, request.kinds, window)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                ranked = cursor.fetchall()
        results = BackendResults(candidates=[])
        if request.facets and match is not None:  # found by meaning alone: no words to count
            for kind in Kind.values:
                if kind in request.kinds:
                    continue
                if not self.count_other_kinds:
                    results.uncounted_kinds.add(kind)
                    continue
                count = self._count(match, filters, filter_params, kind, OTHER_KINDS_CAP)
                if count:
                    results.other_kinds[kind] = count
                if count >= OTHER_KINDS_CAP:
                    results.capped_kinds.add(kind)
        if pending is not None:
            conditions, condition_params = list(filters), list(filter_params)
            if parsed.excluded:
                exclusion, exclusion_params = self._exclusion(parsed)
                conditions.append(exclusion)
                condition_params += exclusion_params
            nearest = self.semantic_rows(pending, conditions=conditions, params=condition_params)
            ranked = fusion.fuse(ranked, nearest)[:window]
        results.candidates = self._candidates(ranked)
        results.complete = len(ranked) < window
        return results

    def _candidates(self, ranked: list[tuple]) -> list[Candidate]:
        """Candidates for ranked (id, kind, category, solved, score, *FACTS) rows, in their
        order."""
        return [
            Candidate(
                ref=row[0],
                key=row[5],
                kind=row[1],
                object_id=row[6],
                question_id=row[7],
                category_id=row[2],
                is_solved=bool(row[3]),
                score=float(row[4]),
                created_at=_aware(row[8]),
                votes=row[9],
            )
            for row in ranked
        ]

    def hits(self, request: SearchRequest, candidates: Sequence[Candidate]) -> list[Hit]:
        rows = [(c.ref, c.kind, c.category_id, c.is_solved, c.score) for c in candidates]
        return self._hits(rows, request.parsed)

    def tag_counts(self, candidates: Sequence[Candidate], size: int) -> list[tuple[str, int]]:
        ids = [c.ref for c in candidates]
        if not ids:
            return []
        among, params = self._among("document_id", ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name, COUNT(*) AS n FROM {TAGS} WHERE {among} "  # noqa: S608
                "GROUP BY name ORDER BY n DESC, name LIMIT %s",
                [*params, size],
            )
            return [(name, count) for name, count in cursor.fetchall()]

    def _ranking(
        self,
        match: Match,
        filters: list[str],
        filter_params: list,
        kinds: Sequence[str],
        window: int,
    ) -> tuple[str, list]:
        """SQL for the best `window` matches: (id, kind, category, solved, rank, *FACTS)
        rows."""
        kinds_sql, kinds_params = self._kinds_condition(match, kinds)
        where = " AND ".join([match.condition, *filters, kinds_sql])
        sql = (
            "SELECT d.id, d.kind, d.category_id, d.is_solved, "  # noqa: S608
            f"({match.relevance}) * d.boost AS rank, {FACTS} FROM {match.from_sql} WHERE {where} "
            "ORDER BY rank DESC, d.created_at DESC, d.id DESC LIMIT %s"
        )
        params = [
            *match.relevance_params,
            *match.from_params,
            *match.condition_params,
            *filter_params,
            *kinds_params,
            window,
        ]
        return sql, params

    def _hits(self, ranked: list[tuple], parsed: ParsedQuery) -> list[Hit]:
        """Hits for ranked (id, kind, category, solved, rank) rows, in their order."""
        if not ranked:
            return []
        ids = [row[0] for row in ranked]
        rank_of = {row[0]: row[4] for row in ranked}
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {_COLUMNS} FROM {DOCS} d WHERE d.id IN ({marks})", ids)  # noqa: S608
            rows = {row[0]: row for row in cursor.fetchall()}
        snippets = self._snippets(ids, parsed) if parsed.has_text else {}
        wanted = wanted_stems(parsed)
        hits = []
        for pk in ids:
            if pk not in rows:
                continue
            hit = _hit((*rows[pk], rank_of[pk]), snippets.get(pk, mark_safe("")))
            title = mark_words(hit.title, hit.language, wanted) if wanted else None
            hits.append(replace(hit, title_html=title))
        return hits

    def _count(
        self, match: Match, filters: list[str], filter_params: list, kind: str, limit: int
    ) -> int:
        """Matches of one kind not being shown, counted up to `limit` (no ranking)."""
        kinds_sql, kinds_params = self._kinds_condition(match, [kind])
        where = " AND ".join([match.condition, *filters, kinds_sql])
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {match.from_sql} WHERE {where} "  # noqa: S608
                "LIMIT %s) hits",
                [*match.from_params, *match.condition_params, *filter_params, *kinds_params, limit],
            )
            return cursor.fetchone()[0]

    def _kinds_condition(self, match: Match, kinds: Sequence[str]) -> tuple[str, list]:
        return f"d.kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)

    def _among(self, column: str, ids: Sequence[int | str]) -> tuple[str, list]:
        """SQL for `column` being one of `ids` (a window's thousand ids, or keys), with its
        parameters: an `IN` list here; PostgreSQL passes one array (postgres.py)."""
        return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)

    def _filters(self, request: SearchRequest) -> tuple[list[str], list]:
        """Conditions on `d` for every filter but the kind (facets count all kinds)."""
        conditions: list[str] = []
        params: list = []
        if request.category_ids is not None:
            if not request.category_ids:
                conditions.append("1 = 0")
            else:
                marks = ", ".join(["%s"] * len(request.category_ids))
                conditions.append(f"d.category_id IN ({marks})")
                params += list(request.category_ids)
        if request.solved is not None:
            conditions.append(SOLVED_FILTER)
            params.append(request.solved)
        if request.created_after is not None:
            conditions.append("d.created_at >= %s")
            params.append(request.created_after)
        if request.unanswered:  # open questions with no answer: no articles, no answers
            conditions.append("d.kind = 'question' AND d.is_open AND d.answer_count = 0")
        for tag in request.tags:
            conditions.append(f"d.id IN (SELECT document_id FROM {TAGS} WHERE name = %s)")  # noqa: S608
            params.append(tag)
        return conditions, params

    def similar(
        self, text: str, *, limit: int, exclude: Sequence[str] = (), solved_only: bool = True
    ) -> list[Hit]:
        """Solved threads and articles (any thread with `solved_only=False`) closest to
        `text`, by words and by meaning; `exclude` names sources to leave out (the thread
        a "Related questions" box sits on)."""
        from search.syntax import parse_query

        parsed = parse_query(text)
        parsed = ParsedQuery(terms=parsed.terms + tuple(w for p in parsed.phrases for w in p))
        if not parsed.keywords:
            return []
        filters, filter_params = ([SOLVED_FILTER], [True]) if solved_only else ([], [])
        if exclude:
            filters.append(f"d.key NOT IN ({', '.join(['%s'] * len(exclude))})")
            filter_params += list(exclude)
        candidates = max(limit, fusion.PARAMS.similar_candidates)
        # The matrix does not know which threads are solved, and on a forum most are not
        # (two thirds of the latency benchmark's): of the `candidates` nearest threads the
        # solved filter below would keep a third. So it is asked for SOLVED_OVERFETCH times
        # as many, and the nearest `candidates` of the solved ones are kept.
        nearest_limit = candidates * SOLVED_OVERFETCH if solved_only else candidates
        # As in search(): embedding and matrix scan meanwhile, in a worker thread.
        pending = self.start_semantic(
            text, kinds=THREAD_KINDS, limit=nearest_limit, exclude=exclude
        )
        ranked: list[tuple] = []
        match = self._match(_lexical(parsed, pending), beside_embedding=pending is not None)
        if match is not None:
            sql, params = self._ranking(match, filters, filter_params, THREAD_KINDS, candidates)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                ranked = cursor.fetchall()
        nearest = self.semantic_rows(pending, conditions=filters, params=filter_params)
        nearest = sorted(nearest, key=lambda row: -row[5])[:candidates]  # by cosine
        ranked = fusion.fuse(ranked, nearest)
        return self._hits(ranked[:limit], ParsedQuery())

    def semantic(
        self,
        text: str,
        *,
        kinds: Sequence[str],
        conditions: Sequence[str] = (),
        params: Sequence = (),
        limit: int,
        exclude: Sequence[str] = (),
    ) -> list[tuple]:
        """The documents whose vectors are nearest `text`'s that pass `conditions` (SQL on
        `d`): (id, kind, category, solved, boost, cosine) rows. Empty without an embedder."""
        pending = self.start_semantic(text, kinds=kinds, limit=limit, exclude=exclude)
        return self.semantic_rows(pending, conditions=conditions, params=params)

    def start_semantic(
        self, text: str, *, kinds: Sequence[str], limit: int, exclude: Sequence[str] = ()
    ) -> "PendingNearest | None":
        """Start finding the `limit` vectors nearest `text`'s: the matrix is brought up to
        date here (a database read), then the query's embedding (or its cached vector)
        and the scan run in a worker thread, which touches no database connection.
        None without an embedder or when no kind has vectors."""
        from search import vectors

        index = vectors.get_index()
        if index is None:
            return None
        wanted = tuple(k for k in kinds if k in vectors.KIND_CODES)
        if not wanted:
            return None
        future = _semantic_pool().submit(
            _nearest, index, text, limit=limit, kinds=wanted, exclude=tuple(exclude)
        )
        return PendingNearest(future, wanted)

    def semantic_rows(
        self, pending: "PendingNearest | None", *, conditions: Sequence[str], params: Sequence
    ) -> list[tuple]:
        """The rows of `pending`'s nearest documents that pass `conditions` (SQL on `d`):
        (id, kind, category, solved, boost, cosine, *FACTS), once the worker thread is done."""
        if pending is None:
            return []
        nearest = pending.future.result()
        if not nearest:
            return []
        wanted = pending.kinds
        cosine = {n.key: n.cosine for n in nearest}
        keys, key_params = self._among("key", list(cosine))
        kind_marks = ", ".join(["%s"] * len(wanted))
        where = " AND ".join(["d.id = k.id", f"d.kind IN ({kind_marks})", *conditions])
        # The nearest keys first, then their rows (CROSS JOIN fixes that order on SQLite):
        # with `d.key IN (...) AND d.kind IN (...)`, SQLite's planner, which has no
        # statistics, read every thread through the kind index (or every thread of a
        # category through the category index), 300 ms at 100,000 threads.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id, d.kind, d.category_id, d.is_solved, d.boost, {FACTS} "  # noqa: S608
                f"FROM (SELECT id FROM {DOCS} WHERE {keys}) k "
                f"CROSS JOIN {DOCS} d WHERE {where}",
                [*key_params, *wanted, *params],
            )
            rows = cursor.fetchall()
        return [
            (pk, kind, category_id, bool(solved), boost, cosine[facts[0]], *facts)
            for pk, kind, category_id, solved, boost, *facts in rows
        ]


@dataclass(frozen=True)
class PendingNearest:
    """Nearest vectors being found in the worker thread (DatabaseBackend.start_semantic)."""

    future: Future
    kinds: tuple[str, ...]


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _semantic_pool() -> ThreadPoolExecutor:
    """Threads for query embeddings and matrix scans, made on first use (two: a process
    serves one request at a time, or a few with threaded workers; the embedder itself
    runs one call at a time)."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tanya-semantic")
    return _pool


def _nearest(index, text: str, *, limit: int, kinds: tuple[str, ...], exclude: tuple[str, ...]):
    """In the worker thread: `text`'s query vector (search.vectors' caches first) and its
    nearest live vectors. No database access here."""
    from search import vectors

    query = vectors.query_vector(text)
    if query is None:
        return []
    return index.nearest(query, limit=limit, kinds=kinds, exclude=exclude)


def _lexical(parsed: ParsedQuery, pending: "PendingNearest | None") -> ParsedQuery:
    """The words the lexical query matches: without the question words (what, how,
    can...; search.text.QUESTION_WORDS) when the embedding runs beside it.

    Lexical only, they are what lets "What is a VPN?" find the FAQ titled so (CovidFAQ
    0.394 to 0.514 on SQLite). Beside the embedding, which weighs 0.95 of the fused score
    and reads the question whole, they add 0.008 to 0.018 MRR@10 on CovidFAQ (0.002 or
    less on StackFAQ; every figure meets its target without them), while each is a
    common word whose postings the ranking reads: 27 to 34 ms for the lexical query at
    100,000 threads (docs/search.md, "Fourth pass")."""
    if pending is None:
        return parsed
    return replace(parsed, terms=tuple(highlighted(parsed.terms)))


def wanted_stems(parsed: ParsedQuery) -> set[str]:
    """Every stem a highlighted word may have: the query's words and phrases, both languages."""
    wanted: set[str] = set()
    phrased = [w for p in parsed.phrases for w in p]
    for word in [*highlighted(parsed.keywords, alongside=phrased), *phrased]:
        wanted.update(query_stems(word))
    return wanted


def _distinct(words: Sequence[str]) -> list[str]:
    """`words` less those sharing a stem with an earlier one: "board" and "boards" (or
    "attach" and "attachment") would otherwise pair into one word required alone."""
    distinct, seen = [], set()
    for word in words:
        stems = set(query_stems(word))
        if not stems & seen:
            distinct.append(word)
        seen |= stems
    return distinct


def _aware(created_at):
    if isinstance(created_at, str):
        # SQLite's raw rows hold ISO text: fromisoformat (C) first, a thousand rows a
        # search (the window's facts); parse_datetime took about 5 ms of them (cProfile).
        try:
            created_at = datetime.fromisoformat(created_at)
        except ValueError:
            created_at = parse_datetime(created_at)
    if created_at is not None and timezone.is_naive(created_at):
        created_at = created_at.replace(tzinfo=UTC)  # SQLite's raw rows are naive UTC
    return created_at


def _hit(row: tuple, snippet: SafeString) -> Hit:
    _, key, kind, object_id, question_id, title, url, solved, category_id, votes, answers = row[:11]
    created_at, language, rank = _aware(row[11]), row[12], row[13]
    return Hit(
        key=key,
        kind=kind,
        object_id=object_id,
        question_id=question_id,
        title=title,
        url=url,
        snippet=snippet,
        is_solved=bool(solved),
        category_id=category_id,
        relevance=float(rank),
        votes=votes,
        answer_count=answers,
        created_at=created_at,
        language=language,
    )


def _statistics_check_due() -> bool:
    """True at most once per TANYA_SEARCH_STATISTICS_CHECK_SECONDS in this process (the
    first time always)."""
    global _last_statistics_check
    now = time.monotonic()
    if now - _last_statistics_check < settings.TANYA_SEARCH_STATISTICS_CHECK_SECONDS:
        return False
    _last_statistics_check = now
    return True
