"""The staff queue and the "Ask staff" panel pass axe (real Chromium)."""

import pytest

from support import actions
from tests.browser.conftest import DESKTOP, log_in, serious_violations, skip_module_unless_ready
from tests.factories import QuestionFactory, StaffFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_staff_queue_passes_axe(new_context, live_server):
    for private in (False, True):
        question = QuestionFactory(is_private=private)
        actions.escalate_question(question.author, question, reason="Billing problem")
    context = new_context(viewport=DESKTOP)
    log_in(context, StaffFactory(), live_server)
    page = context.new_page()

    page.goto("/support/queue/")

    assert page.locator("tr[id^=escalation-]").count() == 2
    assert serious_violations(page) == []


def test_the_ask_staff_panel_passes_axe(new_context, live_server):
    question = QuestionFactory(is_private=True)
    context = new_context(viewport=DESKTOP)
    log_in(context, question.author, live_server)
    page = context.new_page()

    page.goto(question.get_absolute_url())

    assert page.get_by_role("button", name="Ask staff").count() == 1
    assert serious_violations(page) == []
