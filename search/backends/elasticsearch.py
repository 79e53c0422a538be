"""Elasticsearch, for communities that outgrow the database's full-text engine.

The only module that imports elasticsearch.dsl. Documents go to an index behind an alias
(`<SEARCH_INDEX_PREFIX>-documents`); `rebuild()` fills a new dated index and swaps the
alias in one atomic update_aliases call, so searches never see a half-built index.

Text fields are analysed twice: in English (the field itself) and in Indonesian (its
`.id` sub-field). A query takes the better of the two languages per document (dis_max),
so "billing" finds "billed" and "bayar" finds "pembayaran" without counting a word twice.
Matching is OR over the words with fuzziness for typos; phrases are required;
`rank_boost` (solved threads and articles first, votes) multiplies the score.
Designed for Elasticsearch 8 and 9 (the 8.x client speaks to both).
"""

import logging
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch import ConnectionError as TransportConnectionError
from elasticsearch import ConnectionTimeout as TransportTimeout
from elasticsearch.dsl import (
    A,
    Boolean,
    Completion,
    Date,
    DenseVector,
    Document,
    Float,
    Integer,
    Keyword,
    Long,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)
from elasticsearch.dsl.query import Query
from elasticsearch.helpers import BulkIndexError, bulk

from search.backends import BackendResults, Candidate, Hit, SearchBackend, SearchRequest
from search.documents import Document as SearchDocument
from search.errors import SearchUnavailable
from search.models import Kind
from search.syntax import ParsedQuery
from search.text import highlighted, without_headings

logger = logging.getLogger(__name__)

THREAD_KINDS = (Kind.QUESTION.value, Kind.ARTICLE.value)
FIELD_WEIGHTS = {"title": 4, "body": 1, "accepted": 1, "answers": 0.5, "tags_text": 2}
FUZZINESS = "AUTO"
LANGUAGE_TIE_BREAKER = 0.1  # how much the weaker language's match still adds
SNIPPET_FIELDS = ("body", "accepted", "answers")
# Semantic search: question titles and article titles with summaries, embedded by
# search.embeddings (multilingual-e5-small: 384 dimensions), in a dense_vector field
# searched by approximate kNN (HNSW) in the same request as the words: a `knn` query
# beside the words' query in one `bool`, whose hits are the union of both and whose scores
# add up, the kNN one weighted by KNN_BOOST, both times the document's rank_boost
# (docs/search.md, "The Elasticsearch backend"). Not `rank: rrf`:
# equal-weight reciprocal-rank fusion fell below the embedding alone on the FAQ set
# (issue 15), it is not available under the basic license, and it drops the scores
# search/queries.py sorts and the facets' window is built from.
VECTOR_DIMENSIONS = 384
KNN_BOOST = 4.0
KNN_CANDIDATES = 100  # num_candidates per shard: recall of the HNSW graph search
_UNAVAILABLE_STATUSES = {502, 503, 504}
WINDOW = 1000  # best matches a search ranks, as the database backend (search/queries.py)
# What a window's hits carry: enough to re-check, fold, count and sort them.
WINDOW_FIELDS = (
    "key",
    "kind",
    "object_id",
    "question_id",
    "category_id",
    "is_solved",
    "votes",
    "created_at",
    "tags",
)
TITLE_FIELDS = ("title", "title.id")  # highlighted whole (an answer's title is not matched)
# Never sent back with hits: the text is only for matching, the vector only for kNN.
HEAVY_FIELDS = (
    "body",
    "accepted",
    "answers",
    "title",
    "tags_text",
    "title_suggest",
    "title_vector",
    "spelling",
)

english = analyzer(
    "tanya_english",
    tokenizer="standard",
    filter=[
        token_filter("tanya_english_possessive", type="stemmer", language="possessive_english"),
        "lowercase",
        "asciifolding",
        token_filter("tanya_english_stop", type="stop", stopwords="_english_"),
        token_filter("tanya_english_stemmer", type="stemmer", language="english"),
    ],
)
indonesian = analyzer(
    "tanya_indonesian",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter("tanya_indonesian_stop", type="stop", stopwords="_indonesian_"),
        token_filter("tanya_indonesian_stemmer", type="stemmer", language="indonesian"),
    ],
)


