"""A customer finds the answer in the knowledge base from the home page, on a 360 px phone
and at desktop width, in English and in Bahasa Indonesia (/id/): the home page's "most
helpful this month" list, and the header's Help link to the knowledge base; every page on
the way axe-clean (serious/critical). The language switcher (the header's button and the
footer's form) goes from an article to the same article in the other language, and back."""

import pytest

from kb.actions import rate_article
from tests.browser.conftest import (
    DESKTOP,
    NARROW,
    expect,
    require_browser,
    screenshot,
    serious_violations,
    skip_module_unless_ready,
)
from tests.browser.pages import build_bilingual_community, header_link, tr
from tests.factories import UserFactory

skip_module_unless_ready(axe=True)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


LANGUAGES = ["en", "id"]
BROWSER_LOCALES = {"en": "en-GB", "id": "id-ID"}
VIEWPORTS = pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["360px", "desktop"])


@VIEWPORTS
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_finds_an_article_from_the_home_page(
    new_context, live_server, viewport, language
):
    require_browser(axe=True)
    site = build_bilingual_community()
    community, article = site.community, site.articles[language]
    rate_article(UserFactory(), article, helpful=True)
    # An Indonesian customer's browser asks for Indonesian: the pages without a /id/ address
    # (/help/, the questions) follow Accept-Language.
    page = new_context(viewport=viewport, locale=BROWSER_LOCALES[language]).new_page()
    blocking = []

    # From the home page's "most helpful this month" list.
    page.goto(site.homes[language])
    expect(page.locator("html")).to_have_attribute("lang", language)
    section = page.get_by_role("region", name=tr(language, "Find an answer in the knowledge base"))
    expect(section).to_contain_text(tr(language, "Most helpful this month"))
    blocking += serious_violations(page, f"home ({language})")
    screenshot(page, f"home-kb-{language}")
    section.get_by_role("link", name=article.title).click()
    expect(page.locator("h1")).to_have_text(article.title)
    expect(page.locator("html")).to_have_attribute("lang", language)
    blocking += serious_violations(page, f"article ({language})")

    # From the header's Help link, through the knowledge base's index.
    page.goto(site.homes[language])
    header_link(page, tr(language, "Help")).click()
    expect(page).to_have_url(f"{live_server.url}{site.knowledge_bases[language]}")
    blocking += serious_violations(page, f"knowledge base ({language})")
    page.locator("main").get_by_role("link", name=article.title).first.click()
    expect(page.locator("h1")).to_have_text(article.title)
    # ...and back to the original discussion (only the source article is linked to its
    # thread: a translation's copy leaves source_question out, kb.pages.ArticlePage).
    if language == "en":
        page.get_by_role(
            "link", name=tr(language, "Read the original discussion in the community")
        ).click()
        expect(page.locator("h1")).to_have_text(community.question.title)
        expect(page.locator(".kb-banner")).to_contain_text(article.title)

    # The header stays within the viewport's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert not blocking, "\n".join(blocking)


def _switch_to(page, language: str, via: str) -> None:
    """Press the header's button for `language`, or choose it in the footer's form."""
    name = {"en": "English", "id": "Bahasa Indonesia"}[language]
    if via == "header":
        page.locator(".language-switch").get_by_role("button", name=name).click()
    else:
        form = page.locator(".language-form")
        form.get_by_role("combobox").select_option(language)
        form.get_by_role("button").click()


@VIEWPORTS
@pytest.mark.parametrize("via", ["header", "footer"])
def test_the_language_switcher_goes_to_the_same_article_and_back(
    new_context, live_server, viewport, via
):
    require_browser(axe=True)
    site = build_bilingual_community()
    page = new_context(viewport=viewport).new_page()
    page.goto(site.articles["en"].url)

    for language in ("id", "en"):  # there, and back
        _switch_to(page, language, via)
        article = site.articles[language]
        expect(page).to_have_url(f"{live_server.url}{article.url}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_have_text(article.title)
    assert not serious_violations(page, "article after switching back")


@VIEWPORTS
def test_directories_and_the_indonesian_pages_are_axe_clean_and_keep_the_csp(
    new_context, live_server, viewport, csp_violations
):
    require_browser(axe=True)
    site = build_bilingual_community()
    page = new_context(viewport=viewport, locale="id-ID").new_page()
    blocking = []
    for name, url in {
        "members": "/members/",
        "tags": "/tags/",
        "privileges": "/privileges/",
        "Indonesian home": site.homes["id"],
        "Indonesian article": site.articles["id"].url,
    }.items():
        response = page.goto(url)
        assert response is not None and response.ok, url
        blocking += serious_violations(page, name)
    page.wait_for_timeout(300)  # let any late violation reach the console
    assert csp_violations == []
    assert not blocking, "\n".join(blocking)
