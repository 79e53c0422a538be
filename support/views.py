"""The support pages: "Ask staff" on a question, and the staff queue with its buttons."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core import web
from core.errors import InvalidInput
from forum.models import Question
from forum.permissions import can_see_post, is_member
from support import actions, permissions, queries
from support.forms import AssignForm, EscalateForm, QueueFilterForm, StatusForm
from support.models import Escalation, Status


def staff_required(view: Callable) -> Callable:
    """Visitors log in first; members who aren't staff get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_member(request.user):
            return redirect_to_login(request.get_full_path())
        if not permissions.can_work_escalations(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@web.refusals_shown
def escalate_view(request: HttpRequest, question_id: int) -> HttpResponse:
    if not is_member(request.user):
        return redirect_to_login(web.back_url(request, "/"))
    question = get_object_or_404(Question, pk=question_id)
    if not can_see_post(request.user, question):
        raise PermissionDenied
    web.refusals_return_to(request, question.get_absolute_url())
    form = EscalateForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(form.errors["reason"][0], field="reason")
    actions.escalate_question(request.user, question, reason=form.cleaned_data["reason"])
    messages.success(request, _("Staff have been asked to look at this question."))
    return redirect(question)


@require_GET
@staff_required
def queue_view(request: HttpRequest) -> HttpResponse:
    staff = queries.staff_members()
    form = QueueFilterForm(request.GET or None, staff=staff)
    filters = queries.QueueFilters()
    if form.is_valid():
        filters = queries.QueueFilters(
            status=form.cleaned_data["status"] or "",
            assignee=form.cleaned_data["assignee"] or "",
            category=form.cleaned_data["category"],
        )
    page = queries.escalation_queue(filters, cursor=request.GET.get("cursor"))
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "support/queue.html",
        {
            "page": page,
            "form": form,
            "staff": staff,
            "statuses": Status.choices,
            "query": query.urlencode(),
        },
    )


def _escalation_for(request: HttpRequest, escalation_id: int) -> Escalation:
    escalation = get_object_or_404(Escalation, pk=escalation_id)
    web.refusals_return_to(request, web.back_url(request, "/support/queue/"))
    return escalation


@require_POST
@staff_required
@web.refusals_shown
def assign_view(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation_for(request, escalation_id)
    form = AssignForm(request.POST)
    form.is_valid()
    key = form.cleaned_data.get("assignee") or ""
    if key == "me":
        assignee = request.user
    elif key.isdigit():
        assignee = User.objects.filter(pk=int(key)).first()
        if assignee is None:
            raise InvalidInput(_("Escalations go to staff only."), field="assignee")
    else:
        assignee = None
    actions.assign_escalation(request.user, escalation, assignee)
    messages.success(request, _("The escalation's assignee is saved."))
    return redirect(web.back_url(request, "/support/queue/"))


@require_POST
@staff_required
@web.refusals_shown
def status_view(request: HttpRequest, escalation_id: int) -> HttpResponse:
    escalation = _escalation_for(request, escalation_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Unknown status."), field="status")
    actions.set_escalation_status(request.user, escalation, form.cleaned_data["status"])
    messages.success(request, _("The escalation's status is saved."))
    return redirect(web.back_url(request, "/support/queue/"))
