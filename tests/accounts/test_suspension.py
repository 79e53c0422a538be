"""Suspending a member: they keep signing in and reading, and can't post, vote, flag or
edit, through any door, from the moment it is recorded until it ends by date or is lifted
(accounts.actions.suspend_member, accounts.permissions.may_write)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts import actions
from accounts.models import User
from accounts.permissions import can_suspend_member, may_write
from core.errors import DomainError, InvalidInput, NotAllowed
from core.models import Event
from forum import actions as forum_actions
from forum.models import Answer, Question
from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.forum import ledger

pytestmark = pytest.mark.django_db

BODY = "Unplug it for thirty seconds, then plug it back in and wait."


def _suspend(member, **kwargs):
    kwargs.setdefault("reason", "posting the same link everywhere")
    return actions.suspend_member(StaffFactory(), member, **kwargs)


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("member", "member", False),
        ("moderator", "member", True),
        ("moderator", "moderator", False),
        ("moderator", "staff", False),
        ("staff", "member", True),
        ("staff", "moderator", True),
        ("staff", "superuser", False),
        ("superuser", "staff", True),
    ],
)
def test_staff_and_moderators_suspend_whom_they_may(actor, target, allowed):
    people = {
        "member": UserFactory,
        "moderator": ModeratorFactory,
        "staff": StaffFactory,
        "superuser": lambda: StaffFactory(is_superuser=True),
    }
    actor, target = people[actor](), people[target]()

    assert can_suspend_member(actor, target) == allowed
    if allowed:
        actions.suspend_member(actor, target, reason="spam")
        assert User.objects.get(pk=target.pk).is_suspended
    else:
        with pytest.raises(NotAllowed):
            actions.suspend_member(actor, target, reason="spam")
        assert not Event.objects.exists()


def test_nobody_suspends_themselves():
    staff = StaffFactory()

    with pytest.raises(NotAllowed):
        actions.suspend_member(staff, staff, reason="oops")


def test_a_suspension_needs_a_reason_and_an_end_in_the_future():
    member = UserFactory()
    with pytest.raises(InvalidInput):
        _suspend(member, reason="  ")
    with pytest.raises(InvalidInput):
        _suspend(member, until=timezone.now() - timedelta(hours=1))
    assert not User.objects.get(pk=member.pk).is_suspended


# --- The event ------------------------------------------------------------------------------


def test_suspending_and_lifting_record_until_reason_and_before_after():
    member, moderator = UserFactory(), ModeratorFactory()
    until = timezone.now() + timedelta(days=3)

    actions.suspend_member(moderator, member, reason="rude replies", until=until)
    actions.reinstate_member(moderator, member, reason="apologised")

    suspended, reinstated = Event.objects.order_by("pk")
    assert (suspended.verb, suspended.actor_id, suspended.subject_id) == (
        "member.suspended",
        moderator.pk,
        member.pk,
    )
    assert suspended.payload["until"] == until.isoformat()
    assert suspended.payload["reason"] == "rude replies"
    assert suspended.payload["before"]["suspended"] is False
    assert suspended.payload["after"] == {
        "suspended": True,
        "until": until.isoformat(),
        "reason": "rude replies",
    }
    assert reinstated.verb == "member.reinstated"
    assert reinstated.payload["reason"] == "apologised"
    assert reinstated.payload["before"]["suspended"] is True
    assert reinstated.payload["after"]["suspended"] is False
    assert not User.objects.get(pk=member.pk).is_suspended


def test_lifting_when_not_suspended_is_a_no_op():
    actions.reinstate_member(StaffFactory(), UserFactory())

    assert not Event.objects.exists()


# --- What a suspended member can and can't do ------------------------------------------------


def test_a_suspended_member_can_sign_in_and_read_and_sees_why(client):
    member = UserFactory()
    question = QuestionFactory()
    _suspend(member, until=timezone.now() + timedelta(days=2))

    signed_in = client.login(username=member.username, password="correct horse battery staple")
    page = client.get(question.get_absolute_url())

    assert signed_in
    assert page.status_code == 200
    text = page.content.decode()
    assert "Your account is suspended until" in text
    assert "posting the same link everywhere" in text
    assert 'id="suspension-banner"' in client.get("/").content.decode()


def test_a_suspended_member_cannot_post_vote_or_edit_through_the_actions():
    member = ledger.member(500)
    own = QuestionFactory(author=member)
    answer = AnswerFactory()
    _suspend(member)
    member.refresh_from_db()  # as the next request loads it
    Event.objects.all().delete()

    attempts = [
        lambda: forum_actions.ask_question(
            member, title="Another question from me", body=BODY, category=own.category
        ),
        lambda: forum_actions.post_answer(member, answer.question, body=BODY),
        lambda: forum_actions.post_comment(member, answer, body="A comment from me"),
        lambda: forum_actions.cast_vote(member, answer, 1),
        lambda: forum_actions.edit_question(
            member, own, title="An edited title for mine", body=BODY, tags=[]
        ),
        lambda: forum_actions.delete_question(member, own),
        lambda: actions.update_profile(member, member, bio="buy my stuff"),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as refusal:
            attempt()
        assert (refusal.value.code, refusal.value.status) == ("member_suspended", 403)
    assert not Event.objects.exists()
    assert not may_write(member)


def test_an_already_open_session_stops_writing_at_once_with_a_clear_403():
    member = UserFactory()
    question = QuestionFactory()
    browser = Client()
    browser.force_login(member)
    assert browser.get(question.get_absolute_url()).status_code == 200

    _suspend(member)
    response = browser.post(f"/questions/{question.pk}/answers/", {"body": BODY})

    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_already_issued_api_token_reads_but_stops_writing():
    member = UserFactory()
    question = QuestionFactory()
    api = ApiClient(member)  # signed in with an X-Session-Token before the suspension

    _suspend(member)
    read = api.get(f"/questions/{question.pk}/")
    write = api.post(f"/questions/{question.pk}/answers/", {"body": BODY})
    follow = api.post("/notifications/read-all/")

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["code"] == "member_suspended"
    assert "posting the same link everywhere" in write.json()["message"]
    assert follow.status_code == 403
    assert not Answer.objects.exists()


def test_the_browser_session_in_the_api_is_refused_too():
    member = UserFactory()
    browser = Client()
    browser.force_login(member)
    _suspend(member)

    response = browser.post(
        "/api/v1/questions/",
        {"title": "A question from a session", "body": BODY, "category": 1},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert not Question.objects.exists()


def test_a_suspension_lifts_itself_when_its_date_passes():
    member = UserFactory()
    question = QuestionFactory()
    _suspend(member, until=timezone.now() + timedelta(hours=1))
    assert not may_write(User.objects.get(pk=member.pk))

    User.objects.filter(pk=member.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    member = User.objects.get(pk=member.pk)

    assert not member.is_suspended
    assert may_write(member)
    forum_actions.post_answer(member, question, body=BODY)
    other = QuestionFactory()
    answered = ApiClient(member).post(f"/questions/{other.pk}/answers/", {"body": BODY})
    assert answered.status_code == 201


def test_a_suspension_for_good_lasts_until_lifted():
    member = UserFactory()
    _suspend(member)

    member.refresh_from_db()
    assert member.suspended_until is None and member.is_suspended
    actions.reinstate_member(StaffFactory(), member)
    member.refresh_from_db()
    assert may_write(member)


def test_a_suspended_moderator_is_no_moderator():
    moderator = ModeratorFactory()
    _suspend(moderator)

    moderator = User.objects.get(pk=moderator.pk)
    assert not moderator.is_moderator


# --- The doors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "asker", "scoped moderator", "moderator", "staff"])
def test_suspending_on_the_site_is_for_staff_and_moderators(client, role):
    from forum.models import CategoryModerator

    member = UserFactory()
    people = {
        "member": UserFactory,
        "asker": lambda: QuestionFactory(author=UserFactory()).author,
        "scoped moderator": ModeratorFactory,
        "moderator": ModeratorFactory,
        "staff": StaffFactory,
    }
    actor = people[role]()
    if role == "scoped moderator":
        CategoryModerator.objects.create(user=actor, category=QuestionFactory().category)
    client.force_login(actor)

    profile = client.get(member.get_absolute_url()).content.decode()
    response = client.post(
        f"/members/{member.username}/suspension/",
        {"reason": "spam", "until": (timezone.localdate() + timedelta(days=7)).isoformat()},
    )

    allowed = role in ("scoped moderator", "moderator", "staff")
    assert ('id="suspension-tools"' in profile) == allowed
    assert response.status_code == (302 if allowed else 403)
    member.refresh_from_db()
    assert member.is_suspended == allowed
    if allowed:
        assert member.suspended_until > timezone.now() + timedelta(days=7)
        lifted = client.post(f"/members/{member.username}/suspension/lift/")
        assert lifted.status_code == 302
        member.refresh_from_db()
        assert not member.is_suspended


def test_anonymous_visitors_are_sent_to_sign_in(client):
    member = UserFactory()

    response = client.post(f"/members/{member.username}/suspension/", {"reason": "spam"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not User.objects.get(pk=member.pk).is_suspended


def test_the_admins_bulk_suspend_keeps_the_member_able_to_sign_in(client):
    staff = StaffFactory(is_superuser=True)
    member = UserFactory()
    client.force_login(staff)

    client.post(
        "/django-admin/accounts/user/",
        {"action": "suspend_members", "_selected_action": [member.pk]},
    )

    member.refresh_from_db()
    assert member.is_active
    assert member.is_suspended
