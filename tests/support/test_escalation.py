"""Escalation to staff: asking staff, the queue, assignment, status changes and automatic
escalation past the response target, each with its audit event; and who may do what."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from forum import actions as forum_actions
from forum.errors import NotAllowed, NotSignedIn
from forum.models import Question
from notifications import jobs
from notifications.models import Kind, Notification
from support import actions
from support.errors import AlreadyEscalated
from support.models import Escalation, Status
from support.queries import QueueFilters, escalation_counts, escalation_queue
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run_(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run_


def _escalation(question=None, **kwargs) -> Escalation:
    question = question or QuestionFactory()
    return actions.escalate_question(question.author, question, **kwargs)


# --- Escalating ------------------------------------------------------------------------------


def test_the_asker_escalates_with_a_reason_and_an_event(settings):
    settings.TANYA_ESCALATION_DUE_MINUTES = 120
    question = QuestionFactory()

    escalation = actions.escalate_question(question.author, question, reason="Billing error")

    assert escalation.status == Status.OPEN
    assert escalation.raised_by == question.author
    assert escalation.due_at - escalation.created_at == timedelta(minutes=120)
    event = Event.objects.get(verb="question.escalated")
    assert event.question_id == question.pk
    assert event.actor_id == question.author_id
    assert event.payload["reason"] == "Billing error"
    assert event.payload["before"] == {"status": None}
    assert event.payload["after"] == {"status": "open"}


def test_a_moderator_escalates_someone_elses_question():
    question = QuestionFactory()

    escalation = actions.escalate_question(ModeratorFactory(), question)

    assert escalation.question == question


def test_escalating_again_returns_the_open_escalation_and_records_nothing():
    question = QuestionFactory()
    first = _escalation(question)

    again = _escalation(question)

    assert again.pk == first.pk
    assert Event.objects.filter(verb="question.escalated").count() == 1


def test_the_database_keeps_one_open_escalation_per_question():
    question = QuestionFactory()
    first = _escalation(question)

    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(question=question, due_at=first.due_at)


def test_another_member_may_not_escalate():
    question = QuestionFactory()

    with pytest.raises(NotAllowed):
        actions.escalate_question(UserFactory(), question)

    assert not Escalation.objects.exists()


def test_a_visitor_may_not_escalate():
    with pytest.raises(NotSignedIn):
        actions.escalate_question(AnonymousUser(), QuestionFactory())


def test_the_asker_escalates_their_private_question_and_staff_are_told(run):
    question = QuestionFactory(is_private=True)
    staff = StaffFactory()

    run(actions.escalate_question, question.author, question, reason="Card charged twice")

    notes = Notification.objects.filter(kind=Kind.ESCALATED)
    assert list(notes.values_list("recipient_id", flat=True)) == [staff.pk]


def test_the_ask_staff_button_shows_to_the_asker_and_escalates(client):
    question = QuestionFactory()
    client.force_login(question.author)

    page = client.get(question.get_absolute_url())
    response = client.post(
        reverse("support:escalate", args=[question.pk]), {"reason": "Please help"}
    )

    assert reverse("support:escalate", args=[question.pk]) in page.text
    assert response.status_code == 302
    assert Escalation.objects.get().reason == "Please help"


def test_the_ask_staff_button_is_not_offered_to_other_members(client):
    question = QuestionFactory()
    client.force_login(UserFactory())

    page = client.get(question.get_absolute_url())
    client.post(reverse("support:escalate", args=[question.pk]), {"reason": "Me too"})

    assert reverse("support:escalate", args=[question.pk]) not in page.text
    assert not Escalation.objects.exists()


def test_a_too_long_reason_is_refused_and_nothing_is_saved(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(reverse("support:escalate", args=[question.pk]), {"reason": "x" * 501})

    assert response.status_code == 302
    assert not Escalation.objects.exists()


# --- Assigning and statuses --------------------------------------------------------------------


def test_staff_assign_an_escalation_and_the_assignee_is_told(run):
    escalation = _escalation()
    lead, agent = StaffFactory(), StaffFactory()

    run(actions.assign_escalation, lead, escalation, agent)

    escalation.refresh_from_db()
    assert escalation.assignee == agent
    event = Event.objects.get(verb="escalation.assigned")
    assert event.actor_id == lead.pk
    assert event.payload == {"before": {"assignee": None}, "after": {"assignee": agent.pk}}
    assert Notification.objects.filter(kind=Kind.ESCALATION_ASSIGNED, recipient=agent).exists()


def test_assigning_the_same_assignee_again_records_nothing():
    escalation = _escalation()
    staff = StaffFactory()
    actions.assign_escalation(staff, escalation, staff)

    actions.assign_escalation(staff, escalation, staff)

    assert Event.objects.filter(verb="escalation.assigned").count() == 1


def test_an_escalation_goes_to_staff_only():
    from core.errors import InvalidInput

    escalation = _escalation()

    with pytest.raises(InvalidInput):
        actions.assign_escalation(StaffFactory(), escalation, UserFactory())


@pytest.mark.parametrize("who", [UserFactory, ModeratorFactory])
def test_members_and_moderators_may_not_assign_or_change_status(who):
    escalation = _escalation()
    actor = who()

    with pytest.raises(NotAllowed):
        actions.assign_escalation(actor, escalation, StaffFactory())
    with pytest.raises(NotAllowed):
        actions.set_escalation_status(actor, escalation, Status.RESOLVED)

    escalation.refresh_from_db()
    assert escalation.assignee is None and escalation.status == Status.OPEN


def test_staff_move_an_escalation_through_its_statuses_with_events():
    escalation = _escalation()
    staff = StaffFactory()

    actions.set_escalation_status(staff, escalation, Status.WAITING)
    actions.set_escalation_status(staff, escalation, Status.RESOLVED)

    escalation.refresh_from_db()
    assert escalation.status == Status.RESOLVED and escalation.resolved_at is not None
    payloads = [
        e.payload for e in Event.objects.filter(verb="escalation.status_changed").order_by("pk")
    ]
    assert payloads == [
        {"before": {"status": "open"}, "after": {"status": "waiting"}},
        {"before": {"status": "waiting"}, "after": {"status": "resolved"}},
    ]


def test_a_resolved_question_can_be_escalated_again():
    question = QuestionFactory()
    first = _escalation(question)
    actions.set_escalation_status(StaffFactory(), first, Status.RESOLVED)

    second = _escalation(question)

    assert second.pk != first.pk


def test_reopening_is_refused_while_another_escalation_is_open():
    question = QuestionFactory()
    first = _escalation(question)
    staff = StaffFactory()
    actions.set_escalation_status(staff, first, Status.RESOLVED)
    _escalation(question)

    with pytest.raises(AlreadyEscalated):
        actions.set_escalation_status(staff, first, Status.OPEN)


def test_an_unknown_status_is_refused():
    from core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        actions.set_escalation_status(StaffFactory(), _escalation(), "lost")


def test_the_status_and_assign_buttons_work_for_staff(client):
    escalation = _escalation()
    staff = StaffFactory()
    client.force_login(staff)

    client.post(reverse("support:assign", args=[escalation.pk]), {"assignee": str(staff.pk)})
    client.post(reverse("support:status", args=[escalation.pk]), {"status": "waiting"})

    escalation.refresh_from_db()
    assert escalation.assignee == staff
    assert escalation.status == Status.WAITING


@pytest.mark.parametrize("name", ["queue", "assign", "status"])
def test_members_get_403_on_the_staff_queue_and_its_actions(client, name):
    escalation = _escalation()
    client.force_login(ModeratorFactory())

    if name == "queue":
        response = client.get(reverse("support:queue"))
    else:
        response = client.post(
            reverse(f"support:{name}", args=[escalation.pk]),
            {"status": "resolved", "assignee": "me"},
        )

    assert response.status_code == 403
    escalation.refresh_from_db()
    assert escalation.status == Status.OPEN and escalation.assignee is None


def test_a_visitor_is_sent_to_log_in_from_the_queue(client):
    response = client.get(reverse("support:queue"))

    assert response.status_code == 302
    assert "login" in response["Location"]


# --- The queue -----------------------------------------------------------------------------------


def _escalated_at(when: datetime, **kwargs) -> Escalation:
    escalation = _escalation(QuestionFactory(**kwargs))
    Escalation.objects.filter(pk=escalation.pk).update(
        created_at=when, due_at=when + timedelta(hours=4)
    )
    return Escalation.objects.get(pk=escalation.pk)


def test_the_queue_lists_unresolved_escalations_overdue_and_oldest_first():
    newest = _escalated_at(NOW - timedelta(hours=1))
    overdue = _escalated_at(NOW - timedelta(hours=6))
    oldest = _escalated_at(NOW - timedelta(hours=9))
    resolved = _escalated_at(NOW - timedelta(hours=10))
    actions.set_escalation_status(StaffFactory(), resolved, Status.RESOLVED)

    items = escalation_queue(QueueFilters()).items

    assert items == [oldest, overdue, newest]
    assert [e.is_overdue(NOW) for e in items] == [True, True, False]


def test_the_queue_filters_by_status_assignee_and_category():
    staff = StaffFactory()
    category = CategoryFactory()
    waiting = _escalated_at(NOW - timedelta(hours=3))
    actions.set_escalation_status(staff, waiting, Status.WAITING)
    mine = _escalated_at(NOW - timedelta(hours=2))
    actions.assign_escalation(staff, mine, staff)
    in_category = _escalated_at(NOW - timedelta(hours=1), category=category)

    by_status = escalation_queue(QueueFilters(status="waiting")).items
    by_assignee = escalation_queue(QueueFilters(assignee=str(staff.pk))).items
    unassigned = escalation_queue(QueueFilters(assignee="none")).items
    by_category = escalation_queue(QueueFilters(category=category.pk)).items

    assert by_status == [waiting]
    assert by_assignee == [mine]
    assert unassigned == [waiting, in_category]
    assert by_category == [in_category]


def test_the_queue_pages_by_keyset():
    escalations = [_escalated_at(NOW - timedelta(hours=h)) for h in range(5, 0, -1)]

    first = escalation_queue(QueueFilters(), size=2)
    second = escalation_queue(QueueFilters(), cursor=first.next_cursor, size=2)
    third = escalation_queue(QueueFilters(), cursor=second.next_cursor, size=2)

    assert first.items + second.items + third.items == escalations
    assert third.next_cursor is None


QUEUE_QUERIES = 8  # session, user, base-page reads, staff, categories, the page: fixed


@pytest.mark.parametrize("count", [2, 8])
def test_the_queue_page_costs_the_same_queries_at_any_size(
    client, count, django_assert_num_queries
):
    for hours in range(count):
        escalation = _escalated_at(NOW - timedelta(hours=hours), is_private=hours % 2 == 0)
        actions.assign_escalation(StaffFactory(), escalation, StaffFactory())
    client.force_login(StaffFactory(is_superuser=True))
    client.get(reverse("support:queue"))  # warm the caches the first request fills

    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("support:queue"))

    assert response.status_code == 200
    assert response.text.count('id="escalation-') == count


def test_staff_see_the_queue_with_its_filters(client):
    escalation = _escalation(QuestionFactory(title="Card charged twice in one day"))
    client.force_login(StaffFactory())

    response = client.get(reverse("support:queue"), {"status": "open"})

    assert response.status_code == 200
    assert "Card charged twice in one day" in response.text
    assert f'id="escalation-{escalation.pk}"' in response.text


def test_the_staff_queue_is_in_the_wagtail_admin_menu(client):
    client.force_login(StaffFactory(is_superuser=True))

    response = client.get("/admin/")

    assert reverse("support:queue") in response.text


# --- Automatic escalation past the target --------------------------------------------------------


def test_an_unanswered_question_past_the_target_is_escalated_once_by_the_clock(run, settings):
    settings.TANYA_RESPONSE_TARGET_MINUTES = 60
    staff = StaffFactory()
    late = QuestionFactory()
    on_time = QuestionFactory()
    answered = QuestionFactory()
    AnswerFactory(question=answered)
    Question.objects.filter(pk=answered.pk).update(answer_count=1)
    Question.objects.filter(pk__in=[late.pk, answered.pk]).update(
        created_at=NOW - timedelta(minutes=61)
    )
    Question.objects.filter(pk=on_time.pk).update(created_at=NOW - timedelta(minutes=59))

    run(jobs.mark_overdue, NOW)
    run(jobs.mark_overdue, NOW)

    escalation = Escalation.objects.get()
    assert escalation.question_id == late.pk
    assert escalation.automatic and escalation.raised_by is None
    event = Event.objects.get(verb="question.escalated")
    assert event.actor_id is None
    assert event.payload["automatic"] is True
    assert Notification.objects.filter(kind=Kind.ESCALATED, recipient=staff).count() == 1


def test_the_clock_does_not_escalate_a_question_already_escalated(run):
    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(created_at=NOW - timedelta(hours=2))
    first = _escalation(Question.objects.get(pk=question.pk))

    run(jobs.mark_overdue, NOW)

    assert list(Escalation.objects.all()) == [first]
    assert Event.objects.filter(verb="question.escalated").count() == 1


def test_the_clock_does_not_escalate_a_question_answered_before_delivery():
    question = QuestionFactory()
    Question.objects.filter(pk=question.pk).update(answer_count=1)

    assert actions.escalate_overdue_question(question.pk) is None
    assert not Escalation.objects.exists()


def test_the_clock_never_escalates_a_private_question_on_its_own():
    question = QuestionFactory(is_private=True)

    assert actions.escalate_overdue_question(question.pk) is None


# --- Counts for the reports ------------------------------------------------------------------


def test_escalation_counts_are_unresolved_ones_and_those_past_due():
    _escalated_at(NOW - timedelta(hours=5))  # due an hour ago
    _escalated_at(NOW - timedelta(hours=1))  # due in three hours
    resolved = _escalated_at(NOW - timedelta(hours=9))
    actions.set_escalation_status(StaffFactory(), resolved, Status.RESOLVED)

    counts = escalation_counts(NOW)

    assert (counts.open, counts.overdue) == (2, 1)


def test_a_deleted_question_keeps_its_escalation_for_staff():
    question = QuestionFactory()
    escalation = _escalation(question)

    forum_actions.delete_question(question.author, question)

    assert escalation_queue(QueueFilters()).items == [escalation]
    assert timezone.is_aware(escalation.due_at)
