import re

import pytest
from django.urls import reverse

from forum.models import Vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def voter(client):
    voter = UserFactory(reputation=200)
    client.force_login(voter)
    return voter


def test_anonymous_visitors_are_sent_to_log_in_and_no_vote_is_saved(client):
    question = QuestionFactory()

    response = client.post(reverse("forum:vote_question", args=[question.pk]), {"value": 1})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Vote.objects.exists()


def test_voting_without_javascript_redirects_back_to_the_question(client, voter):
    question = QuestionFactory()

    response = client.post(reverse("forum:vote_question", args=[question.pk]), {"value": 1})

    question.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.score == 1


def test_voting_on_an_answer_without_javascript_redirects_to_the_answer(client, voter):
    answer = AnswerFactory()

    response = client.post(reverse("forum:vote_answer", args=[answer.pk]), {"value": -1})

    answer.refresh_from_db()
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    assert answer.score == -1


def test_voting_with_htmx_returns_the_vote_control_with_the_vote_pressed(client, voter):
    answer = AnswerFactory()

    response = client.post(
        reverse("forum:vote_answer", args=[answer.pk]), {"value": 1}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<div class="vote"')
    assert re.search(
        r'value="0" id="vote-\w+-\d+-up" class="vote__button vote__button--up" aria-pressed="true"',
        html,
    )
    assert '<span class="visually-hidden">Score: </span>1</span>' in html


def test_clicking_the_active_arrow_again_retracts_the_vote(client, voter):
    question = QuestionFactory()
    url = reverse("forum:vote_question", args=[question.pk])
    client.post(url, {"value": 1}, headers=HTMX)

    response = client.post(url, {"value": 0}, headers=HTMX)

    question.refresh_from_db()
    assert question.score == 0
    assert 'aria-pressed="true"' not in response.content.decode()
    assert Vote.objects.get().value == 0


def test_voting_on_your_own_post_flashes_an_error_and_redirects(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(
        reverse("forum:vote_question", args=[question.pk]), {"value": 1}, follow=True
    )

    assert "You can&#x27;t vote on your own post." in response.content.decode()
    assert not Vote.objects.exists()


def test_a_refused_htmx_vote_sends_the_error_to_the_flash_area(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))

    response = client.post(
        reverse("forum:vote_question", args=[question.pk]), {"value": 1}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#flash"
    assert "reputation to vote up" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_value_other_than_one_minus_one_or_zero_is_refused(client, voter):
    question = QuestionFactory()

    client.post(reverse("forum:vote_question", args=[question.pk]), {"value": 5})

    assert not Vote.objects.exists()


def test_a_get_request_to_a_vote_url_is_not_allowed(client, voter):
    question = QuestionFactory()

    response = client.get(reverse("forum:vote_question", args=[question.pk]))

    assert response.status_code == 405


def test_a_rate_limited_vote_without_javascript_gets_429_with_retry_after(client, voter, settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "vote": (0, 3600)}
    question = QuestionFactory()

    response = client.post(reverse("forum:vote_question", args=[question.pk]), {"value": 1})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Vote.objects.exists()


def test_a_rate_limited_htmx_vote_sends_the_error_to_the_flash_area(client, voter, settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "vote": (0, 3600)}
    question = QuestionFactory()

    response = client.post(
        reverse("forum:vote_question", args=[question.pk]), {"value": 1}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#flash"
    assert "Retry-After" in response
