import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from kb import queries
from kb.actions import promote_question, rate_article
from kb.models import ArticlePage, FAQPage
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _published_article(editor, *, category=None, tags=("router",), faq=False, votes=0):
    question = QuestionFactory(**({"category": category} if category else {}))
    question.tags.set(list(tags))
    answer = AnswerFactory(question=question, body="Do this:\n\n```sh\nreboot\n```\n")
    from forum import actions as forum_actions

    forum_actions.accept_answer(question.author, question, answer)
    article = ArticlePage.objects.get(pk=promote_question(editor, question).pk)
    article.is_faq = faq
    article.save_revision(user=editor).publish(user=editor)
    article = ArticlePage.objects.get(pk=article.pk)
    for _ in range(votes):
        rate_article(UserFactory(), article, helpful=True)
    return article


def test_the_article_page_shows_the_body_credit_and_source(client, editor):
    article = _published_article(editor)

    response = client.get(article.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<code class="language-sh">reboot</code>' in html
    assert article.source_question.get_absolute_url() in html
    assert article.credited.get().get_absolute_url() in html
    assert "Was this helpful?" in html
    assert '<script type="application/ld+json" nonce="' in html


def test_a_translated_article_links_its_source_articles_thread(client, editor):
    from wagtail.models import Locale

    article = _published_article(editor)
    translation = article.copy_for_translation(
        Locale.objects.get(language_code="id"), copy_parents=True
    )
    translation.save_revision().publish()
    translation = ArticlePage.objects.get(pk=translation.pk)
    assert translation.source_question_id is None  # one article per question: the copy has none

    html = client.get(translation.url).content.decode()
    assert article.source_question.get_absolute_url() in html


def test_a_draft_article_is_not_served(client, editor, solved_question):
    article = promote_question(editor, solved_question)

    assert client.get(f"/knowledge-base/{article.slug}/").status_code == 404


def test_related_articles_share_a_category_or_a_tag(editor):
    category = CategoryFactory()
    article = _published_article(editor, category=category, tags=("router",))
    same_category = _published_article(editor, category=category, tags=("billing",))
    same_tag = _published_article(editor, tags=("router",))
    unrelated = _published_article(editor, tags=("email",))

    related = queries.related_articles(article)

    assert {a.pk for a in related} == {same_category.pk, same_tag.pk}
    assert unrelated.pk not in {a.pk for a in related}


@pytest.mark.parametrize("size", [1, 6])
def test_the_article_page_costs_the_same_queries_at_any_size(
    size, editor, django_assert_num_queries
):
    category = CategoryFactory()
    article = _published_article(editor, category=category)
    for _ in range(size):
        _published_article(editor, category=category, votes=1)
    article = ArticlePage.objects.get(pk=article.pk)
    request = RequestFactory().get(article.url)
    request.user = UserFactory()

    with django_assert_num_queries(8):
        context = queries.article_page(article, request)
        [a.title for a in context["related"]]

    assert len(context["related"]) == min(size, queries.RELATED_MAX)


def test_the_index_lists_articles_by_category_most_helpful_first(client, editor, kb_index):
    category = CategoryFactory(title="Routers")
    less = _published_article(editor, category=category, votes=1)
    more = _published_article(editor, category=category, votes=3)
    other = _published_article(editor, votes=0)

    context = queries.knowledge_base_page(kb_index)

    routers = next(g for g in context["groups"] if g.category and g.category.pk == category.pk)
    assert [a.pk for a in routers.articles] == [more.pk, less.pk]
    assert routers.count == 2
    assert context["article_count"] == 3
    response = client.get(kb_index.url)
    assert response.status_code == 200
    assert other.title in response.content.decode()


@pytest.mark.parametrize("size", [1, 8])
def test_the_index_costs_the_same_queries_at_any_size(
    size, editor, kb_index, django_assert_num_queries
):
    for _ in range(size):
        _published_article(editor, votes=1)

    with django_assert_num_queries(3):
        context = queries.knowledge_base_page(kb_index)
        [(g.category.title, [a.title for a in g.articles]) for g in context["groups"]]

    assert context["article_count"] == size


def test_the_faq_page_lists_faq_articles_expandable(client, editor):
    faq_article = _published_article(editor, faq=True)
    _published_article(editor, faq=False)
    faq = FAQPage.objects.get()

    response = client.get(faq.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<details class="kb-faq" id="faq-{faq_article.pk}">' in html
    assert html.count('<details class="kb-faq"') == 1
    assert '"@type": "FAQPage"' in html


@pytest.mark.parametrize("size", [1, 6])
def test_the_faq_page_costs_the_same_queries_at_any_size(size, editor, django_assert_num_queries):
    for _ in range(size):
        _published_article(editor, faq=True)
    faq = FAQPage.objects.get()
    request = RequestFactory().get(faq.url)
    request.user = AnonymousUser()

    with django_assert_num_queries(2):
        context = queries.faq_page(faq, request)

    assert len(context["jsonld"]["mainEntity"]) == size


def test_an_articles_plain_text_has_every_block_and_no_markup(editor, solved_question):
    article = ArticlePage.objects.get(pk=promote_question(editor, solved_question).pk)
    article.body.append(("steps", [{"title": "Unplug", "detail": "<p>Wait <b>ten</b> s</p>"}]))
    article.body.append(("callout", {"kind": "warning", "text": "<p>Don&#x27;t panic</p>"}))

    text = queries.article_plain_text(article)

    assert text.startswith(solved_question.title)
    assert "Problem" in text and "Solution" in text
    assert "sudo systemctl restart router" in text
    assert "Unplug Wait ten s" in text
    assert "Don't panic" in text
    assert "<" not in text
