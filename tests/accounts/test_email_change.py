"""Changing the email address: the new one replaces the old only once it is verified
(ACCOUNT_CHANGE_EMAIL), by link in development and by code in production."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import override_settings
from django.urls import reverse

from tests.accounts.helpers import last_email_to, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = UserFactory(email="old@example.com")
    EmailAddress.objects.create(user=member, email="old@example.com", primary=True, verified=True)
    log_in(client, member.username)
    return member


def _change_to(client, address: str):
    return client.post(reverse("account_email"), {"action_add": "", "email": address})


def test_a_new_address_waits_for_verification_and_the_old_one_stays(client, member):
    _change_to(client, "new@example.com")

    addresses = {a.email: a.verified for a in EmailAddress.objects.filter(user=member)}
    assert addresses == {"old@example.com": True, "new@example.com": False}
    member.refresh_from_db()
    assert member.email == "old@example.com"


def test_verifying_the_new_address_by_link_replaces_the_old_one(client, member):
    _change_to(client, "new@example.com")
    body = last_email_to("new@example.com").body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)

    client.post(link)

    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified")) == [
        ("new@example.com", True)
    ]
    member.refresh_from_db()
    assert member.email == "new@example.com"


@override_settings(
    ACCOUNT_EMAIL_VERIFICATION="mandatory", ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=True
)
def test_verifying_the_new_address_by_code_replaces_the_old_one(client, member):
    response = _change_to(client, "new@example.com")
    code = re.search(
        r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", last_email_to("new@example.com").body, re.MULTILINE
    ).group(1)

    client.post(response["Location"], {"code": code})

    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified")) == [
        ("new@example.com", True)
    ]
