"""Every moderator action by every role, through both doors (docs/moderation-actions.md):
the site's form and the API endpoint. Allowed for those who moderate the question's
category (or, for a suspension, any moderator and staff; for deleting a post, its author
too), refused for everyone else: 403 on the site and in the API (the site sends an
anonymous visitor to log in, the API answers 401), and for each allowed one exactly one
audit event with before/after.

The roles are tests/moderation/roles.py's; the action-level checks of each rule live with
the actions (tests/forum/test_moderator_actions.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import Event
from forum.models import Answer, Question, Visibility
from tests.api.conftest import ApiClient
from tests.moderation import roles
from tests.moderation.roles import (
    DELETING_ANSWER,
    DELETING_QUESTION,
    MODERATING,
    ROLES,
    SUSPENDING,
    suspended,
)

pytestmark = pytest.mark.django_db

world = roles.world  # the shared cast


def _closed(w):
    Question.objects.filter(pk=w["question"].pk).update(state="closed", close_reason="off_topic")


def _locked(w):
    Question.objects.filter(pk=w["question"].pk).update(state="locked")


def _pinned(w):
    Question.objects.filter(pk=w["question"].pk).update(pinned_at=timezone.now())


def _question_is(visibility):
    def arrange(w):
        deleted_at = timezone.now() if visibility == Visibility.DELETED else None
        rows = Question.objects.filter(pk=w["question"].pk)
        rows.update(visibility=visibility, deleted_at=deleted_at)

    return arrange


def _answer_is(visibility):
    def arrange(w):
        deleted_at = timezone.now() if visibility == Visibility.DELETED else None
        Answer.objects.filter(pk=w["answer"].pk).update(
            visibility=visibility, deleted_at=deleted_at
        )
        Question.objects.filter(pk=w["question"].pk).update(answer_count=0)

    return arrange


def _suspended(w):
    suspended(w["member to suspend"])


def _nothing(w):
    pass


def _q(path):
    return lambda w: f"/questions/{w['question'].pk}/{path}/"


def _a(path):
    return lambda w: f"/answers/{w['answer'].pk}/{path}/"


def _m(w):
    return w["member to suspend"].username


TOMORROW = (timezone.now() + timedelta(days=2)).date().isoformat()

#: name -> (arrange, who may, verb recorded, web (method, url, form), api (method, path, body))
ACTIONS = {
    "close": (
        _nothing,
        MODERATING,
        "question.closed",
        lambda w: (_q("close")(w), {"reason": "off_topic"}),
        lambda w: ("post", _q("close")(w), {"reason": "off_topic"}),
    ),
    "close as duplicate": (
        _nothing,
        MODERATING,
        "question.closed",
        lambda w: (
            _q("close")(w),
            {"reason": "duplicate", "duplicate_of": w["original"].get_absolute_url()},
        ),
        lambda w: (
            "post",
            _q("close")(w),
            {"reason": "duplicate", "duplicate_of": w["original"].pk},
        ),
    ),
    "reopen": (
        _closed,
        MODERATING,
        "question.reopened",
        lambda w: (_q("reopen")(w), {}),
        lambda w: ("post", _q("reopen")(w), {}),
    ),
    "lock": (
        _nothing,
        MODERATING,
        "question.locked",
        lambda w: (_q("lock")(w), {"note": "heated"}),
        lambda w: ("post", _q("lock")(w), {"note": "heated"}),
    ),
    "unlock": (
        _locked,
        MODERATING,
        "question.unlocked",
        lambda w: (_q("unlock")(w), {}),
        lambda w: ("post", _q("unlock")(w), {}),
    ),
    "pin": (
        _nothing,
        MODERATING,
        "question.pinned",
        lambda w: (_q("pin")(w), {}),
        lambda w: ("post", _q("pin")(w), {}),
    ),
    "unpin": (
        _pinned,
        MODERATING,
        "question.unpinned",
        lambda w: (_q("unpin")(w), {}),
        lambda w: ("post", _q("unpin")(w), {}),
    ),
    "move": (
        _nothing,
        MODERATING,
        "question.moved",
        lambda w: (_q("move")(w), {"category": w["target"].pk}),
        lambda w: ("post", _q("move")(w), {"category": w["target"].pk}),
    ),
    "merge": (
        _nothing,
        MODERATING,
        "question.merged",
        lambda w: (_q("merge")(w), {"into": str(w["original"].pk)}),
        lambda w: ("post", _q("merge")(w), {"into": w["original"].pk}),
    ),
    "hide question": (
        _nothing,
        MODERATING,
        "post.hidden",
        lambda w: (_q("hide")(w), {"note": "spam"}),
        lambda w: ("post", _q("hide")(w), {"note": "spam"}),
    ),
    "unhide question": (
        _question_is(Visibility.HIDDEN),
        MODERATING,
        "post.unhidden",
        lambda w: (_q("unhide")(w), {}),
        lambda w: ("post", _q("unhide")(w), {}),
    ),
    "hide answer": (
        _nothing,
        MODERATING,
        "post.hidden",
        lambda w: (_a("hide")(w), {"note": "rude"}),
        lambda w: ("post", _a("hide")(w), {"note": "rude"}),
    ),
    "unhide answer": (
        _answer_is(Visibility.HIDDEN),
        MODERATING,
        "post.unhidden",
        lambda w: (_a("unhide")(w), {"note": "fine after all"}),
        lambda w: ("post", _a("unhide")(w), None),
    ),
    "delete question": (
        _nothing,
        DELETING_QUESTION,
        "post.deleted",
        lambda w: (_q("delete")(w), {}),
        lambda w: ("delete", f"/questions/{w['question'].pk}/", None),
    ),
    "restore question": (
        _question_is(Visibility.DELETED),
        MODERATING,
        "post.restored",
        lambda w: (_q("restore")(w), {}),
        lambda w: ("post", _q("restore")(w), None),
    ),
    "delete answer": (
        _nothing,
        DELETING_ANSWER,
        "post.deleted",
        lambda w: (_a("delete")(w), {}),
        lambda w: ("delete", f"/answers/{w['answer'].pk}/", None),
    ),
    "restore answer": (
        _answer_is(Visibility.DELETED),
        MODERATING,
        "post.restored",
        lambda w: (_a("restore")(w), {}),
        lambda w: ("post", _a("restore")(w), None),
    ),
    "suspend": (
        _nothing,
        SUSPENDING,
        "member.suspended",
        lambda w: (
            reverse("accounts:suspend", args=[_m(w)]),
            {"reason": "spam", "until": TOMORROW},
        ),
        lambda w: ("post", f"/members/{_m(w)}/suspension/", {"reason": "spam"}),
    ),
    "reinstate": (
        _suspended,
        SUSPENDING,
        "member.reinstated",
        lambda w: (reverse("accounts:reinstate", args=[_m(w)]), {}),
        lambda w: ("delete", f"/members/{_m(w)}/suspension/", None),
    ),
}


#: The API's answer to an allowed action when it isn't 200 (a deletion answers 204).
API_DONE = {"delete question": 204, "delete answer": 204}


def _one_audit_event(verb, actor):
    event = Event.objects.get()
    assert (event.verb, event.actor_id) == (verb, actor.pk)
    assert "before" in event.payload and "after" in event.payload
    assert event.payload["before"] != event.payload["after"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTIONS)
def test_each_moderator_form_on_the_site(world, client, name, role):
    arrange, allowed, verb, web, _api = ACTIONS[name]
    arrange(world)
    actor = world["roles"][role]
    if actor is not None:
        client.force_login(actor)
    url, data = web(world)

    response = client.post(url, data)

    if role in allowed:
        assert response.status_code == 302, response.content
        _one_audit_event(verb, actor)
    elif role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        assert not Event.objects.exists()
    else:
        assert response.status_code == 403
        assert not Event.objects.exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTIONS)
def test_each_moderator_endpoint_in_the_api(world, name, role):
    arrange, allowed, verb, _web, api = ACTIONS[name]
    arrange(world)
    actor = world["roles"][role]
    method, path, body = api(world)

    response = getattr(ApiClient(actor), method)(path, body)

    if role in allowed:
        assert response.status_code == API_DONE.get(name, 200), response.content
        _one_audit_event(verb, actor)
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.content
        assert set(response.json()) >= {"code", "message"}
        assert not Event.objects.exists()


BAD_BODIES = {
    "close": {"reason": "because", "surprise": 1},
    "hide question": {"note": "spam", "surprise": 1},
    "hide answer": {"note": ["not", "text"]},
    "move": {"category": [], "note": 5},
    "merge": {"into": "the other one"},
    "suspend": {"reason": "", "until": "soon"},
}


@pytest.mark.parametrize("role", ["member", "new member", "moderator scoped elsewhere"])
@pytest.mark.parametrize("name", BAD_BODIES)
def test_the_api_checks_permission_before_the_body(world, name, role):
    """A member who may not act learns nothing about the schema: 403, not 422."""
    if name == "suspend" and role == "moderator scoped elsewhere":
        role = "asker"  # a moderator anywhere may suspend; the asker may not
    _arrange, _allowed, _verb, _web, api = ACTIONS[name]
    _method, path, _body = api(world)

    response = ApiClient(world["roles"][role]).post(path, BAD_BODIES[name])

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "not_allowed"


@pytest.mark.parametrize("name", BAD_BODIES)
def test_a_moderator_sending_a_bad_body_gets_422(world, name):
    _arrange, _allowed, _verb, _web, api = ACTIONS[name]
    _method, path, _body = api(world)

    response = ApiClient(world["roles"]["moderator"]).post(path, BAD_BODIES[name])

    assert response.status_code == 422, response.content
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("close", {"reason": "nonsense"}),
        ("close as duplicate", {"reason": "duplicate", "duplicate_of": "nowhere"}),
        ("merge", {"into": "/questions/999999999/x/"}),
        ("move", {"category": "999999999"}),
        ("suspend", {"reason": "spam", "until": "not a day"}),
    ],
)
def test_a_bad_form_is_a_403_for_a_member_and_a_message_for_a_moderator(
    world,
    client,
    name,
    data,
):
    """The forms only parse; the action refuses, permission first."""
    _arrange, _allowed, _verb, web, _api = ACTIONS[name]
    url, _data = web(world)
    client.force_login(world["roles"]["asker"])
    assert client.post(url, data).status_code == 403

    client.force_login(world["roles"]["moderator"])
    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not Event.objects.exists()
    assert not User.objects.get(pk=world["member to suspend"].pk).is_suspended
