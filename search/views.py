"""The search page, the ask form's similar-questions fragment, and the suggestion redirect."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from forum.forms import ASK_VISIT_SESSION_KEY
from forum.queries import visible_questions
from search import actions
from search.documents import indexable_articles
from search.errors import SearchUnavailable
from search.models import SearchOrigin
from search.panels import language_marks
from search.queries import (
    DATES,
    SORTS,
    SearchFilters,
    nothing_found_articles,
    search,
    similar_questions,
)
from search.text import detect_language

SESSION_KEY = ASK_VISIT_SESSION_KEY  # the ask-form visit's Deflection token (forum/forms.py)
FROM_SIMILAR = "similar"


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:500]
    filters = SearchFilters.from_params(request.GET)
    context = {
        "query": query,
        "filters": filters,
        "results": None,
        "unavailable": False,
        "sorts": SORTS.items(),
        "dates": DATES.items(),
    }
    status = 200
    try:
        results = search(
            query,
            filters=filters,
            page=_page_number(request.GET.get("page")),
            user=request.user,
            exact=request.GET.get("exact") == "1",
        )
    except SearchUnavailable as error:
        context.update(unavailable=True, error=error)
        status = 503
    else:
        context["results"] = results
        if query and (results.total == 0 or results.corrected_from):
            # What was typed found nothing: the page offers articles and asking instead.
            context["helpful_articles"] = nothing_found_articles(filters.category)
        if query and results.total == 0 and results.page == 1:
            actions.record_zero_results(request.user, query, origin=SearchOrigin.PAGE)
    return render(request, "search/search.html", context, status=status)


@require_GET
def similar_fragment(request: HttpRequest) -> HttpResponse:
    """Up to five solved questions like the title being typed (htmx, on the ask form)."""
    title = request.GET.get("title", "").strip()[:300]
    results = []
    if len(title) >= 3:
        try:
            results = similar_questions(title, user=request.user)
        except SearchUnavailable:
            results = []  # the ask form works without suggestions
    token = None
    if results and request.user.is_authenticated:  # only members can go on to ask
        visit = actions.record_suggestions_shown(
            request.user,
            request.session.get(SESSION_KEY),
            title=title,
            keys=[r.key for r in results],
        )
        token = request.session[SESSION_KEY] = visit.token
    # A suggestion in the other language than the title typed says which it is.
    marked = language_marks(results, detect_language(title))
    return render(request, "search/_similar.html", {"results": marked, "token": token})


@require_GET
def go_to_result(request: HttpRequest, question_id: int) -> HttpResponse:
    """Follow a suggestion: record the click when it came from the ask form, then go there."""
    question = get_object_or_404(visible_questions(), pk=question_id)
    if request.GET.get("from") == FROM_SIMILAR:
        actions.record_suggestion_click(
            request.user, request.session.get(SESSION_KEY), f"question:{question.pk}"
        )
    return redirect(question.get_absolute_url())


@require_GET
def go_to_article(request: HttpRequest, article_id: int) -> HttpResponse:
    """Follow a knowledge-base suggestion: record the click from the ask form, then go."""
    article = get_object_or_404(indexable_articles(), pk=article_id)
    url = article.get_url(request)
    if not url:
        raise Http404
    if request.GET.get("from") == FROM_SIMILAR:
        actions.record_suggestion_click(
            request.user, request.session.get(SESSION_KEY), f"article:{article.pk}"
        )
    return redirect(url)
