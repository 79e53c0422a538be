"""PostgreSQL: a weighted tsvector per document, GIN-indexed, ranked with ts_rank_cd().

The vector is a generated column (migration 0002): title A, accepted answer and tags B,
body C, other answers D, stemmed with the `english` or `indonesian` configuration after
the document's language. A query word becomes the OR of its lexemes in both
configurations, so it matches a thread in either language; the words themselves are
OR-ed, as on SQLite, and ts_rank_cd sorts. websearch_to_tsquery() is not used for the
whole query because it ANDs every word and knows nothing of tag:, category: or is:;
search/syntax.py parses the query, and each word or phrase goes to plainto_tsquery() or
phraseto_tsquery(), which never read operators from user text.

ts_rank_cd() has no notion of how rare a word is, so on its own a thread that mentions
"gmail" five times beats the one thread that says "strikethrough". Relevance is therefore
the sum, over the query's words, of the word's IDF (from LexemeStat, as counted by
ts_stat()) times ts_rank_cd() of that word alone, each normalised as rank / (rank + 1) so
no single word runs away: BM25's shape from PostgreSQL's parts. On the relevance
benchmark this took MRR@10 from 0.66 (plain ts_rank_cd over the OR query) to 0.81.

That relevance costs one ts_rank_cd() per query word on every matching row, and a broad
query on a large forum matches thousands of threads. Ranking therefore runs in two
stages: one cheap ts_rank() over the whole query picks the best rows (search()'s WINDOW:
every row the 50 pages can show, and the facets' sample; at least FIRST_STAGE_ROWS for
similar questions), and only those get the full relevance. On 100,000 threads the first
page of every benchmark query, and its similar questions, were the same with and without
the first stage (docs/search.md). Migration 0003 keeps the vector in the row (STORAGE MAIN),
so reading it costs no TOAST lookups, and adds partial GIN indexes on threads and on
solved threads.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

from django.db import connection

from search.backends.database import DOCS, FACTS, STATS, DatabaseBackend, Match, Selection
from search.syntax import ParsedQuery
from search.text import ENGLISH_QUESTION_WORDS

# ts_rank_cd weights for D, C, B, A (other answers, body, accepted answer and tags, title):
# the SQLite backend's bm25() column weights scaled to a title of 1 (answers 0.5/4, body
# and accepted answer 1/4), so both backends weigh fields alike. PostgreSQL's defaults
# {0.1, 0.2, 0.4, 1.0} weigh the accepted answer 0.4 and scored 0.794 MRR@10 against
# 0.807 for these on the relevance benchmark.
WEIGHTS = "{0.125, 0.25, 0.25, 1.0}"
# 32: rank / (rank + 1), a saturating term frequency, as in BM25.
NORMALIZATION = 32
IDF_FLOOR = 1e-6  # the least IDF a word has (FTS5's floor)
# Every window is ranked in two stages (PostgresBackend._ranking), the first keeping at
# least this many rows: similar questions' 20 too.
FIRST_STAGE_ROWS = 200
TWO_STAGES = True  # False ranks every match fully (benchmarks/search_latency.py compares)


def _either(function: str, word: str = "") -> str:
    """`function` ('plainto_tsquery' or 'phraseto_tsquery') of a parameter in both
    languages. English documents hold their question words unstemmed (migration 0010),
    where `english` would drop them, so a question word is looked up with `simple`."""
    english = "simple" if word in ENGLISH_QUESTION_WORDS else "english"
    return f"({function}('{english}', %s) || {function}('indonesian', %s))"


def _idf(documents: int, total: int) -> float:
    """BM25's inverse document frequency as SQLite's FTS5 computes it: log((N - n + 0.5) /
    (n + 0.5)), at least IDF_FLOOR, so a word in half the documents or more weighs (almost)
    nothing. (Lucene's log(1 + ...), used before, keeps about 0.7 for such a word: with
    the question words in queries, "how" and "what" then outweighed a content word found
    in a thread's body, and StackFAQ lost 0.014 MRR@10, docs/search.md.)"""
    total = max(total, documents)
    return max(math.log((total - documents + 0.5) / (documents + 0.5)), IDF_FLOOR)


def tsquery(parsed: ParsedQuery, selection: Selection | None = None) -> tuple[str, list] | None:
    """SQL for the tsquery of `parsed` and its parameters; None when nothing can match.

    What the selection asks (by default any keyword), every phrase, none of the excluded.
    """
    selection = selection or Selection(any_of=list(parsed.keywords))
    any_of, params = [], []
    for word in selection.any_of:
        any_of.append(_either("plainto_tsquery", word))
        params += [word, word]
    for a, b in combinations(selection.two_of, 2):
        any_of.append(f"({_either('plainto_tsquery', a)} && {_either('plainto_tsquery', b)})")
        params += [a, a, b, b]
    required = []
    for word in selection.all_of:
        required.append(_either("plainto_tsquery", word))
        params += [word, word]
    for phrase in parsed.phrases:
        required.append(_either("phraseto_tsquery"))
        params += [" ".join(phrase)] * 2
    if not any_of and not required:
        return None
    parts = ([f"({' || '.join(any_of)})"] if any_of else []) + required
    sql = " && ".join(parts)
    if parsed.excluded:
        excluded, excluded_params = _excluded(parsed)
        sql = f"({sql}) && !!({excluded})"
        params += excluded_params
    return sql, params


def _excluded(parsed: ParsedQuery) -> tuple[str, list]:
    parts, params = [], []
    for phrase in parsed.excluded:
        parts.append(_either("phraseto_tsquery"))
        params += [" ".join(phrase)] * 2
    return " || ".join(parts), params


@dataclass
class _PostgresMatch(Match):
    """A Match that also says how to rank in two stages (PostgresBackend._ranking)."""

    cheap: str = ""  # the first stage's score, an expression over d
    cheap_params: list = field(default_factory=list)
    score: str = ""  # the full relevance over the vector `v.vector` of the first stage's rows
    score_params: list = field(default_factory=list)


def _relevance(parsed: ParsedQuery, idf: dict[str, float], vector: str) -> tuple[str, list]:
    """The sum of IDF(word) * ts_rank_cd(vector, word), plus ts_rank_cd of each phrase (IDF 1).

    Words in half the documents or more (IDF at its floor: "is", "how" on most forums)
    only break ties beside rarer words, so they share one ts_rank_cd() of their OR rather
    than costing one call each on every row. (When every word is at the floor, as before
    the statistics are first counted, each is ranked on its own.)
    """
    parts, params = [], []
    floor = [w for w in parsed.keywords if idf[w] <= IDF_FLOOR]
    if len(floor) == len(parsed.keywords):
        floor = []
    for word in parsed.keywords:
        if word in floor:
            continue
        parts.append(
            f"%s * ts_rank_cd('{WEIGHTS}', {vector}, {_either('plainto_tsquery', word)}, "
            f"{NORMALIZATION})"
        )
        params += [idf[word], word, word]
    if floor:
        either = " || ".join(_either("plainto_tsquery", word) for word in floor)
        parts.append(f"%s * ts_rank_cd('{WEIGHTS}', {vector}, ({either}), {NORMALIZATION})")
        params += [IDF_FLOOR, *(w for word in floor for w in (word, word))]
    for phrase in parsed.phrases:
        parts.append(
            f"ts_rank_cd('{WEIGHTS}', {vector}, {_either('phraseto_tsquery')}, {NORMALIZATION})"
        )
        params += [" ".join(phrase)] * 2
    return " + ".join(parts), params


class PostgresBackend(DatabaseBackend):
    # Counting answers means evaluating the whole tsquery over the GIN index again, as
    # much as the search itself costs; the kind facet offers them without a count.
    count_other_kinds = False

    def _match(self, parsed: ParsedQuery, *, beside_embedding: bool = False) -> Match | None:
        selection = self.select(parsed.keywords)
        total, frequencies = selection.total, selection.frequencies
        query = tsquery(parsed, selection)
        if query is None:
            return None
        sql, params = query
        # Relevance: the sum over every word of its IDF times ts_rank_cd of that word
        # alone. The vector is read straight from the row: migration 0003 keeps it there
        # (STORAGE MAIN), so each call reads it in place. (When it was TOASTed out of line,
        # a sub-select detoasted it once per row for all the calls.)
        # Beside the query's embedding, the words too common to select documents are not
        # scored (they select nothing, so the rows are the same): one ts_rank_cd() less per
        # such word on every row (docs/search.md, "seventh pass").
        selecting = {*selection.any_of, *selection.two_of, *selection.all_of}
        unscored = set(selection.common) - selecting if beside_embedding else set()
        scored = replace(parsed, terms=tuple(w for w in parsed.terms if w not in unscored))
        idf = {word: _idf(frequencies.get(word, 0), total) for word in scored.keywords}
        relevance, relevance_params = _relevance(scored, idf, "d.vector")
        score, _ = _relevance(scored, idf, "v.vector")
        # The first stage: ts_rank() of the OR of every word and phrase, one call per row.
        everything = tsquery(
            ParsedQuery(terms=scored.keywords + tuple(w for p in scored.phrases for w in p))
        )
        cheap_sql, cheap_params = everything or ("''::tsquery", [])
        return _PostgresMatch(
            from_sql=f"(SELECT {sql} AS query) q CROSS JOIN {DOCS} d",
            from_params=params,
            condition="d.vector @@ q.query",
            relevance=relevance,
            relevance_params=relevance_params,
            cheap=f"ts_rank('{WEIGHTS}', d.vector, {cheap_sql})",
            cheap_params=cheap_params,
            score=score,
            score_params=relevance_params,
        )

    def _ranking(
        self,
        match: Match,
        filters: list[str],
        filter_params: list,
        kinds: Sequence[str],
        window: int,
    ) -> tuple[str, list]:
        """The best `window` rows by relevance, among the best FIRST_STAGE_ROWS (or
        `window`, if more) by a cheap score.

        The full relevance costs one ts_rank_cd() per query word on every matching row;
        here it is computed only for the rows that one ts_rank() over the whole query ranks
        best, so a query matching 6,000 threads pays for 1,000 (search()'s window: every row
        the pages can show), and similar questions' for 200 of the solved threads it
        matches. On 100,000 threads the first page of each of the latency benchmark's
        queries was the same either way, and so were its similar questions for all but a
        few (docs/search.md, "seventh pass"; `search_latency.py` compares them).
        """
        if not isinstance(match, _PostgresMatch) or not TWO_STAGES:
            return super()._ranking(match, filters, filter_params, kinds, window)
        kinds_sql, kinds_params = self._kinds_condition(match, kinds)
        where = " AND ".join([match.condition, *filters, kinds_sql])
        # The first stage sorts small rows and the second reads the vectors of its `window`
        # rows again: carried through the sort, the vectors (about 1.6 kB each) overflowed
        # work_mem for a query matching 4,700 threads, and the sort went to disk (17 of 36
        # ms; docs/search.md, "seventh pass").
        sql = (
            f"SELECT c.id, c.kind, c.category_id, c.is_solved, ({match.score}) * c.boost AS rank, "  # noqa: S608
            f"{FACTS.replace('d.', 'c.')} "
            f"FROM (SELECT d.id, d.kind, d.category_id, d.is_solved, d.boost, {FACTS} "
            f"FROM {match.from_sql} WHERE {where} "
            f"ORDER BY ({match.cheap}) * d.boost DESC, d.created_at DESC, d.id DESC LIMIT %s) c "
            f"JOIN {DOCS} v ON v.id = c.id "
            "ORDER BY rank DESC, c.created_at DESC, c.id DESC LIMIT %s"
        )
        params = [
            *match.score_params,
            *match.from_params,
            *match.condition_params,
            *filter_params,
            *kinds_params,
            *match.cheap_params,
            max(window, FIRST_STAGE_ROWS),
            window,
        ]
        return sql, params

    def _among(self, column: str, ids: Sequence[int | str]) -> tuple[str, list]:
        # One array parameter: a thousand-constant IN list cost 4.3 ms to parse and plan
        # where the array costs 2.4 (tag counts of a window at 100,000 threads).
        return f"{column} = ANY(%s)", [list(ids)]

    def _frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """Per word, the documents holding its most common lexeme in either language."""
        if not words:
            return 0, {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT documents FROM {STATS} WHERE lexeme = ''), w, "  # noqa: S608
                f"MAX(COALESCE(s.documents, 0)) FROM unnest(%s::text[]) w "
                "LEFT JOIN LATERAL unnest(tsvector_to_array("
                "to_tsvector(CASE WHEN w = ANY(%s) THEN 'simple'::regconfig "
                "ELSE 'english'::regconfig END, w) || to_tsvector('indonesian', w))) l ON true "
                f"LEFT JOIN {STATS} s ON s.lexeme = l GROUP BY w",
                [list(words), sorted(ENGLISH_QUESTION_WORDS)],
            )
            rows = cursor.fetchall()
        total = max([rows[0][0] or 0, *(count for _, _, count in rows)]) if rows else 0
        return total, {word: count for _, word, count in rows}

    def _optimize(self, cursor) -> None:
        # After a bulk load the planner's row estimates are empty; without them it scans
        # by kind and tests every vector instead of asking the GIN index.
        cursor.execute(f"ANALYZE {DOCS}")

    def _refresh_statistics(self, cursor) -> None:
        cursor.execute(
            f"INSERT INTO {STATS} (lexeme, documents) "  # noqa: S608
            f"SELECT word, ndoc FROM ts_stat('SELECT vector FROM {DOCS}') "
            "WHERE length(word) <= 255"
        )
        cursor.execute(
            f"INSERT INTO {STATS} (lexeme, documents) SELECT '', COUNT(*) FROM {DOCS}"  # noqa: S608
        )

    def _exclusion(self, parsed: ParsedQuery) -> tuple[str, list]:
        sql, params = _excluded(parsed)
        return f"NOT (d.vector @@ ({sql}))", params
