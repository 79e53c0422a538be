import pytest
from django.utils import timezone

from forum.models import Question, QuestionState
from tests.api.conftest import ApiClient
from tests.factories import AnswerFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _accept(answer, *, by=None) -> None:
    Question.objects.filter(pk=answer.question_id).update(
        accepted_answer=answer, accepted_by=by or answer.question.author
    )


# --- Accepting --------------------------------------------------------------------------


def test_the_asker_can_accept_an_answer():
    answer = AnswerFactory()
    question = answer.question

    response = ApiClient(question.author).post(
        f"/questions/{question.pk}/accept/", {"answer": answer.pk}
    )

    assert response.status_code == 200
    assert response.json() == {
        "question_id": question.pk,
        "accepted_answer": answer.pk,
        "is_solved": True,
        "is_verified": False,
    }


def test_a_moderators_acceptance_is_also_verified():
    answer = AnswerFactory()

    response = ApiClient(ModeratorFactory()).post(
        f"/questions/{answer.question_id}/accept/", {"answer": answer.pk}
    )

    assert response.json()["is_verified"] is True


def test_a_stranger_cannot_accept_an_answer():
    answer = AnswerFactory()

    response = ApiClient(UserFactory()).post(
        f"/questions/{answer.question_id}/accept/", {"answer": answer.pk}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_an_answer_to_another_question_cannot_be_accepted():
    answer, elsewhere = AnswerFactory(), AnswerFactory()

    response = ApiClient(answer.question.author).post(
        f"/questions/{answer.question_id}/accept/", {"answer": elsewhere.pk}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "answer_not_in_question"


def test_accepting_a_missing_answer_is_not_found():
    answer = AnswerFactory()

    response = ApiClient(answer.question.author).post(
        f"/questions/{answer.question_id}/accept/", {"answer": 999999}
    )

    assert response.status_code == 404


def test_accepting_a_deleted_answer_is_refused():
    answer = AnswerFactory(deleted_at=timezone.now())

    response = ApiClient(answer.question.author).post(
        f"/questions/{answer.question_id}/accept/", {"answer": answer.pk}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "post_deleted"


def test_accepting_on_a_locked_question_is_refused():
    answer = AnswerFactory(question__state=QuestionState.LOCKED)

    response = ApiClient(answer.question.author).post(
        f"/questions/{answer.question_id}/accept/", {"answer": answer.pk}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_accepting_needs_an_answer_id():
    answer = AnswerFactory()

    response = ApiClient(answer.question.author).post(
        f"/questions/{answer.question_id}/accept/", {"answer": "the best one"}
    )

    assert response.status_code == 422


def test_accepting_anonymously_is_refused(anonymous):
    answer = AnswerFactory()

    response = anonymous.post(f"/questions/{answer.question_id}/accept/", {"answer": answer.pk})

    assert response.status_code == 401


# --- Withdrawing ------------------------------------------------------------------------


def test_the_asker_can_withdraw_an_acceptance():
    answer = AnswerFactory()
    _accept(answer)

    response = ApiClient(answer.question.author).delete(f"/questions/{answer.question_id}/accept/")

    assert response.status_code == 200
    assert response.json()["accepted_answer"] is None
    assert response.json()["is_solved"] is False


def test_the_asker_cannot_withdraw_a_verified_acceptance():
    answer = AnswerFactory()
    _accept(answer)
    Question.objects.filter(pk=answer.question_id).update(verified_by=ModeratorFactory())

    response = ApiClient(answer.question.author).delete(f"/questions/{answer.question_id}/accept/")

    assert response.status_code == 403


def test_a_stranger_cannot_withdraw_an_acceptance():
    answer = AnswerFactory()
    _accept(answer)

    response = ApiClient(UserFactory()).delete(f"/questions/{answer.question_id}/accept/")

    assert response.status_code == 403


def test_withdrawing_anonymously_is_refused(anonymous):
    answer = AnswerFactory()

    assert anonymous.delete(f"/questions/{answer.question_id}/accept/").status_code == 401


# --- Verifying --------------------------------------------------------------------------


def test_a_moderator_can_verify_the_accepted_answer():
    answer = AnswerFactory()
    _accept(answer)

    response = ApiClient(ModeratorFactory()).post(f"/questions/{answer.question_id}/verify/")

    assert response.status_code == 200
    assert response.json()["is_verified"] is True


def test_a_member_cannot_verify_an_answer():
    answer = AnswerFactory()
    _accept(answer)

    response = ApiClient(answer.question.author).post(f"/questions/{answer.question_id}/verify/")

    assert response.status_code == 403


def test_verifying_with_nothing_accepted_is_refused():
    answer = AnswerFactory()

    response = ApiClient(ModeratorFactory()).post(f"/questions/{answer.question_id}/verify/")

    assert response.status_code == 409
    assert response.json()["code"] == "nothing_accepted"


def test_verifying_a_missing_question_is_not_found():
    assert ApiClient(ModeratorFactory()).post("/questions/999999/verify/").status_code == 404


def test_verifying_anonymously_is_refused(anonymous):
    answer = AnswerFactory()

    assert anonymous.post(f"/questions/{answer.question_id}/verify/").status_code == 401
