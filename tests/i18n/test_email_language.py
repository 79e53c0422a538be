"""allauth's emails speak the recipient's language, stored at sign-up (docs/i18n.md)."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signing_up_in_indonesian_stores_indonesian(client):
    client.cookies["django_language"] = "id"
    client.post(
        reverse("account_signup"),
        {
            "username": "sari",
            "email": "sari@example.com",
            "password1": "a-long-Password-42!",
            "password2": "a-long-Password-42!",
        },
    )

    assert User.objects.get(username="sari").language == "id"


def test_a_password_reset_follows_the_members_language_not_the_pages(client):
    UserFactory(email="budi@example.com", language="id")
    client.cookies["django_language"] = "en"

    client.post(reverse("account_reset_password"), {"email": "budi@example.com"})

    assert len(mail.outbox) == 1
    english = "Password Reset"
    assert english not in mail.outbox[0].subject
