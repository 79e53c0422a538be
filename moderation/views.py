"""The site's moderation pages: the flag form (a page of its own, and a fragment htmx
loads under the post's Flag button) and the review queue with its one-click outcomes.
Thin: parse, call one action, pick a response (STYLE.md section 4)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import web
from forum.models import Answer, Comment, Question
from forum.permissions import can_see_post
from forum.views import member_required
from moderation import actions, permissions, queries
from moderation.forms import FlagForm, QueueFilterForm, ResolveForm
from moderation.models import Review

KINDS = {"question": Question, "answer": Answer, "comment": Comment}


def _post(kind: str, post_id: int):
    if kind == "question":
        return get_object_or_404(Question, pk=post_id)
    if kind == "answer":
        return get_object_or_404(Answer.objects.select_related("question"), pk=post_id)
    if kind == "comment":
        return get_object_or_404(
            Comment.objects.select_related("question", "answer__question"), pk=post_id
        )
    raise Http404


def post_url(post) -> str:
    """The post's place in its thread."""
    if isinstance(post, Comment):
        thread = post.question or post.answer.question
        return f"{thread.get_absolute_url()}#comment-{post.pk}"
    return post.get_absolute_url()


@require_http_methods(["GET", "POST"])
@member_required
def flag_view(request: HttpRequest, kind: str, post_id: int) -> HttpResponse:
    """The flag form: a page of its own without JavaScript, a fragment under the Flag
    button with htmx; posting it calls moderation.actions.flag_post."""
    post = _post(kind, post_id)
    if not can_see_post(request.user, post):
        raise Http404
    if not permissions.may_flag(request.user):
        raise PermissionDenied
    fragment = "moderation/_flag_form.html"
    template = fragment if request.htmx else "moderation/flag.html"
    form = FlagForm(request.POST or None, auto_id=f"flag-{kind}-{post.pk}-%s")
    context = {"form": form, "post": post, "kind": kind, "back": post_url(post)}
    if request.method == "POST" and form.is_valid():
        flag = web.submit(form, actions.flag_post, request.user, post, **form.cleaned_data)
        if flag is not None:
            if request.htmx:
                return render(request, "moderation/_flag_done.html", context)
            messages.success(request, _("Thank you. The moderators will review this post."))
            return redirect(post_url(post))
    return web.render_form(request, template, context)


def _require_reviewer(request: HttpRequest) -> None:
    if not permissions.can_review(request.user):
        raise PermissionDenied


def queue_context(request: HttpRequest) -> dict:
    """The queue page's context, for the site and the Wagtail admin alike."""
    categories = list(queries.queue_categories(request.user))
    filters = QueueFilterForm(request.GET or None, categories=categories)
    reason = category = None
    if filters.is_valid():
        reason = filters.cleaned_data["reason"] or None
        category = filters.cleaned_data["category"]
    page = queries.review_queue(
        reason=reason, category_id=category, cursor=request.GET.get("cursor"), viewer=request.user
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    return {
        "filters": filters,
        "page": page,
        "reviews": page.items,
        "filter_query": query.urlencode(),
        "can_suspend": request.user.is_staff or request.user.is_superuser,
    }


@require_GET
@member_required
def queue_view(request: HttpRequest) -> HttpResponse:
    """The review queue for moderators and staff: open reviews oldest first."""
    _require_reviewer(request)
    context = queue_context(request) | {"resolve_url_name": "moderation:resolve"}
    return render(request, "moderation/queue.html", context)


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
@member_required
@web.refusals_shown
def resolve_view(request: HttpRequest, review_id: int) -> HttpResponse:
    """One outcome for one review (moderation.actions.resolve_flags)."""
    _require_reviewer(request)
    review = get_object_or_404(Review, pk=review_id)
    back = _next(request, reverse("moderation:queue"))
    web.refusals_return_to(request, back)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome."))
        return redirect(back)
    review = actions.resolve_flags(
        request.user, review, form.cleaned_data["outcome"], reason=form.cleaned_data["reason"]
    )
    if request.htmx:
        return render(request, "moderation/_resolved.html", {"review": review})
    messages.success(
        request, _("Review closed: %(outcome)s.") % {"outcome": review.get_outcome_display()}
    )
    return redirect(back)
