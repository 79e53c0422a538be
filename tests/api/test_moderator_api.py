"""The moderator actions in the API (forum/moderation_api.py): the same actions, the same
roles, refusals as JSON (401, 403, 404, 409, 422)."""

import pytest
from django.utils import timezone

from accounts.models import User
from core.models import Event
from forum.models import Answer, Question
from tests.api.conftest import ApiClient
from tests.factories import (
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.moderation import roles

pytestmark = pytest.mark.django_db

world = roles.world  # the shared cast (tests/moderation/roles.py)


# The role matrix (each endpoint by each role) is tests/moderation/test_role_matrix.py.


def test_close_answers_the_questions_new_state(world):
    response = ApiClient(StaffFactory()).post(
        f"/questions/{world['question'].pk}/close/",
        {"reason": "duplicate", "duplicate_of": world["original"].pk, "note": "same"},
    )

    assert response.json() | {"url": None} == {
        "id": world["question"].pk,
        "state": "closed",
        "close_reason": "duplicate",
        "duplicate_of": world["original"].pk,
        "merged_into": None,
        "category": world["question"].category_id,
        "is_pinned": False,
        "url": None,
    }


def test_the_note_is_optional_and_the_body_may_be_empty(world):
    api = ApiClient(StaffFactory())

    response = api.post(f"/questions/{world['question'].pk}/lock/")

    assert response.status_code == 200
    assert response.json()["state"] == "locked"


def test_refusals_are_json_404_409_and_422(world):
    api = ApiClient(StaffFactory())
    question = world["question"]

    missing = api.post("/questions/999999/lock/")
    bad_reason = api.post(f"/questions/{question.pk}/close/", {"reason": "because"})
    no_target = api.post(f"/questions/{question.pk}/close/", {"reason": "duplicate"})
    unknown_target = api.post(
        f"/questions/{question.pk}/close/", {"reason": "duplicate", "duplicate_of": 999999}
    )
    bad_category = api.post(f"/questions/{question.pk}/move/", {"category": "no-such-place"})
    api.post(f"/questions/{question.pk}/merge/", {"into": world["original"].pk})
    merged_again = api.post(f"/questions/{question.pk}/merge/", {"into": QuestionFactory().pk})
    hidden = QuestionFactory(hidden=True)
    pin_hidden = api.post(f"/questions/{hidden.pk}/pin/")

    assert missing.status_code == 404
    for response in (bad_reason, no_target, unknown_target, bad_category):
        assert response.status_code == 422, response.content
        assert "code" in response.json()
    assert merged_again.status_code == 409
    assert merged_again.json()["code"] == "already_merged"
    assert pin_hidden.status_code == 409


def test_merge_answers_the_original(world):
    response = ApiClient(StaffFactory()).post(
        f"/questions/{world['question'].pk}/merge/", {"into": world["original"].pk}
    )

    assert response.json()["id"] == world["original"].pk
    assert Question.objects.get(pk=world["question"].pk).merged_into_id == world["original"].pk


# --- Suspension ---------------------------------------------------------------------------


def test_suspending_through_the_api_answers_the_suspension():
    member = UserFactory()
    api = ApiClient(ModeratorFactory())
    until = (timezone.now() + timezone.timedelta(days=2)).isoformat()

    response = api.post(
        f"/members/{member.username}/suspension/", {"reason": "spam links", "until": until}
    )

    assert response.status_code == 200
    assert User.objects.get(pk=member.pk).is_suspended
    assert response.json()["is_suspended"] is True
    assert response.json()["reason"] == "spam links"
    lifted = api.delete(f"/members/{member.username}/suspension/")
    assert lifted.status_code == 200
    assert lifted.json()["is_suspended"] is False
    assert not User.objects.get(pk=member.pk).is_suspended
    assert list(Event.objects.values_list("verb", flat=True).order_by("pk")) == [
        "member.suspended",
        "member.reinstated",
    ]


def test_suspension_refusals_are_json():
    api = ApiClient(StaffFactory())
    member = UserFactory()

    missing = api.post("/members/nobody-here/suspension/", {"reason": "spam"})
    no_reason = api.post(f"/members/{member.username}/suspension/", {"reason": ""})
    past = api.post(
        f"/members/{member.username}/suspension/",
        {"reason": "spam", "until": "2000-01-01T00:00:00Z"},
    )
    naive = api.post(
        f"/members/{member.username}/suspension/",
        {"reason": "spam", "until": "2999-01-01T00:00:00"},
    )

    assert missing.status_code == 404
    assert no_reason.status_code == 422
    assert past.status_code == 422
    assert past.json()["field"] == "until"
    assert naive.status_code == 200


# --- Hide, unhide, restore ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_hide_and_unhide_answer_the_posts_visibility_and_keep_the_note(world, kind):
    post = {
        "question": world["question"],
        "answer": world["answer"],
        "comment": CommentFactory(answer=world["answer"]),
    }[kind]
    api = ApiClient(ModeratorFactory())
    base = f"/{kind}s/{post.pk}"

    hidden = api.post(f"{base}/hide/", {"note": "spam links"})
    again = api.post(f"{base}/hide/")
    shown = api.post(f"{base}/unhide/")

    assert hidden.json() == {"id": post.pk, "kind": kind, "visibility": "hidden"}
    assert again.status_code == 200  # a no-op
    assert shown.json() == {"id": post.pk, "kind": kind, "visibility": "visible"}
    events = list(Event.objects.order_by("pk"))
    assert [e.verb for e in events] == ["post.hidden", "post.unhidden"]
    assert events[0].payload["reason"] == "spam links"


def test_a_comment_is_hidden_only_by_a_moderator_of_its_thread(world):
    comment = CommentFactory(question=world["question"])
    scoped_out = world["roles"]["moderator scoped elsewhere"]

    response = ApiClient(scoped_out).post(f"/comments/{comment.pk}/hide/", {"surprise": 1})

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "not_allowed"
    assert not Event.objects.exists()


def test_hide_and_restore_refusals_are_json_404_and_409(world):
    api = ApiClient(StaffFactory())
    Answer.objects.filter(pk=world["answer"].pk).update(
        visibility="deleted", deleted_at=timezone.now()
    )
    Question.objects.filter(pk=world["question"].pk).update(
        visibility="deleted", deleted_at=timezone.now()
    )

    missing = api.post("/answers/999999/hide/")
    deleted = api.post(f"/answers/{world['answer'].pk}/hide/")
    orphan = api.post(f"/answers/{world['answer'].pk}/restore/")

    assert missing.status_code == 404
    assert (deleted.status_code, deleted.json()["code"]) == (409, "post_deleted")
    assert (orphan.status_code, orphan.json()["code"]) == (409, "post_deleted")
    assert not Event.objects.exists()
