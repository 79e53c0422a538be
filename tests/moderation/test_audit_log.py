"""The audit log: every moderator action through every door, for staff, filterable."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import events
from core.models import Door, Event
from forum import actions
from tests.factories import (
    AnswerFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOG = "/admin/moderation/audit-log/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_every_door_leaves_its_record(client):
    moderator, staff = ModeratorFactory(), StaffFactory(is_superuser=True)
    on_site, by_api, in_wagtail = QuestionFactory(), QuestionFactory(), AnswerFactory()
    member = UserFactory()

    client.force_login(moderator)
    client.post(f"/questions/{on_site.pk}/state/", {"state": "closed"})
    client.delete(f"/api/v1/questions/{by_api.pk}/")
    client.post(reverse(in_wagtail.snippet_viewset.get_url_name("delete"), args=[in_wagtail.pk]))
    client.force_login(staff)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "suspend_members", "_selected_action": [member.pk]},
    )
    call_command("load_demo", verbosity=0)

    doors = set(Event.objects.values_list("verb", "door", "actor_id"))
    assert ("question.closed", Door.SITE, moderator.pk) in doors
    assert ("post.deleted", Door.API, moderator.pk) in doors
    assert ("post.deleted", Door.WAGTAIL_ADMIN, moderator.pk) in doors
    assert ("member.suspended", Door.DJANGO_ADMIN, staff.pk) in doors
    assert any(door == Door.COMMAND for _verb, door, _actor in doors)


def test_staff_read_who_did_what_to_which_object(staff_client):
    question = QuestionFactory(title="Printer is slow to wake up")
    moderator = ModeratorFactory(username="mod-ana")
    actions.edit_question(
        moderator,
        question,
        title="Printer is slow to wake from sleep",
        body=question.body,
        tags=[],
        summary="clearer title",
    )

    html = staff_client.get(LOG).content.decode()

    question.refresh_from_db()
    assert "mod-ana" in html
    assert "edited a question" in html
    assert f'href="{question.get_absolute_url()}"' in html
    assert "clearer title" in html
    assert "Printer is slow to wake up → Printer is slow to wake from sleep" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=mod-ana", {"question.closed"}),
        ("verb=question.locked", {"question.locked"}),
        ("door=api", {"question.locked"}),
    ],
)
def test_the_log_filters_by_actor_verb_and_door(staff_client, query, expected):
    first, second = QuestionFactory(), QuestionFactory()
    actions.set_question_state(ModeratorFactory(username="mod-ana"), first, "closed")
    with events.through(Door.API):
        actions.set_question_state(ModeratorFactory(), second, "locked")

    response = staff_client.get(f"{LOG}results/?{query}")

    shown = {
        verb for verb in ("question.closed", "question.locked") if _label(verb) in response.text
    }
    assert shown == expected


def _label(verb):
    return str(events.verbs()[verb])


def test_the_log_filters_by_object(staff_client):
    first, second = QuestionFactory(title="First of the two threads"), QuestionFactory()
    moderator = ModeratorFactory()
    actions.set_question_state(moderator, first, "closed")
    actions.set_question_state(moderator, second, "closed")

    response = staff_client.get(f"{LOG}results/?question_id={first.pk}")

    assert "First of the two threads" in response.text
    assert second.title not in response.text


def test_members_and_moderators_cannot_read_the_log(client):
    client.force_login(ModeratorFactory())

    assert client.get(LOG).status_code in (302, 403)


def test_the_log_costs_the_same_queries_for_a_longer_page(
    staff_client, django_assert_max_num_queries
):
    moderator = ModeratorFactory()
    actions.set_question_state(moderator, QuestionFactory(), "closed")
    staff_client.get(LOG)
    with CaptureQueriesContext(connection) as small:
        staff_client.get(LOG)
    for _ in range(10):
        actions.set_question_state(moderator, QuestionFactory(), "closed")
    with CaptureQueriesContext(connection) as large:
        staff_client.get(LOG)

    assert len(large) == len(small)


def test_wagtails_user_editor_leaves_suspension_to_the_action(client):
    staff, member = StaffFactory(is_superuser=True), UserFactory()
    client.force_login(staff)

    form = client.get(f"/admin/users/{member.pk}/").content.decode()
    client.post(
        reverse("wagtail_bulk_action", args=["accounts", "user", "set_active_state"])
        + f"?id={member.pk}",
        {"mark_as_active": "False"},
    )

    assert 'name="is_active"' not in form
    member.refresh_from_db()
    assert member.is_active is True  # suspended members still sign in and read
    assert member.is_suspended
    event = Event.objects.get(verb="member.suspended")
    assert (event.actor_id, event.door) == (staff.pk, Door.WAGTAIL_ADMIN)


def test_the_log_exports_as_csv(staff_client):
    actions.set_question_state(ModeratorFactory(username="mod-ana"), QuestionFactory(), "closed")

    response = staff_client.get(f"{LOG}?export=csv")

    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "question.closed" in body
    assert "mod-ana" in body


def test_staff_can_list_the_events_whose_reactions_are_still_pending(staff_client):
    with transaction.atomic():
        actions.set_question_state(ModeratorFactory(), QuestionFactory(), "closed")  # undelivered
    Event.objects.create(verb="question.locked", processed_at=timezone.now())

    response = staff_client.get(f"{LOG}results/?pending=true")

    assert _label("question.closed") in response.text
    assert _label("question.locked") not in response.text


def test_the_log_filters_by_kind_of_object(staff_client):
    from django.contrib.contenttypes.models import ContentType

    from accounts import actions as account_actions
    from accounts.models import User

    question = QuestionFactory(title="A thread the filter keeps")
    actions.set_question_state(ModeratorFactory(), question, "closed")
    account_actions.suspend_member(
        StaffFactory(), UserFactory(username="suspended-one"), reason="spam"
    )

    kind = ContentType.objects.get_for_model(User).pk
    response = staff_client.get(f"{LOG}results/?subject_type={kind}")

    assert "suspended-one" in response.text
    assert "A thread the filter keeps" not in response.text
