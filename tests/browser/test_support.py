"""The staff queue and the "Ask staff" panel pass axe (real Chromium)."""

import pytest

from support import actions
from tests.browser.conftest import DESKTOP, load_axe, log_in, skip_module_unless_ready
from tests.factories import QuestionFactory, StaffFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def _serious(page) -> list[str]:
    load_axe(page)
    violations = page.evaluate("options => axe.run(document, options)", OPTIONS)["violations"]
    return [v["id"] for v in violations if v["impact"] in ("serious", "critical")]


def test_the_staff_queue_passes_axe(new_context, live_server):
    for private in (False, True):
        question = QuestionFactory(is_private=private)
        actions.escalate_question(question.author, question, reason="Billing problem")
    context = new_context(viewport=DESKTOP)
    log_in(context, StaffFactory(), live_server)
    page = context.new_page()

    page.goto("/support/queue/")

    assert page.locator("tr[id^=escalation-]").count() == 2
    assert _serious(page) == []


def test_the_ask_staff_panel_passes_axe(new_context, live_server):
    question = QuestionFactory(is_private=True)
    context = new_context(viewport=DESKTOP)
    log_in(context, question.author, live_server)
    page = context.new_page()

    page.goto(question.get_absolute_url())

    assert page.get_by_role("button", name="Ask staff").count() == 1
    assert _serious(page) == []
