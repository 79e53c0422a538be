"""Every page renders for anonymous visitors and members; URLs are canonical."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import viewcounts
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer():
    question = QuestionFactory()
    question.tags.add("routers")
    answer = AnswerFactory(question=question)
    CommentFactory(answer=answer)
    CommentFactory(question=question)
    return answer


def _page_url(name: str, answer) -> str:
    question = answer.question
    return {
        "home": "/",
        "category": question.category.url,
        "questions": reverse("forum:questions"),
        "questions sorted": reverse("forum:questions") + "?sort=unanswered",
        "tag": reverse("forum:tag", args=["routers"]),
        "question": question.get_absolute_url(),
        "question revisions": reverse("forum:question_revisions", args=[question.pk]),
        "answer revisions": reverse("forum:answer_revisions", args=[answer.pk]),
        "profile": reverse("accounts:profile", args=[question.author.username]),
        "login": reverse("account_login"),
    }[name]


PAGES = [
    "home",
    "category",
    "questions",
    "questions sorted",
    "tag",
    "question",
    "question revisions",
    "answer revisions",
    "profile",
]


@pytest.mark.parametrize("page", [*PAGES, "login"])
def test_each_page_renders_for_an_anonymous_visitor(client, answer, page):
    response = client.get(_page_url(page, answer))

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


@pytest.mark.parametrize("page", PAGES)
def test_each_page_renders_for_a_member(client, answer, page):
    client.force_login(UserFactory())

    response = client.get(_page_url(page, answer))

    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


def test_the_ask_page_renders_for_a_member(client):
    CategoryFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("forum:ask"))

    assert response.status_code == 200


def test_the_base_layout_has_landmarks_a_skip_link_and_the_flash_area(client, answer):
    html = client.get(answer.question.get_absolute_url()).content.decode()

    for marker in ['<header class="site-header"', "<nav", '<main id="main"', "<footer"]:
        assert marker in html
    assert 'href="#main"' in html
    assert 'id="flash"' in html and 'aria-live="polite"' in html
    assert '<html lang="en"' in html


def test_the_header_shows_a_members_reputation_and_a_log_out_form(client):
    member = UserFactory(reputation=321)
    client.force_login(member)

    html = client.get(reverse("forum:questions")).content.decode()

    assert "321" in html
    assert reverse("account_logout") in html


def test_a_wrong_slug_redirects_permanently_to_the_canonical_url(client):
    question = QuestionFactory()

    response = client.get(reverse("forum:question", args=[question.pk, "not-the-slug"]))

    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()


def test_the_short_question_url_redirects_permanently_to_the_canonical_url(client):
    question = QuestionFactory()

    response = client.get(reverse("forum:question_short", args=[question.pk]))

    assert response.status_code == 301
    assert response["Location"] == question.get_absolute_url()


def test_a_missing_question_is_not_found(client):
    response = client.get(reverse("forum:question", args=[999_999, "nothing"]))

    assert response.status_code == 404


def test_an_unknown_tag_is_not_found(client):
    response = client.get(reverse("forum:tag", args=["no-such-tag"]))

    assert response.status_code == 404


def test_a_deleted_question_is_not_found_for_members(client):
    question = QuestionFactory(deleted_at=timezone.now())
    client.force_login(UserFactory())

    response = client.get(question.get_absolute_url())

    assert response.status_code == 404


def test_a_deleted_question_renders_for_moderators_with_a_banner_and_restore_button(client):
    question = QuestionFactory(deleted_at=timezone.now())
    client.force_login(ModeratorFactory())

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert b"banner--danger" in response.content
    assert reverse("forum:restore_question", args=[question.pk]).encode() in response.content


def test_viewing_a_question_counts_one_view_per_visitor(client):
    question = QuestionFactory()

    client.get(question.get_absolute_url())
    client.get(question.get_absolute_url())
    client.get(question.get_absolute_url(), REMOTE_ADDR="203.0.113.9")
    viewcounts.flush()  # views are written in batches (tests/forum/test_view_counts.py)

    question.refresh_from_db()
    assert question.view_count == 2


def test_an_anonymous_reader_gets_no_session_or_cookie(client):
    from django.contrib.sessions.models import Session

    question = QuestionFactory()

    response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert not Session.objects.exists()
    assert "sessionid" not in response.cookies


def test_the_accepted_answer_is_pinned_first_with_a_solution_badge(client):
    question = QuestionFactory()
    AnswerFactory(question=question, body="The most popular answer, with many votes.", score=9)
    accepted = AnswerFactory(question=question, body="The answer the asker accepted in the end.")
    question.accepted_answer, question.accepted_by = accepted, question.author
    question.save()

    html = client.get(question.get_absolute_url()).content.decode()

    assert html.index("the asker accepted") < html.index("most popular answer")
    assert "Accepted by the asker" in html


def test_a_verified_solution_names_who_verified_it(client):
    moderator = ModeratorFactory(display_name="Maya")
    question = QuestionFactory()
    accepted = AnswerFactory(question=question)
    question.accepted_answer, question.accepted_by = accepted, moderator
    question.verified_by, question.verified_at = moderator, timezone.now()
    question.save()

    html = client.get(question.get_absolute_url()).content.decode()

    assert "Staff-verified solution" in html
    assert "verified by Maya" in html


def test_anonymous_visitors_see_a_login_prompt_instead_of_the_answer_form(client):
    question = QuestionFactory()

    html = client.get(question.get_absolute_url()).content.decode()

    assert reverse("account_login") in html
    assert reverse("forum:answer", args=[question.pk]) not in html


def test_the_vote_buttons_reflect_the_members_vote(client):
    voter = UserFactory(reputation=200)
    question = QuestionFactory()
    question.votes.create(voter=voter, value=1)
    client.force_login(voter)

    html = client.get(question.get_absolute_url()).content.decode()

    assert re.search(
        r'value="0" id="vote-\w+-\d+-up" class="vote__button vote__button--up" aria-pressed="true"',
        html,
    )


def test_list_pages_link_to_the_next_page_with_a_cursor(client, settings):
    settings.TANYA_PAGE_SIZE = 2
    QuestionFactory.create_batch(3)

    first = client.get(reverse("forum:questions") + "?sort=newest").content.decode()
    assert "cursor=" in first
    next_url = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(reverse("forum:questions") + next_url).content.decode()

    assert "First page" in second
    assert 'rel="next"' not in second


def test_the_language_switcher_posts_to_switch_language(client):
    html = client.get(reverse("forum:questions")).content.decode()

    assert reverse("accounts:switch_language") in html
    assert "Bahasa Indonesia" in html


def test_allauth_pages_use_the_site_layout(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<main id="main"' in html
    assert "tanya.css" in html


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_entrance_pages_render_in_the_site_layout(client, name):
    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<main id="main"' in html
    assert html.count("<h1") == 1


def test_the_allauth_log_out_page_renders_in_the_site_layout(client):
    client.force_login(UserFactory())

    response = client.get(reverse("account_logout"))

    assert response.status_code == 200
    assert b'<main id="main"' in response.content
