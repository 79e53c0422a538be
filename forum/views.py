"""HTML and htmx views for the forum. Thin: parse with a form, call one function in
forum/actions/, pick a response.

Domain errors are mapped by core/web.py, as STYLE.md section 6 says: form views go
through `web.submit` and `web.render_form` (the error on the form, 400, or 429 with
Retry-After when rate-limited); button views are `@web.refusals_shown` (flash and
redirect; htmx gets the error fragment aimed at #flash with a 200, because htmx does
not swap 4xx responses); delete, restore and the moderator tools are
`@moderator_refusals`, the same but a 403 (who is asking) is the refusal page. Every
htmx endpoint also works as a plain form post, so the site works with JavaScript off.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts import actions as account_actions
from accounts.models import User
from accounts.permissions import can_suspend_member
from core import panels, web
from forum import actions, member_queries, permissions, privileges, queries, viewcounts
from forum.errors import DomainError, InvalidInput, NotAllowed
from forum.forms import (
    ASK_VISIT_SESSION_KEY,
    AnswerForm,
    AskQuestionForm,
    AttachmentsForm,
    CloseForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    EmptyForm,
    MergeForm,
    MoveForm,
    NoteForm,
    PreviewForm,
    PrivacyForm,
    StateForm,
    SuspendForm,
    VoteForm,
)
from forum.markdown import render_markdown
from forum.models import Answer, Comment, Question
from forum.templatetags.forum_tags import safe_colour

VIEW_WINDOW = 60 * 60  # seconds in which a visitor's repeat views count once


# --- Helpers ----------------------------------------------------------------------------


def member_required(view: Callable) -> Callable:
    """Like login_required, but a POST sends the visitor back to the page they were on
    after logging in (not to the POST-only URL), and htmx gets a full-page redirect."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if permissions.is_member(request.user):
            return view(request, *args, **kwargs)
        # After logging in, a GET goes back to itself; a POST to the page it came from.
        next_url = (
            request.get_full_path() if request.method == "GET" else web.back_url(request, "/")
        )
        if request.htmx:
            login = redirect_to_login(next_url)
            return HttpResponseClientRedirect(login["Location"])
        return redirect_to_login(next_url)

    return wrapper


def _question_of(post: Question | Answer) -> Question:
    return post if isinstance(post, Question) else post.question


def _kind(post: Question | Answer) -> str:
    return "question" if isinstance(post, Question) else "answer"


# --- Lists ------------------------------------------------------------------------------


