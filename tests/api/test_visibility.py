"""The JSON API's reads follow the one visibility rule: every state against every viewer."""

import pytest

from forum.models import Visibility
from tests.api.conftest import ApiClient
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory
from tests.visibility import STATES, VIEWERS, sees, viewer_for

pytestmark = pytest.mark.django_db

matrix = pytest.mark.parametrize(("state", "viewer"), [(s, v) for s in STATES for v in VIEWERS])


def _client(viewer: str, author) -> ApiClient:
    return ApiClient(viewer_for(viewer, author))


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


@matrix
def test_the_question_list_has_only_visible_questions(state, viewer):
    question = QuestionFactory(visibility=state)

    response = _client(viewer, question.author).get("/questions/")

    assert (question.pk in _ids(response)) == (state == Visibility.VISIBLE)


@matrix
def test_a_question_is_read_by_exactly_who_may_see_it(state, viewer):
    question = QuestionFactory(visibility=state)

    response = _client(viewer, question.author).get(f"/questions/{question.pk}/")

    assert response.status_code == (200 if sees(state, viewer) else 404)


@matrix
def test_an_answer_is_listed_and_read_by_exactly_who_may_see_it(state, viewer):
    answer = AnswerFactory(visibility=state)
    client = _client(viewer, answer.author)

    listed = client.get(f"/questions/{answer.question_id}/answers/")
    detail = client.get(f"/answers/{answer.pk}/")

    assert (answer.pk in _ids(listed)) == sees(state, viewer)
    assert detail.status_code == (200 if sees(state, viewer) else 404)


@matrix
def test_answers_of_a_question_are_read_by_exactly_who_may_see_the_question(state, viewer):
    answer = AnswerFactory(question=QuestionFactory(visibility=state))
    client = _client(viewer, answer.question.author)

    listed = client.get(f"/questions/{answer.question_id}/answers/")
    detail = client.get(f"/answers/{answer.pk}/")

    assert listed.status_code == detail.status_code == (200 if sees(state, viewer) else 404)


@matrix
def test_a_comment_is_listed_to_exactly_who_may_see_it(state, viewer):
    answer = AnswerFactory()
    on_question = CommentFactory(question=answer.question, visibility=state)
    on_answer = CommentFactory(answer=answer, visibility=state, author=on_question.author)
    client = _client(viewer, on_question.author)

    question_comments = client.get(f"/questions/{answer.question_id}/comments/")
    answer_comments = client.get(f"/answers/{answer.pk}/comments/")

    expected = sees(state, viewer) and state != Visibility.DELETED
    assert (on_question.pk in _ids(question_comments)) == expected
    assert (on_answer.pk in _ids(answer_comments)) == expected


@matrix
def test_comments_of_a_post_are_read_by_exactly_who_may_see_the_post(state, viewer):
    answer = AnswerFactory(visibility=state)
    CommentFactory(answer=answer)

    response = _client(viewer, answer.author).get(f"/answers/{answer.pk}/comments/")

    assert response.status_code == (200 if sees(state, viewer) else 404)
