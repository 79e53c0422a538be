import pytest
from django.utils import timezone

from forum.models import Question
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_anyone_can_list_the_categories_with_their_counts(anonymous):
    category = CategoryFactory(title="Billing")
    solved = QuestionFactory(category=category)
    QuestionFactory(category=category)
    QuestionFactory(category=category, deleted_at=timezone.now())
    answer = AnswerFactory(question=solved)
    Question.objects.filter(pk=solved.pk).update(accepted_answer=answer, accepted_by=solved.author)

    response = anonymous.get("/categories/")

    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["id"] == category.pk
    assert item["slug"] == category.slug
    assert item["title"] == "Billing"
    assert item["url"] == f"http://testserver/{category.slug}/"
    assert item["question_count"] == 2
    assert item["solved_count"] == 1


def test_anyone_can_read_a_members_profile(anonymous):
    member = UserFactory(display_name="Siti", reputation=42)
    QuestionFactory(author=member)
    answer = AnswerFactory(author=member)
    Question.objects.filter(pk=answer.question_id).update(
        accepted_answer=answer, accepted_by=answer.question.author
    )

    response = anonymous.get(f"/users/{member.username}/")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == member.username
    assert body["display_name"] == "Siti"
    assert body["reputation"] == 42
    assert (body["question_count"], body["answer_count"], body["accepted_count"]) == (1, 1, 1)
    assert body["is_staff"] is False
    assert body["is_moderator"] is False
    assert body["member_since"]


def test_a_profile_never_shows_the_email_address(anonymous):
    member = UserFactory(email="private@example.com")

    response = anonymous.get(f"/users/{member.username}/")

    assert "private@example.com" not in response.content.decode()
    assert "email" not in response.json()


def test_a_profile_shows_a_moderator_as_one(anonymous):
    moderator = ModeratorFactory()

    assert anonymous.get(f"/users/{moderator.username}/").json()["is_moderator"] is True


def test_an_unknown_member_is_not_found(anonymous):
    response = anonymous.get("/users/nobody-here/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_deactivated_member_is_not_found(anonymous):
    member = UserFactory(is_active=False)

    assert anonymous.get(f"/users/{member.username}/").status_code == 404


def test_a_username_with_impossible_characters_is_invalid(anonymous):
    assert anonymous.get("/users/no%20spaces/").status_code == 422
