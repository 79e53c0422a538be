"""axe finds nothing serious on the moderation pages, at desktop and 360 px: the site's
review queue, the Wagtail admin's review queue, the audit log, the suspension form, the
webhooks admin (list, create, an endpoint's delivery log) and the moderator scopes
(list, create). The whole page is checked, Wagtail's admin chrome included: it has no
serious violation today, so no rule is excluded. Should a Wagtail upgrade bring one that
Tanya's templates can't change, exclude that rule for that selector only (axe's
`exclude` context), with a comment saying why."""

import json

import pytest
from django.urls import reverse

from core.models import Event
from forum import actions
from forum.models import CategoryModerator
from moderation import actions as moderation_actions
from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    log_in,
    require_browser,
    screenshot,
    serious_violations,
    skip_module_unless_ready,
)
from tests.factories import CategoryFactory, ModeratorFactory, StaffFactory, UserFactory
from webhooks.models import Delivery, DeliveryStatus, Endpoint

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _ready():
    require_browser(axe=True)


def _pages() -> tuple[list[tuple[str, str]], str]:
    asker, spammer, flagger = UserFactory(), UserFactory(), UserFactory(reputation=50)
    category = CategoryFactory()
    question = actions.ask_question(
        asker,
        title="Modem lights blink orange",
        body="The modem's lights blink orange after every storm.",
        category=category,
    )
    answer = actions.post_answer(spammer, question, body="Visit our shop for cheap followers!")
    moderation_actions.flag_post(flagger, answer, reason="spam", note="An advert.")
    endpoint = Endpoint.objects.create(name="Helpdesk", url="https://helpdesk.example.com/hook")
    # A failed delivery, so the delivery log has a row (and its status) to check.
    Delivery.objects.create(
        endpoint=endpoint,
        event=Event.objects.filter(verb="post.flagged").get(),
        event_type="post.flagged",
        status=DeliveryStatus.FAILED,
        attempts=1,
        response_code=500,
        error="Server error",
    )
    scopes = CategoryModerator.snippet_viewset
    suspend = reverse("accounts:suspend", args=[spammer.username])
    return [
        ("site-review-queue", reverse("moderation:queue")),
        ("admin-review-queue", reverse("moderation_admin:queue")),
        ("audit-log", reverse("moderation_admin:audit_log")),
        # The suspension form is on the member's profile (it posts to accounts:suspend).
        ("suspension-form", reverse("accounts:profile", args=[spammer.username])),
        ("webhooks-list", reverse("webhook_endpoints:index")),
        ("webhooks-create", reverse("webhook_endpoints:add")),
        ("webhooks-delivery-log", reverse("webhook_endpoints:inspect", args=[endpoint.pk])),
        ("scopes-list", reverse(scopes.get_url_name("list"))),
        ("scopes-create", reverse(scopes.get_url_name("add"))),
    ], suspend


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
def test_the_moderation_pages_pass_axe(new_context, live_server, viewport):
    ModeratorFactory()  # so the scope form has a moderator to offer
    pages, suspend = _pages()
    context = new_context(viewport=viewport)
    log_in(context, StaffFactory(is_superuser=True), live_server)
    page = context.new_page()

    problems = {}
    for name, url in pages:
        response = page.goto(url)
        assert response is not None and response.status == 200, (name, url)
        if name == "suspension-form":
            assert page.locator(f'form[action="{suspend}"]').count() == 1
        screenshot(page, f"moderation-{name}")
        if found := serious_violations(page):
            problems[name] = found

    assert problems == {}, json.dumps(problems, indent=1)
