"""The database backend's documents and what search records for staff.

`SearchDocument` is one searchable thing (a question thread, one answer, and later a
knowledge-base article) as the search app sees it: plain text, denormalised facts for
filters and ranking, and a fingerprint for `search_check`. The full-text index itself is
not a model: an FTS5 table on SQLite, a generated tsvector column with a GIN index on
PostgreSQL (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUESTION = "question", _("Questions")
    ANSWER = "answer", _("Answers")
    ARTICLE = "article", _("Articles")


class SearchDocument(models.Model):
    key = models.CharField(max_length=40, unique=True)  # "answer:17"
    source = models.CharField(max_length=40, db_index=True)  # "question:12": indexed together
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    question_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    accepted = models.TextField(blank=True)
    answers = models.TextField(blank=True)
    tags = models.CharField(max_length=300, blank=True)  # space-separated slugs
    category_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=2, default="en")
    is_solved = models.BooleanField(default=False)
    answer_count = models.PositiveIntegerField(default=0)
    is_open = models.BooleanField(default=False)  # an open question (is:unanswered)
    votes = models.IntegerField(default=0)
    boost = models.FloatField(default=1.0)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    fingerprint = models.CharField(max_length=40)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            # Browsing without words (tag:x is:solved) orders by ranking boost, then age.
            models.Index(fields=["kind", "-boost", "-created_at"], name="search_doc_browse"),
            models.Index(fields=["category_id", "kind"], name="search_doc_category"),
        ]

    def __str__(self) -> str:
        return self.key


class DocumentTag(models.Model):
    """A document's tags, one row each, for tag filters and tag facet counts."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "name"], name="search_tag_once"),
        ]
        indexes = [models.Index(fields=["name", "document"], name="search_tag_by_name")]

    def __str__(self) -> str:
        return self.name


class SearchOrigin(models.TextChoices):
    PAGE = "page", _("search page")
    API = "api", _("API")
    SIMILAR = "similar", _("similar questions")


class ZeroResultSearch(models.Model):
    """Searches that found nothing: what people look for and the community hasn't answered.

    One row per normalised query, per origin, per day, with how many times it was searched
    (search.actions.record_zero_results adds to it), so a burst of anonymous searches
    writes one row, not one each. `query` is the first wording seen that day.
    """

    query = models.CharField(_("query"), max_length=300)
    normalized = models.CharField(max_length=300)
    origin = models.CharField(max_length=10, choices=SearchOrigin.choices)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("times searched"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(
                fields=["normalized", "origin", "day"], name="zero_result_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="zero_result_by_day")]

    def __str__(self) -> str:
        return self.query


class Deflection(models.Model):
    """One visit to the ask form that was shown similar questions.

    Shown, then maybe clicked, then maybe asked anyway: a visit with a click and no
    question asked is a question the community did not have to answer twice.
    """

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title typed"), max_length=300)
    suggested = models.JSONField(default=list)  # keys of the documents last shown
    times_shown = models.PositiveIntegerField(default=1)
    first_shown_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_shown_at = models.DateTimeField(auto_now=True)
    clicks = models.PositiveIntegerField(default=0)
    clicked_key = models.CharField(max_length=40, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    asked_question_id = models.BigIntegerField(null=True, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("similar-questions visit")
        verbose_name_plural = _("similar-questions visits")

    def __str__(self) -> str:
        return self.title

    @property
    def deflected(self) -> bool:
        return self.clicks > 0 and self.asked_question_id is None


class LexemeStat(models.Model):
    """The database backend's word statistics: in how many documents each indexed word
    (a stem, or a PostgreSQL lexeme) occurs.

    They decide which query words are rare enough to select documents (both vendors), and
    weigh words by rarity in PostgreSQL's ranking, which has no IDF of its own. Counted
    from the full-text index (fts5vocab, ts_stat) on rebuild and whenever the number of
    documents has moved by a tenth; the row with the empty lexeme holds that number.
    """

    lexeme = models.CharField(max_length=255, primary_key=True)
    documents = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.lexeme


class DocumentVector(models.Model):
    """The embedding of one source (a question's title and accepted answer's lead; an
    article's title and summary), for semantic search (search/vectors.py).

    Written by search's event subscribers in the task worker. `model` names the embedder
    that made it and the recipe (search.vectors.stored_model): a row of another is stale
    and is re-made by `manage.py search_reindex --vectors`. A source that should not be
    found (deleted, held, hidden, unpublished) keeps its row with an empty vector, so every
    process's in-memory matrix hears of the removal through the same "changed since" check.
    """

    key = models.CharField(max_length=40, unique=True)  # the source: "question:12"
    kind = models.CharField(max_length=10)  # "question" or "article"
    object_id = models.BigIntegerField()
    model = models.CharField(max_length=100)
    text_digest = models.CharField(max_length=40, blank=True)  # of the passages embedded
    vector = models.BinaryField(blank=True)  # float32; empty: not findable
    updated_at = models.DateTimeField(auto_now=True)
    # VectorsVersion.version of the transaction that last wrote the row.
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("document vector")
        verbose_name_plural = _("document vectors")
        indexes = [
            # A process's matrix reads only the rows written since the version it holds.
            models.Index(fields=["model", "version"], name="search_vector_since"),
        ]

    def __str__(self) -> str:
        return self.key


class VectorsVersion(models.Model):
    """One row: a counter bumped in the transaction of every `DocumentVector` write.

    Each process's matrix (search/vectors.py) compares it with the version it holds,
    a primary-key read, before answering, and reads only the rows written since when it
    moved. The bump's row lock orders the writers, so when a version is visible every
    lower one has committed (no late commits to allow for). `token` changes with every
    bump: the same number with another token means history was rewritten (a rollback
    a reader had seen, as tests do), and the reader reloads.
    """

    version = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("vectors version")
        verbose_name_plural = _("vectors versions")

    def __str__(self) -> str:
        return f"vectors v{self.version}"


# The vocabulary's models live beside the code that keeps and reads them.
from search.vocabulary import SearchTerm, SourceTerms, TermKey  # noqa: E402

__all__ = [
    "Deflection",
    "DocumentTag",
    "DocumentVector",
    "Kind",
    "LexemeStat",
    "SearchDocument",
    "SearchOrigin",
    "SearchTerm",
    "SourceTerms",
    "TermKey",
    "VectorsVersion",
    "ZeroResultSearch",
]
