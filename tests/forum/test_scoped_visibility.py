"""A moderator scoped to categories (forum.CategoryModerator) sees held, hidden and
deleted posts, and gets the moderator tools, only where `moderates()` says they act;
elsewhere they read as any member does. Staff and unscoped moderators see every state
everywhere. Every read path: the querysets and the predicate, the question page, the
JSON API, search and the review queue (docs/moderation-actions.md, "Who moderates")."""

import pytest
from django.urls import reverse

from core.errors import NotAllowed
from forum.models import Answer, CategoryModerator, Comment, Question, Visibility
from forum.permissions import can_see_post
from moderation import actions as moderation_actions
from moderation.models import Review
from search.queries import search
from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
)
from tests.search.conftest import index

pytestmark = pytest.mark.django_db

STATES = [Visibility.HELD, Visibility.HIDDEN, Visibility.DELETED]
#: who moderates the post's category: they see every state there (a deleted comment
#: excepted, which nobody sees); "elsewhere" reads as a member who didn't write it.
VIEWERS = {
    "moderator of its category": True,
    "moderator of another category": False,
    "unscoped moderator": True,
    "staff": True,
}


def _viewer(name: str, category):
    if name == "staff":
        return StaffFactory()
    moderator = ModeratorFactory()
    if name == "moderator of its category":
        CategoryModerator.objects.create(user=moderator, category=category)
        CategoryModerator.objects.create(user=moderator, category=CategoryFactory())
    elif name == "moderator of another category":
        CategoryModerator.objects.create(user=moderator, category=CategoryFactory())
    return moderator


matrix = pytest.mark.parametrize(("state", "viewer"), [(s, v) for s in STATES for v in VIEWERS])


@matrix
def test_a_question_is_seen_in_every_state_only_where_the_moderator_moderates(state, viewer):
    question = QuestionFactory(visibility=state)
    user = _viewer(viewer, question.category)

    in_queryset = Question.objects.visible_to(user).filter(pk=question.pk).exists()

    assert in_queryset == can_see_post(user, question) == VIEWERS[viewer]


@matrix
def test_an_answer_is_seen_in_every_state_only_where_the_moderator_moderates(state, viewer):
    answer = AnswerFactory(visibility=state)
    user = _viewer(viewer, answer.question.category)

    in_queryset = Answer.objects.visible_to(user).filter(pk=answer.pk).exists()

    assert in_queryset == can_see_post(user, answer) == VIEWERS[viewer]


@matrix
def test_a_comment_is_seen_only_where_the_moderator_moderates(state, viewer):
    answer = AnswerFactory()
    comment = CommentFactory(answer=answer, visibility=state)
    user = _viewer(viewer, answer.question.category)
    expected = VIEWERS[viewer] and state != Visibility.DELETED

    in_queryset = Comment.objects.visible_to(user).filter(pk=comment.pk).exists()

    assert in_queryset == can_see_post(user, comment) == expected


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_scoped_moderator_still_sees_every_visible_post_and_their_own_held_one(viewer):
    question = QuestionFactory()
    user = _viewer(viewer, question.category)
    own = AnswerFactory(question=question, author=user, visibility=Visibility.HELD)

    seen = set(Answer.objects.visible_to(user).filter(question=question).values_list("pk"))

    assert can_see_post(user, question)
    assert seen == {(own.pk,)}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_private_question_is_for_the_moderators_of_its_category(viewer):
    question = QuestionFactory(is_private=True)
    user = _viewer(viewer, question.category)

    assert can_see_post(user, question) == VIEWERS[viewer]
    assert Question.objects.visible_to(user).filter(pk=question.pk).exists() == VIEWERS[viewer]


# --- The question page ----------------------------------------------------------------


@matrix
def test_the_question_page_shows_a_held_or_hidden_question_only_to_its_moderators(
    client, state, viewer
):
    question = QuestionFactory(visibility=state)
    client.force_login(_viewer(viewer, question.category))

    response = client.get(question.get_absolute_url())

    assert response.status_code == (200 if VIEWERS[viewer] else 404)


