"""The demo in both languages (docs/i18n.md): load_demo makes the Indonesian home page,
categories, knowledge base, FAQ and article translations as Wagtail translations, once."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page

from forum import demo
from forum.models import CategoryPage, CommunityIndexPage
from kb.demo import ARTICLES_EN, ARTICLES_ID
from kb.models import ArticlePage, FAQPage, KnowledgeBaseIndexPage

pytestmark = pytest.mark.django_db


def _indonesian(model):
    return model.objects.filter(locale__language_code="id")


def test_loading_the_demo_twice_makes_each_indonesian_page_once(client):
    call_command("load_demo", stdout=io.StringIO())
    before = Page.objects.count()
    call_command("load_demo", stdout=io.StringIO())

    assert Page.objects.count() == before
    home = _indonesian(CommunityIndexPage).get()
    english_home = CommunityIndexPage.objects.get(locale__language_code="en")
    assert home.translation_key == english_home.translation_key
    assert home.title == demo.COMMUNITY_TITLE_ID
    assert _indonesian(CategoryPage).count() == len(demo.CATEGORIES_ID)
    assert _indonesian(KnowledgeBaseIndexPage).get().title == "Basis pengetahuan"
    assert _indonesian(FAQPage).count() == 1
    titles = {spec[1] for spec in ARTICLES_ID.values()}
    assert set(_indonesian(ArticlePage).live().values_list("title", flat=True)) >= titles
    english = ArticlePage.objects.filter(locale__language_code="en").live()
    assert {spec[1] for spec in ARTICLES_EN.values()} <= set(
        english.values_list("title", flat=True)
    )
    # Each article exists once per language: the translations share their source's key.
    for key in ArticlePage.objects.values_list("translation_key", flat=True).distinct():
        codes = list(
            ArticlePage.objects.filter(translation_key=key).values_list(
                "locale__language_code", flat=True
            )
        )
        assert sorted(codes) == ["en", "id"]

    # /id/ shows Indonesian content, and the switcher goes to the same page's twin.
    html = client.get("/id/").content.decode()
    assert demo.COMMUNITY_TITLE_ID in html and "Tagihan &amp; Pembayaran" in html
    article = _indonesian(ArticlePage).get(title=next(iter(ARTICLES_ID.values()))[1])
    response = client.post(
        reverse("accounts:switch_language"), {"language": "en", "next": article.url}
    )
    assert (
        response["Location"]
        == ArticlePage.objects.get(
            translation_key=article.translation_key, locale__language_code="en"
        ).url
    )
