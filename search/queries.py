"""Searching, as pages, the API and the ask form use it: one function each, any backend.

`search()` parses the query, resolves its filters, asks the configured backend, drops
anything the viewer may not see (a deleted question is never shown, even if the index
has not caught up yet), and returns results with labelled facet counts.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from forum.models import Answer, CategoryPage
from forum.queries import visible_questions
from search import spelling
from search.backends import Candidate, Hit, SearchRequest, get_backend
from search.documents import indexable_articles
from search.models import Kind
from search.syntax import KINDS, ParsedQuery, parse_query

THREAD_KINDS = (Kind.QUESTION.value, Kind.ARTICLE.value)  # what a search shows by default
FEW_RESULTS = 3  # at most this many: a correction that finds many more is offered
MAX_PAGE = 50
SIMILAR_LIMIT = 5

# Orders of the results (the `sort` parameter): relevance first, as the backend ranks.
RELEVANCE, NEWEST, VOTES = "relevance", "newest", "votes"
SORTS = {RELEVANCE: _("Relevance"), NEWEST: _("Newest"), VOTES: _("Votes")}
# The date filter (the `date` parameter): documents created this recently.
ANY_TIME = "any"
DATES = {
    ANY_TIME: _("Any time"),
    "week": _("Past week"),
    "month": _("Past month"),
    "year": _("Past year"),
}
DATE_SPANS = {"week": timedelta(days=7), "month": timedelta(days=31), "year": timedelta(days=366)}


@dataclass(frozen=True)
class SearchFilters:
    """Filters and the order chosen outside the query text (the page's controls, facet
    links, API parameters)."""

    kind: str | None = None
    category: str | None = None  # slug or title
    tags: tuple[str, ...] = ()
    solved: bool | None = None
    sort: str = RELEVANCE  # one of SORTS
    date: str = ANY_TIME  # one of DATES

    @classmethod
    def from_params(cls, params: Mapping) -> "SearchFilters":
        """Filters from request parameters: kind, category, tag (repeatable), solved (1/0),
        sort and date (anything unknown means the default)."""
        getlist = getattr(params, "getlist", None)
        tags = getlist("tag") if getlist else [params.get("tag")]
        solved = {"1": True, "true": True, "0": False, "false": False}.get(
            str(params.get("solved", "")).lower()
        )
        kind, sort, date = params.get("kind"), params.get("sort"), params.get("date")
        return cls(
            kind=kind if kind in KINDS else None,
            category=params.get("category") or None,
            tags=tuple(t for t in tags if t),
            solved=solved,
            sort=sort if sort in SORTS else RELEVANCE,
            date=date if date in DATES else ANY_TIME,
        )

    @property
    def narrows(self) -> bool:
        """Whether these select anything on their own (the order alone does not)."""
        return replace(self, sort=RELEVANCE) != SearchFilters()


@dataclass(frozen=True)
class CategoryRef:
    id: int
    title: str
    slug: str


@dataclass(frozen=True)
class SearchResult:
    key: str
    kind: str
    object_id: int
    question_id: int | None
    title: str
    url: str
    snippet: SafeString  # escaped text and <mark> only
    is_solved: bool
    category: CategoryRef | None
    score: float
    votes: int
    answer_count: int
    created_at: datetime
    language: str = "en"
    title_html: SafeString | None = None  # escaped title, query words in <mark>

    @property
    def highlighted_title(self) -> SafeString:
        return self.title_html if self.title_html is not None else escape(self.title)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int | None  # None: offered without counting
    selected: bool = False
    capped: bool = False  # the backend stopped counting at `count`

    @property
    def display_count(self) -> str:
        if self.count is None:
            return ""
        return f"{self.count}+" if self.capped else str(self.count)


@dataclass(frozen=True)
class Facets:
    kind: list[FacetValue]
    category: list[FacetValue]
    solved: list[FacetValue]
    tags: list[FacetValue]


@dataclass(frozen=True)
class SearchResults:
    query: str
    parsed: ParsedQuery
    items: list[SearchResult]
    total: int
    page: int
    page_size: int
    facets: Facets
    total_is_exact: bool = True  # False: `total` is a lower bound ("1,000+ results")
    sort: str = RELEVANCE
    date: str = ANY_TIME
    # The query as typed, when it found nothing and these are a correction's results
    # ("Showing results for `query`. Search instead for `corrected_from`").
    corrected_from: str | None = None
    # A correction that finds many more than these few results ("Did you mean ...?").
    did_you_mean: str | None = None

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.page_size)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1


_EMPTY_FACETS = Facets(kind=[], category=[], solved=[], tags=[])


def search(
    query: str,
    *,
    filters: SearchFilters | None = None,
    page: int = 1,
    user=None,
    page_size: int | None = None,
    now: datetime | None = None,
    exact: bool = False,
) -> SearchResults:
    """One page of results for `query` as `user` may see them, with facet counts, and
    typo tolerance (search/spelling.py) unless `exact`.

    When `query` finds nothing, its corrections are searched in turn and the first that
    finds something is returned, with `corrected_from` set to `query`. When it finds
    only a few (FEW_RESULTS), a correction that finds many more is offered as
    `did_you_mean`. A search with words that finds at most FEW_RESULTS costs one more
    query (the vocabulary lookup); each correction tried costs one search more.

    Raises SearchUnavailable when the backend cannot be reached.
    """
    arguments = {
        "filters": filters,
        "page": page,
        "user": user,
        "page_size": page_size,
        "now": now,
    }
    results = _search(query, **arguments)
    # Corrections matter only to a search that finds a few results or none, so only such
    # a search looks them up: at 100,000 threads the lookup (one query and an edit
    # distance per neighbouring word) cost every search 7 ms p50, 16 ms p95, for nothing.
    if exact or not results.parsed.has_text or results.total > FEW_RESULTS:
        return results
    found = spelling.corrections(query)
    if not found:
        return results
    if results.total == 0:
        for correction in found:
            corrected = _search(correction.query, **arguments)
            if corrected.total:
                return replace(corrected, corrected_from=query)
        return results
    if results.page == 1:
        corrected = _search(found[0].query, **{**arguments, "page": 1})
        if corrected.total >= max(2 * results.total, results.total + FEW_RESULTS):
            return replace(results, did_you_mean=found[0].query)
    return results


def _search(
    query: str,
    *,
    filters: SearchFilters | None = None,
    page: int = 1,
    user=None,
    page_size: int | None = None,
    now: datetime | None = None,
) -> SearchResults:
    """One page of results for `query` as `user` may see them, with facet counts.

    The backend ranks a window of the best matches (WINDOW, a thousand: every result the
    50 pages can show). Everything the viewer may not see, and every thread folded into a
    knowledge-base article found by the same search, is taken out of the whole window
    before anything is counted, so the total, every facet count and the pages are the
    same list: "3 results" never sits beside "Solved 4". When the window was full the
    counts are lower bounds ("1,000+"), and say so. The sort orders re-order that list.

    Raises SearchUnavailable when the backend cannot be reached. Costs a fixed number of
    queries however many results there are.
    """
    filters = filters or SearchFilters()
    parsed = parse_query(query)
    page = min(max(1, page), MAX_PAGE)
    size = page_size or settings.TANYA_PAGE_SIZE
    if parsed.is_empty and not filters.narrows:
        return SearchResults(
            query, parsed, [], 0, 1, size, _EMPTY_FACETS, sort=filters.sort, date=filters.date
        )

    kinds = _kinds(parsed, filters)
    span = DATE_SPANS.get(filters.date)
    request = SearchRequest(
        parsed=parsed,
        kinds=kinds,
        category_ids=_category_ids(parsed, filters),
        tags=tuple(dict.fromkeys((*parsed.tags, *filters.tags))),
        solved=filters.solved if filters.solved is not None else parsed.solved,
        unanswered=parsed.unanswered,
        offset=(page - 1) * size,
        limit=size,
        visibilities=_visibilities(user),
        created_after=(now or timezone.now()) - span if span else None,
    )
    backend = get_backend()
    raw = backend.search(request)
    shown = _in_order(_visible(raw.candidates, user), filters.sort)
    capped = not raw.complete
    hits = backend.hits(request, shown[request.offset : request.offset + size])

    category_counts = Counter(c.category_id for c in shown if c.category_id is not None)
    solved_counts = Counter(c.is_solved for c in shown)
    kind_counts = Counter(c.kind for c in shown)
    categories = _categories(set(category_counts) | {h.category_id for h in hits})
    facets = Facets(
        kind=[
            FacetValue(
                kind,
                str(label),
                None if kind in raw.uncounted_kinds else count,
                kind == filters.kind or kind in parsed.kinds,
                capped if kind in kind_counts else kind in raw.capped_kinds,
            )
            for kind, label in Kind.choices
            if (count := kind_counts.get(kind) or raw.other_kinds.get(kind))
            or kind in raw.uncounted_kinds
        ],
        category=[
            FacetValue(ref.slug, ref.title, count, filters.category == ref.slug, capped)
            for pk, count in category_counts.most_common()
            if (ref := categories.get(pk)) is not None
        ],
        solved=[
            FacetValue(value, str(label), count, request.solved is flag, capped)
            for flag, value, label in ((True, "1", _("Solved")), (False, "0", _("Unsolved")))
            if (count := solved_counts.get(flag))
        ],
        tags=[
            FacetValue(tag, tag, count, tag in request.tags, capped)
            for tag, count in backend.tag_counts(shown, request.facet_size)
        ],
    )
    items = [_result(hit, categories.get(hit.category_id)) for hit in hits]
    return SearchResults(
        query,
        parsed,
        items,
        len(shown),
        page,
        size,
        facets,
        total_is_exact=raw.complete,
        sort=filters.sort,
        date=filters.date,
    )


NOTHING_FOUND_ARTICLES = 3


def nothing_found_articles(category: str | None = None) -> list:
    """The knowledge base's most helpful articles (in the category filtered by, slug or
    title, when there is one), for a search that found nothing. Empty without kb."""
    if not apps.is_installed("kb"):
        return []
    from kb.queries import most_helpful_articles

    chosen = None
    if category:
        chosen = CategoryPage.objects.filter(Q(slug__iexact=category) | Q(title__iexact=category))
        chosen = chosen.first()
    return most_helpful_articles(NOTHING_FOUND_ARTICLES, category=chosen)


def _in_order(candidates: list[Candidate], sort: str) -> list[Candidate]:
    """The window in the order asked for; ties keep the ranking's order."""
    if sort == NEWEST:
        return sorted(candidates, key=lambda c: c.created_at, reverse=True)
    if sort == VOTES:
        return sorted(candidates, key=lambda c: c.votes, reverse=True)
    return candidates


