"""The header on phones (one row, no sideways scroll, in both languages, as a visitor
and a member) and WCAG 2.2's minimum target size (2.5.8) on the key pages at 360 px."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.conftest import NARROW, log_in, screenshot, skip_module_unless_ready
from tests.browser.pages import build_community, search_url

skip_module_unless_ready()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ONE_ROW = 64  # px: one 44 px row and its padding; two rows are over 100
TARGET_SIZE_JS = (Path(__file__).parent / "target_size.js").read_text(encoding="utf-8")


def _switch_to_indonesian(page) -> None:
    page.goto("/")
    page.locator(".language-switch").get_by_role("button", name="Bahasa Indonesia").click()
    assert page.evaluate("document.documentElement.lang") == "id"


@pytest.mark.parametrize("width", [360, 320])
@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_phone_header_is_one_row(new_context, live_server, width, language, who):
    community = build_community()
    context = new_context(viewport={"width": width, "height": 740})
    if who == "member":
        log_in(context, community.member, live_server)
    page = context.new_page()
    if language == "id":
        _switch_to_indonesian(page)

    for url in ("/", community.question.get_absolute_url()):
        page.goto(url)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height < ONE_ROW, f"{who}, {language}, {width} px, {url}: header {height:.0f}px"
        tops = page.evaluate(
            "[...document.querySelector('.site-header__inner').children]"
            ".filter(e => e.getBoundingClientRect().width > 1)"
            ".map(e => Math.round(e.getBoundingClientRect().top))"
        )
        assert max(tops) - min(tops) <= 8, tops  # every item on the one row
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"scrolls sideways by {overflow}px"
    screenshot(page, f"header-{who}-{language}")

    # The search toggle opens the box under the row, and the menu holds the links.
    page.locator("[data-search-toggle]").click()
    assert page.locator("#site-search-q").is_visible()
    page.locator(".site-menu summary").click()
    menu = page.locator(".site-menu__panel")
    for name in ("tags", "members", "privileges"):
        assert menu.locator(
            f'a[href="{reverse("forum:" + name if name != "members" else "accounts:members")}"]'
        ).is_visible()


def test_every_target_on_the_key_pages_is_at_least_24_pixels(new_context, live_server, capsys):
    community = build_community()
    urls = {
        "home": "/",
        "question": community.question.get_absolute_url(),
        "category": community.category.url,
        "article": community.article.url,
        "members": reverse("accounts:members"),
        "tags": reverse("forum:tags"),
        "privileges": reverse("forum:privileges"),
    }
    if url := search_url("port 443"):
        urls["search"] = url
    visitor = new_context(viewport=NARROW).new_page()
    member_context = new_context(viewport=NARROW)
    log_in(member_context, community.member, live_server)
    member = member_context.new_page()

    failures, exempt = [], []
    for who, page in (("visitor", visitor), ("member", member)):
        for name, url in urls.items():
            page.goto(url)
            result = page.evaluate(TARGET_SIZE_JS)
            failures += [f"{who} {name}: {line}" for line in result["failures"]]
            exempt += [f"{who} {name}: {line}" for line in result["exempt"]]
    with capsys.disabled():  # the exemptions, for the record
        print("\nTarget-size exemptions:\n  " + "\n  ".join(exempt or ["none"]))
    assert not failures, "\n".join(failures)
