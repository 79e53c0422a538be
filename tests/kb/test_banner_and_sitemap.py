import pytest
from django.test import RequestFactory

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.demo import ensure_kb_index
from kb.models import ArticlePage, FAQPage, KnowledgeBaseIndexPage
from kb.queries import article_for_question
from kb.sitemaps import SolvedQuestionSitemap
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_banner_names_the_published_article_in_one_query(
    editor, solved_question, django_assert_num_queries
):
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)

    with django_assert_num_queries(1):
        found = article_for_question(solved_question.pk)

    assert found.pk == article.pk


def test_a_draft_article_shows_no_banner(editor, solved_question):
    promote_question(editor, solved_question)

    assert article_for_question(solved_question.pk) is None


def test_the_banner_fragment_links_to_the_article(editor, solved_question):
    from django.template.loader import render_to_string

    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)

    html = render_to_string(
        "kb/_question_banner.html",
        {"kb_article": article_for_question(solved_question.pk)},
        request=RequestFactory().get("/"),
    )

    assert "This solution is in the knowledge base." in html
    assert f'href="{ArticlePage.objects.get(pk=article.pk).url}"' in html


def test_the_sitemap_lists_solved_visible_questions_only(solved_question):
    unsolved = QuestionFactory()
    deleted = QuestionFactory()
    forum_actions.delete_question(deleted.author, deleted)

    items = list(SolvedQuestionSitemap().items())

    assert items == [solved_question]
    assert unsolved not in items


def test_the_demo_knowledge_base_is_created_once(db):
    first = ensure_kb_index()
    second = ensure_kb_index()

    assert first.pk == second.pk
    assert KnowledgeBaseIndexPage.objects.count() == 1
    assert FAQPage.objects.count() == 1
    assert first.live and FAQPage.objects.get().live
    assert first.get_parent().specific_class.__name__ == "CommunityIndexPage"


def test_the_combined_sitemap_lists_articles_and_solved_questions(editor, solved_question):
    from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
    from wagtail.contrib.sitemaps.views import sitemap

    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    request = RequestFactory().get("/sitemap.xml")

    response = sitemap(
        request, sitemaps={"wagtail": WagtailSitemap, "questions": SolvedQuestionSitemap}
    )
    response.render()

    xml = response.content.decode()
    assert f"http://testserver{solved_question.get_absolute_url()}" in xml
    assert ArticlePage.objects.get(pk=article.pk).url in xml
