"""The knowledge base, the sitemap and schema.org data read only what everyone may see."""

import pytest
from django.test import RequestFactory

from forum.errors import PostDeleted
from forum.models import Answer, Question, Visibility
from forum.queries import question_page
from kb import queries
from kb.actions import promote_question
from kb.errors import NotSolved
from kb.models import ArticlePage
from kb.sitemaps import SolvedQuestionSitemap
from kb.structured_data import qa_page_jsonld
from tests.factories import AnswerFactory
from tests.visibility import STATES, VIEWERS, login, sees, viewer_for

pytestmark = pytest.mark.django_db

NOT_VISIBLE = [Visibility.HELD, Visibility.HIDDEN, Visibility.DELETED]
matrix = pytest.mark.parametrize(("state", "viewer"), [(s, v) for s in STATES for v in VIEWERS])


def _set(post, state) -> None:
    type(post).objects.filter(pk=post.pk).update(visibility=state)
    post.refresh_from_db()


def _request():
    return RequestFactory().get("/", HTTP_HOST="testserver")


@pytest.mark.parametrize("state", STATES)
def test_the_sitemap_lists_a_solved_question_only_while_it_is_visible(solved_question, state):
    _set(solved_question, state)

    items = list(SolvedQuestionSitemap().items())

    assert (solved_question in items) == (state == Visibility.VISIBLE)


@matrix
def test_a_qa_page_is_only_for_a_visible_question_whoever_renders_it(
    client, solved_question, state, viewer
):
    _set(solved_question, state)
    user = viewer_for(viewer, solved_question.author)
    login(client, user)

    response = client.get(solved_question.get_absolute_url())

    if sees(state, viewer):
        has_qa_page = '"QAPage"' in response.text
        assert has_qa_page == (state == Visibility.VISIBLE)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("state", NOT_VISIBLE)
def test_an_accepted_answer_not_visible_means_no_qa_page(solved_question, state):
    _set(solved_question.accepted_answer, state)

    assert qa_page_jsonld(Question.objects.get(pk=solved_question.pk)) is None


@pytest.mark.parametrize("state", NOT_VISIBLE)
def test_a_moderator_rendering_the_page_never_puts_hidden_answers_in_the_qa_page(
    solved_question, state
):
    from tests.factories import ModeratorFactory

    other = AnswerFactory(question=solved_question, visibility=state)
    page = question_page(solved_question.pk, viewer=ModeratorFactory())

    data = qa_page_jsonld(page, request=_request())

    assert other.pk in [a.pk for a in page.ordered_answers]
    assert "suggestedAnswer" not in data["mainEntity"]


@pytest.mark.parametrize("state", STATES)
def test_promotion_candidates_are_visible_solved_questions(solved_question, state):
    _set(solved_question, state)

    candidates = list(queries.promotion_candidates())

    assert (solved_question in candidates) == (state == Visibility.VISIBLE)


@pytest.mark.parametrize("state", NOT_VISIBLE)
def test_a_question_not_visible_cannot_be_promoted(editor, solved_question, state):
    _set(solved_question, state)

    with pytest.raises(PostDeleted):
        promote_question(editor, solved_question)


@pytest.mark.parametrize("state", NOT_VISIBLE)
def test_an_accepted_answer_not_visible_cannot_be_promoted(editor, solved_question, state):
    _set(solved_question.accepted_answer, state)

    with pytest.raises(NotSolved):
        promote_question(editor, Question.objects.get(pk=solved_question.pk))


@matrix
def test_an_article_links_to_its_source_only_while_everyone_may_see_it(
    client, editor, solved_question, state, viewer
):
    article = promote_question(editor, solved_question)
    article.save_revision(user=editor).publish(user=editor)
    article = ArticlePage.objects.get(pk=article.pk)
    _set(solved_question, state)
    login(client, viewer_for(viewer, solved_question.author))

    response = client.get(article.url)

    assert response.status_code == 200
    linked = solved_question.get_absolute_url() in response.text
    assert linked == (state == Visibility.VISIBLE)


@pytest.mark.parametrize("state", STATES)
def test_the_source_snapshot_names_the_visibility_of_a_question_not_visible(solved_question, state):
    _set(solved_question, state)
    question = Question.objects.select_related("accepted_answer").get(pk=solved_question.pk)

    snapshot = queries.source_snapshot(question)

    assert snapshot["state"] == ("open" if state == Visibility.VISIBLE else state)


@pytest.mark.parametrize("state", STATES)
def test_the_source_snapshot_leaves_out_an_accepted_answer_not_visible(solved_question, state):
    answer = Answer.objects.get(pk=solved_question.accepted_answer_id)
    _set(answer, state)
    question = Question.objects.select_related("accepted_answer").get(pk=solved_question.pk)

    snapshot = queries.source_snapshot(question)

    assert bool(snapshot["answer"]) == (state == Visibility.VISIBLE)