@require_GET
def category_colours_css(request: HttpRequest) -> HttpResponse:
    """Each category's colour as a CSS custom property on ``[data-category="<id>"]``.

    A stylesheet rather than style attributes, which the Content-Security-Policy refuses
    (docs/security-headers.md). Colours are validated as #rrggbb on save and again here.
    """
    rules = "".join(
        f'[data-category="{pk}"]{{--category:{safe_colour(colour)}}}\n'
        for pk, colour in queries.category_colours()
    )
    response = HttpResponse(rules, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    """Every visible question, with sort tabs and keyset pagination."""
    return render(request, "forum/questions.html", queries.question_list_page(request))


@require_GET
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = queries.tag_by_slug(slug)
    context = {"tag": tag, **queries.question_list_page(request, tag=tag)}
    context |= panels.context_for("forum.tag", request.user, tag)  # the follow button
    return render(request, "forum/tag.html", context)


# --- The question page ------------------------------------------------------------------


def _question_context(question: Question, user, **forms) -> dict:
    return {
        "question": question,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "state_form": StateForm(initial={"state": question.state}),
        # Each tool's fields have ids of their own (four of them have a note), so that
        # each label names its own field.
        "close_form": CloseForm(auto_id="id_close_%s"),
        "move_form": MoveForm(auto_id="id_move_%s", initial={"category": question.category_id}),
        "merge_form": MergeForm(auto_id="id_merge_%s"),
        "visibility_form": NoteForm(auto_id="id_visibility_%s"),
        # The knowledge-base banner and promote button, without importing kb (core.panels).
        **panels.context_for("forum.question", user, question),
    }


@require_GET
def question_detail(request: HttpRequest, question_id: int, slug: str) -> HttpResponse:
    try:
        question = queries.question_page(question_id, viewer=request.user)
    except Http404:
        # A question merged into another: its old URL leads to the original, for good.
        original = queries.merged_into(question_id)
        if original is None:
            raise
        return redirect(original, permanent=True)
    if question.merged_into_id is not None:  # moderators see it, but are sent on too
        return redirect(queries.merged_into(question_id), permanent=True)
    if slug != (question.slug or "question"):
        return redirect(question, permanent=True)
    _count_view(request, question)
    return render(request, "forum/question.html", _question_context(question, request.user))


def count_cached_view(request: HttpRequest, question_id: int, slug: str) -> None:
    """The question page served from the anonymous page cache (core/pagecache.py) still
    counts its view."""
    _count_view(request, Question(pk=question_id))


def _count_view(request: HttpRequest, question: Question) -> None:
    """One view per question per visitor an hour, so reloading doesn't inflate the count.

    Remembered in the cache, not the session: an anonymous reader gets no session row
    (and no cookie) just for reading. Counted in the cache too: a page view never writes
    to the database.
    """
    if request.user.is_authenticated:
        visitor = f"u{request.user.pk}"
    else:
        address = request.META.get("REMOTE_ADDR", "")
        agent = request.META.get("HTTP_USER_AGENT", "")[:200]
        visitor = hashlib.blake2b(f"{address}|{agent}".encode(), digest_size=12).hexdigest()
    if not cache.add(f"seen:{question.pk}:{visitor}", 1, timeout=VIEW_WINDOW):
        return
    viewcounts.count(question.pk)  # in the cache; written in batches (forum/viewcounts.py)
    question.view_count += 1


@require_GET
def question_short(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.only("pk", "slug", "author_id", "visibility", "is_private", "merged_into"),
        pk=question_id,
    )
    if question.merged_into_id is not None:
        return redirect(queries.merged_into(question_id), permanent=True)
    if not permissions.can_see_post(request.user, question):
        raise Http404
    return redirect(question, permanent=True)


@require_GET
def answer_short(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    if not permissions.can_see_post(request.user, answer):
        raise Http404
    return redirect(answer.get_absolute_url())


# --- Asking and editing -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def ask_question_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AskQuestionForm(request.POST, request.FILES)
        if form.is_valid():
            question = web.submit(
                form,
                actions.ask_question,
                request.user,
                **form.cleaned_data,
                # The similar questions shown while typing (search) keep their visit
                # here; the event carries it so the visit is marked as asked.
                ask_visit=request.session.get(ASK_VISIT_SESSION_KEY),
            )
            if question is not None:
                request.session.pop(ASK_VISIT_SESSION_KEY, None)
                if question.is_private:
                    messages.success(request, _("Your private question is posted."))
                else:
                    messages.success(request, _("Your question is posted."))
                return redirect(question)
    else:
        # Links may start the form: "Ask in this category" (?category=), and a search that
        # found nothing (?title= with the words searched, ?private=1 to ask staff).
        form = AskQuestionForm(
            initial={
                "category": request.GET.get("category"),
                "title": request.GET.get("title", "").strip()[: actions.TITLE_MAX],
                "private": request.GET.get("private") == "1",
            }
        )
    return web.render_form(request, "forum/ask.html", {"form": form})


def _edit_action(user, post: Question | Answer, data: dict) -> Callable:
    """The edit for web.submit, arguments bound: a moderator editing someone else's post
    edits with a reason (the edit summary, required), which the history shows."""
    data = dict(data)
    if post.author_id != user.pk and permissions.moderates(user, post):
        data["reason"] = data.pop("summary", "")
        if isinstance(post, Question):
            return partial(actions.moderator_edit_question, user, post, **data)
        return partial(actions.moderator_edit_answer, user, post, **data)
    action = actions.edit_question if isinstance(post, Question) else actions.edit_answer
    return partial(action, user, post, **data)


@require_http_methods(["GET", "POST"])
@member_required
def edit_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("category"), pk=question_id)
    if not permissions.can_see_post(request.user, question):
        raise Http404
    if isinstance(permissions.edit_post_refusal(request.user, question), NotAllowed):
        raise PermissionDenied  # a locked or deleted post gets the form, and its error
    if request.method == "POST":
        form = EditQuestionForm(request.POST)
        if form.is_valid():
            edited = web.submit(form, _edit_action(request.user, question, form.cleaned_data))
            if edited is not None:
                messages.success(request, _("Your edit is saved."))
                return redirect(edited)
    else:
        form = None
    template, context = edit_page(question, form)
    return web.render_form(request, template, context)


def edit_page(post: Question | Answer, form=None) -> tuple[str, dict]:
    """The edit page's template and context: the text form (`form`, or one filled from the
    post) and the images form (forum/attachment_views.py posts it)."""
    attachments = AttachmentsForm(attachments=post.attachments.all())
    if isinstance(post, Question):
        form = form or EditQuestionForm(
            initial={
                "title": post.title,
                "body": post.body,
                "category": post.category_id,
                "tags": " ".join(sorted(post.tags.names())),
            }
        )
        context = {"form": form, "question": post, "attachments_form": attachments}
        return "forum/edit_question.html", context
    form = form or EditAnswerForm(initial={"body": post.body})
    context = {
        "form": form,
        "answer": post,
        "question": post.question,
        "attachments_form": attachments,
    }
    return "forum/edit_answer.html", context


@require_http_methods(["GET", "POST"])
@member_required
def edit_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    if not permissions.can_see_post(request.user, answer):
        raise Http404
    if isinstance(permissions.edit_post_refusal(request.user, answer), NotAllowed):
        raise PermissionDenied  # a locked or deleted post gets the form, and its error
    if request.method == "POST":
        form = EditAnswerForm(request.POST)
        if form.is_valid() and web.submit(
            form, _edit_action(request.user, answer, form.cleaned_data)
        ):
            messages.success(request, _("Your edit is saved."))
            return redirect(answer.get_absolute_url())
    else:
        form = None
    template, context = edit_page(answer, form)
    return web.render_form(request, template, context)


# --- Answering --------------------------------------------------------------------------


@require_POST
@member_required
def post_answer_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        answer = web.submit(form, actions.post_answer, request.user, question, **form.cleaned_data)
        if answer is not None and not request.htmx:
            messages.success(request, _("Thanks for your answer!"))
            return redirect(answer.get_absolute_url())
        if answer is not None:
            page = queries.question_page(question.pk, viewer=request.user)
            context = {"question": page, "answer_form": AnswerForm(), "oob": True}
            return render(request, "forum/_answers_and_form.html", context)
    page = queries.question_page(question.pk, viewer=request.user)
    if request.htmx:
        # The form comes back in place with its errors; the 200 lets htmx swap it.
        response = render(request, "forum/_answer_form.html", {"question": page, "form": form})
        response["HX-Retarget"] = "#answer-form"
        response["HX-Reswap"] = "outerHTML"
        return web.with_retry_after(response, web.refusal_of(form))
    context = _question_context(page, request.user, answer_form=form)
    return web.render_form(request, "forum/question.html", context, form=form)


# --- Votes ------------------------------------------------------------------------------


def _vote(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    question = _question_of(post)
    web.refusals_return_to(request, question.get_absolute_url())
    form = VoteForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("A vote is 1, -1 or 0."))
    value = form.cleaned_data["value"]
    post = actions.cast_vote(request.user, post, value)
    if not request.htmx:
        anchor = f"#answer-{post.pk}" if isinstance(post, Answer) else ""
        return redirect(question.get_absolute_url() + anchor)
    post.my_vote = value
    return render(request, "forum/_vote.html", {"post": post, "kind": _kind(post)})


@require_POST
@member_required
@web.refusals_shown
def vote_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    return _vote(request, get_object_or_404(Question, pk=question_id))


@require_POST
@member_required
@web.refusals_shown
def vote_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    return _vote(
        request, get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    )


# --- Accepting and verifying ------------------------------------------------------------


def _answers_section(request: HttpRequest, question: Question) -> HttpResponse:
    if not request.htmx:
        return redirect(question)
    page = queries.question_page(question.pk, viewer=request.user)
    return render(request, "forum/_answers.html", {"question": page})


@require_POST
@member_required
@web.refusals_shown
def accept_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    question = answer.question
    web.refusals_return_to(request, question.get_absolute_url())
    actions.accept_answer(request.user, question, answer)
    return _answers_section(request, question)


@require_POST
@member_required
@web.refusals_shown
def unaccept_answer_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    web.refusals_return_to(request, question.get_absolute_url())
    actions.unaccept_answer(request.user, question)
    return _answers_section(request, question)


@require_POST
@member_required
@web.refusals_shown
def verify_answer_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    web.refusals_return_to(request, question.get_absolute_url())
    actions.verify_answer(request.user, question)
    return _answers_section(request, question)


# --- Comments ---------------------------------------------------------------------------


def _comments_fragment(request: HttpRequest, post: Question | Answer, form=None) -> HttpResponse:
    if isinstance(post, Question):
        fresh = question = queries.question_page(post.pk, viewer=request.user)
    else:
        fresh = queries.answer_with_context(post.pk, viewer=request.user)
        question = fresh.question
    context = {
        "post": fresh,
        "question": question,
        "kind": _kind(post),
        "comment_form": form or CommentForm(),
    }
    return render(request, "forum/_comments.html", context)


def _comment(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    question = _question_of(post)
    back = question.get_absolute_url() + f"#comments-{_kind(post)}-{post.pk}"
    form = CommentForm(request.POST)
    if form.is_valid() and web.submit(
        form, actions.post_comment, request.user, post, **form.cleaned_data
    ):
        if request.htmx:
            return _comments_fragment(request, post)
        return redirect(back)
    refusal = web.refusal_of(form)
    if refusal is not None and refusal.field not in form.fields:
        return web.refused(request, refusal, back)
    if request.htmx:
        # The list comes back with the form and its error in place (a 200 so htmx swaps).
        return _comments_fragment(request, post, form)
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)


@require_POST
@member_required
def comment_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    return _comment(request, get_object_or_404(Question, pk=question_id))


@require_POST
@member_required
def comment_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    return _comment(request, answer)


@require_POST
@member_required
@web.refusals_shown
def delete_comment_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("question", "answer__question"), pk=comment_id
    )
    post = comment.post
    back = _question_of(post).get_absolute_url() + f"#comments-{_kind(post)}-{post.pk}"
    web.refusals_return_to(request, back)
    actions.delete_comment(request.user, comment)
    if request.htmx:
        return _comments_fragment(request, post)
    return redirect(back)


