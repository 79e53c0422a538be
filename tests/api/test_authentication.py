import pytest
from django.test import Client

from forum.models import Answer
from tests.api.conftest import API, ApiClient, session_token
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWER = {"body": "Unplug it for thirty seconds, then plug it back in."}
CSRF_SECRET = "a" * 32  # a well-formed CSRF cookie value; the header must repeat it


def test_a_session_token_signs_the_caller_in():
    question = QuestionFactory()
    member = UserFactory()

    response = ApiClient(member).post(f"/questions/{question.pk}/answers/", ANSWER)

    assert response.status_code == 201
    assert Answer.objects.get().author == member


def test_an_unknown_session_token_is_refused_even_for_reads():
    client = Client(headers={"X-Session-Token": "not-a-session-token"})

    response = client.get(f"{API}/questions/")

    assert response.status_code == 401
    assert response.json() == {"code": "not_signed_in", "message": "Please log in first."}


def test_a_token_whose_session_ended_is_refused():
    member = UserFactory()
    token = session_token(member)
    member.set_password("a new password entirely")  # ends every session
    member.save()

    response = Client(headers={"X-Session-Token": token}).get(f"{API}/questions/")

    assert response.status_code == 401


def test_a_deactivated_members_token_is_refused():
    member = UserFactory()
    token = session_token(member)
    member.is_active = False
    member.save()

    response = Client(headers={"X-Session-Token": token}).get(f"{API}/questions/")

    assert response.status_code == 401


def test_a_browser_session_can_read_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    assert client.get(f"{API}/questions/").status_code == 200


def test_a_browser_session_cannot_write_without_a_csrf_token():
    question = QuestionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(
        f"{API}/questions/{question.pk}/answers/", ANSWER, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Answer.objects.exists()


def test_a_browser_session_can_write_with_a_csrf_token():
    question = QuestionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    client.cookies["csrftoken"] = CSRF_SECRET

    response = client.post(
        f"{API}/questions/{question.pk}/answers/",
        ANSWER,
        content_type="application/json",
        headers={"X-CSRFToken": CSRF_SECRET},
    )

    assert response.status_code == 201


def test_a_session_token_needs_no_csrf_token():
    question = QuestionFactory()
    client = Client(
        enforce_csrf_checks=True, headers={"X-Session-Token": session_token(UserFactory())}
    )

    response = client.post(
        f"{API}/questions/{question.pk}/answers/", ANSWER, content_type="application/json"
    )

    assert response.status_code == 201


def test_an_anonymous_write_is_unauthorised_rather_than_forged():
    question = QuestionFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"{API}/questions/{question.pk}/answers/", ANSWER, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_signed_in"
