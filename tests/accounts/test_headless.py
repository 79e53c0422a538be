"""allauth's headless app API (/_allauth/app/v1/): apps and scripts sign up and log in with
JSON and get a session token to send as X-Session-Token."""

import re

import pytest
from django.test import Client, override_settings

from tests.accounts.helpers import PASSWORD, last_email_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"


def _post(client, path: str, data: dict, token: str | None = None):
    headers = {"X-Session-Token": token} if token else {}
    return client.post(f"{APP}{path}", data, content_type="application/json", headers=headers)


def test_an_app_signs_up_and_gets_a_session_token():
    response = _post(
        Client(),
        "/auth/signup",
        {"username": "app-user", "email": "app@example.com", "password": PASSWORD},
    )

    body = response.json()
    assert response.status_code == 200
    assert body["meta"]["is_authenticated"] is True
    assert body["meta"]["session_token"]
    assert body["data"]["user"]["username"] == "app-user"


def test_an_app_logs_in_by_username_and_the_token_reads_the_session():
    member = UserFactory()

    login = _post(Client(), "/auth/login", {"username": member.username, "password": PASSWORD})
    token = login.json()["meta"]["session_token"]
    session = Client().get(f"{APP}/auth/session", headers={"X-Session-Token": token})

    assert login.status_code == 200
    assert session.status_code == 200
    assert session.json()["data"]["user"]["id"] == member.pk


def test_an_app_logs_in_by_email():
    member = UserFactory(email="app@example.com")

    response = _post(Client(), "/auth/login", {"email": "app@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["data"]["user"]["id"] == member.pk


def test_the_session_token_works_on_the_forum_api():
    member = UserFactory()
    token = _post(Client(), "/auth/login", {"username": member.username, "password": PASSWORD})
    token = token.json()["meta"]["session_token"]

    response = Client().get(f"/api/v1/users/{member.username}/", headers={"X-Session-Token": token})

    assert response.status_code == 200


def test_a_wrong_password_gets_no_token():
    member = UserFactory()

    response = _post(Client(), "/auth/login", {"username": member.username, "password": "nope"})

    assert response.status_code == 400
    assert "session_token" not in response.json().get("meta", {})


@override_settings(
    ACCOUNT_EMAIL_VERIFICATION="mandatory", ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED=True
)
def test_with_mandatory_verification_the_app_verifies_by_code_then_is_signed_in():
    client = Client()
    signup = _post(
        client,
        "/auth/signup",
        {"username": "app-user", "email": "app@example.com", "password": PASSWORD},
    )
    token = signup.json()["meta"]["session_token"]
    code = re.search(
        r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", last_email_to("app@example.com").body, re.MULTILINE
    ).group(1)

    verified = _post(client, "/auth/email/verify", {"key": code}, token=token)

    pending = [flow["id"] for flow in signup.json()["data"]["flows"] if flow.get("is_pending")]
    assert signup.status_code == 401
    assert pending == ["verify_email"]
    assert verified.status_code == 200
    assert verified.json()["meta"]["is_authenticated"] is True
