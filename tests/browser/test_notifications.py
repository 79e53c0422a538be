"""The bell and the notification list in a real browser, on a desktop and at 360 px: the
count's accessible name, the list, following a notification to its answer, axe clean."""

import pytest
from django.urls import reverse

from forum import actions
from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    expect,
    log_in,
    require_browser,
    screenshot,
    serious_violations,
    skip_module_unless_ready,
)
from tests.factories import CategoryFactory, UserFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _ready():
    require_browser(axe=True)


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
def test_the_bell_counts_unread_and_the_list_leads_to_the_answer(
    new_context, live_server, viewport
):
    asker, answerer = UserFactory(), UserFactory(reputation=200)
    question = actions.ask_question(
        asker,
        title="Wi-Fi keeps dropping in the evening",
        body="The router drops the connection every evening around eight o'clock.",
        category=CategoryFactory(),
    )
    answer = actions.post_answer(answerer, question, body="Change the channel to 36.")
    actions.post_comment(answerer, question, body="Which router model is it?")
    context = new_context(viewport=viewport)
    log_in(context, asker, live_server)
    page = context.new_page()

    page.goto(reverse("forum:questions"))
    bell = page.get_by_role("link", name="Notifications, 2 unread")
    expect(bell).to_be_visible()
    box = bell.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert box["x"] + box["width"] <= viewport["width"]  # not pushed off a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert serious_violations(page) == []
    bell.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("heading", level=2)).to_have_text(question.title)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert serious_violations(page) == []
    screenshot(page, "notifications")
    page.get_by_role("link", name=f"{answerer.name} answered").click()

    page.wait_for_url(f"**{question.get_absolute_url()}#answer-{answer.pk}")
    expect(page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
