import pytest
from django.utils import timezone

from forum.models import Answer, Question, QuestionState, Vote
from tests.api.conftest import ApiClient
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "Unplug it for thirty seconds, then plug it back in."


# --- Listing ----------------------------------------------------------------------------


def test_anyone_can_list_answers_accepted_first_then_by_score(anonymous):
    question = QuestionFactory()
    accepted, best, worst = AnswerFactory.create_batch(3, question=question)
    Answer.objects.filter(pk=best.pk).update(score=5)
    Answer.objects.filter(pk=worst.pk).update(score=-2)
    Question.objects.filter(pk=question.pk).update(
        accepted_answer=accepted, accepted_by=question.author
    )

    response = anonymous.get(f"/questions/{question.pk}/answers/")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [a["id"] for a in items] == [accepted.pk, best.pk, worst.pk]
    assert [a["is_accepted"] for a in items] == [True, False, False]


def test_deleted_answers_are_not_listed(anonymous):
    answer = AnswerFactory(deleted_at=timezone.now())

    response = anonymous.get(f"/questions/{answer.question_id}/answers/")

    assert response.json()["items"] == []


def test_listed_answers_show_the_callers_votes():
    answer = AnswerFactory()
    voter = UserFactory()
    Vote.objects.create(voter=voter, answer=answer, value=-1)

    items = ApiClient(voter).get(f"/questions/{answer.question_id}/answers/").json()["items"]

    assert items[0]["my_vote"] == -1


def test_the_answers_to_a_deleted_question_are_not_found(anonymous):
    answer = AnswerFactory(question__deleted_at=timezone.now())

    response = anonymous.get(f"/questions/{answer.question_id}/answers/")

    assert response.status_code == 404


def test_the_answers_to_a_missing_question_are_not_found(anonymous):
    assert anonymous.get("/questions/999999/answers/").status_code == 404


# --- Reading one ------------------------------------------------------------------------


def test_anyone_can_read_an_answer(anonymous):
    answer = AnswerFactory()

    body = anonymous.get(f"/answers/{answer.pk}/").json()

    assert body["id"] == answer.pk
    assert body["question_id"] == answer.question_id
    assert body["url"] == f"http://testserver{answer.get_absolute_url()}"
    assert body["body"] == answer.body
    assert body["body_html"] == answer.body_html
    assert body["author"]["username"] == answer.author.username


def test_a_deleted_answer_is_not_found_for_members():
    answer = AnswerFactory(deleted_at=timezone.now())

    assert ApiClient(answer.author).get(f"/answers/{answer.pk}/").status_code == 404


def test_an_answer_to_a_deleted_question_is_not_found(anonymous):
    answer = AnswerFactory(question__deleted_at=timezone.now())

    assert anonymous.get(f"/answers/{answer.pk}/").status_code == 404


def test_a_moderator_can_read_a_deleted_answer():
    answer = AnswerFactory(deleted_at=timezone.now())

    assert ApiClient(ModeratorFactory()).get(f"/answers/{answer.pk}/").status_code == 200


# --- Answering --------------------------------------------------------------------------


def test_a_member_can_answer_a_question():
    question = QuestionFactory()
    answerer = UserFactory()

    response = ApiClient(answerer).post(f"/questions/{question.pk}/answers/", {"body": BODY})

    assert response.status_code == 201
    answer = Answer.objects.get(pk=response.json()["id"])
    assert answer.author == answerer
    assert answer.body == BODY
    assert response.json()["question_id"] == question.pk


def test_answering_anonymously_is_refused(anonymous):
    question = QuestionFactory()

    response = anonymous.post(f"/questions/{question.pk}/answers/", {"body": BODY})

    assert response.status_code == 401
    assert not Answer.objects.exists()


def test_answering_a_closed_question_is_refused():
    question = QuestionFactory(state=QuestionState.CLOSED)

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", {"body": BODY})

    assert response.status_code == 409
    assert response.json()["code"] == "question_closed"


def test_answering_a_locked_question_is_refused():
    question = QuestionFactory(state=QuestionState.LOCKED)

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", {"body": BODY})

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_answering_a_deleted_question_is_refused():
    question = QuestionFactory(deleted_at=timezone.now())

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", {"body": BODY})

    assert response.status_code == 409
    assert response.json()["code"] == "post_deleted"


def test_answering_a_missing_question_is_not_found():
    response = ApiClient(UserFactory()).post("/questions/999999/answers/", {"body": BODY})

    assert response.status_code == 404


def test_a_short_answer_is_invalid():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", {"body": "Yes"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "body"]


def test_answering_too_often_is_rate_limited(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "answer": (1, 3600)}
    question = QuestionFactory()
    client = ApiClient(UserFactory())
    client.post(f"/questions/{question.pk}/answers/", {"body": BODY})

    response = client.post(f"/questions/{question.pk}/answers/", {"body": BODY + " Really."})

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


# --- Editing ----------------------------------------------------------------------------


def test_the_author_can_edit_an_answer():
    answer = AnswerFactory()

    response = ApiClient(answer.author).patch(
        f"/answers/{answer.pk}/", {"body": BODY, "summary": "Simpler."}
    )

    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.body == BODY
    assert response.json()["body"] == BODY


def test_a_stranger_cannot_edit_an_answer():
    answer = AnswerFactory()

    response = ApiClient(UserFactory()).patch(f"/answers/{answer.pk}/", {"body": BODY})

    assert response.status_code == 403


def test_editing_a_deleted_answer_is_refused():
    answer = AnswerFactory(deleted_at=timezone.now())

    response = ApiClient(answer.author).patch(f"/answers/{answer.pk}/", {"body": BODY})

    assert response.status_code == 409
    assert response.json()["code"] == "post_deleted"


def test_editing_an_answer_anonymously_is_refused(anonymous):
    answer = AnswerFactory()

    assert anonymous.patch(f"/answers/{answer.pk}/", {"body": BODY}).status_code == 401


def test_editing_a_missing_answer_is_not_found():
    assert ApiClient(UserFactory()).patch("/answers/999999/", {"body": BODY}).status_code == 404


# --- Deleting ---------------------------------------------------------------------------


def test_the_author_can_delete_an_answer(anonymous):
    answer = AnswerFactory()

    response = ApiClient(answer.author).delete(f"/answers/{answer.pk}/")

    assert response.status_code == 204
    assert anonymous.get(f"/answers/{answer.pk}/").status_code == 404


def test_a_stranger_cannot_delete_an_answer():
    answer = AnswerFactory()

    assert ApiClient(UserFactory()).delete(f"/answers/{answer.pk}/").status_code == 403


def test_the_author_cannot_delete_an_answer_on_a_locked_question():
    answer = AnswerFactory(question__state=QuestionState.LOCKED)

    response = ApiClient(answer.author).delete(f"/answers/{answer.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_deleting_an_answer_anonymously_is_refused(anonymous):
    answer = AnswerFactory()

    assert anonymous.delete(f"/answers/{answer.pk}/").status_code == 401
