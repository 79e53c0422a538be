"""The Content-Security-Policy in a real Chromium: every page of the journey, as a visitor
and as a member, at desktop and 360 px, loads and works (htmx swaps, the theme toggle,
the ask form's suggestions, Wagtail's editor) with no violation. `new_context` in
conftest.py collects violations for every browser test; this module visits the pages on
purpose and shows that the collector catches a violation when there is one."""

import re

import pytest
from django.urls import reverse

from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    expect,
    log_in,
    skip_module_unless_ready,
)
from tests.browser.pages import (
    build_community,
    kb_editor,
    search_url,
    show_similar_questions,
    theme_toggle,
)

skip_module_unless_ready()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    # The policy is really there (and enforced), so "no violation" means something.
    policy = response.headers.get("content-security-policy", "")
    assert "'nonce-" in policy and "'unsafe-inline'" not in policy, url
    page.wait_for_load_state("load")


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["desktop", "360px"])
def test_every_page_of_the_journey_loads_without_a_csp_violation(
    new_context, live_server, viewport, csp_violations
):
    community = build_community()
    visitor = new_context(viewport=viewport).new_page()
    member_context = new_context(viewport=viewport)
    log_in(member_context, community.member, live_server)
    member = member_context.new_page()

    urls = community.urls()
    if url := search_url("port 443"):
        urls["search"] = url
    for name, url in urls.items():
        _visit(visitor, url)
        if name != "signup":
            _visit(member, url)

    # What runs after load: htmx swaps a vote, the theme toggle, the suggestions box.
    _visit(member, community.question.get_absolute_url())
    up = member.locator("#question .vote__button--up")
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    theme_toggle(member).click()
    expect(member.locator("html")).to_have_attribute("data-theme", re.compile("light|dark"))
    _visit(member, reverse("forum:ask"))
    show_similar_questions(member, "forward port 443")
    member.wait_for_timeout(300)  # let any late violation reach the console

    assert csp_violations == []


def test_wagtail_admin_and_its_page_editor_load_without_a_csp_violation(
    new_context, live_server, csp_violations
):
    community = build_community()
    context = new_context(viewport=DESKTOP)
    log_in(context, kb_editor(), live_server)
    page = context.new_page()

    for url in ("/admin/", f"/admin/pages/{community.article.pk}/edit/", "/admin/pages/"):
        response = page.goto(url)
        assert response.ok, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    expect(page.locator("main")).to_be_visible()

    assert csp_violations == []


def test_an_injected_inline_script_is_refused_and_reported(
    new_context, live_server, csp_violations
):
    page = new_context(viewport=DESKTOP).new_page()
    _visit(page, "/")

    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "document.documentElement.dataset.pwned = 'yes'";
          document.head.append(s);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("document.documentElement.dataset.pwned") is None
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen and expected: don't fail the test at teardown
