"""SQLite: an FTS5 table over pre-stemmed text, ranked by weighted bm25().

FTS5's tokenizers stem English at best (porter), never Indonesian, and Python's sqlite3
cannot register a tokenizer of our own. So text is stemmed before it reaches FTS5
(search/text.py: each document in its own language, each query word in both), and FTS5
indexes the stems with its plain unicode61 tokenizer. The FTS5 table holds only stems;
readable snippets come from the original text in SearchDocument (text.highlight), since
FTS5's snippet() could only show stems.

Queries match ANY meaningful word (OR) and let bm25 sort: a customer's long question
rarely shares every word with the thread that answers it. (NEAR groups for neighbouring
query words were tried as a proximity bonus; they lowered MRR on the relevance benchmark,
so they are not used.)
"""

from collections.abc import Sequence
from itertools import combinations

from django.db import connection

from search.backends.database import (
    DOCS,
    FACTS,
    SOLVED_FILTER,
    STATS,
    DatabaseBackend,
    Match,
    Selection,
)
from search.documents import Document
from search.models import Kind, LexemeStat
from search.syntax import ParsedQuery
from search.text import ENGLISH, INDONESIAN, query_stems, stem, stemmed_text, words

FTS = "tanya_search_fts"
# The FTS table's rowid is the document id plus an offset by what the document is:
# unsolved threads [0, RANGE), solved threads and articles [RANGE, 2 RANGE), answers from
# 2 RANGE. FTS5 honours rowid bounds while it reads postings, so a search of threads never
# reads an answer's, and similar questions (solved only) read a third of a thread search's.
RANGE = 1 << 40
_SOLVED_THREADS, _ANSWERS = RANGE, 2 * RANGE
_DOCUMENT_ID = f"({FTS}.rowid %% {RANGE})"  # in SQL run with parameters: %% is %
# bm25() column weights, in the table's column order: chosen among a few round settings
# on the relevance benchmark (docs/search.md), where reasonable weights differed by less
# than 0.02 MRR@10.
WEIGHTS = {"title": 4.0, "body": 1.0, "accepted": 1.0, "answers": 0.5, "tags": 2.0}
SOLVED_PRELIMIT = 40  # answers filtered by acceptance: rank this many times the window first


def _quoted(token: str) -> str:
    # Stems are runs of letters and digits, but quoting keeps FTS5 from reading one as
    # an operator (AND, OR, NOT, NEAR).
    return '"' + token.replace('"', "") + '"'


def _phrase(tokens: Sequence[str]) -> str:
    """A phrase in both languages' stems: ("en stems" OR "id stems")."""
    variants = {
        " ".join(stem(t, ENGLISH) for t in tokens),
        " ".join(stem(t, INDONESIAN) for t in tokens),
    }
    return "(" + " OR ".join(_quoted(v) for v in sorted(variants)) + ")"


def _any(words: Sequence[str]) -> str:
    stems = dict.fromkeys(_quoted(s) for word in words for s in query_stems(word))
    return "(" + " OR ".join(stems) + ")"


def fts_query(
    parsed: ParsedQuery, selection: Selection | None = None, *, score_common: bool = True
) -> str | None:
    """The FTS5 MATCH expression for `parsed`; None when nothing can match.

    Documents must hold what the selection asks (by default any keyword), every phrase and
    none of the excluded. The other keywords are OR-ed in beside the selecting ones, so
    bm25 still counts them where they occur; that repeats the selecting words, which bm25
    then counts again: rare words weigh more, which ranking welcomes.

    Without `score_common`, the words in more than COMMON_SHARE of the documents
    (Selection.common) are left out of that OR: the rows matched are the same (the OR
    only scores), and bm25, which counts every phrase's documents over the whole table
    before it scores a row, reads none of their long posting lists. For a search beside
    the query's embedding (docs/search.md, "seventh pass").
    """
    keywords = parsed.keywords
    selection = selection or Selection(any_of=list(keywords))
    selecting = selection.any_of or selection.two_of or selection.all_of
    unscored = set() if score_common else set(selection.common)
    common = [w for w in keywords if w not in selecting and w not in unscored]
    parts = []
    if selection.any_of:
        parts.append(_any(selection.any_of))
    elif selection.two_of:
        pairs = combinations(selection.two_of, 2)
        parts.append("(" + " OR ".join(f"({_any([a])} AND {_any([b])})" for a, b in pairs) + ")")
    else:
        parts += [_any([word]) for word in selection.all_of]
    if parts and common:
        parts.append(_any([*selecting, *common]))
    parts += [_phrase(p) for p in parsed.phrases]
    if not parts:
        return None
    expression = " AND ".join(parts)
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_phrase(p) for p in parsed.excluded)})"
    return expression


def _fts_rowid(pk: int, doc: Document) -> int:
    if doc.kind == Kind.ANSWER:
        return pk + _ANSWERS
    return pk + _SOLVED_THREADS if doc.is_solved else pk


def _rowid_range(kinds: Sequence[str], solved: bool | None = None) -> str:
    """The part of the FTS table that can hold `kinds` (see RANGE)."""
    if Kind.ANSWER not in kinds:
        low = _SOLVED_THREADS if solved else 0
        high = _SOLVED_THREADS if solved is False else _ANSWERS
        return f"{FTS}.rowid >= {low} AND {FTS}.rowid < {high}"
    if set(kinds) == {Kind.ANSWER}:
        return f"{FTS}.rowid >= {_ANSWERS}"
    return "1 = 1"


