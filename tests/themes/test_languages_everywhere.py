"""Bahasa Indonesia reaches past the templates: account emails, form errors raised by the
write functions, and reputation reasons from the ledger."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from forum import actions
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    yield
    translation.activate("en")


@pytest.fixture
def indonesian(client):
    client.cookies["django_language"] = "id"
    return client


def test_a_password_reset_email_is_written_in_the_readers_language(indonesian):
    UserFactory(email="siti@example.com")

    indonesian.post(reverse("account_reset_password"), {"email": "siti@example.com"})

    message = mail.outbox[0]
    assert "Kata Sandi" in message.subject
    assert "kata sandi" in message.body
    assert "password" not in message.body.lower().replace("/password/", "")


def test_a_form_error_from_the_write_function_is_in_indonesian(indonesian):
    indonesian.force_login(UserFactory())

    response = indonesian.post(
        reverse("forum:ask"),
        {"title": "Tolong", "body": "Router saya mati terus.", "category": CategoryFactory().pk},
    )

    assert response.status_code == 400
    assert "Judul harus minimal 15 karakter." in response.content.decode()


def test_reputation_reasons_on_a_profile_are_in_indonesian(indonesian):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    actions.accept_answer(question.author, question, answer)

    html = indonesian.get(answer.author.get_absolute_url()).content.decode()

    assert '<span class="rep-entry__reason">Jawaban diterima</span>' in html
    assert "answer accepted" not in html.lower()
