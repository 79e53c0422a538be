"""An edit detects the post's language again from the new text; the writer can still say
which it is, in the edit forms and the API (docs/i18n.md)."""

import pytest
from django.urls import reverse

from forum.actions import edit_answer, edit_question, moderator_edit_answer
from forum.errors import InvalidInput
from forum.models import Answer, Question
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory

pytestmark = pytest.mark.django_db

INDONESIAN_TITLE = "Bagaimana cara mengganti kata sandi wifi saya?"
INDONESIAN_BODY = "Saya sudah mencoba dari aplikasi tetapi tidak ada menu untuk itu."
INDONESIAN_ANSWER = "Coba buka menu Pengaturan di aplikasi, lalu pilih Wi-Fi dan ganti di sana."


def _english_question() -> Question:
    question = QuestionFactory(language="en")
    question.tags.add("wifi")
    return question


def test_rewriting_a_question_in_indonesian_makes_it_indonesian():
    question = _english_question()

    edited = edit_question(
        question.author, question, title=INDONESIAN_TITLE, body=INDONESIAN_BODY, tags="wifi"
    )

    assert edited.language == "id"
    assert Question.objects.get(pk=question.pk).language == "id"


def test_rewriting_an_answer_in_indonesian_makes_it_indonesian():
    answer = AnswerFactory(language="en")

    edit_answer(answer.author, answer, body=INDONESIAN_ANSWER)

    assert Answer.objects.get(pk=answer.pk).language == "id"


def test_an_edit_that_leaves_the_text_alone_keeps_the_writers_choice():
    question = _english_question()
    Question.objects.filter(pk=question.pk).update(language="id")  # the writer's override
    question.refresh_from_db()

    edit_question(
        question.author, question, title=question.title, body=question.body, tags="wifi router"
    )

    assert Question.objects.get(pk=question.pk).language == "id"


def test_the_writer_can_override_the_detection_on_edit():
    answer = AnswerFactory(language="en")

    edit_answer(answer.author, answer, body=INDONESIAN_ANSWER, language="en")

    assert Answer.objects.get(pk=answer.pk).language == "en"


def test_changing_only_the_language_is_an_edit():
    answer = AnswerFactory(language="en")

    edit_answer(answer.author, answer, body=answer.body, language="id")

    answer.refresh_from_db()
    assert answer.language == "id"
    assert answer.revisions.count() == 1


def test_an_unknown_language_is_refused_on_edit():
    answer = AnswerFactory()

    with pytest.raises(InvalidInput):
        edit_answer(answer.author, answer, body=INDONESIAN_ANSWER, language="xx")


def test_a_moderators_edit_detects_the_language_too():
    answer = AnswerFactory(language="en")

    moderator_edit_answer(
        ModeratorFactory(), answer, reason="Translated for the asker", body=INDONESIAN_ANSWER
    )

    assert Answer.objects.get(pk=answer.pk).language == "id"


def test_the_edit_form_offers_the_language_and_detects_by_default(client):
    question = _english_question()
    client.force_login(question.author)
    url = reverse("forum:edit_question", args=[question.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": INDONESIAN_TITLE,
            "body": INDONESIAN_BODY,
            "category": question.category_id,
            "tags": "wifi",
            "language": "",
            "summary": "",
        },
    )

    assert 'name="language"' in page
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).language == "id"


def test_the_answer_edit_form_takes_the_writers_choice(client):
    answer = AnswerFactory(language="en")
    client.force_login(answer.author)

    response = client.post(
        reverse("forum:edit_answer", args=[answer.pk]),
        {"body": INDONESIAN_ANSWER, "language": "en", "summary": ""},
    )

    assert response.status_code == 302
    assert Answer.objects.get(pk=answer.pk).language == "en"


def test_the_api_edit_detects_again_and_takes_a_choice(client):
    answer = AnswerFactory(language="en")
    client.force_login(answer.author)
    url = reverse("api:edit_answer_endpoint", args=[answer.pk])

    detected = client.patch(url, {"body": INDONESIAN_ANSWER}, content_type="application/json")
    chosen = client.patch(url, {"language": "en"}, content_type="application/json")

    assert detected.status_code == 200, detected.content
    assert detected.json()["language"] == "id"
    assert chosen.json()["language"] == "en"