def similar_questions(title: str, *, limit: int = SIMILAR_LIMIT, user=None) -> list[SearchResult]:
    """Solved threads (and knowledge-base articles) most like a draft question's title.

    Raises SearchUnavailable when the backend cannot be reached.
    """
    if not title.strip():
        return []
    hits = _visible(get_backend().similar(title, limit=limit + 2), user)[:limit]
    return [_result(hit, None) for hit in hits]


def related_questions(question, *, limit: int = SIMILAR_LIMIT) -> list[SearchResult]:
    """Threads and articles like `question` (its title, by words and by meaning), for the
    question page; never the question itself or the article made from it.

    Raises SearchUnavailable when the backend cannot be reached.
    """
    own = f"question:{question.pk}"
    # The search itself is kept for a while per question and title (the same for every
    # reader: it is the public list), the permission re-check below is not: a thread
    # hidden, held, made private or deleted since leaves the list on the next request.
    # At a million questions the search cost more than the rest of a member's page.
    title_digest = hashlib.blake2b(question.title.encode(), digest_size=8).hexdigest()
    key = f"related:{question.pk}:{title_digest}:{limit}"
    hits = cache.get(key)
    if hits is None:
        hits = get_backend().similar(
            question.title, limit=limit + 3, exclude=(own,), solved_only=False
        )
        cache.set(key, hits, timeout=settings.TANYA_RELATED_SECONDS)
    hits = [h for h in _visible(hits, None) if h.question_id != question.pk]
    articles = {h.object_id for h in hits if h.kind == Kind.ARTICLE}
    if articles:
        made_from_this = set(
            indexable_articles()
            .filter(pk__in=articles, source_question_id=question.pk)
            .values_list("pk", flat=True)
        )
        hits = [h for h in hits if not (h.kind == Kind.ARTICLE and h.object_id in made_from_this)]
    return [_result(hit, None) for hit in hits[:limit]]


