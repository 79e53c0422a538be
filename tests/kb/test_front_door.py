"""The knowledge base as the front door (docs/kb-front-door.md): Help in the header and
footer, "most helpful this month" on the home page, a category's top articles, and the
thread <-> article links both ways."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kb import queries
from kb.actions import promote_question, rate_article
from kb.models import ArticlePage, FAQPage, HelpfulnessVote
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _article(editor, *, title: str, category=None, helpful: int = 0) -> ArticlePage:
    question = QuestionFactory(title=title, **({"category": category} if category else {}))
    answer = AnswerFactory(question=question)
    from forum import actions as forum_actions

    forum_actions.accept_answer(question.author, question, answer)
    article = ArticlePage.objects.get(pk=promote_question(editor, question).pk)
    article.save_revision(user=editor).publish(user=editor)
    article = ArticlePage.objects.get(pk=article.pk)
    for _ in range(helpful):
        rate_article(UserFactory(), article, helpful=True)
    return article


def test_every_page_links_to_the_knowledge_base_and_faq(client, kb_index):
    html = client.get(reverse("forum:questions")).content.decode()
    assert f'href="{reverse("kb:index")}?lang=en"' in html
    assert f'href="{reverse("kb:faq")}?lang=en"' in html
    assert client.get(reverse("kb:index")).url == kb_index.url
    assert client.get(reverse("kb:faq")).url == FAQPage.objects.get().url


def test_the_help_links_are_404_without_a_knowledge_base(client, db):
    from kb.models import KnowledgeBaseIndexPage

    KnowledgeBaseIndexPage.objects.all().delete()
    assert client.get(reverse("kb:index")).status_code == 404


def test_the_home_page_lists_the_most_helpful_articles_of_this_month(client, editor):
    popular = _article(editor, title="Reset the NusaRouter password", helpful=3)
    quieter = _article(editor, title="Change the Wi-Fi channel", helpful=1)
    old = _article(editor, title="Old favourite", helpful=2)
    _article(editor, title="Never rated")
    HelpfulnessVote.objects.filter(article=old).update(
        created_at=timezone.now() - timedelta(days=40)
    )

    assert queries.most_helpful_this_month() == [popular, quieter]
    page = client.get("/").content.decode()
    html = page[page.index('id="kb-home-heading"') : page.index('id="categories-heading"')]
    assert "Most helpful this month" in html
    assert html.index(popular.title) < html.index(quieter.title)
    assert "Old favourite" not in html
    assert "Never rated" not in html


def test_a_category_page_shows_its_top_articles_only(client, editor):
    router = CategoryFactory(title="Router")
    billing = CategoryFactory(title="Billing")
    best = _article(editor, title="Port forwarding", category=router, helpful=2)
    other = _article(editor, title="Firmware update", category=router)
    elsewhere = _article(editor, title="Refunds", category=billing)

    page = client.get(router.url).content.decode()
    html = page[page.index('id="kb-category-heading"') :]

    assert "Top articles in this category" in html
    assert html.index(best.title) < html.index(other.title)
    assert elsewhere.title not in html


def test_thread_and_article_link_to_each_other(client, editor):
    article = _article(editor, title="Move DNS to us")
    question = article.source_question

    thread = client.get(question.get_absolute_url()).content.decode()
    page = client.get(article.url).content.decode()

    assert f'href="{article.url}"' in thread
    assert f'href="{question.get_absolute_url()}"' in page


def test_the_help_links_go_to_the_knowledge_base_in_the_language_of_the_page(client, kb_index):
    from wagtail.models import Locale

    indonesian = kb_index.copy_for_translation(
        Locale.objects.get(language_code="id"), copy_parents=True
    )
    indonesian.save_revision().publish()
    indonesian.refresh_from_db()

    # A browser that asks for English, following a link from an /id/ page.
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert client.get(reverse("kb:index") + "?lang=id", **english_browser).url == indonesian.url
    assert client.get(reverse("kb:index") + "?lang=en", **english_browser).url == kb_index.url
    # An unknown code is ignored, never an error.
    assert client.get(reverse("kb:index") + "?lang=xx", **english_browser).url == kb_index.url
