"""The moderator actions in the API (forum/moderation_api.py): the same actions, the same
roles, refusals as JSON (401, 403, 404, 409, 422)."""

import pytest
from django.utils import timezone

from accounts.models import User
from core.models import Event
from forum.models import CategoryModerator, Question
from tests.api.conftest import ApiClient
from tests.factories import (
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home, target, elsewhere = CategoryFactory(), CategoryFactory(), CategoryFactory()
    question = QuestionFactory(category=home)
    original = QuestionFactory(category=home)
    scoped_in, scoped_out = ModeratorFactory(), ModeratorFactory()
    CategoryModerator.objects.create(user=scoped_in, category=home)
    CategoryModerator.objects.create(user=scoped_in, category=target)
    CategoryModerator.objects.create(user=scoped_out, category=elsewhere)
    return {
        "question": question,
        "original": original,
        "target": target,
        "roles": {
            "anonymous": None,
            "member": UserFactory(),
            "asker": question.author,
            "moderator": ModeratorFactory(),
            "scoped moderator in scope": scoped_in,
            "scoped moderator out of scope": scoped_out,
            "staff": StaffFactory(),
        },
    }


def _closed(question):
    Question.objects.filter(pk=question.pk).update(state="closed", close_reason="off_topic")


def _locked(question):
    Question.objects.filter(pk=question.pk).update(state="locked")


def _pinned(question):
    Question.objects.filter(pk=question.pk).update(pinned_at=timezone.now())


ENDPOINTS = {
    "close": (None, "close", lambda w: {"reason": "off_topic"}, "question.closed"),
    "close as duplicate": (
        None,
        "close",
        lambda w: {"reason": "duplicate", "duplicate_of": w["original"].pk},
        "question.closed",
    ),
    "reopen": (_closed, "reopen", lambda w: {}, "question.reopened"),
    "lock": (None, "lock", lambda w: {"note": "heated"}, "question.locked"),
    "unlock": (_locked, "unlock", lambda w: {}, "question.unlocked"),
    "pin": (None, "pin", lambda w: {}, "question.pinned"),
    "unpin": (_pinned, "unpin", lambda w: {}, "question.unpinned"),
    "move": (None, "move", lambda w: {"category": w["target"].pk}, "question.moved"),
    "merge": (None, "merge", lambda w: {"into": w["original"].pk}, "question.merged"),
}
ALLOWED = {"moderator", "scoped moderator in scope", "staff"}
ROLES = [
    "anonymous",
    "member",
    "asker",
    "moderator",
    "scoped moderator in scope",
    "scoped moderator out of scope",
    "staff",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_moderator_endpoint_obeys_the_roles(world, name, role):
    arrange, path, body, verb = ENDPOINTS[name]
    if arrange:
        arrange(world["question"])
    api = ApiClient(world["roles"][role])

    response = api.post(f"/questions/{world['question'].pk}/{path}/", body(world))

    if role in ALLOWED:
        assert response.status_code == 200, response.content
        assert Event.objects.get().verb == verb
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert set(response.json()) >= {"code", "message"}
        assert not Event.objects.exists()


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


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("member", 403), ("moderator", 200), ("staff", 200)],
)
def test_suspending_through_the_api(role, status):
    member = UserFactory()
    actor = {"anonymous": None, "member": UserFactory(), "moderator": ModeratorFactory()}.get(
        role, StaffFactory() if role == "staff" else None
    )
    api = ApiClient(actor)
    until = (timezone.now() + timezone.timedelta(days=2)).isoformat()

    response = api.post(
        f"/members/{member.username}/suspension/", {"reason": "spam links", "until": until}
    )

    assert response.status_code == status
    member.refresh_from_db()
    assert member.is_suspended == (status == 200)
    if status == 200:
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
