"""Deleting a user from the Wagtail admin (the user's delete page or the bulk action in
the user listing) goes through accounts.actions.delete_account: the member is anonymised
and their questions, answers and votes stay, shown as "deleted user"."""

import pytest
from django.contrib.admin.sites import site as django_admin_site
from django.contrib.auth.models import Permission
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse

from accounts.admin import UserAdmin
from accounts.models import User
from forum import actions as forum_actions
from forum.models import Answer, Question, Vote
from tests.factories import AnswerFactory, QuestionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(bio="Private bio", email="member@example.com")


@pytest.fixture
def posts(member) -> dict:
    question = QuestionFactory(author=member)
    answer = AnswerFactory(author=member)
    return {"question": question, "answer": answer}


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _assert_anonymised_with_posts_kept(member, posts):
    member.refresh_from_db()
    assert member.username == f"deleted-{member.pk}"
    assert (member.email, member.bio, member.is_active) == ("", "", False)
    assert Question.objects.get(pk=posts["question"].pk).author_id == member.pk
    assert Answer.objects.get(pk=posts["answer"].pk).author_id == member.pk
    assert Question.objects.get(pk=posts["question"].pk).author.name == "deleted user"


def test_the_wagtail_delete_page_anonymises_and_keeps_the_posts(superuser_client, member, posts):
    response = superuser_client.post(reverse("wagtailusers_users:delete", args=[member.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailusers_users:index")
    _assert_anonymised_with_posts_kept(member, posts)


def test_the_wagtail_delete_page_still_asks_first(superuser_client, member):
    response = superuser_client.get(reverse("wagtailusers_users:delete", args=[member.pk]))

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.is_active


def test_the_wagtail_delete_page_keeps_the_members_votes(superuser_client, member):
    answer = AnswerFactory()
    User.objects.filter(pk=member.pk).update(reputation=15)
    member.refresh_from_db()
    forum_actions.cast_vote(member, answer, 1)

    superuser_client.post(reverse("wagtailusers_users:delete", args=[member.pk]))

    assert Vote.objects.filter(voter=member, answer=answer).exists()


def test_the_wagtail_bulk_delete_anonymises_and_keeps_the_posts(superuser_client, member, posts):
    other = UserFactory()
    url = reverse("wagtail_bulk_action", args=("accounts", "user", "delete"))

    response = superuser_client.post(f"{url}?id={member.pk}&id={other.pk}")

    assert response.status_code == 302
    _assert_anonymised_with_posts_kept(member, posts)
    assert User.objects.get(pk=other.pk).username == f"deleted-{other.pk}"


def test_staff_who_may_delete_users_in_wagtail_still_cannot_erase_an_account(client, member, posts):
    # Wagtail lets anyone with auth.delete_user delete non-superusers; delete_account
    # leaves erasure to the member themself and superusers.
    staff = StaffFactory()
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="delete_user"),
    )
    client.force_login(staff)

    response = client.post(reverse("wagtailusers_users:delete", args=[member.pk]), follow=True)

    assert "You can only delete your own account." in response.content.decode()
    member.refresh_from_db()
    assert member.is_active
    assert Question.objects.filter(pk=posts["question"].pk).exists()


def test_the_django_admins_own_delete_would_keep_the_posts_too(member, posts):
    request = RequestFactory().post("/")
    request.user = StaffFactory(is_superuser=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    admin = UserAdmin(User, django_admin_site)

    admin.delete_queryset(request, User.objects.filter(pk=member.pk))

    _assert_anonymised_with_posts_kept(member, posts)
