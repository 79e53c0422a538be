"""Sign-up and email verification through allauth's real pages, with email kept in memory
(EMAIL_URL=locmem:// in config.settings.test)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from tests.accounts.helpers import PASSWORD, last_email_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MANDATORY_BY_CODE = override_settings(
    ACCOUNT_EMAIL_VERIFICATION="mandatory", ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=True
)


def _sign_up(client, username="ani", email="ani@example.com"):
    return client.post(
        reverse("account_signup"),
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def _code_in(message) -> str:
    # allauth's codes ("MPRX-GCNQ") stand on a line of their own.
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.MULTILINE).group(1)


def test_signing_up_creates_the_member_and_signs_them_in(client):
    response = _sign_up(client)

    assert response.status_code == 302
    member = User.objects.get(username="ani")
    assert client.session["_auth_user_id"] == str(member.pk)
    assert member.reputation == 1


def test_signing_up_sends_a_link_that_verifies_the_address(client):
    _sign_up(client)
    message = last_email_to("ani@example.com")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)

    client.post(link.group(0))

    assert message.body.startswith("Hello from Tanya!")
    assert EmailAddress.objects.get(email="ani@example.com").verified


def test_a_username_starting_with_deleted_is_refused(client):
    response = _sign_up(client, username="deleted-12")

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(username="deleted-12").exists()


def test_an_address_already_in_use_creates_no_second_account(client):
    UserFactory(username="first", email="ani@example.com")
    EmailAddress.objects.create(
        user=User.objects.get(username="first"), email="ani@example.com", verified=True
    )

    _sign_up(client, username="second")

    assert not User.objects.filter(username="second", email="ani@example.com").exists()


@MANDATORY_BY_CODE
def test_with_mandatory_verification_sign_up_asks_for_a_code_before_signing_in(client):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert _code_in(last_email_to("ani@example.com"))


@MANDATORY_BY_CODE
def test_the_emailed_code_verifies_the_address_and_signs_the_member_in(client):
    _sign_up(client)
    code = _code_in(last_email_to("ani@example.com"))

    response = client.post(reverse("account_email_verification_sent"), {"code": code})

    assert response.status_code == 302
    member = User.objects.get(username="ani")
    assert client.session["_auth_user_id"] == str(member.pk)
    assert EmailAddress.objects.get(user=member).verified


@MANDATORY_BY_CODE
def test_a_wrong_code_neither_verifies_nor_signs_in(client):
    _sign_up(client)

    response = client.post(reverse("account_email_verification_sent"), {"code": "WRONG1"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not EmailAddress.objects.get(email="ani@example.com").verified
    assert "_auth_user_id" not in client.session


@MANDATORY_BY_CODE
def test_an_unverified_member_logging_in_is_sent_a_new_code(client):
    member = UserFactory(email="budi@example.com")
    EmailAddress.objects.create(user=member, email="budi@example.com", primary=True)
    mail.outbox.clear()

    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert _code_in(last_email_to("budi@example.com"))
