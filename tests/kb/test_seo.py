"""What search engines and link previews read (docs/seo.md): robots.txt, one canonical
link on every page, descriptions and Open Graph / Twitter cards, and a sitemap whose URLs
all use SITE_URL's host, whatever the request's Host and the Wagtail Site record say."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Site

from kb.actions import promote_question
from kb.models import ArticlePage, FAQPage
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://forum.example.com"


def _published(editor, question) -> ArticlePage:
    article = ArticlePage.objects.get(pk=promote_question(editor, question).pk)
    article.is_faq = True
    article.save_revision(user=editor).publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


def _canonicals(html: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]*)">', html)


def _meta(html: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_robots_txt_disallows_private_and_endless_pages_and_names_the_sitemap(client):
    with override_settings(WAGTAILADMIN_BASE_URL=SITE):
        response = client.get("/robots.txt", HTTP_HOST="testserver")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/django-admin/", "/accounts/", "/search/", "/api/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # the forum itself stays crawlable
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


@override_settings(WAGTAILADMIN_BASE_URL=SITE)
def test_every_page_has_one_absolute_canonical_link_on_the_site_host(
    client, editor, solved_question
):
    article = _published(editor, solved_question)
    category = solved_question.category
    member = UserFactory(username="maya")
    pages = {
        "/": "/",
        reverse("forum:questions") + "?sort=newest": reverse("forum:questions"),
        category.url: category.url,
        solved_question.get_absolute_url(): solved_question.get_absolute_url(),
        article.url: article.url,
        FAQPage.objects.get().url: FAQPage.objects.get().url,
        reverse("accounts:profile", args=[member.username]): f"/members/{member.username}/",
        reverse("account_login"): reverse("account_login"),
    }
    for url, path in pages.items():
        html = client.get(url, HTTP_HOST="127.0.0.1").content.decode()
        assert _canonicals(html) == [SITE + path], url
        assert _meta(html, "property", "og:url") == SITE + path, url
        assert _meta(html, "name", "twitter:card") == "summary", url


def test_questions_articles_and_categories_have_descriptions_and_cards(client, editor):
    category = CategoryFactory(title="Billing", intro="Invoices, refunds and payment methods.")
    question = QuestionFactory(
        category=category, title="Charged twice?", body="Two **identical** charges & a refund."
    )
    from forum import actions

    answer = actions.post_answer(UserFactory(), question, body="A pre-authorisation.")
    actions.accept_answer(question.author, question, answer)
    article = _published(editor, question)

    page = client.get(question.get_absolute_url()).content.decode()
    assert _meta(page, "name", "description") == "Two identical charges &amp; a refund."
    assert _meta(page, "property", "og:title") == "Charged twice?"
    assert _meta(page, "property", "og:type") == "article"
    assert _meta(page, "name", "twitter:description") == "Two identical charges &amp; a refund."

    page = client.get(category.url).content.decode()
    assert _meta(page, "name", "description") == "Invoices, refunds and payment methods."
    assert _meta(page, "property", "og:title") == "Billing"

    page = client.get(article.url).content.decode()
    assert _meta(page, "name", "description") == escape(article.summary)
    assert _meta(page, "property", "og:type") == "article"
    assert page.count('name="description"') == 1


def test_the_sitemap_uses_the_site_url_host_for_pages_and_questions_alike(
    client, editor, solved_question
):
    article = _published(editor, solved_question)
    # The Wagtail Site record says something else again, as it does until edited by hand.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)

    with override_settings(WAGTAILADMIN_BASE_URL=SITE):
        response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")

    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert SITE + article.url in locations
    assert SITE + solved_question.get_absolute_url() in locations
    assert SITE + solved_question.category.url in locations
    assert SITE + "/" in locations
    assert all(location.startswith(SITE + "/") for location in locations), locations
