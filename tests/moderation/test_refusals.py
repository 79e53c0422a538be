"""Rate-limit refusals on the site are the same everywhere: 429 with Retry-After (the
"slow down" page or the form with its error); htmx gets its 200 fragment, also with
Retry-After. allauth's own 429s get Retry-After too."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "The router drops the connection every evening"
BODY = "Unplug the router for thirty seconds, then plug it back in and wait."


@pytest.fixture
def member(client):
    member = UserFactory()
    client.force_login(member)
    return member


@pytest.fixture
def spent(settings):
    settings.TANYA_RATE_LIMITS = dict.fromkeys(settings.TANYA_RATE_LIMITS, (0, 3600))


def _assert_slow_down(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_ask_form_refuses_with_429_and_the_form(client, member, spent):
    data = {"title": TITLE, "body": BODY, "category": CategoryFactory().pk, "tags": ""}

    response = client.post(reverse("forum:ask"), data)

    _assert_slow_down(response)
    assert "too often" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("answer", {"body": BODY}),
        ("comment_question", {"body": "Which router model is it?"}),
        ("vote_question", {"value": "1"}),
    ],
)
def test_answer_comment_and_vote_refuse_with_429(client, member, spent, name, data):
    question = QuestionFactory(**({"author": member} if name == "comment_question" else {}))
    if name == "vote_question":
        member.reputation = 500
        member.save(update_fields=["reputation"])

    response = client.post(reverse(f"forum:{name}", args=[question.pk]), data)

    _assert_slow_down(response)


def test_htmx_gets_its_fragment_with_retry_after(client, member, spent):
    question = QuestionFactory()

    response = client.post(
        reverse("forum:answer", args=[question.pk]), {"body": BODY}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200  # htmx swaps only 2xx
    assert int(response["Retry-After"]) > 0


def test_allauths_own_limits_answer_429_with_retry_after(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "0/h/ip"}
    data = {"username": "newbie", "email": "new@example.com", "password": "a long passphrase 42"}

    web = Client().post(reverse("account_signup"), {**data, "password1": data["password"]})
    app = Client().post("/_allauth/app/v1/auth/signup", data, content_type="application/json")

    _assert_slow_down(web)
    _assert_slow_down(app)
