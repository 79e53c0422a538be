"""How the site's moderator tools, delete and restore answer a refusal, and which field
a refused merge names (docs/moderation-actions.md, "Doors").

A refusal about who is asking (403) is the refusal page; any other (409 a locked or
deleted post, 422 bad input) is flashed back on the page; htmx gets the flash fragment
for both, with the API's error body in HX-Trigger."""

import json

import pytest
from django.urls import reverse

from core.models import Event
from forum.models import Answer, Question
from tests.api.conftest import ApiClient
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _trigger(response) -> dict:
    return json.loads(response["HX-Trigger"])["tanya:refused"]


# --- Merging a question into itself names the field filled in: `into` -----------------


def test_the_api_refuses_a_merge_into_itself_on_into():
    question = QuestionFactory()

    response = ApiClient(ModeratorFactory()).post(
        f"/questions/{question.pk}/merge/", {"into": question.pk}
    )

    assert response.status_code == 422, response.content
    assert response.json()["field"] == "into"
    assert not Event.objects.exists()


@pytest.mark.parametrize("into", ["{pk}", "#{pk}", "/questions/{pk}/x/"])
def test_the_site_refuses_a_merge_into_itself_on_into(client, into):
    question = QuestionFactory()
    client.force_login(ModeratorFactory())
    url = reverse("forum:merge", args=[question.pk])
    data = {"into": into.format(pk=question.pk)}

    flashed = client.post(url, data, follow=True)
    fragment = client.post(url, data, headers=HTMX)

    assert [str(m) for m in flashed.context["messages"]] == [
        "A question can't be merged into itself."
    ]
    assert fragment.status_code == 200
    assert _trigger(fragment)["field"] == "into"
    assert not Question.objects.get(pk=question.pk).is_merged
    assert not Event.objects.exists()


# --- Delete and restore: 403 is the refusal page, other refusals a message -------------


def test_a_stranger_deleting_a_question_gets_the_refusal_page(client):
    question = QuestionFactory()
    client.force_login(UserFactory(trusted=True))

    response = client.post(reverse("forum:delete_question", args=[question.pk]))

    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).is_visible


def test_a_stranger_deleting_an_answer_by_htmx_gets_the_flash_fragment(client):
    answer = AnswerFactory()
    client.force_login(UserFactory(trusted=True))

    response = client.post(reverse("forum:delete_answer", args=[answer.pk]), headers=HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#flash"
    assert _trigger(response)["code"] == "not_allowed"
    assert Answer.objects.get(pk=answer.pk).is_visible


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_the_author_restoring_their_own_post_gets_the_refusal_page(client, kind):
    answer = AnswerFactory(deleted=True)
    post = answer.question if kind == "question" else answer
    if kind == "question":
        Question.objects.filter(pk=post.pk).update(visibility="deleted")
    client.force_login(post.author)

    response = client.post(reverse(f"forum:restore_{kind}", args=[post.pk]))

    assert response.status_code == 403
    assert not Event.objects.exists()


def test_the_author_deleting_on_a_locked_question_gets_a_message(client):
    """409 is about the post, not the visitor: flashed back on the page, as before."""
    question = QuestionFactory(state="locked")
    answer = AnswerFactory(question=question)
    client.force_login(answer.author)

    response = client.post(reverse("forum:delete_answer", args=[answer.pk]))

    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    messages = [str(m) for m in client.get(response["Location"], follow=True).context["messages"]]
    assert messages == ["This question is locked by a moderator."]
    assert Answer.objects.get(pk=answer.pk).is_visible


def test_a_moderator_restoring_an_answer_of_a_deleted_question_gets_a_message(client):
    answer = AnswerFactory(deleted=True)
    Question.objects.filter(pk=answer.question_id).update(visibility="deleted")
    client.force_login(ModeratorFactory())

    response = client.post(reverse("forum:restore_answer", args=[answer.pk]), follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["This post has been deleted."]
    assert not Event.objects.exists()
