"""The error bodies every endpoint shares, and the per-IP limit on API writes."""

import pytest
from django.test import Client

from tests.api.conftest import API, ApiClient
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWER = {"body": "Unplug it for thirty seconds, then plug it back in."}


def test_a_body_that_is_not_json_is_a_bad_request():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", raw="{body: ")

    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": "The request body is not valid JSON.",
    }


def test_a_body_over_the_upload_limit_is_too_large(settings):
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(
        f"/questions/{question.pk}/answers/", raw="{" + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_empty_body_is_invalid_not_a_crash():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", raw="")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body"]


def test_a_validation_error_names_each_field_and_problem():
    response = ApiClient(UserFactory()).post("/questions/", {"title": 7, "category": None})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"]
    locations = [error["loc"] for error in body["errors"]]
    assert ["body", "title"] in locations
    assert ["body", "body"] in locations
    assert all(set(error) == {"loc", "message", "type"} for error in body["errors"])


def test_a_domain_error_has_its_code_and_message(anonymous):
    question = QuestionFactory()

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/vote/", {"value": 1})

    assert response.json() == {
        "code": "not_enough_reputation",
        "message": "You need 15 reputation to vote up.",
    }


def test_a_method_the_resource_lacks_is_not_allowed(anonymous):
    response = anonymous.client.put(f"{API}/questions/")

    assert response.status_code == 405


def test_writes_from_one_address_are_limited_with_retry_after(settings):
    settings.TANYA_API_IP_WRITES = (2, 3600)
    question = QuestionFactory()
    clients = [ApiClient(UserFactory()) for _ in range(3)]  # different members, one address
    for client in clients[:2]:
        client.post(f"/questions/{question.pk}/answers/", ANSWER)

    response = clients[2].post(f"/questions/{question.pk}/answers/", ANSWER)

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 3600


def test_refused_writes_count_towards_the_address_limit(settings, anonymous):
    settings.TANYA_API_IP_WRITES = (1, 3600)
    question = QuestionFactory()
    anonymous.post(f"/questions/{question.pk}/answers/", ANSWER)

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", ANSWER)

    assert response.status_code == 429


def test_reads_do_not_count_towards_the_address_limit(settings, anonymous):
    settings.TANYA_API_IP_WRITES = (1, 3600)
    question = QuestionFactory()
    for _ in range(3):
        anonymous.get("/questions/")

    response = ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", ANSWER)

    assert response.status_code == 201


def test_other_addresses_have_their_own_limit(settings):
    settings.TANYA_API_IP_WRITES = (1, 3600)
    question = QuestionFactory()
    ApiClient(UserFactory()).post(f"/questions/{question.pk}/answers/", ANSWER)
    elsewhere = ApiClient(UserFactory(), REMOTE_ADDR="203.0.113.9")

    response = elsewhere.post(f"/questions/{question.pk}/answers/", ANSWER)

    assert response.status_code == 201


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy(settings):
    settings.TANYA_API_IP_WRITES = (1, 3600)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    question = QuestionFactory()
    first = ApiClient(UserFactory(), HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = ApiClient(UserFactory(), HTTP_X_FORWARDED_FOR="198.51.100.2")
    first.post(f"/questions/{question.pk}/answers/", ANSWER)

    response = second.post(f"/questions/{question.pk}/answers/", ANSWER)

    assert response.status_code == 201


def test_the_headless_endpoints_are_mounted():
    response = Client().get("/_allauth/app/v1/config")

    assert response.status_code == 200
    assert "account" in response.json()["data"]


def test_categories_of_the_api_are_the_live_ones(anonymous):
    live = CategoryFactory()
    hidden = CategoryFactory()
    hidden.unpublish()

    ids = [c["id"] for c in anonymous.get("/categories/").json()["items"]]

    assert live.pk in ids
    assert hidden.pk not in ids
