"""Hide and unhide, hold and approve, remove: moderators only, one event each with the
state before and after, answer_count kept to the visible answers."""

import pytest

from core.models import Event
from forum import actions
from forum.errors import NotAllowed, NotSignedIn, PostDeleted, WrongVisibility
from forum.models import Answer, Comment, Question, ReputationEntry, Visibility, Vote
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODEL = {"question": Question, "answer": Answer, "comment": Comment}

# action, the state it starts from, the state it ends in, its verb
MOVES = [
    (actions.hide_post, Visibility.VISIBLE, Visibility.HIDDEN, "post.hidden"),
    (actions.unhide_post, Visibility.HIDDEN, Visibility.VISIBLE, "post.unhidden"),
    (actions.hold_post, Visibility.VISIBLE, Visibility.HELD, "post.held"),
    (actions.approve_post, Visibility.HELD, Visibility.VISIBLE, "post.approved"),
    (actions.remove_post, Visibility.HELD, Visibility.DELETED, "post.removed"),
    (actions.remove_post, Visibility.HIDDEN, Visibility.DELETED, "post.removed"),
]
MOVE_IDS = [f"{action.__name__}-{start}" for action, start, _end, _verb in MOVES]


def _post(kind: str, visibility: str):
    if kind == "question":
        return QuestionFactory(visibility=visibility)
    if kind == "answer":
        return AnswerFactory(visibility=visibility)
    return CommentFactory(question=QuestionFactory(), visibility=visibility)


def _state(post) -> str:
    return type(post).objects.get(pk=post.pk).visibility


@pytest.mark.parametrize(("action", "start", "end", "verb"), MOVES, ids=MOVE_IDS)
@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_and_staff_move_a_post_and_record_before_and_after(
    action, start, end, verb, kind, role
):
    post = _post(kind, start)
    actor = ModeratorFactory() if role == "moderator" else StaffFactory()

    actions_result = action(actor, post, reason="cleaning up")

    assert _state(post) == end
    assert actions_result.visibility == end
    event = Event.objects.get(verb=verb)
    assert event.actor_id == actor.pk
    assert event.subject_id == post.pk
    assert event.payload["before"] == {"visibility": start}
    assert event.payload["after"] == {"visibility": end}
    assert event.payload["reason"] == "cleaning up"
    assert event.payload["kind"] == kind


@pytest.mark.parametrize(("action", "start", "end", "verb"), MOVES, ids=MOVE_IDS)
@pytest.mark.parametrize("who", ["author", "other member", "trusted member"])
def test_members_cannot_move_a_post(action, start, end, verb, who):
    post = _post("answer", start)
    actor = {
        "author": post.author,
        "other member": UserFactory(),
        "trusted member": UserFactory(trusted=True),
    }[who]

    with pytest.raises(NotAllowed):
        action(actor, post)

    assert _state(post) == start
    assert not Event.objects.exists()


@pytest.mark.parametrize(("action", "start", "end", "verb"), MOVES, ids=MOVE_IDS)
def test_visitors_cannot_move_a_post(action, start, end, verb):
    from django.contrib.auth.models import AnonymousUser

    post = _post("question", start)

    with pytest.raises(NotSignedIn):
        action(AnonymousUser(), post)


@pytest.mark.parametrize(("action", "start", "end", "verb"), MOVES, ids=MOVE_IDS)
def test_repeating_a_move_is_a_no_op(action, start, end, verb):
    post = _post("question", start)
    moderator = ModeratorFactory()
    action(moderator, post)

    action(moderator, post)

    assert Event.objects.filter(verb=verb).count() == 1


@pytest.mark.parametrize(
    "action", [actions.hide_post, actions.unhide_post, actions.hold_post, actions.approve_post]
)
def test_a_deleted_post_cannot_be_moved(action):
    post = _post("question", Visibility.DELETED)

    with pytest.raises(PostDeleted):
        action(ModeratorFactory(), post)


