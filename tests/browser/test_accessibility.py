"""axe-core on the pages that matter, in the light and the dark theme: no serious or
critical violations. Also one h1 per page and landmarks, which axe reports only as
best practice. The pages: home, a category, all questions, a question, the ask form
(with its similar-questions box open), a knowledge-base article, the FAQ, a profile,
sign-up, and search results; closed disclosures are opened first so axe sees them.

axe-core comes from the npm registry (scripts/install-browser-deps.sh puts it in
.cache/axe/); these tests skip with that reason when it is missing (fail, under CI=true).
"""

import pytest

from tests.browser.conftest import (
    DESKTOP,
    axe_violations,
    describe_violations,
    expect,
    log_in,
    require_browser,
    screenshot,
    skip_module_unless_ready,
)
from tests.browser.pages import (
    SEARCH_NOT_WIRED,
    build_community,
    search_url,
    show_similar_questions,
)

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _axe_is_there():
    require_browser(axe=True)


def _check(page, name: str) -> tuple[list[str], list[str]]:
    """Landmarks and headings, then axe: (blocking, advisory) violations on `page`."""
    assert page.evaluate("document.documentElement.dataset.theme") == "auto"
    assert page.locator("h1").count() == 1, f"{name} has {page.locator('h1').count()} h1"
    assert page.locator("main").count() == 1, name
    # What hides in closed disclosures (FAQ answers, comment forms, search tips) counts too.
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true })")
    # WCAG 2.2 A and AA, plus axe's best practices (landmarks, headings) for the report.
    violations = axe_violations(page, best_practice=True)
    return (
        describe_violations([v for v in violations if v["impact"] in BLOCKING], name),
        describe_violations([v for v in violations if v["impact"] not in BLOCKING], name),
    )


def _report(capsys, scheme: str, advisory: list[str]) -> None:
    with capsys.disabled():
        for line in advisory:
            print(f"\naxe ({scheme}, not blocking) {line}", end="")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_have_no_serious_accessibility_violations(
    new_context, live_server, scheme, capsys
):
    community = build_community()
    member = new_context(viewport=DESKTOP, color_scheme=scheme)
    log_in(member, community.member, live_server)
    visitor = new_context(viewport=DESKTOP, color_scheme=scheme)
    member_page, visitor_page = member.new_page(), visitor.new_page()

    blocking, advisory = [], []
    for name, url in community.urls().items():
        # The sign-up page is for visitors; everything else as a member who sees the
        # vote, comment and answer controls.
        page = visitor_page if name == "signup" else member_page
        page.goto(url)
        if name == "ask":  # with the similar-questions box showing, once it's wired
            show_similar_questions(page, "forward port 443")
        if name in ("home", "question", "questions", "article"):
            screenshot(page, f"{name}-{scheme}")
        found = _check(page, f"{name} ({scheme})")
        blocking += found[0]
        advisory += found[1]

    _report(capsys, scheme, advisory)
    assert not blocking, "\n".join(blocking)


def test_the_search_page_has_no_serious_accessibility_violations_in_either_theme(
    new_context, live_server, capsys
):
    community = build_community()
    if not (url := search_url("port 443")):
        pytest.skip(SEARCH_NOT_WIRED)

    blocking = []
    for scheme in ("light", "dark"):
        context = new_context(viewport=DESKTOP, color_scheme=scheme)
        log_in(context, community.member, live_server)
        page = context.new_page()
        page.goto(url)
        # Results, not an empty page: axe must see the result list and the facets.
        expect(page.locator(".search-results")).to_contain_text(community.question.title)
        screenshot(page, f"search-{scheme}")
        found, advisory = _check(page, f"search ({scheme})")
        blocking += found
        _report(capsys, scheme, advisory)
    assert not blocking, "\n".join(blocking)


def test_the_search_sort_and_date_form_works_by_keyboard_and_is_clean_at_360_px(
    new_context, live_server
):
    community = build_community()
    if not (url := search_url("port 443")):
        pytest.skip(SEARCH_NOT_WIRED)

    blocking = []
    for viewport in ({"width": 360, "height": 740}, DESKTOP):
        context = new_context(viewport=viewport)
        page = context.new_page()
        page.goto(url)
        expect(page.locator(".search-results")).to_contain_text(community.question.title)
        # Keyboard only: focus the sort control, pick "Newest", tab to the button, press it.
        page.locator("#search-sort").focus()
        page.keyboard.press("ArrowDown")  # Relevance -> Newest
        page.keyboard.press("Tab")  # the date control
        page.keyboard.press("Tab")  # the button
        page.keyboard.press("Enter")
        page.wait_for_url("**sort=newest**")
        expect(page.locator("#search-sort")).to_have_value("newest")
        expect(page.locator(".search-results")).to_contain_text(community.question.title)
        blocking += _check(page, f"search sorted ({viewport['width']} px)")[0]
    assert not blocking, "\n".join(blocking)
