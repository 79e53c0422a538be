"""Clients for the JSON API: anonymous, or signed in by allauth's X-Session-Token."""

import pytest
from django.test import Client

API = "/api/v1"


def session_token(user) -> str:
    """A live allauth "app" session token for `user`: the key of a signed-in session."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


class ApiClient:
    """Django's test client speaking JSON to /api/v1/, with or without a session token."""

    def __init__(self, user=None, **client_options):
        headers = {"X-Session-Token": session_token(user)} if user is not None else {}
        self.user = user
        self.client = Client(headers=headers, **client_options)

    def get(self, path: str, **params):
        return self.client.get(f"{API}{path}", params)

    def post(self, path: str, data=None, **extra):
        return self._send("post", path, data, **extra)

    def patch(self, path: str, data=None, **extra):
        return self._send("patch", path, data, **extra)

    def delete(self, path: str, data=None, **extra):
        return self._send("delete", path, data, **extra)

    def _send(self, method: str, path: str, data, *, raw: bytes | str | None = None, **extra):
        body = raw if raw is not None else data if data is not None else ""
        send = getattr(self.client, method)
        return send(f"{API}{path}", body, content_type="application/json", **extra)


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()