def test_approve_refuses_a_hidden_post_and_unhide_a_held_one_as_a_conflict():
    hidden, held = _post("answer", Visibility.HIDDEN), _post("answer", Visibility.HELD)
    moderator = ModeratorFactory()

    with pytest.raises(WrongVisibility, match="This post is hidden") as refused:
        actions.approve_post(moderator, hidden)
    assert refused.value.status == 409
    with pytest.raises(WrongVisibility, match="waiting for approval"):
        actions.unhide_post(moderator, held)
    with pytest.raises(WrongVisibility, match="waiting for approval"):
        actions.hide_post(moderator, held)
    assert not Event.objects.exists()


def test_removing_a_visible_post_is_refused_it_is_deleted_the_ordinary_way():
    with pytest.raises(WrongVisibility, match="not in review"):
        actions.remove_post(ModeratorFactory(), _post("question", Visibility.VISIBLE))


def test_a_conflicting_move_through_the_api_is_a_409(client):
    from tests.api.conftest import ApiClient

    held = _post("answer", Visibility.HELD)

    response = ApiClient(ModeratorFactory()).post(f"/answers/{held.pk}/hide/", {})

    assert response.status_code == 409
    assert response.json()["code"] == "wrong_visibility"


# --- answer_count counts visible answers ---------------------------------------------------


def _answer_count(question) -> int:
    return Question.objects.get(pk=question.pk).answer_count


def test_hiding_an_answer_makes_its_question_unanswered_and_unhiding_answers_it_again():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(answer_count=1)
    moderator = ModeratorFactory()

    actions.hide_post(moderator, answer)
    hidden = _answer_count(question)
    actions.unhide_post(moderator, answer)

    assert hidden == 0
    assert _answer_count(question) == 1


def test_approving_a_held_answer_counts_it_and_holding_it_uncounts_it():
    question = QuestionFactory()
    answer = AnswerFactory(question=question, held=True)
    moderator = ModeratorFactory()

    actions.approve_post(moderator, answer)
    approved = _answer_count(question)
    actions.hold_post(moderator, answer)

    assert approved == 1
    assert _answer_count(question) == 0


def test_removing_a_hidden_answer_does_not_count_it_twice():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(answer_count=1)
    moderator = ModeratorFactory()
    actions.hide_post(moderator, answer)

    actions.remove_post(moderator, answer)
    removed = _answer_count(question)
    actions.restore_answer(moderator, answer)

    assert removed == 0
    assert _answer_count(question) == 1
    assert _state(answer) == Visibility.VISIBLE


def test_hiding_a_question_keeps_its_answer_count():
    question = QuestionFactory()
    AnswerFactory(question=question)
    Question.objects.filter(pk=question.pk).update(answer_count=1)

    actions.hide_post(ModeratorFactory(), question)

    assert _answer_count(question) == 1


def test_removing_a_hidden_answer_takes_back_its_reputation_and_restore_gives_it_back():
    answer = AnswerFactory()
    Question.objects.filter(pk=answer.question_id).update(answer_count=1)
    actions.cast_vote(UserFactory(trusted=True), answer, Vote.UP)
    author = answer.author
    author.refresh_from_db()
    earned = author.reputation
    moderator = ModeratorFactory()
    actions.hide_post(moderator, answer)

    actions.remove_post(moderator, answer)
    author.refresh_from_db()
    after_removal = author.reputation
    actions.restore_answer(moderator, answer)
    author.refresh_from_db()

    assert after_removal < earned
    assert author.reputation == earned
    assert ReputationEntry.objects.filter(answer=answer, reverses__isnull=False).exists()


# --- The flag threshold -------------------------------------------------------------------


def test_an_automatic_hide_has_no_actor_and_records_one():
    post = _post("question", Visibility.VISIBLE)

    actions.hide_post(None, post, reason="flags", automatic=True)

    assert _state(post) == Visibility.HIDDEN
    assert Event.objects.get(verb="post.hidden").actor_id is None


def test_an_automatic_hide_leaves_a_held_post_held():
    post = _post("question", Visibility.HELD)

    actions.hide_post(None, post, automatic=True)

    assert _state(post) == Visibility.HELD
    assert not Event.objects.exists()


def test_an_automatic_hide_refuses_an_actor():
    with pytest.raises(ValueError):
        actions.hide_post(ModeratorFactory(), _post("question", "visible"), automatic=True)
