"""The Elasticsearch backend without a cluster: mapping, query bodies, and the requests
it sends (through the real client, over a recorded transport). The same behaviour against
a live cluster is the contract suite's `elasticsearch` parametrisation."""

import pytest
from django.utils import timezone
from elasticsearch import Elasticsearch

from search.backends import SearchRequest
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    IndexedDocument,
    build_completion,
    build_page,
    build_search,
    build_similar,
    build_spelling,
    safe_fragment,
)
from search.documents import Document
from search.errors import SearchUnavailable
from search.syntax import parse_query
from tests.search.recorded import recorded_backend

THREADS = ("question", "article")


def request(query="", **kwargs):
    return SearchRequest(parsed=parse_query(query), kinds=kwargs.pop("kinds", THREADS), **kwargs)


def body(query="", **kwargs):
    return build_search(request(query, **kwargs), "tanya-documents").to_dict()


def document(key="question:1", **kwargs):
    fields = {
        "key": key,
        "source": "question:1",
        "kind": key.split(":")[0],
        "object_id": int(key.split(":")[1]),
        "question_id": 1,
        "title": "Printer offline",
        "url": "/questions/1/printer-offline/",
        "created_at": timezone.now(),
        **kwargs,
    }
    return Document(**fields)


# --- Mapping ------------------------------------------------------------------------------


def test_text_is_analysed_in_english_with_an_indonesian_sub_field():
    mapping = IndexedDocument._index.to_dict()["mappings"]["properties"]

    for name in ("title", "body", "accepted", "answers", "tags_text"):
        assert mapping[name]["analyzer"] == "tanya_english"
        assert mapping[name]["fields"]["id"]["analyzer"] == "tanya_indonesian"


def test_the_analyzers_stem_with_each_languages_snowball_stemmer_and_stop_words():
    analysis = IndexedDocument._index.to_dict()["settings"]["analysis"]

    assert analysis["filter"]["tanya_english_stemmer"] == {"type": "stemmer", "language": "english"}
    assert analysis["filter"]["tanya_indonesian_stemmer"] == {
        "type": "stemmer",
        "language": "indonesian",
    }
    assert analysis["filter"]["tanya_indonesian_stop"]["stopwords"] == "_indonesian_"


def test_filters_and_facets_use_keyword_fields_and_titles_have_a_completion_field():
    mapping = IndexedDocument._index.to_dict()["mappings"]["properties"]

    assert {mapping[f]["type"] for f in ("kind", "tags", "source", "key", "visibility")} == {
        "keyword"
    }
    assert mapping["is_solved"]["type"] == "boolean"
    assert mapping["title_suggest"]["type"] == "completion"
    assert mapping["url"] == {"type": "keyword", "index": False}


def test_an_answer_is_indexed_without_its_questions_title_or_a_suggestion():
    indexed = IndexedDocument.from_document(document("answer:7", title="Printer offline"))
    source = indexed.to_dict()

    assert source["heading"] == "Printer offline"
    assert source["title"] == ""
    assert "title_suggest" not in source


def test_an_article_is_indexed_with_its_title_suggestion_and_no_question():
    article = document(
        "article:40", source="article:40", question_id=None, url="/knowledge-base/printer/"
    )

    source = IndexedDocument.from_document(article).to_dict()

    assert (source["kind"], source["title"], source["url"]) == (
        "article",
        "Printer offline",
        "/knowledge-base/printer/",
    )
    assert "question_id" not in source
    assert source["title_suggest"]


# --- Query bodies -------------------------------------------------------------------------


def _text(search_body):
    return search_body["query"]["function_score"]["query"]["bool"]["must"][0]["bool"]


def test_any_keyword_matches_fuzzily_in_either_language():
    should = _text(body("how do I reset the router"))["should"][0]["dis_max"]

    english, indonesian = should["queries"]
    assert english["multi_match"]["query"] == "reset router"
    assert english["multi_match"]["operator"] == "or"
    assert english["multi_match"]["fuzziness"] == "AUTO"
    assert "title^4" in english["multi_match"]["fields"]
    assert "title.id^4" in indonesian["multi_match"]["fields"]


