import pytest
from django.utils import timezone

from forum.models import Question, QuestionState, Vote
from tests.api.conftest import ApiClient
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_with_reputation_can_vote_a_question_up():
    question = QuestionFactory()

    response = ApiClient(UserFactory(reputation=15)).post(
        f"/questions/{question.pk}/vote/", {"value": 1}
    )

    assert response.status_code == 200
    assert response.json() == {"score": 1, "my_vote": 1, "is_solved": False}


def test_a_trusted_member_can_vote_an_answer_down():
    answer = AnswerFactory()

    response = ApiClient(UserFactory(trusted=True)).post(
        f"/answers/{answer.pk}/vote/", {"value": -1}
    )

    assert response.status_code == 200
    assert response.json()["score"] == -1
    assert response.json()["my_vote"] == -1


def test_a_vote_can_be_retracted():
    answer = AnswerFactory()
    client = ApiClient(UserFactory(reputation=15))
    client.post(f"/answers/{answer.pk}/vote/", {"value": 1})

    response = client.post(f"/answers/{answer.pk}/vote/", {"value": 0})

    assert response.json() == {"score": 0, "my_vote": 0, "is_solved": False}
    assert Vote.objects.get(answer=answer).value == 0


def test_voting_on_the_accepted_answer_reports_it_solved():
    answer = AnswerFactory()
    Question.objects.filter(pk=answer.question_id).update(
        accepted_answer=answer, accepted_by=answer.question.author
    )

    response = ApiClient(UserFactory(reputation=15)).post(
        f"/answers/{answer.pk}/vote/", {"value": 1}
    )

    assert response.json()["is_solved"] is True


def test_a_new_member_cannot_vote_up():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/vote/", {"value": 1})

    assert response.status_code == 403
    assert response.json()["code"] == "not_enough_reputation"


def test_nobody_can_vote_on_their_own_post():
    question = QuestionFactory(author=UserFactory(trusted=True))

    response = ApiClient(question.author).post(f"/questions/{question.pk}/vote/", {"value": 1})

    assert response.status_code == 403
    assert response.json()["code"] == "own_post"


def test_voting_on_a_locked_question_is_refused():
    question = QuestionFactory(state=QuestionState.LOCKED)

    response = ApiClient(UserFactory(trusted=True)).post(
        f"/questions/{question.pk}/vote/", {"value": 1}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_voting_on_a_deleted_answer_is_refused():
    answer = AnswerFactory(deleted_at=timezone.now())

    response = ApiClient(UserFactory(trusted=True)).post(
        f"/answers/{answer.pk}/vote/", {"value": 1}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "post_deleted"


@pytest.mark.parametrize("value", [2, -2, "1", 0.5, True, None, [1]])
def test_a_vote_other_than_one_minus_one_or_zero_is_invalid(value):
    question = QuestionFactory()

    response = ApiClient(UserFactory(trusted=True)).post(
        f"/questions/{question.pk}/vote/", {"value": value}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "value"]


def test_a_vote_written_as_a_whole_float_counts_as_an_integer():
    question = QuestionFactory()

    response = ApiClient(UserFactory(reputation=15)).post(
        f"/questions/{question.pk}/vote/", {"value": 1.0}
    )

    assert response.status_code == 200
    assert response.json()["my_vote"] == 1


def test_voting_anonymously_is_refused(anonymous):
    question = QuestionFactory()

    assert anonymous.post(f"/questions/{question.pk}/vote/", {"value": 1}).status_code == 401


def test_voting_on_a_missing_answer_is_not_found():
    response = ApiClient(UserFactory(trusted=True)).post("/answers/999999/vote/", {"value": 1})

    assert response.status_code == 404


def test_voting_too_often_is_rate_limited(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "vote": (1, 3600)}
    first, second = QuestionFactory(), QuestionFactory()
    client = ApiClient(UserFactory(reputation=15))
    client.post(f"/questions/{first.pk}/vote/", {"value": 1})

    response = client.post(f"/questions/{second.pk}/vote/", {"value": 1})

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
