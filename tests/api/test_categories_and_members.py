import pytest
from django.utils import timezone

from accounts import actions
from forum import actions as forum_actions
from forum import counters
from forum.models import Question
from tests.accounts.helpers import picture, upload
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROFILE_QUERIES = 4


def test_anyone_can_list_the_categories_with_their_counts(anonymous):
    category = CategoryFactory(title="Billing")
    solved = QuestionFactory(category=category)
    QuestionFactory(category=category)
    QuestionFactory(category=category, deleted_at=timezone.now())
    answer = AnswerFactory(question=solved)
    Question.objects.filter(pk=solved.pk).update(accepted_answer=answer, accepted_by=solved.author)
    counters.recount()  # the rows above were written around the actions, which keep them

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


def test_a_profile_shows_the_bio_the_profile_page_and_initials_when_there_is_no_picture(
    anonymous,
):
    member = UserFactory(bio="I fix routers.")

    body = anonymous.get(f"/users/{member.username}/").json()

    assert body["bio"] == "I fix routers."
    assert body["url"] == f"http://testserver/members/{member.username}/"
    assert body["avatar_url"] is None


def test_a_profile_links_the_members_picture(anonymous):
    member = UserFactory()
    actions.set_avatar(member, member, upload(picture()))
    member.refresh_from_db()

    body = anonymous.get(f"/users/{member.username}/").json()

    assert body["avatar_url"] == f"http://testserver{member.avatar.url}"


def test_a_profile_shows_the_latest_reputation_changes_with_their_questions(anonymous):
    author = UserFactory()
    question = QuestionFactory(author=author, title="Why does my router blink red?")
    forum_actions.cast_vote(UserFactory(reputation=15), question, 1)

    history = anonymous.get(f"/users/{author.username}/").json()["reputation_history"]

    assert len(history) == 1
    change = history[0]
    assert (change["amount"], change["reason"], change["is_correction"]) == (
        10,
        "question_upvoted",
        False,
    )
    assert change["description"] == "question upvoted"
    assert change["question"] == {
        "id": question.pk,
        "title": "Why does my router blink red?",
        "url": f"http://testserver{question.get_absolute_url()}",
    }


def test_a_profile_does_not_name_a_deleted_question_in_the_history(anonymous):
    author = UserFactory()
    question = QuestionFactory(author=author, title="Secret title")
    forum_actions.cast_vote(UserFactory(reputation=15), question, 1)
    forum_actions.delete_question(author, question)

    response = anonymous.get(f"/users/{author.username}/")

    assert "Secret title" not in response.content.decode()
    history = response.json()["reputation_history"]
    assert [change["is_correction"] for change in history] == [True, False]
    assert all(change["question"] is None for change in history)


@pytest.mark.parametrize("size", [1, 25])
def test_a_profile_costs_the_same_queries_however_long_the_history(
    anonymous, django_assert_num_queries, size
):
    author = UserFactory()
    for _ in range(size):
        forum_actions.cast_vote(UserFactory(reputation=15), QuestionFactory(author=author), 1)

    # the member with their counts, their permissions (two), the history with questions
    with django_assert_num_queries(PROFILE_QUERIES):
        response = anonymous.get(f"/users/{author.username}/")

    assert len(response.json()["reputation_history"]) == min(size, 20)
