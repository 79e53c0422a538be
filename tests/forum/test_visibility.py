"""One visibility rule: `visible_to` (many posts) and `can_see_post` (one) agree, for every
state and every viewer, and every forum read path follows them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from forum.models import Answer, Comment, Question, Visibility
from forum.permissions import can_see_post
from forum.queries import (
    answer_for_viewer,
    answers_for_viewer,
    categories_with_stats,
    home_page,
    member_profile,
    member_recent_answers,
    member_recent_questions,
    question_comments,
    question_list,
    question_page,
)
from tests.factories import AnswerFactory, CategoryFactory, CommentFactory, QuestionFactory
from tests.visibility import SEES, STATES, VIEWERS, login, sees, viewer_for

pytestmark = pytest.mark.django_db

matrix = pytest.mark.parametrize(("state", "viewer"), [(s, v) for s in STATES for v in VIEWERS])


# --- The queryset and the predicate -----------------------------------------------------


@matrix
def test_a_question_is_seen_by_exactly_who_its_state_allows(state, viewer):
    question = QuestionFactory(visibility=state)
    user = viewer_for(viewer, question.author)

    in_queryset = Question.objects.visible_to(user).filter(pk=question.pk).exists()

    assert in_queryset == can_see_post(user, question) == sees(state, viewer)


@matrix
def test_an_answer_is_seen_by_exactly_who_its_state_allows(state, viewer):
    answer = AnswerFactory(visibility=state)
    user = viewer_for(viewer, answer.author)

    in_queryset = Answer.objects.visible_to(user).filter(pk=answer.pk).exists()

    assert in_queryset == can_see_post(user, answer) == sees(state, viewer)


@matrix
def test_a_comment_is_seen_by_exactly_who_its_state_allows(state, viewer):
    comment = CommentFactory(question=QuestionFactory(), visibility=state)
    user = viewer_for(viewer, comment.author)
    # Nothing restores a comment, so a deleted one is gone for moderators too.
    expected = sees(state, viewer) and state != Visibility.DELETED

    in_queryset = Comment.objects.visible_to(user).filter(pk=comment.pk).exists()

    assert in_queryset == can_see_post(user, comment) == expected


@matrix
def test_an_answer_is_seen_only_where_its_question_is(state, viewer):
    answer = AnswerFactory(question=QuestionFactory(visibility=state))
    user = viewer_for(viewer, answer.question.author)

    in_queryset = Answer.objects.visible_to(user).filter(pk=answer.pk).exists()

    assert in_queryset == can_see_post(user, answer) == sees(state, viewer)


@matrix
def test_a_comment_is_seen_only_where_its_answer_is(state, viewer):
    answer = AnswerFactory(visibility=state)
    comment = CommentFactory(answer=answer)
    user = viewer_for(viewer, answer.author)

    in_queryset = Comment.objects.visible_to(user).filter(pk=comment.pk).exists()

    assert in_queryset == can_see_post(user, comment) == sees(state, viewer)


@pytest.mark.parametrize("state", [Visibility.HELD, Visibility.HIDDEN])
def test_the_author_of_an_answer_does_not_see_it_under_someone_elses_held_question(state):
    answer = AnswerFactory(question=QuestionFactory(visibility=state))

    assert not Answer.objects.visible_to(answer.author).filter(pk=answer.pk).exists()
    assert not can_see_post(answer.author, answer)


def test_an_anonymous_user_object_is_the_public():
    held = QuestionFactory(held=True)

    assert not Question.objects.visible_to(AnonymousUser()).filter(pk=held.pk).exists()
    assert not can_see_post(AnonymousUser(), held)


# --- Lists are public: only visible questions, for every viewer ----------------------------


@matrix
def test_the_question_list_shows_only_visible_questions(client, state, viewer):
    question = QuestionFactory(visibility=state, title="A question in the list matrix")
    login(client, viewer_for(viewer, question.author))

    response = client.get(reverse("forum:questions"))

    assert response.status_code == 200
    assert ("A question in the list matrix" in response.text) == (state == Visibility.VISIBLE)


@matrix
def test_a_category_page_shows_only_visible_questions(client, state, viewer):
    category = CategoryFactory()
    question = QuestionFactory(category=category, visibility=state, title="In the category now")
    login(client, viewer_for(viewer, question.author))

    response = client.get(category.url)

    assert response.status_code == 200
    assert ("In the category now" in response.text) == (state == Visibility.VISIBLE)


@matrix
def test_the_home_page_shows_only_visible_questions(client, state, viewer):
    question = QuestionFactory(visibility=state, title="On the home page right now")
    login(client, viewer_for(viewer, question.author))

    response = client.get("/")

    assert response.status_code == 200
    assert ("On the home page right now" in response.text) == (state == Visibility.VISIBLE)


@pytest.mark.parametrize("state", STATES)
def test_lists_and_counts_leave_out_every_state_but_visible(state):
    category = CategoryFactory()
    question = QuestionFactory(category=category, visibility=state)
    QuestionFactory(category=category)

    stats = {c.pk: c for c in categories_with_stats()}[category.pk]
    listed = [q.pk for q in question_list(category=category).items]
    home = home_page(None)

    expected = state == Visibility.VISIBLE
    assert (question.pk in listed) == expected
    assert (question in home["newest"]) == expected
    assert stats.question_count == (2 if expected else 1)


@matrix
def test_a_member_profile_lists_and_counts_only_visible_posts(client, state, viewer):
    question = QuestionFactory(visibility=state, title="Profile matrix question here")
    AnswerFactory(author=question.author, visibility=state)
    login(client, viewer_for(viewer, question.author))

    response = client.get(reverse("accounts:profile", args=[question.author.username]))

    expected = state == Visibility.VISIBLE
    assert ("Profile matrix question here" in response.text) == expected
    assert response.context["member"].question_count == int(expected)
    assert response.context["member"].answer_count == int(expected)


@pytest.mark.parametrize("state", STATES)
def test_profile_reads_count_only_visible_posts(state):
    answer = AnswerFactory(visibility=state)
    QuestionFactory(author=answer.author, visibility=state)

    member = member_profile(answer.author.username)

    expected = int(state == Visibility.VISIBLE)
    assert (member.question_count, member.answer_count) == (expected, expected)
    assert len(member_recent_questions(answer.author)) == expected
    assert len(member_recent_answers(answer.author)) == expected


# --- The question page: question, answers, comments --------------------------------------


@matrix
def test_the_question_page_is_shown_to_exactly_who_may_see_the_question(client, state, viewer):
    question = QuestionFactory(visibility=state)
    login(client, viewer_for(viewer, question.author))

    response = client.get(question.get_absolute_url())

    assert response.status_code == (200 if sees(state, viewer) else 404)


@matrix
def test_the_question_page_shows_an_answer_to_exactly_who_may_see_it(client, state, viewer):
    answer = AnswerFactory(visibility=state, body="An answer body in the page matrix.")
    login(client, viewer_for(viewer, answer.author))

    response = client.get(answer.question.get_absolute_url())

    assert ("An answer body in the page matrix." in response.text) == sees(state, viewer)


@matrix
def test_the_question_page_shows_a_comment_to_exactly_who_may_see_it(client, state, viewer):
    comment = CommentFactory(question=QuestionFactory(), visibility=state, body="A comment here")
    login(client, viewer_for(viewer, comment.author))

    response = client.get(comment.question.get_absolute_url())

    expected = sees(state, viewer) and state != Visibility.DELETED
    assert ("A comment here" in response.text) == expected


@pytest.mark.parametrize(
    ("state", "notice"),
    [
        (Visibility.HELD, "Your post is awaiting review."),
        (Visibility.HIDDEN, "Your post was hidden by a moderator."),
    ],
)
def test_the_author_sees_their_held_or_hidden_post_with_a_notice(client, state, notice):
    answer = AnswerFactory(visibility=state)
    client.force_login(answer.author)

    response = client.get(answer.question.get_absolute_url())

    assert notice in response.text


@pytest.mark.parametrize(
    ("state", "notice"),
    [
        (Visibility.HELD, "Held for review"),
        (Visibility.HIDDEN, "Hidden by a moderator"),
        (Visibility.DELETED, "This question is deleted."),
    ],
)
def test_a_moderator_sees_a_question_with_its_state(client, state, notice):
    from tests.factories import ModeratorFactory

    question = QuestionFactory(visibility=state)
    client.force_login(ModeratorFactory())

    response = client.get(question.get_absolute_url())

    assert notice in response.text
    assert '<meta name="robots" content="noindex">' in response.text


@matrix
def test_question_page_reads_follow_the_rule(state, viewer):
    question = QuestionFactory(visibility=state)
    user = viewer_for(viewer, question.author)

    if sees(state, viewer):
        assert question_page(question.pk, viewer=user).pk == question.pk
    else:
        with pytest.raises(Http404):
            question_page(question.pk, viewer=user)


@matrix
def test_thread_reads_show_an_answer_and_comment_to_who_may_see_them(state, viewer):
    answer = AnswerFactory(visibility=state)
    comment = CommentFactory(question=answer.question, visibility=state, author=answer.author)
    user = viewer_for(viewer, answer.author)

    answers = [a.pk for a in answers_for_viewer(answer.question_id, user)]
    comments = [c.pk for c in question_comments(answer.question_id, user)]

    assert (answer.pk in answers) == sees(state, viewer)
    assert (comment.pk in comments) == (sees(state, viewer) and state != Visibility.DELETED)
    if sees(state, viewer):
        assert answer_for_viewer(answer.pk, user).pk == answer.pk
    else:
        with pytest.raises(Http404):
            answer_for_viewer(answer.pk, user)


@matrix
def test_short_links_and_revisions_follow_the_rule(client, state, viewer):
    answer = AnswerFactory(visibility=state)
    login(client, viewer_for(viewer, answer.author))
    expected = 302 if sees(state, viewer) else 404

    assert client.get(reverse("forum:answer_short", args=[answer.pk])).status_code == expected
    revisions = client.get(reverse("forum:answer_revisions", args=[answer.pk]))
    assert revisions.status_code == (200 if sees(state, viewer) else 404)


def test_the_matrix_covers_every_state():
    assert set(SEES) == set(Visibility)
