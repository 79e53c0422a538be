"""The one error body, and the API sending it for every kind of refusal."""

import pytest
from django.utils import translation

from core.errors import (
    DomainError,
    InvalidInput,
    NotAllowed,
    NotSignedIn,
    RateLimited,
    error_body,
)
from forum import errors as forum_errors
from tests.api.conftest import ApiClient
from tests.factories import CategoryFactory, QuestionFactory, UserFactory


def test_an_error_body_has_the_code_and_the_message():
    assert error_body(NotAllowed()) == {"code": "not_allowed", "message": "You can't do that."}


def test_an_error_body_names_the_field_when_the_error_does():
    body = error_body(InvalidInput("Too short.", field="title"))

    assert body == {"code": "invalid", "message": "Too short.", "field": "title"}


def test_a_rate_limit_keeps_its_retry_time_and_status():
    error = RateLimited(retry_after=42)

    assert (error.status, error.retry_after, error_body(error)["code"]) == (429, 42, "rate_limited")


def test_the_forum_re_exports_the_generic_errors_from_core():
    assert forum_errors.NotAllowed is NotAllowed
    assert issubclass(forum_errors.QuestionLocked, DomainError)


@pytest.mark.django_db
def test_the_api_sends_the_one_body_for_a_domain_error(client):
    question = QuestionFactory()

    response = client.post(
        f"/api/v1/questions/{question.pk}/answers/", {"body": "x"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json() == error_body(forum_errors.NotSignedIn())


@pytest.mark.django_db
def test_the_api_sends_the_one_body_for_a_missing_page(client):
    response = client.get("/api/v1/questions/999999/")

    assert response.status_code == 404
    assert set(response.json()) == {"code", "message"}
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_api_refusal_about_one_field_names_it_in_the_body():
    body = {
        "title": "Help" + " " * 20,  # long enough for the schema, too short for the action
        "body": "I pressed print and nothing came out at all.",
        "tags": [],
        "category": CategoryFactory().pk,
    }

    response = ApiClient(UserFactory()).post("/questions/", body)

    assert response.status_code == 422
    assert response.json()["field"] == "title"
    assert response.json()["errors"][0]["loc"] == ["body", "title"]


def test_an_error_says_its_message_in_the_language_it_is_shown_in():
    with translation.override("en"):
        error = NotSignedIn()
        assert str(error) == "Please log in first."
    with translation.override("id"):
        assert str(error) == str(NotSignedIn().message) != "Please log in first."
    assert str(NotAllowed("Not yours.")) == "Not yours."
