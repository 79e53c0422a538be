"""With the cache down, the site keeps serving pages and accepting writes.

The cache is what settings build for a redis:// CACHE_URL, pointed at a port where nothing
listens, so every connection is refused: no mock stands in for Redis being down.
"""

import logging

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from config.settings.base import _cache_from_url
from forum.models import Answer, Comment, Question, Vote
from kb.demo import EDITORS_GROUP, ensure_kb_index
from tests.accounts.helpers import PASSWORD
from tests.api.conftest import ApiClient
from tests.core.conftest import CLOSED_PORT_URL
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.kb.test_pages import _published_article

pytestmark = pytest.mark.django_db

QUESTION = {
    "title": "How do I print a PDF file?",
    "body": "I pressed print and nothing came out at all.",
}


@pytest.fixture(autouse=True)
def cache_down(settings, fresh_warnings):
    settings.CACHES = {"default": _cache_from_url(CLOSED_PORT_URL)}


@pytest.fixture
def answer():
    question = QuestionFactory()
    question.tags.add("printing")
    return AnswerFactory(question=question)


@pytest.fixture
def editor():
    ensure_kb_index()
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def member(client):
    member = UserFactory(reputation=100)
    client.force_login(member)
    return member


def test_settings_pick_the_fail_safe_cache_for_redis_urls():
    assert _cache_from_url(CLOSED_PORT_URL)["BACKEND"] == "core.cache.FailSafeRedisCache"


@pytest.mark.parametrize(
    "page", ["home", "category", "questions", "tag", "question", "profile", "search"]
)
def test_pages_render(client, answer, page):
    question = answer.question
    url = {
        "home": "/",
        "category": question.category.url,
        "questions": reverse("forum:questions"),
        "tag": reverse("forum:tag", args=["printing"]),
        "question": question.get_absolute_url(),
        "profile": reverse("accounts:profile", args=[question.author.username]),
        "search": reverse("search:search") + "?q=printer",
    }[page]

    assert client.get(url).status_code == 200


def test_pages_render_for_a_member(client, member, answer):
    assert client.get(answer.question.get_absolute_url()).status_code == 200


def test_a_knowledge_base_article_renders(client, editor):
    article = _published_article(editor)

    assert client.get(article.url).status_code == 200


def test_the_outage_is_logged_as_a_warning_not_per_request(client, answer, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(3):
            client.get(answer.question.get_absolute_url())

    assert [r.levelname for r in caplog.records if r.name == "core.cache"] == ["WARNING"]


# --- Writes through the site ------------------------------------------------------------


def test_a_member_can_ask(client, member):
    data = {**QUESTION, "category": CategoryFactory().pk, "tags": "printing"}

    response = client.post(reverse("forum:ask"), data)

    assert response.status_code == 302
    assert Question.objects.filter(author=member, title=QUESTION["title"]).exists()


def test_a_member_can_answer(client, member, answer):
    question = answer.question

    response = client.post(
        reverse("forum:answer", args=[question.pk]), {"body": "Check the printer queue first."}
    )

    assert response.status_code == 302
    assert Answer.objects.filter(author=member, question=question).exists()


def test_a_member_can_vote(client, member, answer):
    response = client.post(reverse("forum:vote_answer", args=[answer.pk]), {"value": 1})

    assert response.status_code == 302
    assert Vote.objects.filter(voter=member, answer=answer, value=1).exists()


def test_a_member_can_comment(client, member, answer):
    response = client.post(
        reverse("forum:comment_answer", args=[answer.pk]), {"body": "Which printer is it?"}
    )

    assert response.status_code == 302
    assert Comment.objects.filter(author=member, answer=answer).exists()


# --- Writes through the API, and signing in ---------------------------------------------


def test_the_api_accepts_a_question():
    asker = UserFactory()

    response = ApiClient(asker).post(
        "/questions/", {**QUESTION, "category": CategoryFactory().slug, "tags": ["pdf"]}
    )

    assert response.status_code == 201
    assert Question.objects.filter(pk=response.json()["id"], author=asker).exists()


def test_the_api_accepts_an_answer(answer):
    answerer = UserFactory()

    response = ApiClient(answerer).post(
        f"/questions/{answer.question_id}/answers/", {"body": "Restart the print spooler."}
    )

    assert response.status_code == 201
    assert Answer.objects.filter(pk=response.json()["id"], author=answerer).exists()


def test_the_api_accepts_a_vote(answer):
    voter = UserFactory(reputation=15)

    response = ApiClient(voter).post(f"/answers/{answer.pk}/vote/", {"value": 1})

    assert response.status_code == 200
    assert Vote.objects.filter(voter=voter, answer=answer).exists()


def test_the_api_accepts_a_comment(answer):
    commenter = UserFactory(reputation=100)

    response = ApiClient(commenter).post(
        f"/answers/{answer.pk}/comments/", {"body": "Which printer is it?"}
    )

    assert response.status_code == 201
    assert Comment.objects.filter(pk=response.json()["id"], author=commenter).exists()


def test_an_app_can_log_in(client):
    member = UserFactory()

    response = client.post(
        "/_allauth/app/v1/auth/login",
        {"username": member.username, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["meta"]["session_token"]


def test_a_member_can_log_in_on_the_site(client):
    member = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": member.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("accounts:settings")).status_code == 200