# The phrase suggester's field ("did you mean"): words and two- and three-word shingles
# of the title and the start of the text, unstemmed, so a suggestion reads as written.
spelling_analyzer = analyzer(
    "tanya_spelling",
    tokenizer="standard",
    filter=[
        "lowercase",
        token_filter("tanya_shingle", type="shingle", min_shingle_size=2, max_shingle_size=3),
    ],
)
SPELLING_TEXT = 2000  # characters of the body that feed the spelling field


def _bilingual_text() -> Text:
    return Text(analyzer=english, fields={"id": Text(analyzer=indonesian)})


class IndexedDocument(Document):
    """A search document as Elasticsearch stores it; `_id` is the document key."""

    key = Keyword()
    source = Keyword()
    kind = Keyword()
    object_id = Long()
    question_id = Long()
    heading = Keyword(index=False)  # the title shown; `title` is the title matched
    title = _bilingual_text()
    title_suggest = Completion(analyzer="simple")
    body = _bilingual_text()
    accepted = _bilingual_text()
    answers = _bilingual_text()
    tags = Keyword()
    tags_text = _bilingual_text()
    category_id = Long()
    language = Keyword()
    is_solved = Boolean()
    answer_count = Integer()
    is_open = Boolean()
    votes = Integer()
    rank_boost = Float()
    url = Keyword(index=False)
    created_at = Date()
    fingerprint = Keyword()
    visibility = Keyword()
    title_vector = DenseVector(dims=VECTOR_DIMENSIONS, index=True, similarity="cosine")
    spelling = Text(analyzer=spelling_analyzer)

    class Index:
        name = "tanya-documents"
        settings = {"number_of_shards": 1}

    @classmethod
    def from_document(
        cls, doc: SearchDocument, vector: Sequence[float] | None = None
    ) -> "IndexedDocument":
        extra = {"title_vector": [float(x) for x in vector]} if vector is not None else {}
        return cls(
            **extra,
            meta={"id": doc.key},
            key=doc.key,
            source=doc.source,
            kind=doc.kind,
            object_id=doc.object_id,
            question_id=doc.question_id,
            heading=doc.title,
            title=doc.indexed_title,
            title_suggest={"input": [doc.title]} if doc.kind != Kind.ANSWER else None,
            body=doc.body,
            accepted=doc.accepted,
            answers=doc.answers,
            tags=list(doc.tags),
            tags_text=" ".join(t.replace("-", " ") for t in doc.tags),
            category_id=doc.category_id,
            language=doc.language,
            is_solved=doc.is_solved,
            answer_count=doc.answer_count,
            is_open=doc.is_open,
            votes=doc.votes,
            rank_boost=doc.boost,
            url=doc.url,
            created_at=doc.created_at,
            fingerprint=doc.fingerprint,
            visibility=doc.visibility,
            spelling=f"{doc.indexed_title}\n{doc.body[:SPELLING_TEXT]}",
        )


# --- Query bodies (pure functions: tested with to_dict()) ---------------------------------


def _fields(suffix: str, weights: dict[str, float]) -> list[str]:
    return [f"{name}{suffix}^{weight}" for name, weight in weights.items()]


def _either_language(**options) -> Query:
    """The better of an English and an Indonesian multi_match with the same options."""
    return Q(
        "dis_max",
        tie_breaker=LANGUAGE_TIE_BREAKER,
        queries=[
            Q("multi_match", fields=_fields("", FIELD_WEIGHTS), **options),
            Q("multi_match", fields=_fields(".id", FIELD_WEIGHTS), **options),
        ],
    )


def text_query(parsed: ParsedQuery) -> Query | None:
    """Any of the keywords (fuzzy), every phrase, none of the excluded; None if no words."""
    should, must = [], []
    # Without the question words the database backends keep (search.text.QUESTION_WORDS):
    # the analyzers here drop stop words anyway, and this backend was not measured with them.
    keywords = highlighted(parsed.keywords)
    if keywords:
        should.append(
            _either_language(
                query=" ".join(keywords),
                type="most_fields",
                operator="or",
                fuzziness=FUZZINESS,
                prefix_length=1,
            )
        )
    for phrase in parsed.phrases:
        must.append(_either_language(query=" ".join(phrase), type="phrase"))
    if not should and not must:
        return None
    return Q(
        "bool",
        should=should,
        must=must,
        must_not=excluded_clauses(parsed),
        minimum_should_match=1 if should else 0,
    )


