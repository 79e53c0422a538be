"""Search indexes and finds only what everyone may see: only visible posts are indexed,
and results and similar questions drop anything no longer visible (the index may lag)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Answer, Question, Visibility
from search.documents import Kind, documents_for_source, question_source
from search.queries import SearchFilters, search, similar_questions
from tests.factories import AnswerFactory, QuestionFactory
from tests.search.conftest import index
from tests.visibility import STATES, VIEWERS, login, viewer_for

pytestmark = pytest.mark.django_db

matrix = pytest.mark.parametrize(("state", "viewer"), [(s, v) for s in STATES for v in VIEWERS])


def _solved(title: str) -> Question:
    question = QuestionFactory(title=title)
    answer = AnswerFactory(question=question, body="Power cycle the gateway and wait a minute.")
    Question.objects.filter(pk=question.pk).update(
        accepted_answer=answer, accepted_by=question.author, accepted_at=timezone.now()
    )
    return Question.objects.get(pk=question.pk)


@pytest.mark.parametrize("state", STATES)
def test_only_a_visible_question_has_documents(state):
    question = QuestionFactory(visibility=state)

    documents = documents_for_source(question_source(question.pk))

    assert bool(documents) == (state == Visibility.VISIBLE)


@pytest.mark.parametrize("state", STATES)
def test_only_visible_answers_have_documents(state):
    answer = AnswerFactory(visibility=state)

    documents = documents_for_source(question_source(answer.question_id))

    answers = [d.object_id for d in documents if d.kind == Kind.ANSWER]
    assert (answer.pk in answers) == (state == Visibility.VISIBLE)


@matrix
def test_search_finds_a_question_only_while_it_is_visible(state, viewer):
    question = _solved("Gateway keeps dropping the fibre link")
    index(question)
    Question.objects.filter(pk=question.pk).update(visibility=state)  # the index lags
    user = viewer_for(viewer, question.author)

    found = [r.question_id for r in search("gateway fibre", user=user).items]

    assert (question.pk in found) == (state == Visibility.VISIBLE)


@matrix
def test_search_finds_an_answer_only_while_it_is_visible(state, viewer):
    question = _solved("Gateway keeps dropping the fibre link")
    answer = AnswerFactory(question=question, body="Swap the patch cable for a shielded one.")
    index(question)
    Answer.objects.filter(pk=answer.pk).update(visibility=state)
    user = viewer_for(viewer, answer.author)

    answers = SearchFilters(kind="answer")
    found = [r.object_id for r in search("shielded", filters=answers, user=user).items]

    assert (answer.pk in found) == (state == Visibility.VISIBLE)


@matrix
def test_similar_questions_offer_only_visible_questions(client, state, viewer):
    question = _solved("Printer will not join the office wifi")
    index(question)
    Question.objects.filter(pk=question.pk).update(visibility=state)
    user = viewer_for(viewer, question.author)
    login(client, user)

    offered = [r.question_id for r in similar_questions("printer office wifi", user=user)]
    suggestion = client.get(reverse("search:go", args=[question.pk]))

    assert (question.pk in offered) == (state == Visibility.VISIBLE)
    assert suggestion.status_code == (302 if state == Visibility.VISIBLE else 404)


@matrix
def test_the_search_page_lists_only_visible_questions(client, state, viewer):
    question = _solved("Gateway keeps dropping the fibre link")
    index(question)
    Question.objects.filter(pk=question.pk).update(visibility=state)
    login(client, viewer_for(viewer, question.author))

    response = client.get(reverse("search:search"), {"q": "gateway fibre"})

    listed = f'href="{question.get_absolute_url()}"' in response.text
    assert listed == (state == Visibility.VISIBLE)
