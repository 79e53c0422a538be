"""A customer finds the answer in the knowledge base from the home page, on a 360 px phone
and at desktop width: the home page's "most helpful this month" list, and the header's
Help link to the knowledge base; every page on the way axe-clean (serious/critical)."""

import json

import pytest

from kb.actions import rate_article
from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    expect,
    load_axe,
    require_browser,
    screenshot,
    skip_module_unless_ready,
)
from tests.browser.pages import build_community, header_link
from tests.factories import UserFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def _blocking(page, name: str) -> list[str]:
    load_axe(page)
    violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [
        f"{name}: [{v['impact']}] {v['id']}: {v['help']} "
        f"at {json.dumps([n['target'] for n in v['nodes'][:3]])}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["360px", "desktop"])
def test_a_visitor_finds_an_article_from_the_home_page(new_context, live_server, viewport):
    require_browser(axe=True)
    community = build_community()
    rate_article(UserFactory(), community.article, helpful=True)
    page = new_context(viewport=viewport).new_page()
    blocking = []

    # From the home page's "most helpful this month" list.
    page.goto("/")
    section = page.get_by_role("region", name="Find an answer in the knowledge base")
    expect(section).to_contain_text("Most helpful this month")
    blocking += _blocking(page, "home")
    screenshot(page, "home-kb")
    section.get_by_role("link", name=community.article.title).click()
    expect(page.locator("h1")).to_have_text(community.article.title)
    blocking += _blocking(page, "article")

    # From the header's Help link, through the knowledge base's index.
    page.goto("/")
    header_link(page, "Help").click()
    expect(page).to_have_url(f"{live_server.url}/knowledge-base/")
    blocking += _blocking(page, "knowledge base")
    page.locator("main").get_by_role("link", name=community.article.title).first.click()
    expect(page.locator("h1")).to_have_text(community.article.title)
    # ...and back to the original discussion.
    page.get_by_role("link", name="Read the original discussion in the community").click()
    expect(page.locator("h1")).to_have_text(community.question.title)
    expect(page.locator(".kb-banner")).to_contain_text(community.article.title)

    # The header stays within the viewport's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert not blocking, "\n".join(blocking)