@matrix
def test_the_question_page_lists_an_answer_in_review_only_for_its_moderators(client, state, viewer):
    answer = AnswerFactory(visibility=state, body="A very particular answer body, reviewed.")
    client.force_login(_viewer(viewer, answer.question.category))

    page = client.get(answer.question.get_absolute_url()).content.decode()

    assert (f'id="answer-{answer.pk}"' in page) == VIEWERS[viewer]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_moderator_tools_and_state_note_follow_the_scope(client, viewer):
    question = QuestionFactory()
    AnswerFactory(question=question, visibility=Visibility.HIDDEN)
    client.force_login(_viewer(viewer, question.category))

    page = client.get(question.get_absolute_url()).content.decode()

    assert ('id="moderator-tools"' in page) == VIEWERS[viewer]
    assert ("Hidden by a moderator: only its author" in page) == VIEWERS[viewer]


def test_a_scoped_moderator_sees_their_own_hidden_post_elsewhere_as_its_author(client):
    moderator = _viewer("moderator of another category", None)
    question = QuestionFactory(author=moderator, visibility=Visibility.HIDDEN)
    client.force_login(moderator)

    page = client.get(question.get_absolute_url()).content.decode()

    assert "Your post was hidden by a moderator." in page
    assert 'id="moderator-tools"' not in page


# --- The JSON API ---------------------------------------------------------------------


@matrix
def test_the_api_reads_a_post_in_review_only_for_its_moderators(state, viewer):
    answer = AnswerFactory(visibility=state)
    hidden_question = QuestionFactory(category=answer.question.category, visibility=state)
    api = ApiClient(_viewer(viewer, answer.question.category))

    listed = api.get(f"/questions/{answer.question_id}/answers/").json()["items"]
    detail = api.get(f"/answers/{answer.pk}/")
    question = api.get(f"/questions/{hidden_question.pk}/")

    assert (answer.pk in [item["id"] for item in listed]) == VIEWERS[viewer]
    assert detail.status_code == question.status_code == (200 if VIEWERS[viewer] else 404)


# --- Search ---------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_never_returns_a_held_question_even_to_its_moderators(viewer):
    question = QuestionFactory(title="Gateway keeps dropping the fibre link")
    index(question)
    Question.objects.filter(pk=question.pk).update(visibility=Visibility.HELD)  # index lags
    user = _viewer(viewer, question.category)

    found = [r.question_id for r in search("gateway fibre", user=user).items]

    assert question.pk not in found


# --- The review queue -----------------------------------------------------------------


def _held_in_queue(category) -> Review:
    post = QuestionFactory(category=category, held=True)
    return moderation_actions.queue_held_post(post)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_queue_lists_only_the_reviews_the_moderator_may_resolve(client, viewer):
    mine, other = CategoryFactory(), CategoryFactory()
    here = _held_in_queue(mine)
    there = _held_in_queue(other)
    user = _viewer(viewer, mine)
    client.force_login(user)

    response = client.get(reverse("moderation:queue"))

    everywhere = viewer in ("unscoped moderator", "staff")
    listed = {review.pk for review in response.context["reviews"]}
    assert (here.pk in listed) == VIEWERS[viewer]
    assert (there.pk in listed) == everywhere
    categories = {pk for pk, _ in response.context["filters"].fields["category"].choices if pk}
    assert (other.pk in categories) == everywhere


def test_a_moved_questions_review_follows_it_to_its_new_category(client):
    mine, other = CategoryFactory(), CategoryFactory()
    review = _held_in_queue(other)
    Question.objects.filter(pk=review.question_id).update(category=mine)
    client.force_login(_viewer("moderator of its category", mine))

    response = client.get(reverse("moderation:queue"))

    assert [r.pk for r in response.context["reviews"]] == [review.pk]


def test_a_scoped_moderator_cannot_resolve_a_review_elsewhere():
    review = _held_in_queue(CategoryFactory())
    moderator = _viewer("moderator of another category", None)

    with pytest.raises(NotAllowed):
        moderation_actions.resolve_flags(moderator, review, "dismissed")

    assert Review.objects.get(pk=review.pk).is_open


def test_a_scoped_moderators_flag_elsewhere_weighs_as_a_members():
    question = QuestionFactory()
    here = _viewer("moderator of its category", question.category)
    elsewhere = _viewer("moderator of another category", None)

    assert moderation_actions.flag_post(here, question, reason="spam").weight == 3
    other = QuestionFactory()
    assert moderation_actions.flag_post(elsewhere, other, reason="spam").weight < 2