def test_phrases_are_required_and_excluded_words_are_not_allowed():
    text = _text(body('router "factory reset" -modem'))

    phrase = text["must"][0]["dis_max"]["queries"][0]["multi_match"]
    assert (phrase["query"], phrase["type"]) == ("factory reset", "phrase")
    excluded = text["must_not"][0]["dis_max"]["queries"][0]["multi_match"]
    assert excluded["query"] == "modem"
    assert text["minimum_should_match"] == 1


def test_filters_go_in_the_filter_context():
    filters = body("router", category_ids=(4, 5), tags=("wifi",), solved=True, unanswered=True)[
        "query"
    ]["function_score"]["query"]["bool"]["filter"]

    assert filters == [
        {"terms": {"visibility": ["public"]}},
        {"terms": {"category_id": [4, 5]}},
        {"term": {"is_solved": True}},
        {"term": {"kind": "question"}},  # unanswered: open questions with no answer
        {"term": {"is_open": True}},
        {"term": {"answer_count": 0}},
        {"term": {"tags": "wifi"}},
    ]


def test_every_search_is_limited_to_what_the_viewer_may_see():
    public = body("router")["query"]["function_score"]["query"]["bool"]["filter"]
    moderator = body("router", visibilities=("public", "held"))["query"]["function_score"]["query"][
        "bool"
    ]["filter"]

    assert public[0] == {"terms": {"visibility": ["public"]}}
    assert moderator[0] == {"terms": {"visibility": ["public", "held"]}}
    browse = body("tag:wifi")["query"]["function_score"]["query"]["bool"]["filter"]
    assert browse[0] == {"terms": {"visibility": ["public"]}}


def test_the_window_carries_only_facts_and_aggregates_only_the_kinds_not_shown():
    search_body = body("router")

    # The kind is a post-filter, so the one aggregation counts the kinds not shown; the
    # facets of what is shown are counted from the window itself, after the re-check.
    assert search_body["post_filter"] == {"terms": {"kind": ["question", "article"]}}
    assert search_body["aggs"] == {"kind": {"terms": {"field": "kind", "size": 3}}}
    assert search_body["size"] == 1000 and "from" not in search_body
    assert set(search_body["_source"]) == {
        "key", "kind", "object_id", "question_id", "category_id", "is_solved", "votes",
        "created_at", "tags",
    }  # fmt: skip
    assert "highlight" not in search_body


def test_the_date_filter_is_a_range_on_created_at():
    since = timezone.now()

    filters = body("router", created_after=since)["query"]["function_score"]["query"]["bool"]

    assert {"range": {"created_at": {"gte": since.isoformat()}}} in filters["filter"]


def test_the_score_is_multiplied_by_the_rank_boost_then_newest_first():
    search_body = body("router")

    function_score = search_body["query"]["function_score"]
    assert function_score["functions"] == [
        {"field_value_factor": {"field": "rank_boost", "missing": 1}}
    ]
    assert function_score["boost_mode"] == "multiply"
    assert search_body["sort"] == ["_score", {"created_at": {"order": "desc"}}]


def test_a_page_asks_for_its_documents_with_html_encoded_highlights_titles_whole():
    page = build_page(request("router"), "idx", ["question:1", "article:2"]).to_dict()

    assert page["size"] == 2
    assert page["query"]["bool"]["filter"] == [{"ids": {"values": ["question:1", "article:2"]}}]
    highlight = page["highlight"]
    assert highlight["encoder"] == "html"
    assert (highlight["pre_tags"], highlight["post_tags"]) == (["<mark>"], ["</mark>"])
    assert highlight["boundary_scanner"] == "sentence"
    assert {"body", "accepted", "answers", "body.id"} <= set(highlight["fields"])
    assert highlight["fields"]["title"] == {"number_of_fragments": 0}
    assert "title_vector" in page["_source"]["excludes"]


def test_a_query_of_only_filters_matches_everything_filtered():
    search_body = body("tag:wifi -modem")

    inner = search_body["query"]["function_score"]["query"]["bool"]
    assert inner["must"] == [{"match_all": {}}]
    assert inner["must_not"][0]["dis_max"]["queries"][0]["multi_match"]["query"] == "modem"
    assert "highlight" not in search_body


