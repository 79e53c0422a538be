"""The language preference: applied when the member logs in and when they save it, as
Django's language cookie; otherwise the browser's Accept-Language decides."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.helpers import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _page_language(client, **headers) -> str:
    return client.get(reverse("forum:questions"), headers=headers).headers["Content-Language"]


def test_logging_in_applies_the_members_language(client):
    member = UserFactory(language="id")

    response = log_in(client, member.username)

    assert response.cookies[COOKIE].value == "id"
    assert response.cookies[COOKIE]["max-age"]  # outlives the browser session
    assert _page_language(client, accept_language="en") == "id"


def test_the_members_choice_beats_the_browsers(client):
    member = UserFactory(language="en")

    log_in(client, member.username)

    assert _page_language(client, accept_language="id") == "en"


def test_without_a_preference_the_browser_decides(client):
    member = UserFactory(language="")

    response = log_in(client, member.username)

    assert COOKIE not in response.cookies
    assert _page_language(client, accept_language="id") == "id"


def test_saving_a_language_applies_it_at_once(client):
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        reverse("accounts:settings"), {"display_name": "", "bio": "", "language": "id"}
    )

    assert response.cookies[COOKIE].value == "id"
    assert _page_language(client, accept_language="en") == "id"


def test_choosing_browser_default_forgets_the_cookie(client):
    member = UserFactory(language="id")
    log_in(client, member.username)

    response = client.post(
        reverse("accounts:settings"), {"display_name": "", "bio": "", "language": ""}
    )

    assert response.cookies[COOKIE].value == ""  # deleted
    assert _page_language(client, accept_language="en") == "en"


def test_the_page_after_saving_is_in_the_newly_chosen_language(client):
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        reverse("accounts:settings"),
        {"display_name": "", "bio": "", "language": "id"},
        headers={"accept-language": "en"},
        follow=True,
    )

    assert re.search(r'<html lang="id"[ >]', response.content.decode())