def excluded_clauses(parsed: ParsedQuery) -> list[Query]:
    return [_either_language(query=" ".join(p), type="phrase") for p in parsed.excluded]


def _ranked(query: Query) -> Query:
    return Q(
        "function_score",
        query=query,
        functions=[{"field_value_factor": {"field": "rank_boost", "missing": 1}}],
        boost_mode="multiply",
    )


def filter_clauses(request: SearchRequest) -> list[Query]:
    """What the viewer may see, then every filter but the kind (the kind facet counts all
    kinds)."""
    clauses = [Q("terms", visibility=list(request.visibilities))]
    if request.category_ids is not None:
        clauses.append(Q("terms", category_id=list(request.category_ids)))
    if request.solved is not None:
        clauses.append(Q("term", is_solved=request.solved))
    if request.unanswered:  # open questions with no answer: no articles, no answers
        clauses.append(Q("term", kind=Kind.QUESTION))
        clauses.append(Q("term", is_open=True))
        clauses.append(Q("term", answer_count=0))
    if request.created_after is not None:
        clauses.append(Q("range", created_at={"gte": request.created_after.isoformat()}))
    clauses.extend(Q("term", tags=tag) for tag in request.tags)
    return clauses


def min_cosine() -> float:
    """The cosine a title needs to be found by its meaning alone, as on the database
    backend (search.fusion): a query about nothing the forum holds finds nothing, where a
    bare kNN always returns its k nearest, however far."""
    from search.fusion import PARAMS

    return PARAMS.min_cosine


def knn_query(vector: Sequence[float], *, filters: list[Query], boost: float = KNN_BOOST) -> Query:
    """The nearest title vectors that pass `filters`, as a query clause (`knn` query).

    It sits beside the words in one `bool` (`should`), inside the function score, so a
    title found by its meaning carries the document's `rank_boost` as a title found by
    its words does: solved threads and articles first, on both backends (on the database
    the semantic part carries the boost too, search/fusion.py). A top-level `knn` could
    not: it has no function score.

    `filters` must carry every permission and search filter: only the `knn` query's own
    `filter` is a pre-filter, applied during the graph search, so the nearest allowed
    titles come back (a filter beside it in the `bool` would drop them afterwards).
    Each shard contributes its `num_candidates` nearest (no `k`: the request's size
    takes the best). `similarity` is the raw cosine (before the score's (1 + cos) / 2
    and the boost)."""
    return Q(
        "knn",
        field="title_vector",
        query_vector=[float(x) for x in vector],
        num_candidates=KNN_CANDIDATES,
        filter=filters,
        similarity=min_cosine(),
        boost=boost,
    )


def _with_meaning(words: Query, meaning: Query | None) -> Query:
    """The words' query, or either of the words and the meaning (scores added), ranked."""
    if meaning is None:
        return _ranked(words)
    return _ranked(Q("bool", should=[words, meaning], minimum_should_match=1))


def _base_query(request: SearchRequest) -> Query:
    parsed = request.parsed
    text = text_query(parsed) if parsed.has_text else None
    return Q(
        "bool",
        must=[text] if text is not None else [Q("match_all")],
        must_not=excluded_clauses(parsed) if text is None else [],
        filter=filter_clauses(request),
    )


def build_search(
    request: SearchRequest, index: str, vector: Sequence[float] | None = None
) -> Search:
    """The window of a search: the best WINDOW matches (ranked query, kind post-filter)
    with only the facts search/queries.py re-checks, folds, counts and sorts them by; with
    `vector` (the query's embedding), the nearest titles too (kNN, filtered alike). The
    one aggregation counts the kinds not being shown, which are only offered.

    Facets are not aggregations: an aggregation counts what the index holds, before the
    permission re-check and the folding of a thread into its article, so its counts
    would not add up to the list (docs/search.md, "Facets and sorting")."""
    parsed = request.parsed
    kinds = Q("terms", kind=list(request.kinds))
    window = max(WINDOW, request.offset + request.limit)
    meaning = None
    knn_kinds = [k for k in request.kinds if k in THREAD_KINDS]
    if vector is not None and not parsed.phrases and knn_kinds:
        filters = [*filter_clauses(request), Q("terms", kind=knn_kinds)]
        filters += [~q for q in excluded_clauses(parsed)]
        meaning = knn_query(vector, filters=filters)
    search = (
        Search(index=index)
        .query(_with_meaning(_base_query(request), meaning))
        .post_filter(kinds)
        .sort("_score", {"created_at": {"order": "desc"}})
        .source(list(WINDOW_FIELDS))
        .extra(size=window, track_total_hits=False)
    )
    if request.facets:
        search.aggs.bucket("kind", A("terms", field="kind", size=len(Kind.values)))
    return search