def test_similar_questions_ask_for_solved_threads_only():
    search_body = build_similar("my printer is offline", 5, "tanya-documents").to_dict()

    inner = search_body["query"]["function_score"]["query"]["bool"]
    assert inner["filter"] == [
        {"terms": {"visibility": ["public"]}},
        {"terms": {"kind": ["question", "article"]}},
        {"term": {"is_solved": True}},
    ]
    assert search_body["size"] == 5


def test_completion_suggests_from_the_title_field():
    search_body = build_completion("print", 5, "tanya-documents").to_dict()

    assert search_body["suggest"]["titles"] == {
        "prefix": "print",
        "completion": {"field": "title_suggest", "size": 5},
    }


def test_fragments_are_re_escaped_around_our_own_marks():
    fragment = "a &lt;b&gt; <mark>router</mark> &amp; <script>"

    assert safe_fragment(fragment) == "a &lt;b&gt; <mark>router</mark> &amp; &lt;script&gt;"


# --- Requests (recorded transport) ------------------------------------------------------


def test_rebuild_fills_a_new_index_then_swaps_the_alias_in_one_call():
    backend, recorder = recorded_backend()
    recorder.answer(
        "GET",
        "/_alias/tanya-documents",
        {"tanya-documents-old": {"aliases": {"tanya-documents": {}}}},
    )

    count = backend.rebuild([[document()], [document("answer:2")]])

    new = recorder.requests[1].path
    assert count == 2
    assert recorder.calls == [
        ("HEAD", new),
        ("PUT", new),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("POST", f"{new}/_refresh"),
        ("GET", "/_alias/tanya-documents"),
        ("POST", "/_aliases"),
        ("DELETE", "/tanya-documents-old"),
    ]
    assert new.startswith("/tanya-documents-2")
    assert recorder.requests[6].body == {
        "actions": [
            {"remove": {"index": "tanya-documents-old", "alias": "tanya-documents"}},
            {"add": {"index": new[1:], "alias": "tanya-documents", "is_write_index": True}},
        ]
    }
    assert recorder.requests[2].body[0] == {"index": {"_id": "question:1", "_index": new[1:]}}


def test_the_first_rebuild_adds_the_alias_and_can_keep_old_indexes():
    backend, recorder = recorded_backend()
    recorder.answer("GET", "/_alias/tanya-documents", {"error": "missing"}, status=404)

    backend.rebuild([[document()]], keep_old=True)

    actions = recorder.requests[-1].body["actions"]
    assert [list(action) for action in actions] == [["add"]]
    assert "DELETE" not in [method for method, _ in recorder.calls]


def test_replace_indexes_the_source_then_deletes_its_other_documents():
    backend, recorder = recorded_backend()

    backend.replace("question:1", [document(), document("answer:2")])

    assert recorder.calls == [("PUT", "/_bulk"), ("POST", "/tanya-documents/_delete_by_query")]
    assert recorder.requests[1].body == {
        "query": {
            "bool": {
                "filter": [{"term": {"source": "question:1"}}],
                "must_not": [{"ids": {"values": ["question:1", "answer:2"]}}],
            }
        }
    }


def test_remove_deletes_by_source_and_is_quiet_without_an_index():
    backend, recorder = recorded_backend()
    recorder.answer("POST", "/tanya-documents/_delete_by_query", {"error": "no index"}, status=404)

    backend.remove("question:1")

    assert recorder.requests[0].body == {"query": {"term": {"source": "question:1"}}}


