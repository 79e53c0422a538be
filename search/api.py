"""Search in the JSON API: the same search() and similar_questions() the pages use.

Anyone may search; results are what the caller may see. A search that finds nothing is
recorded for staff, as on the search page. When the backend is unreachable the one
DomainError handler answers 503 `search_unavailable`.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from accounts.api import PUBLIC_SECURITY, public_auth
from core.schemas import NO_NUL, error_responses
from search import actions
from search.models import SearchOrigin
from search.queries import MAX_PAGE, SearchFilters, search, similar_questions

router = Router(tags=["search"])

ERRORS = error_responses(401, 403, 422, 503)  # 403: see forum/api.py READ_ERRORS


class SearchParams(Schema):
    q: str = Field("", max_length=500, pattern=NO_NUL, description="Words, phrases, filters.")
    kind: Literal["question", "answer", "article"] = Field(
        None, description="One kind of result (default: questions and articles)."
    )
    category: str = Field(None, max_length=255, pattern=NO_NUL, description="Slug or title.")
    tag: str = Field(None, max_length=100, pattern=NO_NUL, description="A tag's slug.")
    solved: bool = Field(None, description="Only solved (true) or unsolved (false).")
    sort: Literal["relevance", "newest", "votes"] = Field(
        "relevance", description="Order of the results: best match, newest, or most votes."
    )
    date: Literal["any", "week", "month", "year"] = Field(
        "any", description="Only results created in the past week, month or year."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Pages keep the same sort and date.")
    exact: bool = Field(
        False,
        description="Search only for the words as typed: no correction of typos, even when "
        "they find nothing.",
    )


class SimilarParams(Schema):
    title: str = Field(..., min_length=1, max_length=300, pattern=NO_NUL)


class CategoryOut(Schema):
    id: int
    title: str
    slug: str


class ResultOut(Schema):
    kind: str
    title: str
    title_html: str = Field(description="HTML: the escaped title with <mark> around matches.")
    url: str
    snippet: str = Field(description="HTML: escaped text with <mark> around matches.")
    is_solved: bool
    category: CategoryOut | None
    score: float
    votes: int
    answer_count: int
    created_at: datetime


class FacetOut(Schema):
    value: str
    label: str
    count: int | None = Field(description="How many; null when offered without counting.")
    capped: bool = Field(description="Counting stopped at `count`: there are more.")
    selected: bool


class FacetsOut(Schema):
    kind: list[FacetOut]
    category: list[FacetOut]
    solved: list[FacetOut]
    tags: list[FacetOut]


class SearchOut(Schema):
    query: str = Field(description="The query the results are for (a correction's, if any).")
    corrected_from: str | None = Field(
        description="The query as sent, when it found nothing and the results are for its "
        "correction (`query`); send it again with `exact=true` to search for it as typed."
    )
    did_you_mean: str | None = Field(
        description="A correction of the query that finds many more results than these few."
    )
    total: int = Field(
        description="How many results the pages hold; every facet count is out of these."
    )
    total_is_exact: bool = Field(
        description="False: search stopped counting at `total` (shown as 1,000+), and the "
        "facet counts are lower bounds too (`capped`)."
    )
    sort: str
    date: str
    page: int
    num_pages: int
    results: list[ResultOut]
    facets: FacetsOut


class SimilarOut(Schema):
    kind: str
    title: str
    url: str


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


@router.get(
    "/search/",
    response={200: SearchOut, **ERRORS},
    auth=public_auth,
    openapi_extra=PUBLIC_SECURITY,
)
def search_endpoint(request: HttpRequest, params: Query[SearchParams]):
    filters = SearchFilters(
        kind=params.kind,
        category=params.category,
        tags=(params.tag,) if params.tag else (),
        solved=params.solved,
        sort=params.sort,
        date=params.date,
    )
    results = search(
        params.q, filters=filters, page=params.page, user=request.user, exact=params.exact
    )
    if params.q.strip() and results.total == 0:
        actions.record_zero_results(request.user, params.q, origin=SearchOrigin.API)
    return {
        "query": results.query,
        "corrected_from": results.corrected_from,
        "did_you_mean": results.did_you_mean,
        "total": results.total,
        "total_is_exact": results.total_is_exact,
        "sort": results.sort,
        "date": results.date,
        "page": results.page,
        "num_pages": results.num_pages,
        "results": [
            {
                "kind": r.kind,
                "title": r.title,
                "title_html": str(r.highlighted_title),
                "url": _absolute(request, r.url),
                "snippet": str(r.snippet),
                "is_solved": r.is_solved,
                "category": r.category,
                "score": r.score,
                "votes": r.votes,
                "answer_count": r.answer_count,
                "created_at": r.created_at,
            }
            for r in results.items
        ],
        "facets": results.facets,
    }


@router.get(
    "/search/similar/",
    response={200: list[SimilarOut], **ERRORS},
    auth=public_auth,
    openapi_extra=PUBLIC_SECURITY,
)
def similar_questions_endpoint(request: HttpRequest, params: Query[SimilarParams]):
    return [
        {"kind": r.kind, "title": r.title, "url": _absolute(request, r.url)}
        for r in similar_questions(params.title, user=request.user)
    ]
