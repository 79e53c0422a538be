"""HTML and htmx views for the forum. Thin: parse with a form, call one function in
forum/actions.py, pick a response.

Domain errors are mapped here, as STYLE.md section 6 says: form views attach them to
the form and re-render (400, or 429 with Retry-After when rate-limited); button views
flash them and redirect; htmx requests get the error fragment aimed at #flash with a
200, because htmx does not swap 4xx responses. Every htmx endpoint also works as a
plain form post, so the site works with JavaScript off.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import panels
from forum import actions, permissions, queries
from forum.errors import DomainError, RateLimited
from forum.forms import (
    ASK_VISIT_SESSION_KEY,
    AnswerForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    PreviewForm,
    QuestionForm,
    StateForm,
    VoteForm,
)
from forum.markdown import render_markdown
from forum.models import Answer, Comment, Question

VIEW_WINDOW = 60 * 60  # seconds in which a visitor's repeat views count once


# --- Helpers ----------------------------------------------------------------------------


def _back_url(request: HttpRequest, default: str) -> str:
    """Where the visitor was: htmx's current URL or the Referer, if it is on this site."""
    for candidate in (request.headers.get("HX-Current-URL"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return default


def member_required(view: Callable) -> Callable:
    """Like login_required, but a POST sends the visitor back to the page they were on
    after logging in (not to the POST-only URL), and htmx gets a full-page redirect."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if permissions.is_member(request.user):
            return view(request, *args, **kwargs)
        # After logging in, a GET goes back to itself; a POST to the page it came from.
        next_url = request.get_full_path() if request.method == "GET" else _back_url(request, "/")
        if request.htmx:
            login = redirect_to_login(next_url)
            return HttpResponseClientRedirect(login["Location"])
        return redirect_to_login(next_url)

    return wrapper


def _error_fragment(request: HttpRequest, error: DomainError) -> HttpResponse:
    response = render(request, "forum/_flash.html", {"error": error})
    response["HX-Retarget"] = "#flash"
    response["HX-Reswap"] = "innerHTML"
    return _with_retry_after(response, error)


def _refused(request: HttpRequest, error: DomainError, back: str) -> HttpResponse:
    """A button view's answer to a refused action."""
    if request.htmx:
        return _error_fragment(request, error)
    if isinstance(error, RateLimited):
        context = {"error": error, "back": back}
        response = render(request, "forum/rate_limited.html", context, status=429)
        return _with_retry_after(response, error)
    messages.error(request, error.message)
    return redirect(back)


def _form_refused(form, error: DomainError) -> int:
    """Attach a domain error to `form`; return the status to re-render it with."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
    return 429 if isinstance(error, RateLimited) else 400


def _with_retry_after(response: HttpResponse, error: DomainError | None) -> HttpResponse:
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


def _question_of(post: Question | Answer) -> Question:
    return post if isinstance(post, Question) else post.question


def _kind(post: Question | Answer) -> str:
    return "question" if isinstance(post, Question) else "answer"


# --- Lists ------------------------------------------------------------------------------


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
        # The knowledge-base banner and promote button, without importing kb (core.panels).
        **panels.context_for("forum.question", user, question),
    }


@require_GET
def question_detail(request: HttpRequest, question_id: int, slug: str) -> HttpResponse:
    question = queries.question_page(question_id, viewer=request.user)
    if slug != (question.slug or "question"):
        return redirect(question, permanent=True)
    _count_view(request, question)
    return render(request, "forum/question.html", _question_context(question, request.user))


def _count_view(request: HttpRequest, question: Question) -> None:
    """One view per question per visitor an hour, so reloading doesn't inflate the count.

    Remembered in the cache, not the session: an anonymous reader gets no session row
    (and no cookie) just for reading.
    """
    if request.user.is_authenticated:
        visitor = f"u{request.user.pk}"
    else:
        address = request.META.get("REMOTE_ADDR", "")
        agent = request.META.get("HTTP_USER_AGENT", "")[:200]
        visitor = hashlib.blake2b(f"{address}|{agent}".encode(), digest_size=12).hexdigest()
    if not cache.add(f"seen:{question.pk}:{visitor}", 1, timeout=VIEW_WINDOW):
        return
    actions.count_view(question)
    question.view_count += 1


@require_GET
def question_short(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.only("pk", "slug", "deleted_at"), pk=question_id)
    if not permissions.can_view_question(request.user, question):
        raise Http404
    return redirect(question, permanent=True)


@require_GET
def answer_short(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    if not permissions.can_view_question(request.user, answer.question):
        raise Http404
    return redirect(answer.get_absolute_url())


# --- Asking and editing -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def ask_question_view(request: HttpRequest) -> HttpResponse:
    status, error = 200, None
    if request.method == "POST":
        form = QuestionForm(request.POST)
        if form.is_valid():
            try:
                question = actions.ask_question(
                    request.user,
                    **form.cleaned_data,
                    # The similar questions shown while typing (search) keep their visit
                    # here; the event carries it so the visit is marked as asked.
                    ask_visit=request.session.get(ASK_VISIT_SESSION_KEY),
                )
            except DomainError as refusal:
                error, status = refusal, _form_refused(form, refusal)
            else:
                request.session.pop(ASK_VISIT_SESSION_KEY, None)
                messages.success(request, _("Your question is posted."))
                return redirect(question)
        else:
            status = 400
    else:
        form = QuestionForm(initial={"category": request.GET.get("category")})
    response = render(request, "forum/ask.html", {"form": form}, status=status)
    return _with_retry_after(response, error)


@require_http_methods(["GET", "POST"])
@member_required
def edit_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("category"), pk=question_id)
    if not permissions.can_view_question(request.user, question):
        raise Http404
    if not permissions.can_edit_post(request.user, question):
        raise PermissionDenied
    status, error = 200, None
    if request.method == "POST":
        form = EditQuestionForm(request.POST)
        if form.is_valid():
            try:
                question = actions.edit_question(request.user, question, **form.cleaned_data)
            except DomainError as refusal:
                error, status = refusal, _form_refused(form, refusal)
            else:
                messages.success(request, _("Your edit is saved."))
                return redirect(question)
        else:
            status = 400
    else:
        form = EditQuestionForm(
            initial={
                "title": question.title,
                "body": question.body,
                "category": question.category_id,
                "tags": " ".join(sorted(question.tags.names())),
            }
        )
    context = {"form": form, "question": question}
    response = render(request, "forum/edit_question.html", context, status=status)
    return _with_retry_after(response, error)


@require_http_methods(["GET", "POST"])
@member_required
def edit_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    if not permissions.can_view_question(request.user, answer.question):
        raise Http404
    if not permissions.can_edit_post(request.user, answer):
        raise PermissionDenied
    status, error = 200, None
    if request.method == "POST":
        form = EditAnswerForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_answer(request.user, answer, **form.cleaned_data)
            except DomainError as refusal:
                error, status = refusal, _form_refused(form, refusal)
            else:
                messages.success(request, _("Your edit is saved."))
                return redirect(answer.get_absolute_url())
        else:
            status = 400
    else:
        form = EditAnswerForm(initial={"body": answer.body})
    context = {"form": form, "answer": answer, "question": answer.question}
    response = render(request, "forum/edit_answer.html", context, status=status)
    return _with_retry_after(response, error)


# --- Answering --------------------------------------------------------------------------


@require_POST
@member_required
def post_answer_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    form = AnswerForm(request.POST)
    status, error = 400, None
    if form.is_valid():
        try:
            answer = actions.post_answer(request.user, question, **form.cleaned_data)
        except DomainError as refusal:
            error, status = refusal, _form_refused(form, refusal)
        else:
            if not request.htmx:
                messages.success(request, _("Thanks for your answer!"))
                return redirect(answer.get_absolute_url())
            page = queries.question_page(question.pk, viewer=request.user)
            context = {"question": page, "answer_form": AnswerForm(), "oob": True}
            return render(request, "forum/_answers_and_form.html", context)
    if request.htmx:
        # The form comes back in place with its errors; the 200 lets htmx swap it.
        page = queries.question_page(question.pk, viewer=request.user)
        response = render(request, "forum/_answer_form.html", {"question": page, "form": form})
        response["HX-Retarget"] = "#answer-form"
        response["HX-Reswap"] = "outerHTML"
        return _with_retry_after(response, error)
    page = queries.question_page(question.pk, viewer=request.user)
    context = _question_context(page, request.user, answer_form=form)
    response = render(request, "forum/question.html", context, status=status)
    return _with_retry_after(response, error)


# --- Votes ------------------------------------------------------------------------------


def _vote(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    question = _question_of(post)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, DomainError(_("A vote is 1, -1 or 0.")), question.get_absolute_url()
        )
    value = form.cleaned_data["value"]
    try:
        post = actions.cast_vote(request.user, post, value)
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
    if not request.htmx:
        anchor = f"#answer-{post.pk}" if isinstance(post, Answer) else ""
        return redirect(question.get_absolute_url() + anchor)
    post.my_vote = value
    return render(request, "forum/_vote.html", {"post": post, "kind": _kind(post)})


@require_POST
@member_required
def vote_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    return _vote(request, get_object_or_404(Question, pk=question_id))


@require_POST
@member_required
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
def accept_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    question = answer.question
    try:
        actions.accept_answer(request.user, question, answer)
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
    return _answers_section(request, question)


@require_POST
@member_required
def unaccept_answer_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    try:
        actions.unaccept_answer(request.user, question)
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
    return _answers_section(request, question)


@require_POST
@member_required
def verify_answer_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    try:
        actions.verify_answer(request.user, question)
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
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
    if form.is_valid():
        try:
            actions.post_comment(request.user, post, **form.cleaned_data)
        except DomainError as error:
            if error.field not in form.fields:
                return _refused(request, error, back)
            form.add_error(error.field, str(error.message))
        else:
            if request.htmx:
                return _comments_fragment(request, post)
            return redirect(back)
    if request.htmx:
        # The list comes back with the form and its error in place (a 200 so htmx swaps).
        return _comments_fragment(request, post, form)
    messages.error(request, " ".join(str(e) for e in form.errors.get("body", [])))
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
def delete_comment_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("question", "answer__question"), pk=comment_id
    )
    post = comment.post
    back = _question_of(post).get_absolute_url() + f"#comments-{_kind(post)}-{post.pk}"
    try:
        actions.delete_comment(request.user, comment)
    except DomainError as error:
        return _refused(request, error, back)
    if request.htmx:
        return _comments_fragment(request, post)
    return redirect(back)


# --- Deleting, restoring, moderating ----------------------------------------------------


@require_POST
@member_required
def delete_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    try:
        question = actions.delete_question(request.user, question)
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
    messages.success(request, _("The question is deleted."))
    if permissions.can_view_question(request.user, question):
        return redirect(question)
    return redirect("forum:questions")


@require_POST
@member_required
def restore_question_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    try:
        actions.restore_question(request.user, question)
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
    messages.success(request, _("The question is restored."))
    return redirect(question)


@require_POST
@member_required
def delete_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    try:
        actions.delete_answer(request.user, answer)
    except DomainError as error:
        return _refused(request, error, answer.get_absolute_url())
    messages.success(request, _("The answer is deleted."))
    return redirect(answer.question)


@require_POST
@member_required
def restore_answer_view(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    try:
        actions.restore_answer(request.user, answer)
    except DomainError as error:
        return _refused(request, error, answer.get_absolute_url())
    messages.success(request, _("The answer is restored."))
    return redirect(answer.get_absolute_url())


@require_POST
@member_required
def set_state_view(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        error = DomainError(_("Unknown state."), field="state")
        return _refused(request, error, question.get_absolute_url())
    try:
        actions.set_question_state(request.user, question, form.cleaned_data["state"])
    except DomainError as error:
        return _refused(request, error, question.get_absolute_url())
    messages.success(request, _("The question's state is saved."))
    return redirect(question)


# --- Revisions and preview --------------------------------------------------------------


def _revisions(request: HttpRequest, post: Question | Answer) -> HttpResponse:
    question = _question_of(post)
    if not permissions.can_view_question(request.user, question):
        raise Http404
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