def build_page(request: SearchRequest, index: str, keys: Sequence[str]) -> Search:
    """One page of a search's window (`keys`): the documents with their highlights, the
    title whole and the text in two fragments.

    The query only scores and highlights (`should`): a title found by its meaning alone
    (kNN) matches none of the words and must still come back."""
    search = (
        Search(index=index)
        .query(
            Q(
                "bool",
                should=[_base_query(request)],
                filter=[Q("ids", values=list(keys))],
                minimum_should_match=0,
            )
        )
        .source(excludes=[*HEAVY_FIELDS])
        .extra(size=len(keys))
    )
    if request.parsed.has_text:
        search = search.highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=180,
            number_of_fragments=2,
            boundary_scanner="sentence",
        )
        search = search.highlight(*SNIPPET_FIELDS, *(f"{f}.id" for f in SNIPPET_FIELDS))
        search = search.highlight(*TITLE_FIELDS, number_of_fragments=0)
    return search


def build_similar(
    text: str,
    limit: int,
    index: str,
    visibilities: tuple[str, ...] = ("public",),
    *,
    vector: Sequence[float] | None = None,
    exclude: Sequence[str] = (),
    solved_only: bool = True,
) -> Search:
    """Solved threads and articles (any thread without `solved_only`) like a draft title:
    titles weigh most, typos forgiven; with `vector`, the nearest titles by meaning too."""
    from search.syntax import parse_query

    parsed = parse_query(text)
    words = tuple(highlighted(parsed.keywords)) + tuple(w for p in parsed.phrases for w in p)
    filters = [Q("terms", visibility=list(visibilities)), Q("terms", kind=list(THREAD_KINDS))]
    if solved_only:
        filters.append(Q("term", is_solved=True))
    query = Q(
        "bool",
        must=[
            _either_language(
                query=" ".join(words),
                type="most_fields",
                operator="or",
                fuzziness=FUZZINESS,
                prefix_length=1,
            )
        ],
        filter=filters,
        must_not=[Q("terms", source=list(exclude))] if exclude else [],
    )
    meaning = None
    if vector is not None:
        knn_filters = list(filters)
        if exclude:
            knn_filters.append(~Q("terms", source=list(exclude)))
        meaning = knn_query(vector, filters=knn_filters)
    return (
        Search(index=index)
        .query(_with_meaning(query, meaning))
        .sort("_score", {"created_at": {"order": "desc"}})
        .source(excludes=[*HEAVY_FIELDS])
        .extra(size=limit)
    )


def build_completion(prefix: str, limit: int, index: str) -> Search:
    """Titles starting with `prefix` (the completion field), for type-ahead."""
    return (
        Search(index=index)
        .suggest("titles", prefix, completion={"field": "title_suggest", "size": limit})
        .source(["heading", "url", "kind"])
        .extra(size=0)
    )


def build_spelling(text: str, index: str, size: int = 3) -> Search:
    """A phrase suggester over the spelling field: corrections of `text` that the index's
    public documents make likely, each checked to match one (`collate`)."""
    return (
        Search(index=index)
        .suggest(
            "spelling",
            text,
            phrase={
                "field": "spelling",
                "size": size,
                "gram_size": 3,
                "max_errors": 2,
                "direct_generator": [
                    {"field": "spelling", "suggest_mode": "missing", "min_word_length": 3}
                ],
                "collate": {
                    "query": {
                        "source": {
                            "bool": {
                                "must": {"match": {"spelling": "{{suggestion}}"}},
                                "filter": {"term": {"visibility": "public"}},
                            }
                        }
                    },
                    "prune": False,
                },
            },
        )
        .extra(size=0)
    )


def safe_fragment(fragment: str) -> SafeString:
    """Elasticsearch's html-encoded fragment, decoded and re-escaped around our own <mark>s."""
    out = []
    for index, piece in enumerate(fragment.replace("</mark>", "<mark>").split("<mark>")):
        text = escape(unescape(piece))
        out.append(f"<mark>{text}</mark>" if index % 2 else text)
    return mark_safe("".join(out))  # escaped pieces and our own tags only


