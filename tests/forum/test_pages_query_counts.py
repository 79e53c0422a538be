"""Pages cost a fixed number of queries, whatever their size.

Each test warms what a real visitor's earlier requests would have warmed (Wagtail's
cached site root paths, the visitor's session), then measures the same page at several
sizes and checks that the counts are equal and exactly the number below. If a number
changes, look for a query that crept into a template or a loop before updating it.

What the numbers are made of, for an anonymous visitor:

* question page (8): question (+author, category, acceptance, verification), tags,
  answers (+authors), answer comments, question comments, the knowledge-base article
  promoted from it (for the banner), the Wagtail Site (for
  the category link and the theme) and the site's theme settings;
* home (12): Wagtail's routing (site, page, alias check, view restrictions), categories
  with their counts, newest (+tags), unanswered (+tags), session, theme settings, and the
  knowledge base's "most helpful this month" (articles, their view restrictions);
* category page (11): Wagtail's routing (4), questions, tags, session, theme settings...,
  and the category's top knowledge-base articles (articles, their view restrictions);
* /questions/ and a tag page: the questions, their tags, the session, the theme settings
  (+ the tag itself).

The theme settings (themes.ThemeSettings: brand, colours) are one query per page, read by
base.html; the Site they belong to is already known wherever a category link is drawn.

A member adds their user row and their permissions (user and group: `is_moderator`), and
on the question page their votes. Notifications adds one query for a member on every page
(the header bell's unread count) and one more on the question, category and tag pages
(whether they follow it: the follow button). Search's "Related questions" adds two on the
question page (the lexical similar-threads query and the visibility re-check of what it
found; with an embedder, the vector matrix's change check and the nearest titles' rows).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import CategoryPage
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _log_in(client, viewer: str) -> None:
    if viewer == "member":
        client.force_login(UserFactory(reputation=200))


def _question_with_answers(size: int):
    """A solved question with `size` answers, each with two comments, and two of its own.

    A few members write everything (new members per row only slow the test down): each
    row is still a separate instance, so an author that isn't select_related would cost
    one query per row and show up in the count.
    """
    members = UserFactory.create_batch(3)
    question = QuestionFactory(category=_category())
    question.tags.add("routers", "wifi")
    CommentFactory.create_batch(2, question=question, author=members[0])
    answers = [AnswerFactory(question=question, author=members[i % 3]) for i in range(size)]
    for i, answer in enumerate(answers):
        CommentFactory(answer=answer, author=members[(i + 1) % 3])
        CommentFactory(answer=answer, author=members[(i + 2) % 3])
    question.accepted_answer, question.accepted_by = answers[-1], question.author
    question.save()
    return question


def _category() -> CategoryPage:
    return CategoryPage.objects.first() or CategoryFactory()


# One of them loads the whole thread's images (forum.queries._attach_images).
@pytest.mark.parametrize(("viewer", "expected"), [("anonymous", 11), ("member", 18)])
def test_the_question_page_costs_the_same_queries_with_1_10_or_100_answers(
    client, viewer, expected
):
    _log_in(client, viewer)
    client.get(_question_with_answers(1).get_absolute_url())

    counts = [_queries(client, _question_with_answers(n).get_absolute_url()) for n in (1, 10, 100)]

    assert counts == [expected] * 3


def _questions(count: int, category) -> None:
    for question in QuestionFactory.create_batch(count, category=category):
        question.tags.add("routers", f"only-{question.pk}")
        CommentFactory(question=question)


def _list_counts(client, viewer: str, url_for) -> list[int]:
    """Queries for a list page showing 1 question, then 30."""
    _log_in(client, viewer)
    category = CategoryFactory()
    _questions(1, category)
    url = url_for(category)
    client.get(url)
    one = _queries(client, url)
    _questions(29, category)
    return [one, _queries(client, url)]


LIST_PAGES = {
    "home": lambda category: "/",
    "category": lambda category: category.url,
    "questions": lambda category: reverse("forum:questions"),
    "questions by votes": lambda category: reverse("forum:questions") + "?sort=votes",
    "tag": lambda category: reverse("forum:tag", args=["routers"]),
}


@pytest.mark.parametrize(
    ("page", "viewer", "expected"),
    [
        # Wagtail pages: + the active locale (Wagtail i18n's routing), the page's own
        # locale and its translations for the hreflang links (docs/i18n.md).
        ("home", "anonymous", 15),
        ("home", "member", 18),
        ("category", "anonymous", 15),  # + the pinned questions
        ("category", "member", 19),
        ("questions", "anonymous", 4),
        ("questions", "member", 7),
        ("questions by votes", "anonymous", 4),
        ("questions by votes", "member", 7),
        ("tag", "anonymous", 5),
        ("tag", "member", 9),
    ],
)
def test_list_pages_cost_the_same_queries_with_1_or_30_questions(client, page, viewer, expected):
    counts = _list_counts(client, viewer, LIST_PAGES[page])

    assert counts == [expected, expected]


def test_the_second_page_of_a_list_costs_the_same_as_the_first(client, settings):
    settings.TANYA_PAGE_SIZE = 5
    _questions(12, CategoryFactory())
    url = reverse("forum:questions") + "?sort=newest"
    first = client.get(url)
    next_url = url + "&cursor=" + first.context["page"].next_cursor

    assert _queries(client, url) == _queries(client, next_url) == 4
