"""Posts carry the language they are written in, as a `lang` attribute (docs/i18n.md)."""

import pytest

from core.textlanguage import detect_language
from forum.actions import ask_question, post_answer
from forum.errors import InvalidInput
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_indonesian_text_is_detected():
    assert detect_language("Router saya tidak bisa terhubung ke internet sejak kemarin") == "id"


def test_english_text_is_detected():
    assert detect_language("My router has not connected to the internet since yesterday") == "en"


def test_text_without_stopwords_falls_back_on_the_default():
    assert detect_language("TP-Link AX55 WPA3", default="id") == "id"


def test_an_indonesian_question_is_stored_as_indonesian():
    question = ask_question(
        UserFactory(),
        title="Bagaimana cara mengganti kata sandi wifi saya?",
        body="Saya sudah mencoba dari aplikasi tetapi tidak ada menu untuk itu.",
        category=CategoryFactory(),
    )

    assert question.language == "id"


def test_the_writer_can_say_which_language_it_is():
    question = QuestionFactory()

    answer = post_answer(
        UserFactory(), question, body="Coba reset the router dulu, then wait.", language="en"
    )

    assert answer.language == "en"


def test_an_unknown_language_is_refused():
    with pytest.raises(InvalidInput):
        post_answer(UserFactory(), QuestionFactory(), body="Reset it and wait.", language="xx")


def test_the_question_page_marks_each_post_with_its_language(client):
    question = ask_question(
        UserFactory(),
        title="Bagaimana cara mengganti kata sandi wifi saya?",
        body="Saya sudah mencoba dari aplikasi tetapi tidak ada menu untuk itu.",
        category=CategoryFactory(),
    )
    post_answer(UserFactory(), question, body="Open the app, then tap the settings and the Wi-Fi.")

    html = client.get(question.get_absolute_url()).content.decode()

    assert '<div class="prose" lang="id">' in html
    assert '<div class="prose" lang="en">' in html


def test_the_api_takes_and_gives_the_language(client):
    from django.urls import reverse

    member = UserFactory()
    client.force_login(member)
    category = CategoryFactory()
    response = client.post(
        reverse("api:ask_question_endpoint"),
        {
            "title": "Why does my invoice show two charges?",
            "body": "I was charged twice this month and the app does not say why.",
            "category": category.pk,
            "language": "id",
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["language"] == "id"