# --- Deleting, restoring, moderating ----------------------------------------------------


def moderator_refusals(view: Callable) -> Callable:
    """Like `web.refusals_shown`, but a refusal about who is asking (403: not a moderator
    here, not the author, or suspended) is the 403 page rather than a flash: these
    buttons are not offered to them, so arriving here is not a slip of the finger. Other
    refusals (a deleted or locked post, bad input: 409, 422) are flashed back on the
    page, and htmx gets the flash fragment for every refusal, as with `refusals_shown`.
    Used by the moderator tools and by delete and restore."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            if error.status == 403 and not request.htmx:
                return web.refusal_page(request, error)
            back = getattr(request, "refusal_back", None) or web.back_url(request, "/")
            return web.refused(request, error, back)

    return wrapper


@require_POST
@member_required
@moderator_refusals
def delete_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    web.refusals_return_to(request, question.get_absolute_url())
    question = actions.delete_question(request.user, question)
    messages.success(request, _("The question is deleted."))
    if permissions.can_see_post(request.user, question):
        return redirect(question)
    return redirect("forum:questions")


@require_POST
@member_required
@moderator_refusals
def restore_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    web.refusals_return_to(request, question.get_absolute_url())
    actions.restore_question(request.user, question)
    messages.success(request, _("The question is restored."))
    return redirect(question)


@require_POST
@member_required
@moderator_refusals
def delete_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    web.refusals_return_to(request, answer.get_absolute_url())
    actions.delete_answer(request.user, answer)
    messages.success(request, _("The answer is deleted."))
    return redirect(answer.question)


@require_POST
@member_required
@moderator_refusals
def restore_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    web.refusals_return_to(request, answer.get_absolute_url())
    actions.restore_answer(request.user, answer)
    messages.success(request, _("The answer is restored."))
    return redirect(answer.get_absolute_url())


@require_POST
@member_required
@web.refusals_shown
def set_state_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    web.refusals_return_to(request, question.get_absolute_url())
    form = StateForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Unknown state."), field="state")
    actions.set_question_state(request.user, question, form.cleaned_data["state"])
    messages.success(request, _("The question's state is saved."))
    return redirect(question)


@require_POST
@member_required
@web.refusals_shown
def set_privacy_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    web.refusals_return_to(request, question.get_absolute_url())
    form = PrivacyForm(request.POST)
    form.is_valid()  # a missing or odd value is "not private", as a checkbox reads
    question = actions.set_question_privacy(
        request.user, question, form.cleaned_data.get("private", False)
    )
    if question.is_private:
        messages.success(request, _("The question is private now."))
    else:
        messages.success(request, _("The question is public now."))
    return redirect(question)


# --- Moderator tools (forum/actions/moderation.py, docs/moderation-actions.md) ----------


@dataclass(frozen=True)
class ModeratorTool:
    """One moderator form on the site: what it targets, the form that parses the POST
    (parse only: the action checks permission first, then every rule), the action, the
    message, and where to go after. `moderator_view` turns it into a view."""

    target: Callable[[str | int], object]
    form: type
    call: Callable[..., object]
    done: str
    after: Callable[[object, object], object] | None = None  # default: back to the target


def _question_target(question_id: int) -> Question:
    return get_object_or_404(Question, pk=question_id)


def _answer_target(answer_id: int) -> Answer:
    return get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)


def _member_target(username: str) -> User:
    return get_object_or_404(User, username=username)


def _form_input(form) -> dict:
    """The form's parsed input. The moderator forms accept any value (the actions
    decide), so an error here is a malformed request, answered as the first input error."""
    if form.is_valid():
        return form.cleaned_data
    field, errors = next(iter(form.errors.items()))
    raise InvalidInput(errors[0], field=field)


def _note_tool(action: Callable, done: str) -> ModeratorTool:
    return ModeratorTool(
        _question_target, NoteForm, lambda user, q, d: action(user, q, note=d["note"]), done
    )


def _visibility_tool(target: Callable, action: Callable, done: str) -> ModeratorTool:
    """Hide or unhide a question or an answer (forum/actions/visibility.py), with an
    optional note: the action's `reason`, kept in the audit event."""
    return ModeratorTool(
        target, NoteForm, lambda user, post, d: action(user, post, reason=d["note"]), done
    )


