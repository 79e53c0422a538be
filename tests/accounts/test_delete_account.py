"""Deleting an account: personal data goes, the community's content stays, attributed to
"deleted user" (the row is anonymised in place, so every foreign key stays valid)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from accounts.actions import delete_account, set_avatar
from accounts.errors import NotAllowed, NotSignedIn
from accounts.models import User
from forum import actions as forum_actions
from forum.models import Answer, Question, ReputationEntry
from tests.accounts.helpers import PASSWORD, log_in, picture, upload
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("accounts:delete")


@pytest.fixture
def member():
    member = UserFactory(
        username="ani", email="ani@example.com", display_name="Ani W", bio="Hello", language="id"
    )
    EmailAddress.objects.create(user=member, email="ani@example.com", primary=True, verified=True)
    SocialAccount.objects.create(user=member, provider="github", uid="12345")
    TOTP.activate(member, generate_totp_secret())
    return member


def test_deleting_keeps_the_posts_and_attributes_them_to_deleted_user(member):
    question = QuestionFactory(author=member)
    answer = AnswerFactory(author=member)
    CommentFactory(author=member, question=question)

    delete_account(member, member)

    assert Question.objects.get(pk=question.pk).author.name == "deleted user"
    assert Answer.objects.get(pk=answer.pk).author_id == member.pk
    assert question.comments.get().author.username == f"deleted-{member.pk}"


def test_deleting_removes_the_personal_data(member, django_capture_on_commit_callbacks):
    set_avatar(member, member, upload(picture()))
    member.refresh_from_db()
    picture_file = member.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(member, member)

    member.refresh_from_db()
    assert member.username == f"deleted-{member.pk}"
    assert (member.email, member.first_name, member.last_name, member.bio, member.language) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert member.display_name == "deleted user"
    assert not member.avatar
    assert not default_storage.exists(picture_file)
    assert not member.is_active
    assert not member.has_usable_password()
    assert not EmailAddress.objects.filter(user=member).exists()
    assert not SocialAccount.objects.filter(user=member).exists()
    assert not Authenticator.objects.filter(user=member).exists()


def test_sessions_allauth_did_not_record_end_too(member):
    # An admin or test log-in has no UserSession row; the new password hash ends it.
    other = Client()
    other.force_login(member)

    delete_account(member, member)

    assert other.get(reverse("accounts:settings")).status_code == 302  # to the login page


def test_allauth_tracked_sessions_are_deleted_from_the_session_store(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    client = Client()
    log_in(client, member.username)
    session_key = client.session.session_key
    assert UserSession.objects.filter(user=member, session_key=session_key).exists()

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(member, member)

    assert not Session.objects.filter(session_key=session_key).exists()


def test_deleting_keeps_the_reputation_ledger_whole(member):
    answer = AnswerFactory(author=member)
    forum_actions.accept_answer(answer.question.author, answer.question, answer)
    entries = ReputationEntry.objects.filter(user=member).count()

    delete_account(member, member)

    member.refresh_from_db()
    assert ReputationEntry.objects.filter(user=member).count() == entries
    assert member.reputation == 1 + sum(
        ReputationEntry.objects.filter(user=member).values_list("amount", flat=True)
    )


def test_a_deleted_moderator_loses_their_groups_and_staff_status():
    moderator = StaffFactory(is_superuser=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))

    delete_account(moderator, moderator)

    moderator.refresh_from_db()
    assert not moderator.groups.exists()
    assert not (moderator.is_staff or moderator.is_superuser)


def test_deleting_twice_is_a_no_op(member):
    first = delete_account(member, member)

    second = delete_account(member, first)

    assert second.username == first.username


def test_a_member_cannot_delete_someone_else():
    with pytest.raises(NotAllowed):
        delete_account(UserFactory(), UserFactory())


def test_a_superuser_can_delete_an_account_on_request(member):
    delete_account(StaffFactory(is_superuser=True), member)

    assert User.objects.get(pk=member.pk).username == f"deleted-{member.pk}"


def test_a_deactivated_actor_cannot_delete():
    member = UserFactory(is_active=False)

    with pytest.raises(NotSignedIn):
        delete_account(member, member)


def test_the_delete_page_deletes_with_the_right_password_and_logs_out(client, member):
    question = QuestionFactory(author=member)
    client.force_login(member)

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert Question.objects.get(pk=question.pk).author.name == "deleted user"
    assert log_in(Client(), "ani").status_code == 200  # the old username logs nobody in


def test_the_delete_page_refuses_a_wrong_password(client, member):
    client.force_login(member)

    response = client.post(URL, {"password": "not my password"})

    assert response.status_code == 400
    assert "password" in response.context["form"].errors
    assert User.objects.get(pk=member.pk).is_active


def test_the_delete_page_limits_password_guesses(client, member):
    client.force_login(member)
    for _ in range(10):
        client.post(URL, {"password": "guess"})

    response = client.post(URL, {"password": PASSWORD})

    assert response.status_code == 429
    assert User.objects.get(pk=member.pk).is_active


def test_a_member_without_a_password_confirms_with_their_username(client):
    member = UserFactory()
    member.set_unusable_password()
    member.save()
    client.force_login(member)

    wrong = client.post(URL, {"username": "someone-else"})
    right = client.post(URL, {"username": member.username})

    assert wrong.status_code == 400
    assert right.status_code == 302
    assert not User.objects.get(pk=member.pk).is_active


def test_the_delete_page_needs_a_login(client):
    assert client.post(URL, {"password": PASSWORD}).status_code == 302


def test_nobody_can_sign_up_as_the_deleted_members_old_row(client, member):
    delete_account(member, member)

    client.post(
        reverse("account_signup"),
        {
            "username": f"deleted-{member.pk}",
            "email": "x@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert User.objects.filter(username=f"deleted-{member.pk}").count() == 1
