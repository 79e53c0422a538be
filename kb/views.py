"""The knowledge base's site views: promoting a thread from its page, and "Was this
helpful?" on every article. Pages themselves (index, articles, FAQ) are served by Wagtail.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import web
from core.errors import DomainError, InvalidInput, RateLimited
from forum.models import Question
from forum.views import member_required
from kb import actions, queries
from kb.forms import HelpfulnessForm
from kb.models import ArticlePage

VISITOR_COOKIE_AGE = timedelta(days=365)


@require_POST
@member_required
def promote_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    """Promote a solved thread, then open its draft in Wagtail's editor."""
    question = get_object_or_404(Question, pk=question_id)
    try:
        article = actions.promote_question(request.user, question)
    except DomainError as error:
        messages.error(request, error.message)
        if request.htmx:
            return HttpResponseClientRedirect(question.get_absolute_url())
        return redirect(question)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    if request.htmx:
        return HttpResponseClientRedirect(edit_url)
    return redirect(edit_url)


@require_POST
def rate_article_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """Record "Was this helpful?" for a published article: htmx swaps the fragment, a plain
    form post gets a message and goes back to the article."""
    article = get_object_or_404(ArticlePage.objects.live().defer_streamfields(), pk=article_id)
    token, new_token = queries.visitor_token(request), ""
    if not request.user.is_authenticated and not token:
        token = new_token = actions.new_visitor_token()
    form = HelpfulnessForm(request.POST)
    vote, error = None, None
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        error = InvalidInput(errors[0], field=field)
    else:
        vote = web.submit(
            form,
            actions.rate_article,
            request.user,
            article,
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
            visitor_token=token,
            client_ip=request.META.get("REMOTE_ADDR", ""),
        )
        error = web.refusal_of(form)

    if request.htmx:
        context = {"article": article, "my_vote": vote, "error": error, "form": form}
        # A 200 so htmx swaps the fragment with its message; Retry-After all the same.
        response = web.with_retry_after(render(request, "kb/_helpfulness.html", context), error)
    elif isinstance(error, RateLimited):  # the "slow down" page, 429 with Retry-After
        response = web.refused(request, error, f"{article.get_url(request)}#helpfulness")
    else:
        if error is not None:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your feedback."))
        response = redirect(f"{article.get_url(request)}#helpfulness")
    if new_token:
        response.set_signed_cookie(
            queries.VISITOR_COOKIE,
            new_token,
            salt=queries.VISITOR_COOKIE_SALT,
            max_age=int(VISITOR_COOKIE_AGE.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _in_the_links_language(request: HttpRequest, find):
    """`find()` in the language of the page the link was on (`?lang=`, which the links
    carry: an /id/ page's Help goes to the Indonesian knowledge base whatever the browser
    asks for), else in the request's."""
    code = request.GET.get("lang")
    if code not in dict(settings.LANGUAGES):
        return find()
    with translation.override(code):
        return find()


@require_GET
def knowledge_base_redirect(request: HttpRequest) -> HttpResponse:
    """/help/, the header's link: to the knowledge base wherever staff put it in the tree."""
    index = _in_the_links_language(request, queries.knowledge_base_index)
    if index is None:
        raise Http404
    return redirect(index.url)


@require_GET
def faq_redirect(request: HttpRequest) -> HttpResponse:
    """/help/faq/, the footer's link: to the FAQ page."""
    page = _in_the_links_language(request, queries.faq)
    if page is None:
        raise Http404
    return redirect(page.url)