#: verb -> its moderator tool; the URLs (forum/urls.py) and templates name these verbs.
MODERATOR_TOOLS: dict[str, ModeratorTool] = {
    "reopen": _note_tool(actions.reopen_question, _lazy("The question is reopened.")),
    "lock": _note_tool(actions.lock_question, _lazy("The question is locked.")),
    "unlock": _note_tool(actions.unlock_question, _lazy("The question is unlocked.")),
    "pin": _note_tool(actions.pin_question, _lazy("The question is pinned in its category.")),
    "unpin": _note_tool(actions.unpin_question, _lazy("The question is unpinned.")),
    "hide": _visibility_tool(_question_target, actions.hide_post, _lazy("The question is hidden.")),
    "unhide": _visibility_tool(
        _question_target, actions.unhide_post, _lazy("The question is visible again.")
    ),
    "hide_answer": _visibility_tool(
        _answer_target, actions.hide_post, _lazy("The answer is hidden.")
    ),
    "unhide_answer": _visibility_tool(
        _answer_target, actions.unhide_post, _lazy("The answer is visible again.")
    ),
    "close": ModeratorTool(
        _question_target,
        CloseForm,
        lambda user, q, d: actions.close_question(
            user, q, reason=d["reason"], duplicate_of=d["duplicate_of"], note=d["note"]
        ),
        _lazy("The question is closed."),
    ),
    "move": ModeratorTool(
        _question_target,
        MoveForm,
        lambda user, q, d: actions.move_question(user, q, d["category"], note=d["note"]),
        _lazy("The question is moved."),
    ),
    "merge": ModeratorTool(
        _question_target,
        MergeForm,
        lambda user, q, d: actions.merge_question(user, q, d["into"], note=d["note"]),
        _lazy("The question is merged into this one."),
        after=lambda question, original: original,
    ),
    # Suspend until the end of the chosen day (in the site's time zone) or for good.
    "suspend": ModeratorTool(
        _member_target,
        SuspendForm,
        lambda user, member, d: account_actions.suspend_member(
            user, member, reason=d["reason"], until=d["until"]
        ),
        _lazy("The member is suspended."),
    ),
    "reinstate": ModeratorTool(
        _member_target,
        EmptyForm,
        lambda user, member, d: account_actions.reinstate_member(user, member),
        _lazy("The suspension is lifted."),
    ),
}


