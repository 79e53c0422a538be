"""Every rate-limit refusal in the API is the same: 429, Retry-After, the JSON error body.

The write endpoints are read from the API's own OpenAPI schema, so an endpoint added
later is walked too without touching this file."""

import pytest

from config.api import api
from tests.api.conftest import ApiClient
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


def write_endpoints() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITES
    )


def _concrete(path: str, question_id: int) -> str:
    # Any id will do: the limit is checked before the endpoint looks anything up.
    return (
        path.replace("{question_id}", str(question_id))
        .replace("{answer_id}", "1")
        .replace("{comment_id}", "1")
        .replace("{notification_id}", "1")
        .replace("{article_id}", "1")
        .replace("{username}", "someone")
    )


def test_the_walk_covers_the_api_s_writes():
    endpoints = write_endpoints()

    assert ("post", "/questions/{question_id}/answers/") in endpoints
    assert len(endpoints) >= 15
    assert all("{" not in _concrete(path, 1) for _, path in endpoints)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_every_write_endpoint_answers_an_exhausted_limit_with_429_and_retry_after(
    settings, signed_in
):
    settings.TANYA_API_IP_WRITES = (0, 3600)  # the budget is spent before the first write
    client = ApiClient(UserFactory() if signed_in else None)
    question = QuestionFactory()
    refused = {}

    for method, path in write_endpoints():
        response = getattr(client, method)(_concrete(path, question.pk), {})
        body = response.json()
        refused[(method, path)] = (
            response.status_code,
            int(response.get("Retry-After", "0")) > 0,
            body.get("code"),
            bool(body.get("message")),
        )

    assert refused == dict.fromkeys(refused, (429, True, "rate_limited", True))


def test_a_member_limit_in_an_action_is_the_same_refusal(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "ask": (0, 3600)}
    question = QuestionFactory()
    client = ApiClient(UserFactory())

    response = client.post(
        "/questions/",
        {
            "title": "The router drops the connection every evening",
            "body": "Unplug it for thirty seconds, then plug it back in and wait.",
            "category": question.category_id,
        },
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "rate_limited"
