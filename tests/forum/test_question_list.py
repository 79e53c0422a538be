"""The read side in forum/queries.py: what lists, pages and category stats contain."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from forum import counters
from forum.actions import accept_answer, cast_vote, delete_answer, post_answer
from forum.models import Answer, Question, Visibility
from forum.queries import categories_with_stats, home_page, question_list, question_page
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
    community_index,
)
from tests.forum.ledger import member

pytestmark = pytest.mark.django_db


def listed(**kwargs) -> list[int]:
    return [q.pk for q in question_list(**kwargs).items]


def deleted(question: Question) -> Question:
    """Deleted around the actions (a raw UPDATE), with the category counts put right as
    delete_question would keep them (forum/counters.py)."""
    counted = counters.standing(Question.objects.get(pk=question.pk))
    Question.objects.filter(pk=question.pk).update(
        visibility=Visibility.DELETED, deleted_at=timezone.now()
    )
    counters.settle(counted, counters.standing(Question.objects.get(pk=question.pk)))
    return question


# --- question_list ----------------------------------------------------------------------


def test_the_list_leaves_out_deleted_questions():
    kept, gone = QuestionFactory(), deleted(QuestionFactory())

    ids = listed()

    assert kept.pk in ids
    assert gone.pk not in ids


def test_the_list_filtered_by_category_shows_only_that_category():
    category = CategoryFactory()
    inside, _outside = QuestionFactory(category=category), QuestionFactory()

    assert listed(category=category) == [inside.pk]


def test_the_list_filtered_by_tag_shows_only_questions_with_that_tag():
    tagged, _untagged = QuestionFactory(), QuestionFactory()
    tagged.tags.set(["router", "wifi"])

    assert listed(tag=tagged.tags.get(name="router")) == [tagged.pk]


def test_category_and_tag_filters_combine():
    category = CategoryFactory()
    both, _only_category, only_tag = (
        QuestionFactory(category=category),
        QuestionFactory(category=category),
        QuestionFactory(),
    )
    for question in (both, only_tag):
        question.tags.set(["router"])

    assert listed(category=category, tag=both.tags.get()) == [both.pk]


def test_the_unanswered_list_shows_only_questions_without_live_answers():
    unanswered, answered = QuestionFactory(), AnswerFactory().question

    assert listed(sort="unanswered") == [unanswered.pk]
    assert answered.pk in listed(sort="newest")


def test_a_question_whose_only_answer_is_deleted_is_unanswered_again():
    answer = AnswerFactory()

    delete_answer(answer.author, answer)

    assert listed(sort="unanswered") == [answer.question_id]


def test_the_solved_list_shows_only_questions_with_an_accepted_answer():
    answer, _open = AnswerFactory(), QuestionFactory()
    accept_answer(answer.question.author, answer.question, answer)

    assert listed(sort="solved") == [answer.question_id]


def test_the_newest_list_puts_the_latest_question_first():
    older, newer = QuestionFactory(), QuestionFactory()
    Question.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))

    assert listed(sort="newest") == [newer.pk, older.pk]


def test_the_active_list_puts_the_question_with_the_latest_answer_first():
    first, second = QuestionFactory(), QuestionFactory()
    Question.objects.update(last_activity_at=timezone.now() - timedelta(days=1))

    post_answer(UserFactory(), first, body="Hold the reset button for ten seconds.")

    assert listed(sort="active") == [first.pk, second.pk]


def test_the_votes_list_puts_the_highest_score_first():
    low, high = QuestionFactory(), QuestionFactory()
    cast_vote(member(reputation=15), low, 1)
    cast_vote(member(reputation=15), high, 1)
    cast_vote(member(reputation=15), high, 1)

    assert listed(sort="votes") == [high.pk, low.pk]


def test_an_unknown_sort_falls_back_to_active():
    QuestionFactory.create_batch(3)

    assert listed(sort="nonsense") == listed(sort="active")


@pytest.mark.parametrize("count", [2, 12])
def test_a_list_page_costs_two_queries_at_any_size(count, django_assert_num_queries):
    category = CategoryFactory()
    for question in QuestionFactory.create_batch(count, category=category):
        question.tags.set(["router", "wifi"])

    with django_assert_num_queries(2):
        page = question_list(size=20)
        shown = [(q.author.username, q.category.title, list(q.tags.all())) for q in page.items]

    assert len(shown) == count


# --- home_page --------------------------------------------------------------------------


def test_the_home_page_shows_the_eight_newest_questions():
    questions = QuestionFactory.create_batch(9, category=CategoryFactory())

    newest = home_page(community_index())["newest"]

    assert [q.pk for q in newest] == [q.pk for q in reversed(questions[1:])]


def test_the_home_page_shows_five_unanswered_questions():
    category = CategoryFactory()
    unanswered = QuestionFactory.create_batch(6, category=category)
    AnswerFactory(question=QuestionFactory(category=category))

    shown = home_page(community_index())["unanswered"]

    assert [q.pk for q in shown] == [q.pk for q in reversed(unanswered[1:])]


def test_the_home_page_leaves_out_deleted_questions():
    gone = deleted(QuestionFactory())

    page = home_page(community_index())

    assert gone.pk not in [q.pk for q in page["newest"] + page["unanswered"]]


def test_the_home_page_lists_the_live_categories_in_order():
    first, second = CategoryFactory(), CategoryFactory()

    categories = home_page(community_index())["categories"]

    assert [c.pk for c in categories] == [first.pk, second.pk]


# --- categories_with_stats --------------------------------------------------------------


def test_category_counts_leave_out_deleted_questions():
    category = CategoryFactory()
    QuestionFactory.create_batch(2, category=category)
    deleted(QuestionFactory(category=category))

    [stats] = categories_with_stats()

    assert stats.question_count == 2


def test_category_solved_counts_only_live_questions_with_an_accepted_answer():
    category = CategoryFactory()
    solved, also_solved_but_deleted = (
        AnswerFactory(question=QuestionFactory(category=category)),
        AnswerFactory(question=QuestionFactory(category=category)),
    )
    QuestionFactory(category=category)
    for answer in (solved, also_solved_but_deleted):
        accept_answer(answer.question.author, answer.question, answer)
    deleted(also_solved_but_deleted.question)

    [stats] = categories_with_stats()

    assert stats.solved_count == 1


def test_category_latest_activity_ignores_deleted_questions():
    category = CategoryFactory()
    live, gone = QuestionFactory(category=category), QuestionFactory(category=category)
    Question.objects.filter(pk=gone.pk).update(last_activity_at=timezone.now() + timedelta(days=1))
    deleted(gone)

    [stats] = categories_with_stats()

    assert stats.latest_activity == Question.objects.get(pk=live.pk).last_activity_at


def test_an_empty_category_has_zero_questions_and_no_activity():
    CategoryFactory()

    [stats] = categories_with_stats()

    assert (stats.question_count, stats.solved_count, stats.latest_activity) == (0, 0, None)


def test_a_category_with_only_deleted_questions_counts_zero():
    deleted(QuestionFactory())

    [stats] = categories_with_stats()

    assert (stats.question_count, stats.latest_activity) == (0, None)


def test_unpublished_categories_are_left_out_of_the_stats():
    shown, hidden = CategoryFactory(), CategoryFactory()
    hidden.unpublish()

    assert [c.pk for c in categories_with_stats()] == [shown.pk]


def test_stats_under_the_community_index_list_its_categories():
    category = CategoryFactory()

    assert [c.pk for c in categories_with_stats(community_index())] == [category.pk]


# --- question_page ----------------------------------------------------------------------


def test_the_accepted_answer_comes_first_then_the_rest_by_score():
    question = QuestionFactory()
    low, accepted, high, middle = AnswerFactory.create_batch(4, question=question)
    Answer.objects.filter(pk=high.pk).update(score=5)
    Answer.objects.filter(pk=middle.pk).update(score=2)
    Answer.objects.filter(pk=accepted.pk).update(score=-1)
    accept_answer(question.author, question, accepted)

    page = question_page(question.pk)

    assert [a.pk for a in page.ordered_answers] == [accepted.pk, high.pk, middle.pk, low.pk]
    assert page.accepted == accepted


def test_answers_with_equal_scores_come_oldest_first():
    question = QuestionFactory()
    answers = AnswerFactory.create_batch(3, question=question)
    for age, answer in enumerate(answers):
        Answer.objects.filter(pk=answer.pk).update(
            created_at=timezone.now() - timedelta(hours=10 - age)
        )

    page = question_page(question.pk)

    assert [a.pk for a in page.ordered_answers] == [a.pk for a in answers]


def test_a_question_without_an_accepted_answer_has_none_first():
    question = QuestionFactory()
    AnswerFactory(question=question)

    assert question_page(question.pk).accepted is None


@pytest.mark.parametrize("viewer", [AnonymousUser, UserFactory], ids=["visitor", "member"])
def test_deleted_answers_are_hidden_from_visitors_and_members(viewer):
    live = AnswerFactory()
    AnswerFactory(question=live.question, deleted_at=timezone.now())

    page = question_page(live.question_id, viewer=viewer())

    assert [a.pk for a in page.ordered_answers] == [live.pk]


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
def test_deleted_answers_are_shown_to_moderators_and_staff(factory):
    live = AnswerFactory()
    gone = AnswerFactory(question=live.question, deleted_at=timezone.now())

    page = question_page(live.question_id, viewer=factory())

    assert {a.pk for a in page.ordered_answers} == {live.pk, gone.pk}


def test_deleted_comments_are_left_out_of_the_page():
    answer = AnswerFactory()
    kept = CommentFactory(answer=answer)
    CommentFactory(answer=answer, deleted_at=timezone.now())
    CommentFactory(question=answer.question, deleted_at=timezone.now())

    page = question_page(answer.question_id)

    assert [c.pk for c in page.ordered_answers[0].comments.all()] == [kept.pk]
    assert list(page.comments.all()) == []


def test_a_deleted_question_is_not_found_by_a_member():
    question = deleted(QuestionFactory())

    with pytest.raises(Http404):
        question_page(question.pk, viewer=question.author)


def test_a_deleted_question_is_shown_to_a_moderator():
    question = deleted(QuestionFactory())

    assert question_page(question.pk, viewer=ModeratorFactory()).pk == question.pk


def test_a_question_that_does_not_exist_is_not_found():
    with pytest.raises(Http404):
        question_page(10**9)


def test_my_vote_shows_the_viewers_own_votes_on_the_question_and_each_answer():
    question = QuestionFactory()
    upvoted, downvoted, untouched = AnswerFactory.create_batch(3, question=question)
    viewer = member(reputation=125)
    cast_vote(viewer, question, 1)
    cast_vote(viewer, upvoted, 1)
    cast_vote(viewer, downvoted, -1)

    page = question_page(question.pk, viewer=viewer)

    votes = {a.pk: a.my_vote for a in page.ordered_answers}
    assert page.my_vote == 1
    assert votes == {upvoted.pk: 1, downvoted.pk: -1, untouched.pk: 0}


def test_my_vote_is_per_viewer():
    answer = AnswerFactory()
    voter, other = member(reputation=15), member(reputation=15)
    cast_vote(voter, answer, 1)

    page = question_page(answer.question_id, viewer=other)

    assert (page.my_vote, page.ordered_answers[0].my_vote) == (0, 0)


def test_my_vote_is_zero_after_a_retraction():
    answer, voter = AnswerFactory(), member(reputation=15)
    cast_vote(voter, answer, 1)
    cast_vote(voter, answer, 0)

    page = question_page(answer.question_id, viewer=voter)

    assert page.ordered_answers[0].my_vote == 0


def test_my_vote_is_zero_everywhere_for_a_visitor():
    answer = AnswerFactory()
    cast_vote(member(reputation=15), answer, 1)

    page = question_page(answer.question_id, viewer=AnonymousUser())

    assert (page.my_vote, page.ordered_answers[0].my_vote) == (0, 0)


@pytest.mark.parametrize("answer_count", [1, 10])
def test_the_question_page_costs_the_same_queries_at_any_size(
    answer_count, django_assert_num_queries
):
    question = QuestionFactory()
    question.tags.set(["router"])
    for answer in AnswerFactory.create_batch(answer_count, question=question):
        CommentFactory.create_batch(2, answer=answer)
    viewer = UserFactory()
    assert not viewer.is_moderator  # loads the viewer's permissions, as any request has by now

    # question, tags, answers, their comments, the question's comments, images, the viewer's votes
    with django_assert_num_queries(7):
        page = question_page(question.pk, viewer=viewer)
        names = [c.author.username for a in page.ordered_answers for c in a.comments.all()]

    assert len(names) == answer_count * 2