def moderator_view(verb: str) -> Callable:
    """The view for one moderator tool: parse, call its action, say it's done. The
    action's refusals: 403 is the refusal page, any other a message back on the page."""
    tool = MODERATOR_TOOLS[verb]

    @require_POST
    @member_required
    @moderator_refusals
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        target = tool.target(*kwargs.values())
        web.refusals_return_to(request, target.get_absolute_url())
        result = tool.call(request.user, target, _form_input(tool.form(request.POST)))
        messages.success(request, str(tool.done))
        return redirect(tool.after(target, result) if tool.after else target)

    view.__name__ = view.__qualname__ = f"{verb}_view"
    return view


def moderate_question_view(request: HttpRequest, question_id: int, verb: str) -> HttpResponse:
    """Reopen, lock, unlock, pin or unpin, with an optional note."""
    return _NOTE_VIEWS[verb](request, question_id=question_id)


_NOTE_VIEWS = {verb: moderator_view(verb) for verb in ("reopen", "lock", "unlock", "pin", "unpin")}
close_question_view = moderator_view("close")
move_question_view = moderator_view("move")
merge_question_view = moderator_view("merge")
hide_question_view = moderator_view("hide")
unhide_question_view = moderator_view("unhide")
hide_answer_view = moderator_view("hide_answer")
unhide_answer_view = moderator_view("unhide_answer")
suspend_member_view = moderator_view("suspend")
reinstate_member_view = moderator_view("reinstate")


