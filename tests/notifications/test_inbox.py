"""The header's bell, the list page (grouped by thread, keyset pages, constant queries) and
marking read, on the site and through the API."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import events
from notifications.models import Kind, Notification
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notifications(member, count: int, *, questions: int = 1) -> list[Notification]:
    """`count` notifications for `member`, spread over `questions` threads."""
    threads = QuestionFactory.create_batch(questions)
    made = []
    for i in range(count):
        question = threads[i % questions]
        answer = AnswerFactory(question=question)
        with transaction.atomic():
            event = events.record(answer.author, "answer.posted", answer, question=question)
        made.append(
            Notification.objects.create(
                recipient=member,
                event=event,
                kind=Kind.ANSWER,
                question=question,
                url=answer.get_absolute_url(),
            )
        )
    return made


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# --- The bell -------------------------------------------------------------------------------


def test_the_bell_says_how_many_are_unread(client):
    member = UserFactory()
    _notifications(member, 3)
    client.force_login(member)

    html = client.get("/questions/").content.decode()

    assert "Notifications, 3 unread" in html
    assert 'class="bell__count" aria-hidden="true">3<' in html


def test_the_bell_caps_its_count_at_99_plus(client, settings):
    from notifications import queries

    member = UserFactory()
    _notifications(member, 3)
    client.force_login(member)
    queries.UNREAD_CAP, cap = 2, queries.UNREAD_CAP
    try:
        html = client.get("/questions/").content.decode()
    finally:
        queries.UNREAD_CAP = cap

    assert "Notifications, 99+ unread" in html


def test_the_bell_costs_one_query_for_a_member_and_none_for_a_visitor(client):
    QuestionFactory()
    member = UserFactory()
    client.force_login(member)
    _queries(client, "/questions/")
    before = _queries(client, "/questions/")
    _notifications(member, 5)

    assert _queries(client, "/questions/") == before  # the same at any count
    with CaptureQueriesContext(connection) as captured:
        client.get("/questions/")
    bell = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(bell) == 1
    client.logout()
    with CaptureQueriesContext(connection) as captured:
        client.get("/questions/")
    assert not [q for q in captured if "notifications_notification" in q["sql"]]


# --- The list page --------------------------------------------------------------------------


def test_the_list_groups_notifications_by_thread_newest_first(client):
    member = UserFactory()
    made = _notifications(member, 4, questions=2)
    client.force_login(member)

    response = client.get("/notifications/")

    threads = response.context["threads"]
    assert [t.question.pk for t in threads] == [made[3].question_id, made[2].question_id]
    assert [n.pk for n in threads[0].notifications] == [made[3].pk, made[1].pk]


@pytest.mark.parametrize("size", [2, 25])
def test_the_list_page_costs_the_same_queries_at_any_size(client, size):
    member = UserFactory()
    client.force_login(member)
    _notifications(member, 1)
    one = _queries(client, "/notifications/")
    _notifications(member, size, questions=3)

    assert _queries(client, "/notifications/") == one


def test_the_list_pages_by_cursor_without_count_or_offset(client, settings):
    settings.TANYA_PAGE_SIZE = 3
    member = UserFactory()
    made = _notifications(member, 5)
    client.force_login(member)

    with CaptureQueriesContext(connection) as captured:
        first = client.get("/notifications/")
    cursor = first.context["page"].next_cursor
    second = client.get("/notifications/", {"cursor": cursor})

    shown = [n.pk for t in second.context["threads"] for n in t.notifications]
    assert shown == [made[1].pk, made[0].pk]
    listing = [q["sql"] for q in captured if 'FROM "notifications_notification"' in q["sql"]]
    assert not [sql for sql in listing if "OFFSET" in sql and "LIMIT 100" not in sql]


def test_following_a_notification_marks_it_read_and_lands_on_the_answer(client):
    member = UserFactory()
    notification = _notifications(member, 1)[0]
    client.force_login(member)

    response = client.get(f"/notifications/{notification.pk}/go/")

    assert response.status_code == 302
    assert response["Location"] == notification.url
    assert "#answer-" in notification.url
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_not_found(client):
    notification = _notifications(UserFactory(), 1)[0]
    client.force_login(UserFactory())

    assert client.get(f"/notifications/{notification.pk}/go/").status_code == 404
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404


def test_mark_one_and_mark_all_read(client):
    member = UserFactory()
    first, *_rest = _notifications(member, 3)
    client.force_login(member)

    client.post(f"/notifications/{first.pk}/read/")
    assert Notification.objects.filter(read_at=None).count() == 2
    client.post("/notifications/read-all/")

    assert not Notification.objects.filter(read_at=None).exists()
    assert client.get("/notifications/", {"unread": "1"}).context["threads"] == []


def test_the_list_needs_a_signed_in_member(client):
    response = client.get("/notifications/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The API --------------------------------------------------------------------------------


def test_the_api_lists_the_callers_notifications_with_a_cursor(client, settings):
    settings.TANYA_PAGE_SIZE = 2
    member = UserFactory()
    made = _notifications(member, 3)
    _notifications(UserFactory(), 1)
    client.force_login(member)

    first = client.get("/api/v1/notifications/").json()
    second = client.get("/api/v1/notifications/", {"cursor": first["next_cursor"]}).json()

    assert [n["id"] for n in first["items"]] == [made[2].pk, made[1].pk]
    assert [n["id"] for n in second["items"]] == [made[0].pk]
    assert second["next_cursor"] is None
    item = first["items"][0]
    assert item["kind"] == "answer"
    assert item["url"].startswith("http://testserver/questions/")
    assert item["actor"]["username"] == made[2].event.actor.username


def test_the_api_filters_unread_and_marks_read(client):
    member = UserFactory()
    first, second = _notifications(member, 2)
    client.force_login(member)

    marked = client.post(f"/api/v1/notifications/{first.pk}/read/")
    unread = client.get("/api/v1/notifications/", {"unread": "true"}).json()

    assert marked.status_code == 200
    assert marked.json()["read_at"] is not None
    assert [n["id"] for n in unread["items"]] == [second.pk]
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_the_api_refuses_visitors_and_hides_others_notifications(client):
    notification = _notifications(UserFactory(), 1)[0]

    assert client.get("/api/v1/notifications/").status_code == 401
    client.force_login(UserFactory())
    response = client.post(f"/api/v1/notifications/{notification.pk}/read/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("size", [1, 15])
def test_the_api_list_costs_the_same_queries_at_any_size(client, size):
    member = UserFactory()
    _notifications(member, size, questions=2)
    client.force_login(member)
    client.get("/api/v1/notifications/")

    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/notifications/")

    assert len(captured) == 3  # session, user, the page (with threads and actors)
