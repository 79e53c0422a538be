"""List endpoints cost the same number of queries for 1 item as for 30.

A member's X-Session-Token costs three queries of its own (allauth checks the session
exists, loads it, then loads the member), and lists that show `my_vote` one more.
A thread's answers and comments depend on whether the member moderates (moderators see
every visibility state), which costs the two permission queries Django caches per user.
"""

import pytest

from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SESSION_TOKEN_QUERIES = 3
MODERATOR_CHECK = 2  # the member's own and their groups' permissions


@pytest.fixture(params=[1, 30], ids=["1 item", "30 items"])
def forum(request) -> dict:
    size = request.param
    category = CategoryFactory()
    question = QuestionFactory(category=category)
    question.tags.set(["router"])
    for n in range(size - 1):
        listed = QuestionFactory(category=category)
        listed.tags.set(["router", f"tag-{n}"])
        CategoryFactory()
    answers = AnswerFactory.create_batch(size, question=question)
    CommentFactory.create_batch(size, question=question)
    CommentFactory.create_batch(size, answer=answers[0])
    return {"category": category, "question": question, "answer": answers[0], "size": size}


def _paths(forum: dict) -> dict[str, str]:
    question, answer, category = forum["question"], forum["answer"], forum["category"]
    return {
        "categories": "/categories/",
        "questions": "/questions/",
        "questions in a category with a tag": f"/questions/?category={category.slug}&tag=router",
        "answers": f"/questions/{question.pk}/answers/",
        "comments on a question": f"/questions/{question.pk}/comments/",
        "comments on an answer": f"/answers/{answer.pk}/comments/",
    }


# name: (anonymous queries, extra for a member beyond the session token)
EXPECTED = {
    "categories": (2, 0),
    "questions": (2, 0),
    "questions in a category with a tag": (4, 0),
    "answers": (3, 1 + MODERATOR_CHECK),  # one for the answers' images
    "comments on a question": (2, MODERATOR_CHECK),
    "comments on an answer": (2, 1 + MODERATOR_CHECK),
}


def _expected_items(name: str, size: int) -> int:
    # Only question lists are paged; every other list shows all of its items.
    return min(size, 20) if name.startswith("questions") else size


@pytest.mark.parametrize("name", EXPECTED)
def test_an_anonymous_list_costs_the_same_at_any_size(forum, name, django_assert_num_queries):
    client = ApiClient()
    path = _paths(forum)[name]
    client.get(path)  # Wagtail caches the site's root paths on first use

    with django_assert_num_queries(EXPECTED[name][0]):
        response = client.get(path)

    assert response.status_code == 200
    assert len(response.json()["items"]) == _expected_items(name, forum["size"])


@pytest.mark.parametrize("name", EXPECTED)
def test_a_members_list_costs_the_same_at_any_size(forum, name, django_assert_num_queries):
    client = ApiClient(UserFactory())
    path = _paths(forum)[name]
    client.get(path)
    anonymous, extra = EXPECTED[name]

    with django_assert_num_queries(anonymous + SESSION_TOKEN_QUERIES + extra):
        response = client.get(path)

    assert response.status_code == 200
