"""A held post (the spam check's HOLD: a new member's first post with a link) is invisible
to everyone but its author and moderators on every read path, counts nowhere, indexes
nowhere and notifies nobody."""

import pytest

from forum import actions
from forum.models import Question
from forum.queries import question_list
from notifications import actions as notification_actions
from notifications.models import Notification
from search.documents import documents_for_source, question_source
from search.queries import search
from tests.api.conftest import ApiClient
from tests.factories import CategoryFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "Cheap router firmware that fixes everything"
LINKED = "Download the fixed firmware from https://spam.example/fw right now, it works."


@pytest.fixture(autouse=True)
def _defences_on(settings):
    settings.TANYA_NEW_MEMBER_REPUTATION = 10


@pytest.fixture
def newcomer():
    return UserFactory(reputation=1)


@pytest.fixture
def held_question(newcomer, django_capture_on_commit_callbacks):
    category = CategoryFactory()
    follower = UserFactory()
    notification_actions.follow(follower, category=category)
    with django_capture_on_commit_callbacks(execute=True):  # search and notifications run
        question = actions.ask_question(newcomer, title=TITLE, body=LINKED, category=category)
    assert question.is_held
    return question


def test_a_held_question_is_in_no_list(held_question):
    assert held_question.pk not in [q.pk for q in question_list().items]
    assert held_question.pk not in [q.pk for q in question_list(sort="unanswered").items]


def test_a_held_question_page_is_for_its_author_and_moderators(client, held_question, newcomer):
    url = held_question.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(newcomer)
    assert client.get(url).status_code == 200
    client.force_login(ModeratorFactory())
    assert client.get(url).status_code == 200


def test_a_held_question_is_hidden_in_the_api(held_question, newcomer):
    listed = ApiClient().get("/questions/").json()["items"]

    assert held_question.pk not in [q["id"] for q in listed]
    assert ApiClient().get(f"/questions/{held_question.pk}/").status_code == 404
    assert ApiClient(UserFactory()).get(f"/questions/{held_question.pk}/").status_code == 404
    assert ApiClient(newcomer).get(f"/questions/{held_question.pk}/").status_code == 200


def test_a_held_question_is_not_indexed_nor_found(held_question, newcomer):
    assert documents_for_source(question_source(held_question.pk)) == []
    assert search("router firmware").items == []
    assert search("router firmware", user=newcomer).items == []


def test_a_held_question_notifies_nobody(held_question):
    assert not Notification.objects.exists()


def test_a_held_answer_notifies_no_follower_and_is_not_shown_to_others(
    client, newcomer, django_capture_on_commit_callbacks
):
    question = QuestionFactory()
    notification_actions.follow(question.author, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        answer = actions.post_answer(newcomer, question, body=LINKED)

    assert answer.is_held
    assert not Notification.objects.exists()
    assert Question.objects.get(pk=question.pk).answer_count == 0
    page = client.get(question.get_absolute_url()).content.decode()
    assert "spam.example" not in page
    api = ApiClient().get(f"/questions/{question.pk}/answers/").json()
    assert answer.pk not in [a["id"] for a in api["items"]]
    client.force_login(newcomer)
    assert "spam.example" in client.get(question.get_absolute_url()).content.decode()
