"""Flags and the review queue in a real browser, at 1280 and 360 px: a member flags an
answer from the keyboard alone, a moderator clears the queue, and axe finds nothing
serious on the flag form or the queue."""

import pytest
from django.urls import reverse

from forum import actions
from moderation.models import Flag, Review
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
from tests.factories import CategoryFactory, ModeratorFactory, UserFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _ready():
    require_browser(axe=True)


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
def test_a_member_flags_from_the_keyboard_and_a_moderator_clears_the_queue(
    new_context, live_server, viewport
):
    asker, spammer, flagger = UserFactory(), UserFactory(), UserFactory(reputation=50)
    question = actions.ask_question(
        asker,
        title="Router keeps rebooting at night",
        body="My router restarts itself every night around two o'clock.",
        category=CategoryFactory(),
    )
    answer = actions.post_answer(spammer, question, body="Buy cheap followers at our shop today!")

    member = new_context(viewport=viewport)
    log_in(member, flagger, live_server)
    page = member.new_page()
    page.goto(question.get_absolute_url())
    flag_link = page.locator(f"#answer-{answer.pk}").get_by_role("link", name="Flag this answer")
    flag_link.focus()
    page.keyboard.press("Enter")
    spam = page.get_by_role("radio", name="Spam")
    expect(spam).to_be_visible()
    spam.focus()
    page.keyboard.press("Space")
    expect(spam).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert serious_violations(page) == []
    screenshot(page, f"flag-form-{viewport['width']}")
    page.get_by_role("button", name="Send flag").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Thank you. The moderators will review this post.")).to_be_visible()
    assert Flag.objects.filter(flagger=flagger, reason="spam").count() == 1

    moderator = new_context(viewport=viewport)
    log_in(moderator, ModeratorFactory(), live_server)
    queue = moderator.new_page()
    queue.goto(reverse("moderation:queue"))
    expect(queue.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(queue.get_by_text("Buy cheap followers")).to_be_visible()
    assert queue.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert serious_violations(queue) == []
    screenshot(queue, f"review-queue-{viewport['width']}")
    queue.get_by_role("button", name="Delete").focus()
    queue.keyboard.press("Enter")
    expect(queue.locator(".review--resolved")).to_have_text("Review closed: Post deleted.")

    queue.reload()
    expect(queue.get_by_text("Nothing to review. The queue is clear.")).to_be_visible()
    assert not Review.objects.filter(closed_at=None).exists()