# --- Revisions and preview --------------------------------------------------------------


def _revisions(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    question = _question_of(post)
    if not permissions.can_view_revisions(request.user, post):
        raise Http404
    context = {
        "post": post,
        "kind": _kind(post),
        "question": question,
        "revisions": queries.revision_history(post),
    }
    return render(request, "forum/revisions.html", context)


@require_GET
def question_revisions(request: HttpRequest, question_id: int) -> HttpResponse:
    return _revisions(request, get_object_or_404(Question, pk=question_id))


@require_GET
def answer_revisions(request: HttpRequest, answer_id: int) -> HttpResponse:
    return _revisions(
        request, get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    )


@require_POST
@member_required
def preview_view(request: HttpRequest) -> HttpResponse:
    """Render the Markdown being typed, exactly as a saved post would be (htmx only)."""
    form = PreviewForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else ""
    return render(request, "forum/_preview.html", {"html": render_markdown(body) if body else ""})


# --- Member pages (named accounts:profile and accounts:export; see config/urls.py) -----

PROFILE_POSTS = 10


@require_GET
def member_profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's public profile: reputation and its history, recent posts, counts; never
    the email address."""
    member = queries.member_profile(username)
    context = {
        "member": member,
        "suspend_form": SuspendForm(),
        "can_suspend": can_suspend_member(request.user, member),
        "history": list(queries.reputation_history(member, limit=30)),
        "questions": list(queries.member_recent_questions(member, limit=PROFILE_POSTS)),
        "answers": list(queries.member_recent_answers(member, limit=PROFILE_POSTS)),
        # Only on the member's own profile: their way to the next privilege (no queries).
        "progress": privileges.progress(request.user) if request.user.pk == member.pk else None,
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@login_required
@require_GET
def export_member_data_view(request: HttpRequest) -> HttpResponse:
    """The member's data, account and posts, as a JSON download."""
    data = member_queries.export_member_data(request.user, request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"tanya-account-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
