"""The Responsiveness report's "escalations open and overdue" figure."""

from datetime import UTC, datetime, timedelta

import pytest

from reports import queries
from support import actions
from support.models import Escalation, Status
from tests.factories import CategoryFactory, QuestionFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PERIOD = queries.Period(NOW - timedelta(days=7), NOW)


def _escalated(hours_ago: int, **question) -> Escalation:
    q = QuestionFactory(**question)
    escalation = actions.escalate_question(q.author, q)
    created = NOW - timedelta(hours=hours_ago)
    Escalation.objects.filter(pk=escalation.pk).update(
        created_at=created, due_at=created + timedelta(hours=4)
    )
    return escalation


def test_escalations_open_and_overdue_on_a_known_set():
    staff = StaffFactory()
    _escalated(5)  # due an hour ago: overdue
    _escalated(6, is_private=True)  # overdue too: private threads are staff's work
    waiting = _escalated(1)  # due in three hours
    actions.set_escalation_status(staff, waiting, Status.WAITING)
    resolved = _escalated(9)
    actions.set_escalation_status(staff, resolved, Status.RESOLVED)

    counts = queries.escalations_open_and_overdue(PERIOD, now=NOW)

    assert (counts.open, counts.overdue) == (3, 2)


def test_the_category_filter_narrows_the_escalation_figure():
    billing = CategoryFactory()
    _escalated(5, category=billing)
    _escalated(5)

    counts = queries.escalations_open_and_overdue(
        queries.Period(PERIOD.start, PERIOD.end, billing), now=NOW
    )

    assert (counts.open, counts.overdue) == (1, 1)


def test_the_responsiveness_page_shows_the_escalation_table(client):
    _escalated(5)
    client.force_login(StaffFactory(is_superuser=True))

    page = client.get("/admin/staff-reports/responsiveness/")

    assert page.status_code == 200
    assert "Escalations to staff" in page.text
    assert 'id="escalations"' in page.text