def test_a_response_becomes_a_window_then_a_page_of_hits():
    backend, recorder = recorded_backend()
    facts = {
        "key": "question:1",
        "kind": "question",
        "object_id": 1,
        "question_id": 1,
        "is_solved": True,
        "category_id": 3,
        "votes": 2,
        "created_at": "2025-01-02T03:04:05+00:00",
        "tags": ["printers"],
    }
    recorder.answer(
        "POST",
        "/tanya-documents/_search",
        {
            "hits": {"hits": [{"_id": "question:1", "_score": 2.5, "_source": facts}]},
            "aggregations": {
                "kind": {
                    "buckets": [
                        {"key": "question", "doc_count": 1},
                        {"key": "answer", "doc_count": 4},
                    ]
                }
            },
        },
    )
    recorder.answer(
        "POST",
        "/tanya-documents/_search",
        {
            "hits": {
                "hits": [
                    {
                        "_id": "question:1",
                        "_score": 9.0,
                        "_source": {
                            **facts,
                            "heading": "Printer <b>offline</b>",
                            "url": "/questions/1/printer-offline/",
                            "answer_count": 1,
                        },
                        "highlight": {
                            "body.id": ["the <mark>printer</mark> &lt;x&gt;"],
                            "title": ["<mark>Printer</mark> &lt;b&gt;offline&lt;/b&gt;"],
                        },
                    }
                ]
            }
        },
    )

    results = backend.search(request("printer"))
    [candidate] = results.candidates
    hits = backend.hits(request("printer"), results.candidates)

    assert (candidate.key, candidate.score, candidate.votes, candidate.tags) == (
        "question:1",
        2.5,
        2,
        ("printers",),
    )
    assert results.complete
    assert results.other_kinds == {"answer": 4}  # kinds shown are counted from the window
    assert backend.tag_counts(results.candidates, 10) == [("printers", 1)]
    assert recorder.requests[1].body["query"]["bool"]["filter"] == [
        {"ids": {"values": ["question:1"]}}
    ]
    [hit] = hits
    assert (hit.title, hit.relevance, hit.is_solved, hit.category_id) == (
        "Printer <b>offline</b>",
        2.5,  # the window's score, not the page request's
        True,
        3,
    )
    assert hit.snippet == "the <mark>printer</mark> &lt;x&gt;"
    assert hit.title_html == "<mark>Printer</mark> &lt;b&gt;offline&lt;/b&gt;"


def test_a_heading_in_a_highlighted_fragment_is_left_out():
    from search.backends.elasticsearch import _hit
    from search.text import HEADING_END, HEADING_START

    class Meta:
        score = 1.0
        highlight = None

    class Raw:
        key, kind, object_id, heading, url = "article:2", "article", 2, "Fix", "/kb/fix/"
        is_solved, votes, answer_count, created_at = True, 0, 0, "2025-01-02T03:04:05+00:00"

    raw = Raw()
    raw.meta = Meta()

    class Highlight(dict):
        def to_dict(self):
            return dict(self)

    raw.meta.highlight = Highlight(
        body=[f"Summary. {HEADING_START}Problem{HEADING_END} The <mark>printer</mark> stops."]
    )

    assert _hit(raw).snippet == "Summary. … The <mark>printer</mark> stops."


@pytest.mark.django_db
def test_a_hit_for_a_deleted_question_is_dropped_even_if_the_index_has_it(settings, monkeypatch):
    from search import queries
    from tests.factories import QuestionFactory

    deleted = QuestionFactory(deleted_at=timezone.now())
    backend, recorder = recorded_backend()
    recorder.answer(
        "POST",
        "/tanya-documents/_search",
        {
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "hits": [
                    {
                        "_id": f"question:{deleted.pk}",
                        "_score": 1.0,
                        "_source": {
                            "key": f"question:{deleted.pk}",
                            "kind": "question",
                            "object_id": deleted.pk,
                            "question_id": deleted.pk,
                            "heading": deleted.title,
                            "url": deleted.get_absolute_url(),
                            "is_solved": False,
                            "votes": 0,
                            "answer_count": 0,
                            "created_at": "2025-01-02T03:04:05+00:00",
                        },
                    }
                ],
            }
        },
    )
    monkeypatch.setattr(queries, "get_backend", lambda: backend)

    assert queries.search("router").items == []


def test_an_unreachable_cluster_is_search_unavailable():
    client = Elasticsearch("http://127.0.0.1:9", request_timeout=1, max_retries=0)
    backend = ElasticsearchBackend(client)

    with pytest.raises(SearchUnavailable):
        backend.search(request("router"))
    with pytest.raises(SearchUnavailable):
        backend.replace("question:1", [document()])


