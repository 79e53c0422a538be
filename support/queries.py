"""Reads for support: the staff queue, a question's open escalation, the figures the
Responsiveness report shows."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLookupMixin
from django.utils import timezone

from accounts.models import User
from forum.pagination import Page, paginate
from support.models import Escalation, Status


class RowGreaterThan(TupleGreaterThan):
    """`(a, b) > (x, y)` as a row-value comparison, an index range (forum.pagination's
    RowLessThan, the other way)."""

    def as_sql(self, compiler, connection):
        return super(TupleLookupMixin, self).as_sql(compiler, connection)


@dataclass(frozen=True)
class Ascending:
    """An ascending keyset ordering on (field, id), for forum.pagination.paginate."""

    field: str
    text: bool = False  # a datetime key, as forum.pagination.Ordering reads it

    @property
    def order_by(self) -> tuple[str, str]:
        return (self.field, "id")

    def after(self, value: Any, pk: int) -> RowGreaterThan:
        return RowGreaterThan(Tuple(F(self.field), F("id")), (value, pk))


# Due time is the escalation time plus a fixed allowance, so oldest due first is overdue
# first and oldest first at once.
DUE_FIRST = Ascending("due_at")
UNASSIGNED = "none"


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # "" is every unresolved escalation (open and waiting)
    assignee: str = ""  # a staff member's id, UNASSIGNED, or "" for anyone
    category: int | None = None


def _queue(filters: QueueFilters) -> QuerySet[Escalation]:
    escalations = Escalation.objects.select_related("question__category", "assignee", "raised_by")
    if filters.status in Status.values:
        escalations = escalations.filter(status=filters.status)
    else:
        escalations = escalations.exclude(status=Status.RESOLVED)
    if filters.assignee == UNASSIGNED:
        escalations = escalations.filter(assignee=None)
    elif filters.assignee.isdigit():
        escalations = escalations.filter(assignee_id=int(filters.assignee))
    if filters.category is not None:
        escalations = escalations.filter(question__category_id=filters.category)
    # The question's body is not shown in the queue.
    return escalations.defer("question__body", "question__body_html")


def escalation_queue(
    filters: QueueFilters, *, cursor: str | None = None, size: int | None = None
) -> Page:
    """One keyset page of the staff queue, oldest due first: one query at any depth."""
    return paginate(_queue(filters), DUE_FIRST, cursor, size or settings.TANYA_PAGE_SIZE)


def staff_members() -> list[User]:
    """Who an escalation can be assigned to."""
    return list(User.objects.filter(is_staff=True, is_active=True).order_by("username", "pk"))


def open_escalation(question_id: int) -> Escalation | None:
    """The question's unresolved escalation, with its assignee; one query."""
    return (
        Escalation.objects.select_related("assignee")
        .filter(question_id=question_id)
        .exclude(status=Status.RESOLVED)
        .first()
    )


@dataclass(frozen=True)
class EscalationCounts:
    open: int
    overdue: int


def escalation_counts(
    now: datetime | None = None, *, category_id: int | None = None
) -> EscalationCounts:
    """Unresolved escalations (open or waiting on the customer), and how many of them are
    past their due time at `now`; one query."""
    now = now or timezone.now()
    escalations = Escalation.objects.exclude(status=Status.RESOLVED)
    if category_id is not None:
        escalations = escalations.filter(question__category_id=category_id)
    counts = escalations.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    return EscalationCounts(open=counts["open"], overdue=counts["overdue"])
