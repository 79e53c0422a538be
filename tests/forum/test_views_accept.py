import pytest
from django.urls import reverse

from tests.factories import AnswerFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def answer():
    return AnswerFactory()


def test_the_asker_accepts_an_answer_and_is_redirected_back(client, answer):
    question = answer.question
    client.force_login(question.author)

    response = client.post(reverse("forum:accept", args=[answer.pk]))

    question.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.accepted_answer == answer


def test_accepting_with_htmx_rerenders_the_answers_section_with_the_solution(client, answer):
    client.force_login(answer.question.author)

    response = client.post(reverse("forum:accept", args=[answer.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.strip().startswith('<section id="answers"')
    assert "Solution" in html
    assert "Accepted by the asker" in html


def test_a_stranger_cannot_accept_and_sees_why(client, answer):
    client.force_login(UserFactory())

    response = client.post(reverse("forum:accept", args=[answer.pk]), follow=True)

    answer.question.refresh_from_db()
    assert answer.question.accepted_answer is None
    assert "Only the asker or a moderator can accept an answer." in response.content.decode()


def test_a_strangers_htmx_accept_sends_the_error_to_the_flash_area(client, answer):
    client.force_login(UserFactory())

    response = client.post(reverse("forum:accept", args=[answer.pk]), headers=HTMX)

    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"
    assert 'role="alert"' in response.content.decode()


def test_the_asker_sees_an_accept_button_on_each_answer(client, answer):
    client.force_login(answer.question.author)

    html = client.get(answer.question.get_absolute_url()).content.decode()

    assert reverse("forum:accept", args=[answer.pk]) in html


def test_the_asker_unaccepts_an_answer(client, answer):
    question = answer.question
    client.force_login(question.author)
    client.post(reverse("forum:accept", args=[answer.pk]))

    response = client.post(reverse("forum:unaccept", args=[question.pk]), headers=HTMX)

    question.refresh_from_db()
    assert question.accepted_answer is None
    assert "Solution" not in response.content.decode()


def test_a_moderator_sees_a_verify_button_on_an_unverified_accepted_answer(client, answer):
    client.force_login(answer.question.author)
    client.post(reverse("forum:accept", args=[answer.pk]))
    client.force_login(ModeratorFactory())

    html = client.get(answer.question.get_absolute_url()).content.decode()

    assert reverse("forum:verify", args=[answer.question.pk]) in html


def test_a_moderator_verifies_the_accepted_answer(client, answer):
    question = answer.question
    client.force_login(question.author)
    client.post(reverse("forum:accept", args=[answer.pk]))
    moderator = ModeratorFactory()
    client.force_login(moderator)

    response = client.post(reverse("forum:verify", args=[question.pk]), headers=HTMX)

    question.refresh_from_db()
    assert question.verified_by == moderator
    assert "Staff-verified solution" in response.content.decode()


def test_a_member_cannot_verify_an_answer(client, answer):
    question = answer.question
    client.force_login(question.author)
    client.post(reverse("forum:accept", args=[answer.pk]))

    client.post(reverse("forum:verify", args=[question.pk]))

    question.refresh_from_db()
    assert question.verified_by is None
