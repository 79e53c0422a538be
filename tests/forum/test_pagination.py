"""Keyset pagination: every sort walks every visible question once, in order, however many
share a sort value; a cursor that isn't ours falls back to the first page."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from forum.models import Answer, Question, Visibility
from forum.pagination import Ordering, decode_cursor, encode_cursor, paginate
from forum.queries import SORTS, question_list
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db

SALT = "tanya.cursor"


@pytest.fixture
def crowd():
    """19 questions (2 of them deleted) whose sort values collide a lot.

    Three creation times, two activity times, scores in {-1, 0, 1}; some answered, some
    solved. Returns the 17 visible ones.
    """
    base = timezone.now().replace(microsecond=0) - timedelta(days=1)
    questions = QuestionFactory.create_batch(19, category=CategoryFactory())
    for i, question in enumerate(questions):
        Question.objects.filter(pk=question.pk).update(
            created_at=base + timedelta(hours=i % 3),
            last_activity_at=base + timedelta(hours=10 * (i % 2)),
            score=(i % 3) - 1,
        )
        if i % 4 == 0:
            answer = AnswerFactory(question=question)
            if i % 8 == 0:
                Question.objects.filter(pk=question.pk).update(
                    accepted_answer=answer, accepted_by=question.author
                )
    deleted = questions[-2:]
    Question.objects.filter(pk__in=[q.pk for q in deleted]).update(
        visibility=Visibility.DELETED, deleted_at=timezone.now()
    )
    return list(Question.objects.exclude(pk__in=[q.pk for q in deleted]))


def expected_order(questions, sort):
    if sort == "unanswered":
        questions = [q for q in questions if q.answer_count == 0]
    elif sort == "solved":
        questions = [q for q in questions if q.accepted_answer_id is not None]
    field = SORTS[sort].field
    return [q.pk for q in sorted(questions, key=lambda q: (getattr(q, field), q.pk), reverse=True)]


def walk(sort, size, **filters):
    """Follow next_cursor from the first page to the last; return the ids in page order."""
    seen, cursor, pages = [], None, 0
    while True:
        page = question_list(sort=sort, cursor=cursor, size=size, **filters)
        seen.extend(q.pk for q in page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return seen
        assert pages < 50, "pagination does not end"


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("size", [1, 4, 20])
def test_every_sort_walks_every_visible_question_once_in_order(crowd, sort, size):
    ids = walk(sort, size)

    assert ids == expected_order(crowd, sort)
    assert len(ids) == len(set(ids))


def test_the_sample_really_has_ties_and_both_filters_are_non_trivial(crowd):
    assert len({q.created_at for q in crowd}) == 3
    assert len({q.score for q in crowd}) == 3
    assert 0 < len(expected_order(crowd, "unanswered")) < len(crowd)
    assert 0 < len(expected_order(crowd, "solved")) < len(crowd)


def test_deleted_questions_are_never_listed(crowd):
    deleted = set(
        Question.objects.exclude(visibility=Visibility.VISIBLE).values_list("pk", flat=True)
    )

    listed = {pk for sort in SORTS for pk in walk(sort, 5)}

    assert deleted and not deleted & listed


def test_the_last_page_has_no_next_cursor():
    QuestionFactory.create_batch(3)

    page = question_list(size=3)

    assert page.next_cursor is None
    assert len(page.items) == 3


def test_a_page_with_more_after_it_has_a_next_cursor():
    QuestionFactory.create_batch(4)

    page = question_list(size=3)

    assert page.next_cursor is not None


def test_only_pages_after_the_first_have_a_previous_page():
    QuestionFactory.create_batch(4)
    first = question_list(size=3)

    second = question_list(size=3, cursor=first.next_cursor)

    assert (first.has_previous, second.has_previous) == (False, True)


def test_an_empty_list_is_one_empty_page():
    page = question_list()

    assert (page.items, page.next_cursor) == ([], None)


def _first_page_ids(cursor, sort="newest"):
    return [q.pk for q in question_list(sort=sort, cursor=cursor, size=3).items]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%%%",
        "a" * 5000,
        signing.dumps(["created_at", "2020-01-01T00:00:00+00:00", 1], salt="another.salt"),
        signing.dumps(["created_at", "2020-01-01T00:00:00+00:00", 1], key="not-our-key", salt=SALT),
        signing.dumps(["created_at", "not a date", 1], salt=SALT),
        signing.dumps(["created_at", "2020-01-01T00:00:00+00:00", "1"], salt=SALT),
        signing.dumps(["created_at", [], 1], salt=SALT),
        signing.dumps(["created_at", 1], salt=SALT),
        signing.dumps({"field": "created_at"}, salt=SALT),
        signing.dumps(7, salt=SALT),
        signing.dumps(["score", 3, 1], salt=SALT),
        signing.dumps(["id", 3, 1], salt=SALT),
    ],
    ids=[
        "garbage",
        "symbols",
        "huge",
        "other-salt",
        "other-key",
        "bad-date",
        "text-id",
        "list-for-a-date",
        "too-short",
        "dict",
        "number",
        "another-sorts-field",
        "unknown-field",
    ],
)
def test_a_cursor_that_is_not_ours_falls_back_to_the_first_page(cursor):
    QuestionFactory.create_batch(5)

    assert _first_page_ids(cursor) == _first_page_ids(None)


def test_a_tampered_cursor_falls_back_to_the_first_page():
    QuestionFactory.create_batch(5)
    good = question_list(sort="newest", size=3).next_cursor
    tampered = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")

    assert _first_page_ids(tampered) == _first_page_ids(None)


def test_a_cursor_from_another_sort_on_the_same_field_still_pages_by_that_field():
    """newest and unanswered both order by created_at, so their cursors are interchangeable."""
    questions = QuestionFactory.create_batch(5)
    cursor = encode_cursor(SORTS["newest"], questions[2])

    page = question_list(sort="unanswered", cursor=cursor, size=10)

    assert [q.pk for q in page.items] == [questions[1].pk, questions[0].pk]


def test_a_cursor_round_trips_a_datetime_with_microseconds():
    question = QuestionFactory()
    question.refresh_from_db()
    ordering = Ordering("created_at")

    assert decode_cursor(ordering, encode_cursor(ordering, question)) == (
        question.created_at,
        question.pk,
    )


def test_paginate_works_on_any_queryset_with_the_ordering_field():
    answers = AnswerFactory.create_batch(5)
    Answer.objects.update(score=3)
    ordering = Ordering("score")

    first = paginate(Answer.objects.all(), ordering, None, 2)
    rest = paginate(Answer.objects.all(), ordering, first.next_cursor, 10)

    ids = [a.pk for a in first.items + rest.items]
    assert ids == sorted((a.pk for a in answers), reverse=True)


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_the_cursor_is_one_row_comparison_on_the_lists_index(sort, crowd):
    """`(field, id) < (value, pk)`, not `field < value OR (field = value AND id < pk)`: only
    the row form is an index range, so a page deep in the list costs what page 1 does
    (issue 17: the OR form cost 35-280 ms at position 250,000 on PostgreSQL, 0.1 ms after).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = question_list(sort=sort, size=1)
    assert first.next_cursor
    with CaptureQueriesContext(connection) as captured:
        question_list(sort=sort, size=1, cursor=first.next_cursor)
    field = SORTS[sort].field
    quote = connection.ops.quote_name
    table = quote("forum_question")
    row = f"({table}.{quote(field)}, {table}.{quote('id')}) <"
    sql = captured.captured_queries[0]["sql"]
    assert row in sql
    assert " OR " not in sql
