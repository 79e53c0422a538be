"""The knowledge-base issue's "done when", on the demo community, through the real views:
staff promote a solved thread from its page, edit and publish the article in the Wagtail
editor, the thread shows the banner, the FAQ lists the article, and editing the source
answer puts the article in the admin's "source changed" report."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from accounts.models import User
from forum import actions as forum_actions
from forum.models import Question
from kb.demo import ARTICLES
from kb.models import ArticlePage, ArticleReview, FAQPage

pytestmark = pytest.mark.django_db

THREAD = "Why was I charged twice for my March invoice?"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def _publish_in_the_editor(client, article: ArticlePage, *, summary: str) -> None:
    """Post Wagtail's page editor form with the Publish action, as an editor would."""
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "summary": summary,
            "body": streamfield(
                [
                    ("heading", "Problem"),
                    ("rich_text", rich_text("<p>The March invoice shows two charges.</p>")),
                    ("heading", "Solution"),
                    ("code", {"language": "bash", "code": "nusa billing refunds --month 2026-03"}),
                ]
            ),
            "category": article.category_id,
            "tags": "billing, invoice",
            "is_faq": "on",
            "action-publish": "action-publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_demo_knowledge_base_is_published_and_on_the_faq(demo, client):
    faq = FAQPage.objects.live().get(locale__language_code="en")

    html = client.get(faq.url).content.decode()

    live = ArticlePage.objects.live().filter(locale__language_code="en")
    assert live.count() == len(ARTICLES)  # the Indonesian thread: its English twin
    for article in live.filter(is_faq=True):
        assert article.title in html


def test_staff_take_a_demo_thread_from_promotion_to_a_stale_flag(
    demo, client, django_capture_on_commit_callbacks
):
    rina = User.objects.get(username="rina")
    question = Question.objects.get(title=THREAD)
    client.force_login(rina)

    # Promote from the thread's page: a draft, opened in the editor.
    assert (
        reverse("kb:promote", args=[question.pk])
        in client.get(question.get_absolute_url()).content.decode()
    )
    response = client.post(reverse("kb:promote", args=[question.pk]))
    article = ArticlePage.objects.get(source_question=question)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not article.live

    # Edit and publish in Wagtail's editor; the answer's author gets the bonus.
    author = question.accepted_answer.author
    before = User.objects.get(pk=author.pk).reputation
    with django_capture_on_commit_callbacks(execute=True):
        _publish_in_the_editor(client, article, summary="Two charges on one invoice: why.")
    article.refresh_from_db()
    assert article.live and article.is_faq
    assert article.summary == "Two charges on one invoice: why."
    assert User.objects.get(pk=author.pk).reputation == before + 25

    # The thread shows the banner; the FAQ lists the article.
    client.logout()
    thread = client.get(question.get_absolute_url()).content.decode()
    assert "This solution is in the knowledge base" in thread
    assert article.url in thread
    faq = FAQPage.objects.live().get(locale__language_code="en")
    assert article.title in client.get(faq.url).content.decode()

    # The site's search finds the article, first.
    results = client.get(reverse("search:search"), {"q": "charged twice invoice"})
    assert results.context["results"].items[0].url == article.url

    # The answer's author edits the source answer: the article is flagged as stale.
    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.edit_answer(
            author, question.accepted_answer, body="Refunds now take 3 working days."
        )
    assert ArticleReview.objects.get(article=article).stale
    client.force_login(rina)
    report = client.get(reverse("kb_admin:source_changed")).content.decode()
    assert article.title in report
    assert "Refunds now take 3 working days." in report
