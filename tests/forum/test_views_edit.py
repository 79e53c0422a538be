import pytest
from django.urls import reverse

from forum.models import Revision
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _question_data(question, **overrides) -> dict:
    return {
        "title": "How do I reset my router to factory settings?",
        "body": "Holding the button does nothing, the lights keep blinking.",
        "category": question.category_id,
        "tags": "routers reset",
        "summary": "Clearer title",
        **overrides,
    }


def test_anonymous_visitors_are_sent_to_log_in_before_editing(client):
    question = QuestionFactory()

    response = client.get(reverse("forum:edit_question", args=[question.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_author_sees_the_edit_form_filled_in(client):
    question = QuestionFactory()
    question.tags.add("wifi")
    client.force_login(question.author)

    response = client.get(reverse("forum:edit_question", args=[question.pk]))

    assert response.status_code == 200
    assert response.context["form"].initial["title"] == question.title
    assert response.context["form"].initial["tags"] == "wifi"


def test_a_member_without_the_edit_privilege_cannot_open_someone_elses_edit_form(client):
    question = QuestionFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("forum:edit_question", args=[question.pk]))

    assert response.status_code == 403


def test_editing_a_question_saves_a_revision_and_redirects_to_it(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(
        reverse("forum:edit_question", args=[question.pk]), _question_data(question)
    )

    question.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.title == "How do I reset my router to factory settings?"
    assert Revision.objects.get(question=question).summary == "Clearer title"


def test_editing_a_question_can_move_it_to_another_category(client):
    question = QuestionFactory()
    other = CategoryFactory()
    client.force_login(question.author)

    client.post(
        reverse("forum:edit_question", args=[question.pk]),
        _question_data(question, category=other.pk),
    )

    question.refresh_from_db()
    assert question.category_id == other.pk


def test_a_bad_edit_is_a_form_error_with_status_400_and_nothing_is_saved(client):
    question = QuestionFactory()
    before = question.title
    client.force_login(question.author)

    response = client.post(
        reverse("forum:edit_question", args=[question.pk]),
        _question_data(question, title="Short"),
    )

    question.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert question.title == before


def test_editing_an_answer_saves_it_and_redirects_to_it(client):
    answer = AnswerFactory()
    client.force_login(answer.author)

    response = client.post(
        reverse("forum:edit_answer", args=[answer.pk]),
        {"body": "Unplug it for thirty seconds, then hold reset.", "summary": ""},
    )

    answer.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    assert answer.body == "Unplug it for thirty seconds, then hold reset."


def test_a_too_short_answer_edit_is_a_form_error_and_nothing_is_saved(client):
    answer = AnswerFactory()
    before = answer.body
    client.force_login(answer.author)

    response = client.post(reverse("forum:edit_answer", args=[answer.pk]), {"body": "No."})

    answer.refresh_from_db()
    assert response.status_code == 400
    assert answer.body == before


def test_a_stranger_cannot_edit_an_answer(client):
    answer = AnswerFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("forum:edit_answer", args=[answer.pk]))

    assert response.status_code == 403


def test_editing_a_locked_question_is_refused_as_a_form_error(client):
    question = QuestionFactory(state="locked")
    client.force_login(question.author)

    response = client.post(
        reverse("forum:edit_question", args=[question.pk]), _question_data(question)
    )

    assert response.status_code == 400
    assert "locked" in str(response.context["form"].non_field_errors())
