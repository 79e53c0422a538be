import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import QuestionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")


def test_a_superuser_deletes_an_account_from_the_admin_and_its_posts_stay(client):
    member = UserFactory()
    question = QuestionFactory(author=member)
    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(
        CHANGELIST,
        {"action": "delete_accounts_keeping_posts", "_selected_action": [member.pk]},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).username == f"deleted-{member.pk}"
    assert User.objects.get(pk=question.author_id).name == "deleted user"


def test_the_admin_offers_no_hard_delete(client):
    member = UserFactory()
    client.force_login(StaffFactory(is_superuser=True))

    response = client.get(reverse("admin:accounts_user_delete", args=[member.pk]))

    assert response.status_code == 403


def test_the_member_form_in_the_admin_shows_the_profile_fields_without_editing_them(client):
    member = UserFactory(bio="Hello there")
    client.force_login(StaffFactory(is_superuser=True))

    html = client.get(reverse("admin:accounts_user_change", args=[member.pk])).content.decode()

    assert "Hello there" in html
    # These have actions (the settings page, Suspend/Reinstate), which record events.
    for field in ("display_name", "bio", "avatar", "language", "is_active"):
        assert f'name="{field}"' not in html
