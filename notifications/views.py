"""The notification list, following a notification's link, marking read, follow buttons
and the settings page. Thin: each write is one call into notifications.actions."""

import contextlib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from taggit.models import Tag

from accounts.models import User
from core.web import back_url
from forum import permissions
from forum.errors import DomainError
from forum.models import Answer, CategoryPage, Question
from forum.views import member_required
from notifications import actions, email, queries, reminders
from notifications.forms import EmailModesForm, PreferencesForm
from notifications.models import Kind, Notification


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
    email_form = _email_form(request)
    if request.method == "POST" and form.is_valid() and email_form.is_valid():
        try:
            actions.update_preferences(request.user, **form.cleaned_data)
            actions.update_email_modes(
                request.user, {k: m for k, m in email_form.cleaned_data.items() if m}
            )
        except DomainError as error:
            return _refused(request, error, request.path)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    context = {"form": form, "email_form": email_form}
    return render(request, "notifications/settings.html", context)


# --- Email: settings, one-click unsubscribe, accepting from a reminder ---------------------


def _email_form(request: HttpRequest) -> EmailModesForm:
    return EmailModesForm(
        request.POST if request.method == "POST" else None,
        initial=email.modes_for(request.user),
    )


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirmation page with a button (mail scanners follow GET links, so GET
    changes nothing). POST (the button, or the mail provider's one-click request): turn the
    token's kinds off for the token's member. No sign-in: the signed token is the proof;
    it names its member, so it can't act for anyone else. Idempotent."""
    read = email.read_unsubscribe_token(token)
    member = User.objects.filter(pk=read[0], is_active=True).first() if read else None
    if member is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    kinds = read[1]
    labels = (
        [str(Kind(kind).label) for kind in kinds] if kinds != email.ALL else []
    )  # shown in the page's language (the member may not be signed in)
    context = {"kinds": labels, "all": kinds == email.ALL, "token": token}
    if request.method == "POST":
        try:
            actions.unsubscribe(member, kinds)
        except DomainError as error:
            return render(request, "notifications/unsubscribe.html", {"error": error}, status=400)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
def accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """A reminder's accept link: GET shows the answer and a button, POST accepts it as the
    asker (no sign-in: the signed, single-use, expiring token is the proof)."""
    try:
        link = reminders.read_accept_token(token)
    except reminders.LinkExpired:
        return render(request, "notifications/accept.html", {"expired": True}, status=410)
    if link is None:
        return render(request, "notifications/accept.html", {"invalid": True}, status=404)
    answer = (
        Answer.objects.select_related("question__author", "author")
        .filter(pk=link.answer_id, question_id=link.question_id)
        .first()
    )
    question = answer.question if answer is not None else None
    if answer is None or not permissions.can_see_post(question.author, answer):
        return render(request, "notifications/accept.html", {"invalid": True}, status=404)
    context = {"question": question, "answer": answer, "token": token}
    if question.accepted_answer_id is not None and request.method == "GET":
        context["already"] = True
        return render(request, "notifications/accept.html", context, status=409)
    if request.method == "POST":
        try:
            actions.accept_by_link(link)
        except actions.LinkUsed as error:
            context |= {"already": True, "error": error}
            return render(request, "notifications/accept.html", context, status=409)
        except DomainError as error:
            context["error"] = error
            return render(request, "notifications/accept.html", context, status=403)
        context["done"] = True
    return render(request, "notifications/accept.html", context)


# --- Mention autocomplete ----------------------------------------------------------------

SUGGESTIONS = 8


@require_GET
@member_required
def mention_suggestions(request: HttpRequest) -> JsonResponse:
    """Usernames starting with `prefix`, for the editor's @-autocomplete (mentions.js):
    active members only, at most eight, one indexed query."""
    prefix = request.GET.get("prefix", "").strip().lstrip("@")[:150]
    if not prefix:
        return JsonResponse({"members": []})
    members = (
        User.objects.filter(username__istartswith=prefix, is_active=True)
        .order_by("username")
        .values("username", "display_name")[:SUGGESTIONS]
    )
    return JsonResponse({"members": list(members)})