class SQLiteBackend(DatabaseBackend):
    def _match(self, parsed: ParsedQuery, *, beside_embedding: bool = False) -> Match | None:
        expression = fts_query(
            parsed, self.select(parsed.keywords), score_common=not beside_embedding
        )
        if expression is None:
            return None
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        return Match(
            from_sql=f"{FTS} JOIN {DOCS} d ON d.id = {_DOCUMENT_ID}",
            condition=f"{FTS} MATCH %s",
            condition_params=[expression],
            relevance=f"-bm25({FTS}, {weights})",
        )

    def _exclusion(self, parsed: ParsedQuery) -> tuple[str, list]:
        expression = " OR ".join(_phrase(p) for p in parsed.excluded)
        return (
            f"d.id NOT IN (SELECT {_DOCUMENT_ID} FROM {FTS} WHERE {FTS} MATCH %s)",  # noqa: S608
            [expression],
        )

    def _ranking(
        self,
        match: Match,
        filters: list[str],
        filter_params: list,
        kinds: Sequence[str],
        window: int,
    ) -> tuple[str, list]:
        """Without filters, rank inside FTS5 first and look up only the best documents.

        Joining every match to its document row costs as much again as bm25 itself. The
        boost reorders by at most ~1.4x, so the best `window` by bm25 alone hold the best
        `window` by bm25 x boost in all but contrived cases.
        """
        if FTS not in match.from_sql or (filters and filters != [SOLVED_FILTER]):
            return super()._ranking(match, filters, filter_params, kinds, window)
        marks = ", ".join(["%s"] * len(kinds))
        solved = filter_params[0] if filters else None
        solved_sql = f" AND {SOLVED_FILTER}" if filters else ""
        # The rowid range holds only solved (or unsolved) threads; answers need filtering.
        prelimit = window * SOLVED_PRELIMIT if filters and Kind.ANSWER in kinds else window
        document_id = _DOCUMENT_ID.replace(f"{FTS}.rowid", "m.fts_rowid")
        sql = (
            "SELECT d.id, d.kind, d.category_id, d.is_solved, m.relevance * d.boost AS rank, "  # noqa: S608
            f"{FACTS} "
            f"FROM (SELECT {FTS}.rowid AS fts_rowid, {match.relevance} AS relevance FROM {FTS} "
            f"WHERE {match.condition} AND {_rowid_range(kinds, solved)} "
            f"ORDER BY relevance DESC LIMIT %s) m JOIN {DOCS} d ON d.id = {document_id} "
            f"WHERE d.kind IN ({marks}){solved_sql} "
            "ORDER BY rank DESC, d.created_at DESC, d.id DESC LIMIT %s"
        )
        return sql, [
            *match.relevance_params,
            *match.condition_params,
            prelimit,
            *kinds,
            *filter_params,
            window,
        ]

    def _count(
        self, match: Match, filters: list[str], filter_params: list, kind: str, limit: int
    ) -> int:
        if filters or kind != Kind.ANSWER or FTS not in match.from_sql:
            return super()._count(match, filters, filter_params, kind, limit)
        # The rowid range alone says "answer": count in FTS5 without touching documents.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS} WHERE {match.condition} "  # noqa: S608
                f"AND {_rowid_range([kind])} LIMIT %s) hits",
                [*match.condition_params, limit],
            )
            return cursor.fetchone()[0]

    def _kinds_condition(self, match: Match, kinds: Sequence[str]) -> tuple[str, list]:
        sql, params = super()._kinds_condition(match, kinds)
        if FTS in match.from_sql:
            sql = f"{sql} AND {_rowid_range(kinds)}"
        return sql, params

    def _index_fulltext(self, cursor, documents: Sequence[tuple[int, Document]]) -> None:
        rows = []
        for pk, doc in documents:
            language = doc.language
            rows.append(
                (
                    _fts_rowid(pk, doc),
                    stemmed_text(doc.indexed_title, language),
                    stemmed_text(doc.body, language),
                    stemmed_text(doc.accepted, language),
                    stemmed_text(doc.answers, language),
                    stemmed_text(" ".join(w for tag in doc.tags for w in words(tag)), language),
                )
            )
        # A test database flush empties SearchDocument but not this table, so a reused
        # rowid may still be here: replace rather than insert.
        self._unindex_fulltext(cursor, [pk for pk, _ in documents])
        cursor.executemany(
            f"INSERT INTO {FTS} (rowid, title, body, accepted, answers, tags) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )

    def _unindex_fulltext(self, cursor, ids: list[int]) -> None:
        ids = [pk + offset for pk in ids for offset in (0, _SOLVED_THREADS, _ANSWERS)]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def _clear_fulltext(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608

    def _frequencies(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """Per word, the documents holding its English or Indonesian stem (the larger)."""
        stems = {word: query_stems(word) for word in words}
        counts = dict(
            LexemeStat.objects.filter(
                lexeme__in=["", *(s for group in stems.values() for s in group)]
            ).values_list("lexeme", "documents")
        )
        return counts.get("", 0), {
            word: max(counts.get(s, 0) for s in group) for word, group in stems.items()
        }

    def _refresh_statistics(self, cursor) -> None:
        cursor.execute(
            f"INSERT INTO {STATS} (lexeme, documents) SELECT term, doc "  # noqa: S608
            f"FROM {FTS}_vocab WHERE length(term) <= 255 AND term != ''"
        )
        cursor.execute(
            f"INSERT INTO {STATS} (lexeme, documents) SELECT '', COUNT(*) FROM {DOCS}"  # noqa: S608
        )

    def _optimize(self, cursor) -> None:
        cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")  # noqa: S608
