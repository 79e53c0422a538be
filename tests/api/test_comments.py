import pytest
from django.utils import timezone

from forum.models import Comment, QuestionState
from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

COMMENT = {"body": "Which model is it, exactly?"}


# --- Listing ----------------------------------------------------------------------------


def test_anyone_can_list_a_questions_comments_oldest_first(anonymous):
    question = QuestionFactory()
    first, second = CommentFactory.create_batch(2, question=question)

    response = anonymous.get(f"/questions/{question.pk}/comments/")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [c["id"] for c in items] == [first.pk, second.pk]
    assert items[0]["body_html"] == "Thanks, that <em>worked</em>."
    assert (items[0]["post_type"], items[0]["post_id"]) == ("question", question.pk)


def test_anyone_can_list_an_answers_comments(anonymous):
    answer = AnswerFactory()
    comment = CommentFactory(answer=answer)

    response = anonymous.get(f"/answers/{answer.pk}/comments/")

    assert [c["id"] for c in response.json()["items"]] == [comment.pk]


def test_deleted_comments_are_not_listed(anonymous):
    question = QuestionFactory()
    CommentFactory(question=question, deleted_at=timezone.now())

    assert anonymous.get(f"/questions/{question.pk}/comments/").json()["items"] == []


def test_the_comments_on_a_deleted_question_are_not_found(anonymous):
    question = QuestionFactory(deleted_at=timezone.now())

    assert anonymous.get(f"/questions/{question.pk}/comments/").status_code == 404


def test_the_comments_on_a_deleted_answer_are_not_found(anonymous):
    answer = AnswerFactory(deleted_at=timezone.now())

    assert anonymous.get(f"/answers/{answer.pk}/comments/").status_code == 404


# --- Commenting -------------------------------------------------------------------------


def test_an_author_can_comment_on_their_own_question():
    question = QuestionFactory()

    response = ApiClient(question.author).post(f"/questions/{question.pk}/comments/", COMMENT)

    assert response.status_code == 201
    comment = Comment.objects.get(pk=response.json()["id"])
    assert comment.question == question
    assert response.json()["body"] == COMMENT["body"]


def test_a_member_with_reputation_can_comment_on_an_answer():
    answer = AnswerFactory()

    response = ApiClient(UserFactory(reputation=50)).post(
        f"/answers/{answer.pk}/comments/", COMMENT
    )

    assert response.status_code == 201
    assert (response.json()["post_type"], response.json()["post_id"]) == ("answer", answer.pk)


def test_a_new_member_cannot_comment_on_someone_elses_question():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/comments/", COMMENT)

    assert response.status_code == 403
    assert response.json()["code"] == "not_enough_reputation"


def test_commenting_anonymously_is_refused(anonymous):
    question = QuestionFactory()

    assert anonymous.post(f"/questions/{question.pk}/comments/", COMMENT).status_code == 401


def test_commenting_on_a_deleted_answer_is_refused():
    answer = AnswerFactory(deleted_at=timezone.now())

    response = ApiClient(answer.author).post(f"/answers/{answer.pk}/comments/", COMMENT)

    assert response.status_code == 409
    assert response.json()["code"] == "post_deleted"


def test_commenting_on_a_locked_question_is_refused():
    question = QuestionFactory(state=QuestionState.LOCKED)

    response = ApiClient(question.author).post(f"/questions/{question.pk}/comments/", COMMENT)

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_a_comment_of_spaces_is_invalid():
    question = QuestionFactory()

    response = ApiClient(question.author).post(
        f"/questions/{question.pk}/comments/", {"body": "     "}
    )

    assert response.status_code == 422


def test_commenting_on_a_missing_answer_is_not_found():
    response = ApiClient(UserFactory()).post("/answers/999999/comments/", COMMENT)

    assert response.status_code == 404


def test_commenting_too_often_is_rate_limited(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "comment": (1, 3600)}
    question = QuestionFactory()
    client = ApiClient(question.author)
    client.post(f"/questions/{question.pk}/comments/", COMMENT)

    response = client.post(f"/questions/{question.pk}/comments/", {"body": "And one more thing."})

    assert response.status_code == 429
    assert "Retry-After" in response


# --- Deleting ---------------------------------------------------------------------------


def test_the_author_can_delete_a_comment(anonymous):
    comment = CommentFactory(question=QuestionFactory())

    response = ApiClient(comment.author).delete(f"/comments/{comment.pk}/")

    assert response.status_code == 204
    assert anonymous.get(f"/questions/{comment.question_id}/comments/").json()["items"] == []


def test_a_moderator_can_delete_a_comment():
    comment = CommentFactory(question=QuestionFactory())

    assert ApiClient(ModeratorFactory()).delete(f"/comments/{comment.pk}/").status_code == 204


def test_a_stranger_cannot_delete_a_comment():
    comment = CommentFactory(question=QuestionFactory())

    response = ApiClient(UserFactory()).delete(f"/comments/{comment.pk}/")

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.deleted_at is None


def test_deleting_a_comment_anonymously_is_refused(anonymous):
    comment = CommentFactory(question=QuestionFactory())

    assert anonymous.delete(f"/comments/{comment.pk}/").status_code == 401


def test_deleting_a_missing_comment_is_not_found():
    assert ApiClient(UserFactory()).delete("/comments/999999/").status_code == 404