# --- The backend ---------------------------------------------------------------------------


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, client: Elasticsearch, *, prefix: str = "tanya") -> None:
        self.client = client
        self.alias = f"{prefix}-documents"

    @classmethod
    def from_settings(cls) -> "ElasticsearchBackend":
        client = Elasticsearch(
            settings.ELASTICSEARCH_URL,
            request_timeout=settings.SEARCH_TIMEOUT,
            max_retries=1,
            retry_on_timeout=False,
        )
        return cls(client, prefix=settings.SEARCH_INDEX_PREFIX)

    # Writes --------------------------------------------------------------------------

    def replace(self, source: str, documents: Sequence[SearchDocument]) -> None:
        keys = [doc.key for doc in documents]
        with _unavailable_on_connection_error():
            self._bulk(self._actions(documents, self.alias))
            self.client.delete_by_query(
                index=self.alias,
                query=Q(
                    "bool", filter=[Q("term", source=source)], must_not=[Q("ids", values=keys)]
                ).to_dict(),
                conflicts="proceed",
                refresh=True,
            )

    def remove(self, source: str) -> None:
        # No index yet: nothing to remove.
        with _unavailable_on_connection_error(), suppress(NotFoundError):
            self.client.delete_by_query(
                index=self.alias,
                query=Q("term", source=source).to_dict(),
                conflicts="proceed",
                refresh=True,
            )

    def rebuild(self, batches: Iterable[list[SearchDocument]], *, keep_old: bool = False) -> int:
        """Fill a new index, then point the alias at it and drop the old ones in one call."""
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        with _unavailable_on_connection_error():
            IndexedDocument.init(index=name, using=self.client)
            count = 0
            for batch in batches:
                count += len(batch)
                self._bulk(self._actions(batch, name))
            self.client.indices.refresh(index=name)
            try:
                old = sorted(self.client.indices.get_alias(name=self.alias).body)
            except NotFoundError:
                old = []
            actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
            actions.append({"add": {"index": name, "alias": self.alias, "is_write_index": True}})
            self.client.indices.update_aliases(actions=actions)
            if not keep_old:
                for index in old:
                    self.client.indices.delete(index=index)
        return count

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        with _unavailable_on_connection_error():
            search = Search(using=self.client, index=self.alias).source(
                ["key", "fingerprint", "source"]
            )
            try:
                return {hit.key: (hit.fingerprint, hit.source) for hit in search.scan()}
            except NotFoundError:
                return {}

    def _actions(self, documents: Iterable[SearchDocument], index: str):
        documents = list(documents)
        vectors = _stored_vectors([doc.key for doc in documents if doc.kind in THREAD_KINDS])
        for doc in documents:
            document = IndexedDocument.from_document(doc, vectors.get(doc.key))
            action = document.to_dict(include_meta=True)
            action["_index"] = index
            yield action

    def _bulk(self, actions) -> None:
        try:
            bulk(self.client, actions, chunk_size=500, refresh=False)
        except BulkIndexError as error:
            logger.error("Elasticsearch refused documents: %s", error.errors[:3])
            raise

    # Reads ---------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> BackendResults:
        parsed = request.parsed
        vector = None
        if parsed.has_text and not parsed.phrases and parsed.terms:
            vector = _query_vector(" ".join(parsed.terms))
        search = build_search(request, self.alias, vector).using(self.client)
        with _unavailable_on_connection_error():
            try:
                response = search.execute()
            except NotFoundError:
                return BackendResults(candidates=[])
        candidates = [_candidate(hit) for hit in response.hits]
        results = BackendResults(
            candidates=candidates, complete=len(candidates) < search.to_dict()["size"]
        )
        aggregations = response.to_dict().get("aggregations")
        if request.facets and aggregations:
            results.other_kinds = {
                kind: count
                for kind, count in _buckets(aggregations["kind"]).items()
                if kind not in request.kinds
            }
        return results

    def hits(self, request: SearchRequest, candidates: Sequence[Candidate]) -> list[Hit]:
        keys = [c.key for c in candidates]
        if not keys:
            return []
        search = build_page(request, self.alias, keys).using(self.client)
        with _unavailable_on_connection_error():
            try:
                found = {hit.key: _hit(hit) for hit in search.execute().hits}
            except NotFoundError:
                return []
        return [replace(found[c.key], relevance=c.score) for c in candidates if c.key in found]

    def similar(
        self, text: str, *, limit: int, exclude: Sequence[str] = (), solved_only: bool = True
    ) -> list[Hit]:
        search = build_similar(
            text,
            limit,
            self.alias,
            vector=_query_vector(text),
            exclude=exclude,
            solved_only=solved_only,
        ).using(self.client)
        with _unavailable_on_connection_error():
            try:
                return [_hit(hit) for hit in search.execute().hits]
            except NotFoundError:
                return []

    def complete(self, prefix: str, *, limit: int = 5) -> list[tuple[str, str]]:
        """(title, url) of threads and articles whose title starts with `prefix`."""
        search = build_completion(prefix, limit, self.alias).using(self.client)
        with _unavailable_on_connection_error():
            response = search.execute()
        return [
            (option._source.heading, option._source.url)
            for option in response.suggest.titles[0].options
        ]

    def spelling_suggestions(self, text: str, *, size: int = 3) -> list[str]:
        """The phrase suggester's corrections of `text`, the likeliest first."""
        search = build_spelling(text, self.alias, size).using(self.client)
        with _unavailable_on_connection_error():
            try:
                response = search.execute()
            except NotFoundError:
                return []
        return [option.text for option in response.suggest.spelling[0].options]


