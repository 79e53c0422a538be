import pytest
from django.urls import reverse

from forum.models import Answer
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
BODY = "Hold the reset button for ten seconds until the light blinks."


@pytest.fixture
def question():
    return QuestionFactory()


@pytest.fixture
def member(client):
    member = UserFactory()
    client.force_login(member)
    return member


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_saved(client, question):
    response = client.post(reverse("forum:answer", args=[question.pk]), {"body": BODY})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Answer.objects.exists()


def test_an_anonymous_htmx_post_redirects_the_whole_page_to_log_in(client, question):
    response = client.post(
        reverse("forum:answer", args=[question.pk]), {"body": BODY}, headers=HTMX
    )

    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_answering_without_javascript_redirects_to_the_new_answer(client, member, question):
    response = client.post(reverse("forum:answer", args=[question.pk]), {"body": BODY})

    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == answer.get_absolute_url()
    assert answer.author == member


def test_answering_with_htmx_returns_the_answers_section_and_a_fresh_form(client, member, question):
    response = client.post(
        reverse("forum:answer", args=[question.pk]), {"body": BODY}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="answers"' in html
    assert BODY in html
    assert 'id="answer-form"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html


def test_a_too_short_answer_rerenders_the_page_with_status_400_and_saves_nothing(
    client, member, question
):
    response = client.post(reverse("forum:answer", args=[question.pk]), {"body": "Short."})

    assert response.status_code == 400
    assert response.context["answer_form"].errors["body"]
    assert not Answer.objects.exists()


def test_a_too_short_answer_with_htmx_swaps_the_form_with_its_error(client, member, question):
    response = client.post(
        reverse("forum:answer", args=[question.pk]), {"body": "Short."}, headers=HTMX
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#answer-form"
    assert "Please write at least 20 characters." in response.content.decode()
    assert not Answer.objects.exists()


def test_answering_a_closed_question_is_refused_as_a_form_error(client, member):
    question = QuestionFactory(state="closed")

    response = client.post(reverse("forum:answer", args=[question.pk]), {"body": BODY})

    assert response.status_code == 400
    assert "closed" in str(response.context["answer_form"].non_field_errors())
    assert not Answer.objects.exists()
