"""axe-core on the pages that matter, in the light and the dark theme: no serious or
critical violations. Also one h1 per page and landmarks, which axe reports only as
best practice.

axe-core comes from the npm registry (scripts/install-browser-deps.sh puts it in
.cache/axe/); these tests skip with that reason when it is missing.
"""

import json

import pytest

from tests.browser.conftest import AXE, DESKTOP, log_in, screenshot, skip_reason
from tests.browser.pages import build_community

if reason := skip_reason() or (None if AXE.exists() else f"{AXE} is missing"):
    pytest.skip(f"{reason}: run scripts/install-browser-deps.sh", allow_module_level=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BLOCKING = {"serious", "critical"}
# WCAG 2.2 A and AA, plus axe's best practices (landmarks, headings) for the report.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]


def _describe(name: str, violations: list[dict]) -> list[str]:
    return [
        f"{name}: [{v['impact']}] {v['id']}: {v['help']} "
        f"at {json.dumps([node['target'] for node in v['nodes'][:3]])}"
        for v in violations
    ]


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
        assert page.evaluate("document.documentElement.dataset.theme") == "auto"
        assert page.locator("h1").count() == 1, f"{name} has {page.locator('h1').count()} h1"
        assert page.locator("main").count() == 1, name
        if name in ("home", "question", "questions"):
            screenshot(page, f"{name}-{scheme}")
        violations = _axe(page)
        blocking += _describe(name, [v for v in violations if v["impact"] in BLOCKING])
        advisory += _describe(name, [v for v in violations if v["impact"] not in BLOCKING])

    with capsys.disabled():
        for line in advisory:
            print(f"\naxe ({scheme}, not blocking) {line}", end="")
    assert not blocking, "\n".join(blocking)
