"""Every action records exactly its event, in its own transaction; subscribers run after
commit, are retried until they succeed, and the whole fan-out reads in one place."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts import actions as account_actions
from core import events
from core.models import Door, Event, HandlerRun
from forum import actions
from forum.models import QuestionState
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BODY = "It stops after the first page, every single time I print."


def _only_event() -> Event:
    recorded = list(Event.objects.all())
    assert len(recorded) == 1, [e.verb for e in recorded]
    return recorded[0]


def _subject(event: Event):
    return ContentType.objects.get_for_id(event.subject_type_id).get_object_for_this_type(
        pk=event.subject_id
    )


# --- Each forum action records exactly its event ------------------------------------------


def _ask(actor):
    return actions.ask_question(
        actor, title="Scanner shows a paper jam", body=BODY, category=CategoryFactory()
    )


def _answered():
    answer = AnswerFactory()
    Event.objects.all().delete()
    return answer


def _accepted():
    answer = AnswerFactory()
    actions.accept_answer(answer.question.author, answer.question, answer)
    Event.objects.all().delete()
    return answer


def _deleted_question():
    question = QuestionFactory()
    actions.delete_question(question.author, question)
    Event.objects.all().delete()
    return question


def _deleted_answer():
    answer = AnswerFactory()
    actions.delete_answer(answer.author, answer)
    Event.objects.all().delete()
    return answer


# (name, set-up returning the object, the write as (obj) -> (actor, subject), verb)
FORUM_WRITES = {
    "ask": (
        lambda: UserFactory(),
        lambda actor: (actor, _ask(actor)),
        "question.asked",
    ),
    "edit question": (
        QuestionFactory,
        lambda q: (
            q.author,
            actions.edit_question(q.author, q, title="A clearer title here", body=BODY, tags=[]),
        ),
        "question.edited",
    ),
    "close": (
        QuestionFactory,
        lambda q: (m := ModeratorFactory(), actions.set_question_state(m, q, QuestionState.CLOSED)),
        "question.closed",
    ),
    "lock": (
        QuestionFactory,
        lambda q: (m := ModeratorFactory(), actions.set_question_state(m, q, QuestionState.LOCKED)),
        "question.locked",
    ),
    "make private": (
        QuestionFactory,
        lambda q: (s := StaffFactory(), actions.set_question_privacy(s, q, True)),
        "question.privacy_changed",
    ),
    "delete question": (
        QuestionFactory,
        lambda q: (q.author, actions.delete_question(q.author, q)),
        "post.deleted",
    ),
    "restore question": (
        _deleted_question,
        lambda q: (m := ModeratorFactory(), actions.restore_question(m, q)),
        "post.restored",
    ),
    "answer": (
        QuestionFactory,
        lambda q: (a := UserFactory(), actions.post_answer(a, q, body=BODY)),
        "answer.posted",
    ),
    "edit answer": (
        _answered,
        lambda a: (a.author, actions.edit_answer(a.author, a, body=BODY + " Edited.")),
        "answer.edited",
    ),
    "delete answer": (
        _answered,
        lambda a: (a.author, actions.delete_answer(a.author, a)),
        "post.deleted",
    ),
    "restore answer": (
        _deleted_answer,
        lambda a: (m := ModeratorFactory(), actions.restore_answer(m, a)),
        "post.restored",
    ),
    "comment": (
        QuestionFactory,
        lambda q: (q.author, actions.post_comment(q.author, q, body="Which model is it?")),
        "comment.posted",
    ),
    "delete comment": (
        lambda: CommentFactory(question=QuestionFactory()),
        lambda c: (c.author, actions.delete_comment(c.author, c)),
        "comment.deleted",
    ),
    "vote": (
        _answered,
        lambda a: (s := StaffFactory(), actions.cast_vote(s, a, 1)),
        "vote.cast",
    ),
    "accept": (
        _answered,
        lambda a: (
            a.question.author,
            actions.accept_answer(a.question.author, a.question, a) and a,
        ),
        "answer.accepted",
    ),
    "unaccept": (
        _accepted,
        lambda a: (a.question.author, actions.unaccept_answer(a.question.author, a.question) and a),
        "answer.unaccepted",
    ),
    "verify": (
        _accepted,
        lambda a: (m := ModeratorFactory(), actions.verify_answer(m, a.question) and a),
        "answer.verified",
    ),
}


@pytest.mark.parametrize("name", FORUM_WRITES)
def test_each_forum_action_records_exactly_its_event(name):
    arrange, act, verb = FORUM_WRITES[name]
    target = arrange()
    Event.objects.all().delete()

    actor, subject = act(target)

    event = _only_event()
    assert (event.verb, event.actor_id) == (verb, actor.pk)
    assert _subject(event) == subject
    assert event.question_id is not None


def test_an_edit_records_its_reason_and_the_before_and_after():
    question = QuestionFactory(title="Printer is slow to wake up")

    actions.edit_question(
        question.author,
        question,
        title="Printer is slow to wake from sleep",
        body=question.body,
        tags=["printer"],
        summary="clearer title",
    )

    payload = _only_event().payload
    assert payload["reason"] == "clearer title"
    assert payload["changed"] == ["title", "tags"]
    assert payload["before"] == {"title": "Printer is slow to wake up", "tags": ""}
    assert payload["after"] == {"title": "Printer is slow to wake from sleep", "tags": "printer"}


def test_closing_records_the_state_before_and_after():
    question = QuestionFactory()

    actions.set_question_state(ModeratorFactory(), question, QuestionState.CLOSED)

    assert _only_event().payload == {
        "before": {"state": "open", "close_reason": "", "duplicate_of": None},
        "after": {"state": "closed", "close_reason": "", "duplicate_of": None},
    }


def test_repeating_a_completed_action_records_nothing():
    question = QuestionFactory()
    moderator = ModeratorFactory()
    actions.set_question_state(moderator, question, QuestionState.CLOSED)
    Event.objects.all().delete()

    actions.set_question_state(moderator, question, QuestionState.CLOSED)

    assert not Event.objects.exists()


def test_a_refused_action_records_nothing():
    question = QuestionFactory()

    with pytest.raises(actions.NotAllowed):
        actions.delete_question(UserFactory(), question)

    assert not Event.objects.exists()


# --- Account actions -----------------------------------------------------------------------


def test_account_actions_record_their_events():
    staff, member = StaffFactory(), UserFactory(display_name="Old name")

    account_actions.update_profile(member, member, display_name="New name")
    account_actions.suspend_member(staff, member, reason="spam links")
    account_actions.reinstate_member(staff, member)
    account_actions.delete_account(member, member)

    recorded = list(Event.objects.order_by("pk").values_list("verb", "actor_id", "payload"))
    assert recorded == [
        (
            "member.profile_updated",
            member.pk,
            {"before": {"display_name": "Old name"}, "after": {"display_name": "New name"}},
        ),
        (
            "member.suspended",
            staff.pk,
            {
                "until": None,
                "reason": "spam links",
                "before": {"suspended": False, "until": None, "reason": ""},
                "after": {"suspended": True, "until": None, "reason": "spam links"},
            },
        ),
        (
            "member.reinstated",
            staff.pk,
            {
                "until": None,
                "reason": "",
                "before": {"suspended": True, "until": None, "reason": "spam links"},
                "after": {"suspended": False, "until": None, "reason": ""},
            },
        ),
        ("member.deleted", member.pk, {}),
    ]


def test_a_member_cannot_suspend_anyone():
    with pytest.raises(account_actions.NotAllowed):
        account_actions.suspend_member(UserFactory(), UserFactory(), reason="no")

    assert not Event.objects.exists()


# --- Same transaction ---------------------------------------------------------------------


def test_an_event_is_rolled_back_with_its_write():
    actor = UserFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        _ask(actor)
        raise RuntimeError

    assert not Event.objects.exists()


def test_subscribers_do_not_run_for_a_rolled_back_write(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _ask(UserFactory())
        raise RuntimeError

    assert callbacks == []
    assert not HandlerRun.objects.exists()


def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        transaction.get_connection().in_atomic_block = False
        try:
            events.record(None, "question.asked")
        finally:
            transaction.get_connection().in_atomic_block = True


def test_an_undeclared_verb_is_refused():
    with pytest.raises(ValueError, match="Undeclared"):
        events.record(None, "question.teleported")


def test_after_commit_every_subscriber_runs_and_the_event_is_done(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(UserFactory())

    event = Event.objects.get()
    assert event.processed_at is not None
    assert set(HandlerRun.objects.values_list("handler", flat=True)) == set(
        events.fan_out()["question.asked"]
    )


# --- Failing subscribers are retried --------------------------------------------------------


@pytest.fixture
def flaky():
    """A subscriber to question.asked that fails until told otherwise."""
    state = {"fail": True, "calls": []}

    @events.subscriber("question.asked")
    def flaky_subscriber(event):
        state["calls"].append(event.pk)
        if state["fail"]:
            raise ConnectionError("the receiver is down")

    yield state
    events._SUBSCRIBERS[:] = [s for s in events._SUBSCRIBERS if s.func is not flaky_subscriber]


def test_a_failing_subscriber_keeps_the_event_pending_and_the_others_still_run(
    flaky, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(UserFactory())

    event = Event.objects.get()
    assert event.processed_at is None
    assert (event.attempts, "the receiver is down" in event.last_error) == (1, True)
    assert event.next_attempt_at > timezone.now()
    assert "search.subscribers.reindex_thread" in set(
        HandlerRun.objects.values_list("handler", flat=True)
    )


def test_a_failed_subscriber_is_retried_after_its_back_off_until_it_succeeds(
    flaky, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(UserFactory())
    event = Event.objects.get()

    assert events.catch_up() == (0, 1)  # still backing off
    Event.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert events.catch_up() == (0, 1)  # due, tried, failed again
    event.refresh_from_db()
    assert event.attempts == 2
    assert event.next_attempt_at - timezone.now() > timedelta(seconds=50)  # doubled

    flaky["fail"] = False
    Event.objects.update(next_attempt_at=None)
    assert events.catch_up() == (1, 0)
    event.refresh_from_db()
    assert event.processed_at is not None
    assert len(flaky["calls"]) == 3


def test_subscribers_that_succeeded_are_not_run_again(flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(UserFactory())
    runs_before = HandlerRun.objects.count()
    flaky["fail"] = False

    events.deliver(Event.objects.get().pk)

    assert HandlerRun.objects.count() == runs_before + 1


def test_delivering_a_done_event_again_changes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(UserFactory())
    event = Event.objects.get()
    runs = list(HandlerRun.objects.values_list("pk", flat=True))

    assert events.deliver(event.pk) is True
    assert list(HandlerRun.objects.values_list("pk", flat=True)) == runs


def test_the_catch_up_leaves_young_untried_events_to_their_own_task():
    with transaction.atomic():
        _ask(UserFactory())  # its on-commit delivery never runs in this test

    assert events.catch_up() == (0, 1)
    Event.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert events.catch_up() == (1, 0)


def test_the_catch_up_command_delivers_everything_pending(capsys):
    from django.core.management import call_command

    with transaction.atomic():
        _ask(UserFactory())

    call_command("events_catch_up", "--all")

    assert "Delivered 1 event(s); 0 still pending." in capsys.readouterr().out
    assert not events.pending().exists()


# --- The fan-out, in one place --------------------------------------------------------------

PURGE_IMAGES = "forum.subscribers.purge_post_attachments"
MEMBER_COUNTS = "forum.subscribers.recount_member_posts"
SEARCH_THREAD = "search.subscribers.reindex_thread"
SEARCH_ARTICLE = "search.subscribers.reindex_article"
ASK_VISIT = "search.subscribers.mark_ask_visit_asked"
EMBED_THREAD = "search.subscribers.embed_thread"
EMBED_ARTICLE = "search.subscribers.embed_article"
KB_RECHECK = "kb.subscribers.recheck_article_source"
KB_VISIBILITY = "kb.subscribers.follow_source_visibility"
NOTIFY_SOURCE = "notifications.subscribers.notify_article_source"
REPLAY_APPROVED = "notifications.subscribers.replay_approved_post"
WEBHOOKS_APPROVED = "webhooks.subscribers.send_approved_post"
FOLLOW_OWN = "notifications.subscribers.follow_own_question"
FOLLOW_PARTICIPATION = "notifications.subscribers.follow_on_participation"
SEARCH_MERGED = "search.subscribers.drop_merged_question"
NOTIFY_ANSWER = "notifications.subscribers.notify_new_answer"
NOTIFY_COMMENT = "notifications.subscribers.notify_new_comment"
NOTIFY_SOLUTION = "notifications.subscribers.notify_solution"
NOTIFY_PROMOTED = "notifications.subscribers.notify_promoted"
NOTIFY_QUESTION = "notifications.subscribers.notify_new_question"
NOTIFY_MENTIONS = "notifications.subscribers.notify_mentions"
NOTIFY_OVERDUE = "notifications.subscribers.notify_overdue"
WEBHOOKS = "webhooks.subscribers.queue_webhook_deliveries"
NOTIFY_ESCALATED = "notifications.subscribers.notify_escalated"
NOTIFY_ASSIGNED = "notifications.subscribers.notify_escalation_assigned"
SUPPORT_ESCALATE = "support.subscribers.escalate_overdue"
NOTIFY_AUTHOR = "notifications.subscribers.notify_post_author"
NOTIFY_FLAGGERS = "notifications.subscribers.notify_flaggers"
HIDE_FLAGGED = "moderation.subscribers.hide_when_flagged"
QUEUE_HELD = "moderation.subscribers.queue_held_post"


def test_the_verb_to_subscribers_map_is_exactly_this():
    assert events.fan_out() == {
        "answer.accepted": [
            MEMBER_COUNTS,
            KB_RECHECK,
            NOTIFY_SOLUTION,
            EMBED_THREAD,
            SEARCH_THREAD,
            WEBHOOKS,
        ],
        "answer.edited": [KB_RECHECK, EMBED_THREAD, SEARCH_THREAD],
        "answer.posted": [
            MEMBER_COUNTS,
            QUEUE_HELD,
            FOLLOW_PARTICIPATION,
            NOTIFY_MENTIONS,
            NOTIFY_ANSWER,
            SEARCH_THREAD,
            WEBHOOKS,
        ],
        "answer.unaccepted": [MEMBER_COUNTS, KB_RECHECK, EMBED_THREAD, SEARCH_THREAD, WEBHOOKS],
        "answer.verified": [NOTIFY_SOLUTION, SEARCH_THREAD],
        "article.deleted": [EMBED_ARTICLE, SEARCH_ARTICLE],
        "article.promoted": [NOTIFY_PROMOTED],
        "article.published": [EMBED_ARTICLE, SEARCH_ARTICLE, WEBHOOKS],
        "article.rated": [],
        "article.reviewed": [],
        "article.unpublished": [EMBED_ARTICLE, SEARCH_ARTICLE],
        "article.went_stale": [],
        "article.source_hidden": [NOTIFY_SOURCE],
        "article.source_shown": [NOTIFY_SOURCE],
        "comment.deleted": [],
        "flag.resolved": [NOTIFY_FLAGGERS],
        "comment.posted": [QUEUE_HELD, FOLLOW_PARTICIPATION, NOTIFY_MENTIONS, NOTIFY_COMMENT],
        "member.avatar_changed": [],
        "member.avatar_removed": [],
        "member.deleted": [],
        "member.followed": [],
        "member.notification_preferences_updated": [],
        "member.profile_updated": [],
        "member.reinstated": [],
        "member.suspended": [],
        "member.unfollowed": [],
        "moderator.scopes_changed": [],
        "post.approved": [
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            NOTIFY_AUTHOR,
            REPLAY_APPROVED,
            EMBED_THREAD,
            SEARCH_THREAD,
            WEBHOOKS_APPROVED,
        ],
        "post.attachments_changed": [],
        "post.deleted": [
            PURGE_IMAGES,
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            EMBED_THREAD,
            SEARCH_THREAD,
        ],
        "post.flagged": [HIDE_FLAGGED, WEBHOOKS],
        "post.held": [
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            QUEUE_HELD,
            NOTIFY_AUTHOR,
            EMBED_THREAD,
            SEARCH_THREAD,
        ],
        "post.hidden": [
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            NOTIFY_AUTHOR,
            EMBED_THREAD,
            SEARCH_THREAD,
        ],
        "post.removed": [
            PURGE_IMAGES,
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            EMBED_THREAD,
            SEARCH_THREAD,
        ],
        "post.restored": [MEMBER_COUNTS, KB_VISIBILITY, KB_RECHECK, EMBED_THREAD, SEARCH_THREAD],
        "post.unhidden": [
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            NOTIFY_AUTHOR,
            EMBED_THREAD,
            SEARCH_THREAD,
        ],
        "question.asked": [
            MEMBER_COUNTS,
            QUEUE_HELD,
            FOLLOW_OWN,
            NOTIFY_MENTIONS,
            NOTIFY_QUESTION,
            EMBED_THREAD,
            ASK_VISIT,
            SEARCH_THREAD,
            WEBHOOKS,
        ],
        "question.closed": [KB_RECHECK, SEARCH_THREAD],
        "question.overdue": [NOTIFY_OVERDUE, SUPPORT_ESCALATE, WEBHOOKS],
        "question.escalated": [NOTIFY_ESCALATED, WEBHOOKS],
        "escalation.assigned": [NOTIFY_ASSIGNED],
        "escalation.status_changed": [],
        "question.edited": [KB_RECHECK, EMBED_THREAD, SEARCH_THREAD],
        "question.locked": [KB_RECHECK, SEARCH_THREAD],
        "question.merged": [
            MEMBER_COUNTS,
            KB_VISIBILITY,
            KB_RECHECK,
            SEARCH_MERGED,
            SEARCH_THREAD,
        ],
        "question.moved": [SEARCH_THREAD],
        "question.pinned": [],
        "question.privacy_changed": [MEMBER_COUNTS, KB_VISIBILITY, EMBED_THREAD, SEARCH_THREAD],
        "question.reopened": [KB_RECHECK, SEARCH_THREAD],
        "question.unlocked": [KB_RECHECK, SEARCH_THREAD],
        "question.unpinned": [],
        "vote.cast": [SEARCH_THREAD],
        "webhook.changed": [],
        "webhook.registered": [],
        "webhook.removed": [],
        "webhook.tested": [],
    }


def test_the_question_page_panels_are_exactly_these():
    from core import panels

    assert panels.providers() == {
        "forum.category": ["kb.panels.category_articles", "notifications.panels.follow_category"],
        "forum.home": ["kb.panels.helpful_articles"],
        "forum.question": [
            "kb.panels.knowledge_base",
            "moderation.panels.flagging",
            "notifications.panels.follow_question",
            "support.panels.escalation",
            "search.panels.related_questions",
        ],
        "forum.tag": ["notifications.panels.follow_tag"],
    }


# --- Doors ---------------------------------------------------------------------------------


def test_an_event_records_the_door_it_came_through(client):
    question = QuestionFactory()
    moderator = ModeratorFactory()
    client.force_login(moderator)

    client.post(f"/questions/{question.pk}/state/", {"state": "closed"})
    with events.through(Door.API):
        actions.set_question_state(moderator, question, QuestionState.OPEN)
    actions.set_question_state(moderator, question, QuestionState.LOCKED)

    assert list(Event.objects.order_by("pk").values_list("verb", "door")) == [
        ("question.closed", Door.SITE),
        ("question.reopened", Door.API),
        ("question.locked", Door.COMMAND),
    ]
