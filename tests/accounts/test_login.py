"""Logging in by username or email, logging out, and changing or resetting the password,
through allauth's real pages."""

import re

import pytest
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, last_email_to, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much newer password 42"


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_a_member_logs_in_by_username(client):
    member = UserFactory()

    response = log_in(client, member.username)

    assert response.status_code == 302
    assert _signed_in_as(client) == str(member.pk)


def test_a_member_logs_in_by_email_address(client):
    member = UserFactory(email="sari@example.com")

    log_in(client, "sari@example.com")

    assert _signed_in_as(client) == str(member.pk)


def test_a_wrong_password_is_refused(client):
    member = UserFactory()

    response = log_in(client, member.username, "not the password")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert _signed_in_as(client) is None


def test_repeated_wrong_passwords_for_one_account_are_rate_limited(client):
    member = UserFactory()
    for _ in range(5):
        log_in(client, member.username, "not the password")

    response = log_in(client, member.username, PASSWORD)

    assert "Too many failed login attempts" in str(response.context["form"].errors)
    assert _signed_in_as(client) is None


def test_a_deleted_or_deactivated_member_cannot_log_in(client):
    member = UserFactory(is_active=False)

    log_in(client, member.username)

    assert _signed_in_as(client) is None


def test_logging_out_ends_the_session(client):
    member = UserFactory()
    log_in(client, member.username)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert _signed_in_as(client) is None


def test_a_member_changes_their_password(client):
    member = UserFactory()
    log_in(client, member.username)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert _signed_in_as(client) == str(member.pk)


def test_a_forgotten_password_is_reset_through_the_emailed_link(client):
    member = UserFactory(email="dewi@example.com")

    client.post(reverse("account_reset_password"), {"email": "dewi@example.com"})
    body = last_email_to("dewi@example.com").body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body).group(0)
    # allauth moves the key from the URL into the session, then shows the form.
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert log_in(client, "dewi@example.com", NEW_PASSWORD).status_code == 302
    assert _signed_in_as(client) == str(member.pk)


def test_a_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
