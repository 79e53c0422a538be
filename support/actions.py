"""Every write support makes: escalating a thread to staff, assigning it, changing its
status. Each checks permission, owns its transaction and records one event with the
before and after (docs/support.md)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import events
from core.errors import InvalidInput, NotAllowed, NotSignedIn
from forum.models import Question, QuestionState, Visibility
from support import permissions
from support import verbs as v
from support.errors import AlreadyEscalated
from support.models import Escalation, Status

REASON_MAX = 500


def _due(created: datetime) -> datetime:
    return created + timedelta(minutes=settings.TANYA_ESCALATION_DUE_MINUTES)


def _open_escalation(question_id: int) -> Escalation | None:
    return (
        Escalation.objects.select_for_update(no_key=True)
        .filter(question_id=question_id)
        .exclude(status=Status.RESOLVED)
        .first()
    )


def _lock_question(question_id: int) -> Question:
    # Escalations of one question queue on its row, so two can't both find none open.
    return Question.objects.select_for_update(no_key=True, of=("self",)).get(pk=question_id)


def _record_escalation(actor, question: Question, escalation: Escalation) -> None:
    events.record(
        actor,
        v.QUESTION_ESCALATED,
        escalation,
        question=question,
        payload={
            "reason": escalation.reason,
            "automatic": escalation.automatic,
            "due_at": escalation.due_at.isoformat(),
            "before": {"status": None},
            "after": {"status": escalation.status},
        },
    )


@transaction.atomic
def escalate_question(actor: User, question: Question, *, reason: str = "") -> Escalation:
    """The asker or a moderator (staff included) hands a thread to staff; records
    `question.escalated`. Escalating a thread that already has an open escalation returns
    that one (a double click is a no-op)."""
    if not permissions.is_member(actor):
        raise NotSignedIn()
    question = _lock_question(question.pk)
    if not permissions.can_escalate(actor, question):
        raise NotAllowed(_("Only the asker or a moderator can ask staff about this question."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX},
            field="reason",
        )
    existing = _open_escalation(question.pk)
    if existing is not None:
        return existing
    now = timezone.now()
    escalation = Escalation.objects.create(
        question=question, raised_by=actor, reason=reason, created_at=now, due_at=_due(now)
    )
    _record_escalation(actor, question, escalation)
    return escalation


@transaction.atomic
def escalate_overdue_question(
    question_id: int, *, now: datetime | None = None
) -> Escalation | None:
    """The clock escalates a public, visible, open question still unanswered past the
    response target (support/subscribers.py, on `question.overdue`); no actor. Nothing
    happens if it was answered, hidden, closed or made private since, or if an escalation
    is already open: so it is safe to run twice."""
    question = Question.objects.select_for_update(no_key=True, of=("self",))
    question = question.filter(pk=question_id).first()
    if (
        question is None
        or question.answer_count > 0
        or question.visibility != Visibility.VISIBLE
        or question.state != QuestionState.OPEN
        or question.is_private
    ):
        return None
    if _open_escalation(question.pk) is not None:
        return None
    now = now or timezone.now()
    escalation = Escalation.objects.create(
        question=question,
        automatic=True,
        reason=_("Unanswered for %(minutes)d minutes.")
        % {"minutes": settings.TANYA_RESPONSE_TARGET_MINUTES},
        created_at=now,
        due_at=_due(now),
    )
    _record_escalation(None, question, escalation)
    return escalation


def _lock(escalation: Escalation) -> Escalation:
    # Question first, then the escalation: the fixed order escalate_question uses.
    _lock_question(escalation.question_id)
    return Escalation.objects.select_for_update(no_key=True).get(pk=escalation.pk)


def _require_staff(actor: User) -> None:
    if not permissions.is_member(actor):
        raise NotSignedIn()
    if not permissions.can_work_escalations(actor):
        raise NotAllowed(_("Only staff can work on escalations."))


@transaction.atomic
def assign_escalation(actor: User, escalation: Escalation, assignee: User | None) -> Escalation:
    """Staff assign an escalation to a member of staff (themselves included), or to nobody
    (None); records `escalation.assigned`. The same assignee again is a no-op."""
    _require_staff(actor)
    escalation = _lock(escalation)
    if assignee is not None and not permissions.is_support_staff(assignee):
        raise InvalidInput(_("Escalations go to staff only."), field="assignee")
    new_id = assignee.pk if assignee is not None else None
    if escalation.assignee_id == new_id:
        return escalation
    before = escalation.assignee_id
    escalation.assignee_id = new_id
    escalation.save(update_fields=["assignee", "updated_at"])
    events.record(
        actor,
        v.ESCALATION_ASSIGNED,
        escalation,
        question=escalation.question_id,
        payload={"before": {"assignee": before}, "after": {"assignee": new_id}},
    )
    return escalation


@transaction.atomic
def set_escalation_status(actor: User, escalation: Escalation, status: str) -> Escalation:
    """Staff move an escalation between open, waiting on customer and resolved; records
    `escalation.status_changed`. Reopening a resolved one is refused while the question has
    another open escalation. The same status again is a no-op."""
    _require_staff(actor)
    if status not in Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    escalation = _lock(escalation)
    if escalation.status == status:
        return escalation
    if escalation.is_resolved:
        other = _open_escalation(escalation.question_id)
        if other is not None:
            raise AlreadyEscalated()
    before = escalation.status
    escalation.status = status
    escalation.resolved_at = timezone.now() if status == Status.RESOLVED else None
    escalation.save(update_fields=["status", "resolved_at", "updated_at"])
    events.record(
        actor,
        v.ESCALATION_STATUS_CHANGED,
        escalation,
        question=escalation.question_id,
        payload={"before": {"status": before}, "after": {"status": status}},
    )
    return escalation
