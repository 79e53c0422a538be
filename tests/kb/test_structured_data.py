import json
import re

import pytest
from django.test import RequestFactory

from forum import actions as forum_actions
from forum import queries as forum_queries
from kb.actions import promote_question
from kb.models import ArticlePage, FAQPage
from kb.structured_data import article_jsonld, faq_page_jsonld, qa_page_jsonld, render_jsonld
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def _request():
    return RequestFactory().get("/", HTTP_HOST="testserver")


def test_a_solved_question_is_a_qa_page_with_its_accepted_answer(solved_question):
    AnswerFactory(question=solved_question, body="Another idea: restart the modem.")
    question = forum_queries.question_page(solved_question.pk)

    data = qa_page_jsonld(question, request=_request())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    main = data["mainEntity"]
    assert main["@type"] == "Question"
    assert main["name"] == solved_question.title
    assert main["text"].startswith("My router stopped answering")
    assert main["answerCount"] == 2
    assert main["dateCreated"]
    assert main["author"]["@type"] == "Person"
    assert main["author"]["name"] == solved_question.author.name
    accepted = main["acceptedAnswer"]
    assert accepted["@type"] == "Answer"
    assert "sudo systemctl restart router" in accepted["text"]
    assert accepted["author"]["name"] == solved_question.accepted_answer.author.name
    assert accepted["dateCreated"]
    assert accepted["url"].startswith("http://testserver/questions/")
    assert "upvoteCount" in accepted
    assert [a["text"] for a in main["suggestedAnswer"]] == ["Another idea: restart the modem."]


def test_a_qa_page_costs_no_queries_for_a_loaded_question(
    solved_question, django_assert_num_queries
):
    question = forum_queries.question_page(solved_question.pk)

    with django_assert_num_queries(0):
        qa_page_jsonld(question, request=_request())


def test_an_unsolved_question_has_no_qa_page():
    assert qa_page_jsonld(QuestionFactory()) is None


def test_a_deleted_question_has_no_qa_page(solved_question):
    forum_actions.delete_question(solved_question.author, solved_question)
    solved_question.refresh_from_db()

    assert qa_page_jsonld(solved_question) is None


def test_an_article_has_a_headline_dates_and_its_credited_authors(editor, solved_question):
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    article = ArticlePage.objects.get(pk=article.pk)

    data = article_jsonld(article, credited=list(article.credited.all()), request=_request())

    assert data["@type"] == "Article"
    assert data["headline"] == solved_question.title
    assert data["datePublished"] == article.first_published_at.isoformat()
    assert data["dateModified"]
    assert data["author"] == [
        {
            "@type": "Person",
            "name": solved_question.accepted_answer.author.name,
            "url": f"http://testserver{solved_question.accepted_answer.author.get_absolute_url()}",
        }
    ]
    assert data["mainEntityOfPage"].endswith(article.url)


def test_the_faq_page_lists_each_article_as_a_question_with_an_accepted_answer(
    editor, solved_question
):
    article = promote_question(editor, solved_question)
    article = ArticlePage.objects.get(pk=article.pk)
    article.is_faq = True
    article.save_revision(user=editor).publish(user=editor)
    faq = FAQPage.objects.get()

    data = faq_page_jsonld(faq, [ArticlePage.objects.get(pk=article.pk)], request=_request())

    assert data["@type"] == "FAQPage"
    [entry] = data["mainEntity"]
    assert entry["@type"] == "Question"
    assert entry["name"] == solved_question.title
    assert entry["acceptedAnswer"]["@type"] == "Answer"
    assert entry["acceptedAnswer"]["text"] == article.summary


def test_member_text_cannot_close_the_script_element():
    html = render_jsonld({"name": "</script><script>alert(1)</script> & <!--"})

    body = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', html, re.S).group(1)
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body)["name"] == "</script><script>alert(1)</script> & <!--"


def test_the_template_tag_renders_the_qa_page(solved_question):
    from django.template import Context, Template

    question = forum_queries.question_page(solved_question.pk)
    html = Template("{% load kb_tags %}{% question_jsonld question %}").render(
        Context({"question": question, "request": _request()})
    )

    assert html.startswith('<script type="application/ld+json">')
    assert '"QAPage"' in html


def test_the_qa_page_text_comes_from_the_stored_html_not_a_new_render(solved_question):
    """The page reads the sanitized HTML stored with the post; the Markdown is not rendered
    again on each view (issue 17: that render was most of the question page's time)."""
    from forum.models import Answer, Question

    Question.objects.filter(pk=solved_question.pk).update(body_html="<p>Stored question</p>")
    Answer.objects.filter(pk=solved_question.accepted_answer_id).update(
        body_html="<p>Stored <em>answer</em></p>"
    )
    question = forum_queries.question_page(solved_question.pk)

    main = qa_page_jsonld(question, request=_request())["mainEntity"]

    assert main["text"] == "Stored question"
    assert main["acceptedAnswer"]["text"] == "Stored answer"
