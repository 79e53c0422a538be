"""The notification list, following a notification's link, marking read, follow buttons
and the settings page. Thin: each write is one call into notifications.actions."""

import contextlib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.models import Tag

from core.web import back_url
from forum import permissions
from forum.errors import DomainError
from forum.models import CategoryPage, Question
from forum.views import member_required
from notifications import actions, queries
from notifications.forms import PreferencesForm
from notifications.models import Notification


def _refused(request: HttpRequest, error: DomainError, back: str) -> HttpResponse:
    if request.htmx:
        response = render(request, "forum/_flash.html", {"error": error})
        response["HX-Retarget"] = "#flash"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, error.message)
    return redirect(back)


# --- The list ---------------------------------------------------------------------------


@require_GET
@member_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    page = queries.notification_page(request.user, cursor=request.GET.get("cursor"), unread=unread)
    context = {"page": page, "threads": queries.by_thread(page.items), "unread_only": unread}
    return render(request, "notifications/list.html", context)


def _own(request: HttpRequest, notification_id: int) -> Notification:
    # Someone else's notification is a 404, not a 403: its existence is not theirs to know.
    return get_object_or_404(Notification, pk=notification_id, recipient=request.user)


@require_GET
@member_required
def go_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Following a notification marks it read and lands on the exact answer or comment."""
    notification = _own(request, notification_id)
    # A refused mark (rate limited) still takes the member where they asked to go.
    with contextlib.suppress(DomainError):
        actions.mark_read(request.user, notification)
    return redirect(notification.url)


@require_POST
@member_required
def mark_read_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = _own(request, notification_id)
    back = back_url(request, "/notifications/")
    try:
        actions.mark_read(request.user, notification)
    except DomainError as error:
        return _refused(request, error, back)
    return redirect(back)


@require_POST
@member_required
def mark_all_read_view(request: HttpRequest) -> HttpResponse:
    back = back_url(request, "/notifications/")
    try:
        actions.mark_all_read(request.user)
    except DomainError as error:
        return _refused(request, error, back)
    messages.success(request, _("All notifications are marked read."))
    return redirect(back)


# --- Follow buttons ---------------------------------------------------------------------


def _follow_target(target: str, key: str) -> tuple[dict, str]:
    """The followed object as keyword arguments for the actions, and its page's URL."""
    if target == "question" and key.isdigit():
        question = get_object_or_404(Question, pk=int(key))
        return {"question": question}, question.get_absolute_url()
    if target == "tag":
        tag = get_object_or_404(Tag, slug=key)
        return {"tag": tag}, reverse("forum:tag", args=[tag.slug])
    if target == "category" and key.isdigit():
        category = get_object_or_404(CategoryPage.objects.live(), pk=int(key))
        return {"category": category}, category.url
    raise Http404


@require_POST
@member_required
def follow_view(request: HttpRequest, target: str, key: str, *, following: bool) -> HttpResponse:
    kwargs, page_url = _follow_target(target, key)
    question = kwargs.get("question")
    if question is not None and not permissions.can_see_post(request.user, question):
        raise Http404
    try:
        if following:
            actions.follow(request.user, **kwargs)
        else:
            actions.unfollow(request.user, **kwargs)
    except DomainError as error:
        return _refused(request, error, page_url)
    if request.htmx:
        context = {"target": target, "key": key, "is_following": following, "announce": True}
        return render(request, "notifications/_follow_button.html", context)
    return redirect(back_url(request, page_url))


# --- Settings ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def settings_view(request: HttpRequest) -> HttpResponse:
    preferences = queries.preferences_for(request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"follow_on_participate": preferences.follow_on_participate},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_preferences(request.user, **form.cleaned_data)
        except DomainError as error:
            return _refused(request, error, request.path)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