# --- Semantic search: the dense_vector field and kNN (no cluster runs here) -------------

VECTOR = [0.5] * 4 + [0.0] * 380


def test_titles_have_a_dense_vector_field_searched_by_cosine():
    from search.backends.elasticsearch import IndexedDocument

    mapping = IndexedDocument._doc_type.mapping.to_dict()["properties"]["title_vector"]

    assert mapping == {"type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine"}


def test_a_document_carries_its_stored_vector_and_hits_never_send_it_back():
    from search.backends.elasticsearch import IndexedDocument

    doc = Document(
        key="question:1", source="question:1", kind="question", object_id=1, title="Wifi",
        url="/q/1/", created_at=timezone.now(), question_id=1,
    )  # fmt: skip
    body = IndexedDocument.from_document(doc, VECTOR).to_dict()

    assert body["title_vector"] == VECTOR
    assert "title_vector" not in IndexedDocument.from_document(doc).to_dict()
    assert "title_vector" not in build_search(request("wifi"), "idx", VECTOR).to_dict()["_source"]
    assert (
        "title_vector"
        in build_page(request("wifi"), "idx", ["q:1"]).to_dict()["_source"]["excludes"]
    )


def _words_and_meaning(body: dict) -> tuple[dict, dict]:
    """The words' query and the `knn` query of a request with a query vector: both in one
    `bool` (either may match), inside the function score that applies rank_boost."""
    either = body["query"]["function_score"]["query"]["bool"]
    assert either["minimum_should_match"] == 1
    words, meaning = either["should"]
    return words, meaning["knn"]


def test_with_a_query_vector_search_adds_a_filtered_knn_beside_the_words():
    body = build_search(
        request("wifi drops", solved=True, tags=("router",)), "idx", VECTOR
    ).to_dict()

    words, knn = _words_and_meaning(body)
    assert knn["field"] == "title_vector"
    assert knn["query_vector"] == VECTOR
    assert knn["num_candidates"] == 100  # per shard; the window's size takes the best
    filters = knn["filter"]
    assert {"terms": {"visibility": ["public"]}} in filters
    assert {"term": {"is_solved": True}} in filters
    assert {"term": {"tags": "router"}} in filters
    assert {"terms": {"kind": ["question", "article"]}} in filters
    assert "multi_match" in str(words)  # the words still rank: the two scores add up
    assert "knn" not in body  # no top-level kNN: it could carry no rank_boost


def test_a_title_found_by_meaning_carries_the_rank_boost_as_one_found_by_its_words():
    # Solved threads and articles first whichever way a title was found: the function
    # score (rank_boost) multiplies the sum of both parts, as search/fusion.py does on the
    # database backends.
    for body in (
        build_search(request("wifi drops"), "idx", VECTOR).to_dict(),
        build_similar("wifi drops", 5, "idx", vector=VECTOR).to_dict(),
    ):
        scored = body["query"]["function_score"]
        assert scored["functions"] == [
            {"field_value_factor": {"field": "rank_boost", "missing": 1}}
        ]
        assert scored["boost_mode"] == "multiply"
        _, knn = _words_and_meaning(body)
        assert knn["boost"] > 0


def test_no_knn_without_a_vector_or_for_a_required_phrase():
    for body in (
        build_search(request("wifi drops"), "idx").to_dict(),
        build_search(request('"wifi drops"'), "idx", VECTOR).to_dict(),
        build_similar("wifi drops", 5, "idx").to_dict(),
    ):
        assert "knn" not in str(body)


def test_similar_questions_add_knn_over_solved_threads_less_the_excluded():
    body = build_similar("wifi drops", 5, "idx", vector=VECTOR, exclude=["question:7"]).to_dict()

    words, knn = _words_and_meaning(body)
    filters = knn["filter"]
    assert {"term": {"is_solved": True}} in filters
    assert {"bool": {"must_not": [{"terms": {"source": ["question:7"]}}]}} in filters
    assert words["bool"]["must_not"] == [{"terms": {"source": ["question:7"]}}]