def _kinds(parsed: ParsedQuery, filters: SearchFilters) -> tuple[str, ...]:
    if filters.kind:
        return (filters.kind,)
    return parsed.kinds or THREAD_KINDS


def _category_ids(parsed: ParsedQuery, filters: SearchFilters) -> tuple[int, ...] | None:
    """Pages named by `category:` (any of them) and by the filter (that one); None for any."""
    names = [name for name in (*parsed.categories,) if name]
    selected: set[int] | None = None
    if names:
        selected = _categories_named(names)
    if filters.category:
        chosen = _categories_named([filters.category])
        selected = chosen if selected is None else selected & chosen
    return None if selected is None else tuple(sorted(selected))


def _categories_named(names: list[str]) -> set[int]:
    condition = Q()
    for name in names:
        condition |= Q(slug__iexact=name) | Q(title__iexact=name)
    return set(CategoryPage.objects.filter(condition).values_list("pk", flat=True))


def _categories(ids: set[int | None]) -> dict[int, CategoryRef]:
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    return {
        pk: CategoryRef(pk, title, slug)
        for pk, title, slug in CategoryPage.objects.filter(pk__in=ids).values_list(
            "pk", "title", "slug"
        )
    }


def _visibilities(user) -> tuple[str, ...]:
    """Which indexed documents `user` may find."""
    # TODO(#3): moderators also find hidden and held posts once moderation indexes them.
    return ("public",)


