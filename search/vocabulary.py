"""The vocabulary of indexed words, for typo tolerance (search/spelling.py).

`SearchTerm` holds every word of the index (as written, lower-cased, not stemmed, so a
correction reads as a word) with the number of sources ("question:12", "article:4")
that use it. It is built only from the documents search indexes, which are only what
everyone may see (search.documents): a word written only in a private, held, hidden or
deleted post is never in it. `SourceTerms` keeps each source's own set of words, so a
re-index only adds and subtracts the difference: a handful of set-based statements per
write, whatever the size of the forum (`record_source`). `manage.py search_reindex`
rebuilds all of it (`Rebuild`).

Lookup of the words near a query word, on SQLite and PostgreSQL alike: `TermKey`, a
deletion neighbourhood. Each word's keys are the strings left by deleting up to one (words
of four letters or fewer) or two characters from its first PREFIX letters. Two words
within that many edits share a key, so one indexed `key IN (...)` lookup finds every
candidate; the edit distance is then computed here. (PostgreSQL first used a pg_trgm GIN
index, `term % word`: 26 to 90 ms a word at 46,000 terms, so migration 0009 moved it to
the keys; docs/search.md, "Typo tolerance".)

A word whose count falls to zero keeps its row (and keys) until the next rebuild;
lookups skip it.
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations

from django.db import connection, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from search.text import words

MIN_LENGTH, MAX_LENGTH = 3, 30  # shorter words are not corrected; longer are not words
PREFIX = 8  # SQLite's keys come from this many first letters (SymSpell's prefix trick)
BATCH = 2000


class SearchTerm(models.Model):
    """One word of the index and in how many sources (threads, articles) it occurs."""

    term = models.CharField(max_length=MAX_LENGTH, unique=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "tanya_search"
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class TermKey(models.Model):
    """The lookup of near words: one deletion-neighbourhood key of one term."""

    key = models.CharField(max_length=PREFIX)
    term = models.ForeignKey(
        SearchTerm,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the unique (key, term) index is the one lookups use
        related_name="+",
    )

    class Meta:
        app_label = "tanya_search"
        constraints = [models.UniqueConstraint(fields=["key", "term"], name="search_term_key")]

    def __str__(self) -> str:
        return self.key


class SourceTerms(models.Model):
    """The words one source was last indexed with (space-separated, sorted)."""

    source = models.CharField(max_length=40, unique=True)
    terms = models.TextField(blank=True)

    class Meta:
        app_label = "tanya_search"

    def __str__(self) -> str:
        return self.source


# --- Words --------------------------------------------------------------------------------


def is_term(word: str) -> bool:
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isalpha()


def max_distance(word: str) -> int:
    """How many edits a word may be away from its correction: one for short words."""
    return 1 if len(word) <= 4 else 2


def document_terms(documents: Iterable) -> set[str]:
    """The words of a source's documents (search.documents.Document)."""
    found: set[str] = set()
    for doc in documents:
        text = " ".join((doc.title, doc.body, doc.accepted, doc.answers, " ".join(doc.tags)))
        found.update(w for w in words(text.replace("-", " ")) if is_term(w))
    return found


def deletion_keys(word: str, distance: int | None = None) -> set[str]:
    """The strings left by deleting up to `distance` letters from `word`'s prefix."""
    prefix = word[:PREFIX]
    distance = max_distance(word) if distance is None else distance
    keys = {prefix}
    for n in range(1, distance + 1):
        if len(prefix) - n < 1:
            break
        keys.update(
            "".join(c for i, c in enumerate(prefix) if i not in gone)
            for gone in combinations(range(len(prefix)), n)
        )
    return keys


