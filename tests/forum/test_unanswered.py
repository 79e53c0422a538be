"""'Unanswered' means an open question nobody has answered: a closed or locked one, which
nobody can answer, is not waiting for an answer (the home page, the Unanswered tab, the
API's state filter)."""

import pytest
from django.db import connection
from django.urls import reverse

from forum.models import Question, QuestionState
from forum.queries import home_page, question_list
from tests.api.conftest import ApiClient
from tests.factories import AnswerFactory, QuestionFactory, community_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions():
    return {
        "open": QuestionFactory(title="Open and waiting for an answer"),
        "closed": QuestionFactory(
            title="Closed before anyone answered", state=QuestionState.CLOSED
        ),
        "locked": QuestionFactory(
            title="Locked before anyone answered", state=QuestionState.LOCKED
        ),
        "answered": AnswerFactory().question,
    }


def test_the_unanswered_list_has_only_open_questions_without_answers(questions):
    listed = [q.pk for q in question_list(sort="unanswered").items]

    assert listed == [questions["open"].pk]


def test_the_home_page_waits_only_for_open_questions(questions):
    waiting = [q.pk for q in home_page(community_index())["unanswered"]]

    assert waiting == [questions["open"].pk]


def test_the_unanswered_tab_leaves_out_closed_questions(client, questions):
    html = client.get(reverse("forum:questions"), {"sort": "unanswered"}).content.decode()

    assert questions["open"].title in html
    assert questions["closed"].title not in html
    assert questions["locked"].title not in html


def test_the_api_state_filter_agrees(questions):
    response = ApiClient().get("/questions/", state="unanswered")

    assert [q["id"] for q in response.json()["items"]] == [questions["open"].pk]


def test_the_unanswered_list_uses_its_partial_index(questions):
    if connection.vendor != "sqlite":
        pytest.skip(
            "the plan is checked on SQLite here; PostgreSQL may prefer a scan on tiny tables"
        )
    queryset = Question.objects.filter(visibility="visible", state="open", answer_count=0).order_by(
        "-created_at", "-id"
    )
    plan = queryset.explain()

    assert "q_unanswered" in plan