def test_knn_carries_every_filter_of_the_query_because_only_its_own_filter_prefilters():
    # Only the knn query's own filter is applied during the graph search: whatever the
    # words' query filters on (the viewer's visibility first), the kNN must filter on too.
    when = timezone.now()
    filtered = request(
        "wifi drops -printer",
        solved=True,
        tags=("router",),
        category_ids=(3, 4),
        created_after=when,
        visibilities=("public",),
    )
    body = build_search(filtered, "idx", VECTOR).to_dict()

    words, knn = _words_and_meaning(body)
    query_filters = words["bool"]["filter"]
    knn_filters = knn["filter"]
    assert query_filters and all(f in knn_filters for f in query_filters)
    assert {"terms": {"category_id": [3, 4]}} in knn_filters
    assert {"range": {"created_at": {"gte": when.isoformat()}}} in knn_filters
    # The excluded word too: a title found by meaning must not hold it either.
    assert any("must_not" in f.get("bool", {}) for f in knn_filters)


def test_similar_questions_knn_finds_only_what_the_viewer_may_see():
    body = build_similar("wifi", 5, "idx", visibilities=("public",), vector=VECTOR).to_dict()

    _, knn = _words_and_meaning(body)
    assert {"terms": {"visibility": ["public"]}} in knn["filter"]
    assert {"terms": {"kind": ["question", "article"]}} in knn["filter"]
    assert body["size"] == 5


def test_a_title_is_found_by_meaning_alone_only_above_the_databases_minimum_cosine():
    from search.fusion import PARAMS

    for body in (
        build_search(request("wifi drops"), "idx", VECTOR).to_dict(),
        build_similar("wifi drops", 5, "idx", vector=VECTOR).to_dict(),
    ):
        _, knn = _words_and_meaning(body)
        assert knn["similarity"] == PARAMS.min_cosine
        assert "rank" not in body  # one request: the scores add, no reciprocal ranks


def test_a_page_returns_titles_found_by_meaning_alone_with_the_words_only_scoring():
    page = build_page(request("wifi drops"), "idx", ["question:1"]).to_dict()

    bool_query = page["query"]["bool"]
    assert "must" not in bool_query  # the words must not drop a kNN-only hit
    assert bool_query["minimum_should_match"] == 0
    assert bool_query["should"][0]["bool"]["must"]  # ... but still score and highlight
    assert bool_query["filter"] == [{"ids": {"values": ["question:1"]}}]


def test_the_spelling_field_holds_unstemmed_words_and_shingles():
    index_body = IndexedDocument._index.to_dict()
    mapping = index_body["mappings"]["properties"]
    analysis = index_body["settings"]["analysis"]

    assert mapping["spelling"] == {"type": "text", "analyzer": "tanya_spelling"}
    assert analysis["analyzer"]["tanya_spelling"]["filter"] == ["lowercase", "tanya_shingle"]
    assert analysis["filter"]["tanya_shingle"] == {
        "type": "shingle",
        "min_shingle_size": 2,
        "max_shingle_size": 3,
    }


def test_a_document_feeds_its_title_and_text_to_the_spelling_field():
    doc = Document(
        key="question:1",
        source="question:1",
        kind="question",
        object_id=1,
        title="Reset my password",
        url="/q/1/",
        created_at=timezone.now(),
        body="Forgot it.",
    )

    assert (
        IndexedDocument.from_document(doc).to_dict()["spelling"] == "Reset my password\nForgot it."
    )


def test_the_phrase_suggester_checks_each_correction_against_public_documents():
    body = build_spelling("pasword reset", "tanya-documents").to_dict()

    phrase = body["suggest"]["spelling"]["phrase"]
    assert body["suggest"]["spelling"]["text"] == "pasword reset"
    assert phrase["field"] == "spelling"
    assert phrase["direct_generator"][0]["suggest_mode"] == "missing"
    collate = phrase["collate"]["query"]["source"]["bool"]
    assert collate["filter"] == {"term": {"visibility": "public"}}
    assert body["size"] == 0
