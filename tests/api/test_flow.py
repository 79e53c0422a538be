"""The whole life of a question through JSON only: sign up and log in with allauth's headless
"app" endpoints, then ask, answer, vote and accept with the session tokens they return."""

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADLESS = "/_allauth/app/v1"
API = "/api/v1"
PASSWORD = "a long and unguessable passphrase"


def _json(client: Client, method: str, path: str, data: dict | None = None, token: str = ""):
    headers = {"X-Session-Token": token} if token else {}
    send = getattr(client, method)
    return send(path, data or {}, content_type="application/json", headers=headers)


def _sign_up(client: Client, username: str) -> str:
    response = _json(
        client,
        "post",
        f"{HEADLESS}/auth/signup",
        {"username": username, "email": f"{username}@example.com", "password": PASSWORD},
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def _log_in(client: Client, username: str) -> str:
    response = _json(
        client, "post", f"{HEADLESS}/auth/login", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_a_question_is_asked_answered_voted_and_accepted_through_json_alone():
    client = Client()  # no cookies are relied on: every call carries its token
    category = CategoryFactory()
    _sign_up(client, "asker")
    _sign_up(Client(), "answerer")
    asker = _log_in(Client(), "asker")
    answerer = _log_in(Client(), "answerer")
    voter = UserFactory(reputation=15, password=PASSWORD)
    voter_token = _log_in(Client(), voter.username)

    asked = _json(
        client,
        "post",
        f"{API}/questions/",
        {
            "title": "Why does my invoice show twice?",
            "body": "The billing page lists the same invoice two times.",
            "category": category.slug,
            "tags": ["billing"],
        },
        asker,
    )
    assert asked.status_code == 201, asked.content
    question_id = asked.json()["id"]

    answered = _json(
        client,
        "post",
        f"{API}/questions/{question_id}/answers/",
        {"body": "It is a display bug; you were charged only once."},
        answerer,
    )
    assert answered.status_code == 201, answered.content
    answer_id = answered.json()["id"]

    voted = _json(client, "post", f"{API}/answers/{answer_id}/vote/", {"value": 1}, voter_token)
    assert voted.status_code == 200, voted.content
    assert voted.json() == {"score": 1, "my_vote": 1, "is_solved": False}

    accepted = _json(
        client, "post", f"{API}/questions/{question_id}/accept/", {"answer": answer_id}, asker
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["accepted_answer"] == answer_id

    question = _json(client, "get", f"{API}/questions/{question_id}/", token=asker).json()
    assert question["is_solved"] is True
    assert question["answer_count"] == 1
    assert User.objects.get(username="answerer").reputation == 1 + 10 + 15
    assert User.objects.get(username="asker").reputation == 1 + 2


def test_a_session_token_stops_working_after_logging_out():
    _sign_up(Client(), "leaver")
    token = _log_in(Client(), "leaver")

    logged_out = Client().delete(f"{HEADLESS}/auth/session", headers={"X-Session-Token": token})
    response = _json(Client(), "get", f"{API}/questions/", token=token)

    assert logged_out.status_code == 401  # allauth's answer to a successful app log-out
    assert response.status_code == 401