def damerau(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (a transposition is one edit); anything above
    `limit` is returned as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


# --- Keeping it up to date ----------------------------------------------------------------


def record_source(source: str, documents: Sequence) -> None:
    """Make the vocabulary count `source` with the words of `documents` (none: removed).

    Only the difference from the source's last words is written: at most six
    statements, none of them growing with the forum.
    """
    new = document_terms(documents)
    with transaction.atomic():
        row = SourceTerms.objects.select_for_update().filter(source=source).first()
        old = set(row.terms.split()) if row is not None else set()
        added, removed = new - old, old - new
        if not added and not removed:
            return
        if new:
            SourceTerms.objects.update_or_create(
                source=source, defaults={"terms": " ".join(sorted(new))}
            )
        elif row is not None:
            row.delete()
        if removed:
            SearchTerm.objects.filter(term__in=removed, documents__gt=0).update(
                documents=F("documents") - 1
            )
        if added:
            _add(Counter(added))


def _add(counts: Counter) -> None:
    """Add `counts` to the terms' document counts, creating new terms (and their keys)."""
    terms = sorted(counts)
    for start in range(0, len(terms), BATCH):
        chunk = terms[start : start + BATCH]
        table = SearchTerm._meta.db_table
        rows = ", ".join(["(%s, %s)"] * len(chunk))
        params = [value for term in chunk for value in (term, counts[term])]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (term, documents) VALUES {rows} "  # noqa: S608 - our table
                f"ON CONFLICT (term) DO UPDATE SET documents = {table}.documents + "
                "excluded.documents RETURNING id, term, documents",
                params,
            )
            returned = cursor.fetchall()
        # A term just created has as many documents as were added: it needs its keys (a
        # term back from zero still has them; the constraint skips those).
        fresh = [(pk, term) for pk, term, n in returned if n == counts[term]]
        TermKey.objects.bulk_create(
            [TermKey(key=key, term_id=pk) for pk, term in fresh for key in deletion_keys(term)],
            ignore_conflicts=True,
            batch_size=BATCH,
        )


class Rebuild:
    """The whole vocabulary, rebuilt from the batches a full re-index goes through.

    `wrap(batches)` passes the batches on (to the backend's rebuild) while counting their
    words and writing each source's words; `finish()` then replaces the terms and keys
    in one transaction, and drops the sources no longer indexed.
    """

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.sources: set[str] = set()

    def wrap(self, batches: Iterable[list]) -> Iterator[list]:
        for batch in batches:
            by_source: dict[str, list] = {}
            for doc in batch:
                by_source.setdefault(doc.source, []).append(doc)
            rows = []
            for source, docs in by_source.items():
                terms = document_terms(docs)
                self.counts.update(terms)
                self.sources.add(source)
                rows.append(SourceTerms(source=source, terms=" ".join(sorted(terms))))
            SourceTerms.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["source"],
                update_fields=["terms"],
                batch_size=BATCH,
            )
            yield batch

    def finish(self) -> int:
        """Replace the terms with the counted ones; returns how many terms there are."""
        with transaction.atomic():
            stale = set(SourceTerms.objects.values_list("source", flat=True)) - self.sources
            stale_list = sorted(stale)
            for start in range(0, len(stale_list), BATCH):
                SourceTerms.objects.filter(source__in=stale_list[start : start + BATCH]).delete()
            TermKey.objects.all().delete()
            SearchTerm.objects.all().delete()
            SearchTerm.objects.bulk_create(
                [SearchTerm(term=t, documents=n) for t, n in self.counts.items()],
                batch_size=BATCH,
            )
            ids = SearchTerm.objects.values_list("pk", "term").iterator(chunk_size=BATCH)
            pending: list[TermKey] = []
            for pk, term in ids:
                pending.extend(TermKey(key=key, term_id=pk) for key in deletion_keys(term))
                if len(pending) >= 10 * BATCH:
                    TermKey.objects.bulk_create(pending, batch_size=BATCH)
                    pending = []
            TermKey.objects.bulk_create(pending, batch_size=BATCH)
        analyze()
        return len(self.counts)


def analyze() -> None:
    """Fresh planner statistics for the vocabulary on PostgreSQL, after it was refilled.

    With the statistics of the empty tables, the planner scanned all 1.39 million keys
    (and hashed every term) to look up a query's few dozen: 100 to 133 ms for a search's
    corrections at 100,000 threads, against 3 to 21 ms by the key index once analysed
    (docs/search.md, "Typo tolerance"). Autovacuum does it eventually, where it is on.
    SQLite's planner takes the key index without statistics."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (SearchTerm, TermKey):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def rebuild(batches: Iterable[list]) -> int:
    """Rebuild the vocabulary alone from `batches` (search.documents.iter_documents)."""
    job = Rebuild()
    for _batch in job.wrap(batches):
        pass
    return job.finish()


# --- Reading ------------------------------------------------------------------------------


def neighbours(words_: Sequence[str]) -> dict[str, int]:
    """Every vocabulary term (with its count) that may be within edit distance of one of
    `words_`, and the words themselves where known, in one query."""
    words_ = [w for w in dict.fromkeys(words_) if is_term(w)]
    if not words_:
        return {}
    table = SearchTerm._meta.db_table
    keys = sorted({key for w in words_ for key in deletion_keys(w)})
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT t.term, t.documents FROM {TermKey._meta.db_table} k "  # noqa: S608
            f"JOIN {table} t ON t.id = k.term_id WHERE k.key IN ({marks}) "
            "AND t.documents > 0",
            keys,
        )
        return dict(cursor.fetchall())