def _query_vector(text: str):
    """The query's embedding, or None when semantic search is off (words only)."""
    from search.vectors import query_vector

    return query_vector(text)


def _stored_vectors(keys: list[str]) -> dict:
    """Key -> vector (a float32 array) of the configured model, for what is being indexed;
    the vectors are made by search's event subscribers (search/vectors.py)."""
    import numpy as np

    from search.embeddings import get_embedder
    from search.models import DocumentVector
    from search.vectors import stored_model

    embedder = get_embedder()
    if embedder is None or not keys:
        return {}
    rows = DocumentVector.objects.filter(key__in=keys, model=stored_model(embedder))
    rows = rows.exclude(vector=b"")
    return {
        key: np.frombuffer(bytes(vector), dtype=np.float32)
        for key, vector in rows.values_list("key", "vector")
    }


def _buckets(aggregation: dict) -> dict:
    return {bucket["key"]: bucket["doc_count"] for bucket in aggregation["buckets"]}


def _created_at(hit):
    created_at = hit.created_at
    return parse_datetime(created_at) if isinstance(created_at, str) else created_at


def _candidate(hit) -> Candidate:
    return Candidate(
        ref=hit.key,
        key=hit.key,
        kind=hit.kind,
        object_id=hit.object_id,
        question_id=getattr(hit, "question_id", None),
        category_id=getattr(hit, "category_id", None),
        is_solved=bool(hit.is_solved),
        score=float(hit.meta.score or 0.0),
        created_at=_created_at(hit),
        votes=getattr(hit, "votes", 0) or 0,
        tags=tuple(getattr(hit, "tags", None) or ()),
    )


def _hit(hit) -> Hit:
    highlights = getattr(hit.meta, "highlight", None)
    highlights = highlights.to_dict() if highlights is not None else {}
    snippet = mark_safe("")
    for name in (*SNIPPET_FIELDS, *(f"{f}.id" for f in SNIPPET_FIELDS)):
        if highlights.get(name):
            snippet = safe_fragment(without_headings(" … ".join(highlights[name])))
            break
    title_html = None
    for name in TITLE_FIELDS:
        if highlights.get(name):
            title_html = safe_fragment(highlights[name][0])
            break
    created_at = _created_at(hit)
    return Hit(
        title_html=title_html,
        key=hit.key,
        kind=hit.kind,
        object_id=hit.object_id,
        question_id=getattr(hit, "question_id", None),
        title=hit.heading,
        url=hit.url,
        snippet=snippet,
        is_solved=bool(hit.is_solved),
        category_id=getattr(hit, "category_id", None),
        relevance=float(hit.meta.score or 0.0),
        votes=hit.votes,
        answer_count=hit.answer_count,
        created_at=created_at,
        language=getattr(hit, "language", None) or "en",
    )


class _unavailable_on_connection_error:
    """Turn "cannot reach the cluster" (and only that) into SearchUnavailable."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, TransportConnectionError | TransportTimeout):
            raise SearchUnavailable() from error
        if isinstance(error, ApiError) and error.meta.status in _UNAVAILABLE_STATUSES:
            raise SearchUnavailable() from error
        return False