def _visible(hits: list, user) -> list:
    """Hits whose question, answer or article `user` may see now (the index may lag a
    deletion or an unpublished article).

    Works on hits and on candidates alike. A thread that became a knowledge-base article
    found by the same search is left out: the article is the checked version of it and
    links to the thread, so showing both would only make the reader compare two copies
    of one answer.
    """
    # Only what everyone may see (visible_to(None)), even for the author or a moderator:
    # search reads the same for every reader, as the index does.
    question_ids = {h.question_id for h in hits if h.question_id is not None}
    answer_ids = {h.object_id for h in hits if h.kind == Kind.ANSWER}
    visible = set(
        _among(visible_questions(), question_ids).values_list("pk", flat=True)
        if question_ids
        else ()
    )
    visible_answers = set(
        _among(Answer.objects.visible_to(None), answer_ids).values_list("pk", flat=True)
        if answer_ids
        else ()
    )
    article_ids = {h.object_id for h in hits if h.kind == Kind.ARTICLE}
    visible_articles = dict(
        indexable_articles().filter(pk__in=article_ids).values_list("pk", "source_question_id")
        if article_ids
        else ()
    )
    in_articles = set(visible_articles.values())
    return [
        h
        for h in hits
        if (
            h.question_id is None or (h.question_id in visible and h.question_id not in in_articles)
        )
        and (h.kind != Kind.ANSWER or h.object_id in visible_answers)
        and (h.kind != Kind.ARTICLE or h.object_id in visible_articles)
    ]


def _among(queryset, ids):
    """The rows of `queryset` whose id is one of `ids` (up to a window's thousand), the ids
    passed as one parameter: a PostgreSQL array, or a JSON array that SQLite's json_each
    reads.

    A thousand-constant `IN` list cost 8 ms to parse and plan on PostgreSQL where the
    array costs 3, at 100,000 threads (docs/search.md, "Latency"); on SQLite, where Django
    also prepares each of the thousand values, the JSON array took the re-check
    (`_visible`) from 5.1 to 2.5 ms p50 (docs/search.md, "seventh pass")."""
    if connection.vendor == "postgresql":
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [sorted(ids)]))
    if connection.vendor == "sqlite" and connection.features.supports_json_field:
        listed = json.dumps(sorted(ids))
        return queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [listed]))
    return queryset.filter(pk__in=ids)


def _result(hit: Hit, category: CategoryRef | None) -> SearchResult:
    return SearchResult(
        key=hit.key,
        kind=hit.kind,
        object_id=hit.object_id,
        question_id=hit.question_id,
        title=hit.title,
        url=hit.url,
        snippet=hit.snippet,
        is_solved=hit.is_solved,
        category=category,
        score=hit.relevance,
        votes=hit.votes,
        answer_count=hit.answer_count,
        created_at=hit.created_at,
        language=hit.language,
        title_html=hit.title_html,
    )
