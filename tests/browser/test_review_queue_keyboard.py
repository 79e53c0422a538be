"""A moderator clears a review queue of several flagged posts from the keyboard alone
(Tab, Shift+Tab, Enter, Space): each outcome is applied, focus stays in the queue (on the
"Review closed" notice, never dropped to <body>), the page's live region announces it,
and the queue ends empty (docs/moderation.md, "The review queue")."""

import pytest
from django.urls import reverse

from forum import actions
from moderation import actions as moderation_actions
from moderation.models import Review
from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    expect,
    log_in,
    require_browser,
    skip_module_unless_ready,
)
from tests.factories import CategoryFactory, ModeratorFactory, UserFactory

skip_module_unless_ready()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
          review: (el.closest('[id^="review-"]') || {}).id || ""};
}"""


@pytest.fixture(autouse=True)
def _ready():
    require_browser()


def _flagged_answers(count: int) -> list:
    asker, spammer = UserFactory(), UserFactory()
    flaggers = [UserFactory(reputation=50), UserFactory(reputation=50)]
    question = actions.ask_question(
        asker,
        title="Printer drops off the network",
        body="My printer vanishes from the network every few hours.",
        category=CategoryFactory(),
    )
    answers = []
    for i in range(count):
        answer = actions.post_answer(spammer, question, body=f"Cheap followers, offer number {i}!")
        moderation_actions.flag_post(flaggers[i % 2], answer, reason="off_topic")
        answers.append(answer)
    return answers


def _tab_to(page, review_id: str, label: str, *, backwards: bool = False, limit: int = 60):
    """Press Tab (or Shift+Tab) until the button `label` of review `review_id` has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        focused = page.evaluate(FOCUSED)
        if (
            focused
            and focused["tag"] == "button"
            and focused["text"] == label
            and focused["review"] == review_id
        ):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{label!r} in {review_id} never took focus with {key}")


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
def test_a_moderator_clears_the_queue_from_the_keyboard(new_context, live_server, viewport):
    answers = _flagged_answers(3)
    reviews = list(Review.objects.filter(closed_at=None).order_by("opened_at", "pk"))
    assert len(reviews) == 3
    context = new_context(viewport=viewport)
    log_in(context, ModeratorFactory(), live_server)
    page = context.new_page()
    page.goto(reverse("moderation:queue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    announcer = page.locator("#announcer")

    # (review, button, key to press, how to get there, outcome label)
    plan = [
        (reviews[0], "Dismiss", "Enter", False, "Dismissed"),
        (reviews[1], "Hide", "Space", False, "Post hidden"),
        (reviews[2], "Dismiss", "Enter", False, "Dismissed"),
    ]
    for number, (review, label, key, backwards, outcome) in enumerate(plan):
        review_id = f"review-{review.pk}"
        if number == 1:
            # Overshoot to the Delete button, then come back with Shift+Tab.
            _tab_to(page, review_id, "Delete")
            _tab_to(page, review_id, label, backwards=True)
        else:
            _tab_to(page, review_id, label, backwards=backwards)
        page.keyboard.press(key)

        notice = page.locator(f"#{review_id}")
        expect(notice).to_have_text(f"Review closed: {outcome}.")
        expect(announcer).to_have_text(f"Review closed: {outcome}.")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, f"focus was dropped to <body> after {label}"
        assert focused["id"] == review_id, focused
        review.refresh_from_db()
        assert review.closed_at is not None
        assert review.outcome == {"Dismiss": "dismissed", "Hide": "hidden"}[label]

    for answer, visibility in zip(answers, ["visible", "hidden", "visible"], strict=True):
        answer.refresh_from_db()
        assert answer.visibility == visibility
    assert not Review.objects.filter(closed_at=None).exists()
    page.reload()
    expect(page.get_by_text("Nothing to review. The queue is clear.")).to_be_visible()
