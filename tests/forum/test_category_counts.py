""" "N questions · M solved" is a cache kept by the writes, never counted on a page view.

Every write that moves a question into or out of its category's counts settles them in
its own transaction (forum/counters.py); `category_counts_recompute` finds drift. The
home, category, list and tag pages cost the same queries at 5 questions and at 50, and
none of those queries counts.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import actions, counters, queries
from forum.models import CategoryCounts, Question
from tests.factories import (
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BODY = "I pressed print and nothing came out of the printer at all."


@pytest.fixture(autouse=True)
def _counts_agree_with_a_recount_after_each_test(db):
    yield
    assert counters.recount(fix=False) == []


@pytest.fixture
def category():
    return CategoryFactory()


@pytest.fixture
def asker():
    return UserFactory(reputation=100)


def _ask(asker, category, title="How do I print a PDF file?"):
    return actions.ask_question(asker, title=title, body=BODY, category=category)


def _answer(question):
    return actions.post_answer(UserFactory(reputation=100), question, body=BODY + " Answer.")


def shown(category) -> tuple[int, int]:
    """The counts the home page shows for `category`."""
    row = next(c for c in queries.categories_with_stats() if c.pk == category.pk)
    return (row.question_count, row.solved_count)


def test_asking_counts_the_question_in_its_category(asker, category):
    _ask(asker, category)
    _ask(asker, category, "How do I scan to email?")

    assert shown(category) == (2, 0)


def test_accepting_an_answer_counts_it_solved_and_unaccepting_takes_it_back(asker, category):
    question = _ask(asker, category)
    first, second = _answer(question), _answer(question)

    actions.accept_answer(asker, question, first)
    assert shown(category) == (1, 1)
    actions.accept_answer(asker, question, second)  # replacing the solution: still one
    assert shown(category) == (1, 1)
    actions.unaccept_answer(asker, question)
    assert shown(category) == (1, 0)


def test_deleting_the_accepted_answer_unsolves_the_question(asker, category):
    question = _ask(asker, category)
    answer = _answer(question)
    actions.accept_answer(asker, question, answer)

    actions.delete_answer(answer.author, answer)

    assert shown(category) == (1, 0)


def test_deleting_a_solved_question_uncounts_it_and_restoring_counts_it_again(asker, category):
    question = _ask(asker, category)
    actions.accept_answer(asker, question, _answer(question))

    actions.delete_question(asker, question)
    assert shown(category) == (0, 0)
    actions.restore_question(ModeratorFactory(), question)
    assert shown(category) == (1, 1)


def test_moving_a_question_moves_its_counts(asker, category):
    question = _ask(asker, category)
    actions.accept_answer(asker, question, _answer(question))
    elsewhere = CategoryFactory()

    actions.edit_question(
        asker, question, title=question.title, body=question.body, tags="", category=elsewhere
    )

    assert shown(category) == (0, 0)
    assert shown(elsewhere) == (1, 1)


def test_a_category_with_no_questions_shows_zero(category):
    assert shown(category) == (0, 0)


def test_the_recompute_command_reports_drift_with_check_and_fixes_it_without(asker, category):
    _ask(asker, category)
    CategoryCounts.objects.filter(pk=category.pk).update(question_count=7, solved_count=3)

    with pytest.raises(CommandError):
        call_command("category_counts_recompute", "--check")
    assert shown(category) == (7, 3)

    call_command("category_counts_recompute")
    assert shown(category) == (1, 0)
    call_command("category_counts_recompute", "--check")  # clean now: no error


def test_recount_fills_the_counts_of_questions_written_around_the_actions(category):
    QuestionFactory.create_batch(3, category=category)  # a bulk loader, say

    counters.recount()

    assert shown(category) == (3, 0)


# --- Pages cost the same at 5 and at 50 questions, and none of their queries counts ------

PAGES = {
    "home": lambda category: "/",
    "category": lambda category: category.url,
    "questions": lambda category: reverse("forum:questions"),
    "questions, unanswered": lambda category: reverse("forum:questions") + "?sort=unanswered",
    "questions, solved": lambda category: reverse("forum:questions") + "?sort=solved",
    "tag": lambda category: reverse("forum:tag", args=["printing"]),
}


def _add_questions(count: int, category) -> None:
    for question in QuestionFactory.create_batch(count, category=category):
        question.tags.add("printing")
    counters.recount()


def _measure(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured]


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_list_pages_cost_the_same_queries_at_5_and_at_50_questions_and_never_count(
    client, page, viewer
):
    if viewer == "member":
        client.force_login(UserFactory(reputation=200))
    categories = [CategoryFactory() for _ in range(3)]
    url = PAGES[page](categories[0])
    _add_questions(5, categories[0])
    client.get(url)  # warm Wagtail's site root paths and the session, as a visitor would
    at_5 = _measure(client, url)
    for category in categories:
        _add_questions(15, category)
    assert Question.objects.count() == 50

    at_50 = _measure(client, url)

    assert len(at_5) == len(at_50)
    # (The member's bell counts their own unread notifications, at most 100: not questions.)
    assert not [sql for sql in at_50 if "COUNT(" in sql.upper() and '"forum_question"' in sql]
