import pytest
from django.urls import reverse

from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_author_deletes_their_question_and_lands_on_the_question_list(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(reverse("forum:delete_question", args=[question.pk]))

    question.refresh_from_db()
    assert response["Location"] == reverse("forum:questions")
    assert question.deleted_at is not None
    assert client.get(question.get_absolute_url()).status_code == 404


def test_a_stranger_cannot_delete_a_question(client):
    # A refusal about who is asking is the 403 page (the button isn't offered to them).
    question = QuestionFactory()
    client.force_login(UserFactory())

    response = client.post(reverse("forum:delete_question", args=[question.pk]))

    question.refresh_from_db()
    assert question.deleted_at is None
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_before_deleting(client):
    question = QuestionFactory()

    response = client.post(reverse("forum:delete_question", args=[question.pk]))

    assert response["Location"].startswith(reverse("account_login"))


def test_a_moderator_restores_a_deleted_question(client):
    question = QuestionFactory()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    client.post(reverse("forum:delete_question", args=[question.pk]))

    response = client.post(reverse("forum:restore_question", args=[question.pk]))

    question.refresh_from_db()
    assert response["Location"] == question.get_absolute_url()
    assert question.deleted_at is None


def test_the_author_deletes_their_answer(client):
    answer = AnswerFactory()
    client.force_login(answer.author)

    response = client.post(reverse("forum:delete_answer", args=[answer.pk]))

    answer.refresh_from_db()
    assert response["Location"] == answer.question.get_absolute_url()
    assert answer.deleted_at is not None


def test_moderators_see_deleted_answers_with_a_restore_button(client):
    answer = AnswerFactory()
    client.force_login(answer.author)
    client.post(reverse("forum:delete_answer", args=[answer.pk]))
    client.force_login(ModeratorFactory())

    html = client.get(answer.question.get_absolute_url()).content.decode()

    assert reverse("forum:restore_answer", args=[answer.pk]) in html


def test_a_moderator_restores_a_deleted_answer(client):
    answer = AnswerFactory()
    client.force_login(answer.author)
    client.post(reverse("forum:delete_answer", args=[answer.pk]))
    client.force_login(ModeratorFactory())

    client.post(reverse("forum:restore_answer", args=[answer.pk]))

    answer.refresh_from_db()
    assert answer.deleted_at is None


def test_a_moderator_closes_a_question(client):
    question = QuestionFactory()
    client.force_login(ModeratorFactory())

    response = client.post(reverse("forum:set_state", args=[question.pk]), {"state": "closed"})

    question.refresh_from_db()
    assert response["Location"] == question.get_absolute_url()
    assert question.state == "closed"


def test_a_member_cannot_change_a_questions_state(client):
    question = QuestionFactory()
    client.force_login(question.author)

    client.post(reverse("forum:set_state", args=[question.pk]), {"state": "locked"})

    question.refresh_from_db()
    assert question.state == "open"


def test_an_unknown_state_is_refused(client):
    question = QuestionFactory()
    client.force_login(ModeratorFactory())

    client.post(reverse("forum:set_state", args=[question.pk]), {"state": "archived"})

    question.refresh_from_db()
    assert question.state == "open"


def test_a_locked_question_shows_a_banner_and_no_answer_form(client):
    question = QuestionFactory(state="locked")
    client.force_login(UserFactory())

    html = client.get(question.get_absolute_url()).content.decode()

    assert "banner--warning" in html
    assert reverse("forum:answer", args=[question.pk]) not in html
