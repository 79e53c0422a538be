"""Periodic jobs, @mentions, accept reminders and questions unanswered past target."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core import periodic
from core.models import Event, PeriodicRun
from forum import actions
from forum.models import Question
from notifications import jobs, reminders
from notifications.models import AcceptReminder, Kind, Notification
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWER = "Restart the router, then change the Wi-Fi channel to 11 in its settings."


# --- core.periodic ----------------------------------------------------------------------


def test_a_job_runs_once_per_period_and_a_failing_one_is_retried():
    calls = []
    periodic.job(every=timedelta(hours=1), name="tests.counting")(calls.append)
    failing = periodic.job(every=timedelta(hours=1), name="tests.failing")(lambda now: 1 / 0)
    try:
        now = timezone.now()
        job, broken = periodic.jobs()["tests.counting"], periodic.jobs()["tests.failing"]
        assert periodic.run_job(job, now) is True
        assert periodic.run_job(job, now + timedelta(minutes=30)) is False  # not due
        assert periodic.run_job(job, now + timedelta(hours=1)) is True
        assert calls == [now, now + timedelta(hours=1)]

        assert periodic.run_job(broken, now) is False
        run = PeriodicRun.objects.get(name="tests.failing")
        assert run.last_run_at is None and "ZeroDivisionError" in run.last_error
        assert run.started_at is None  # free for the next try
    finally:
        periodic._JOBS.pop("tests.counting")
        periodic._JOBS.pop("tests.failing")
    assert failing is not None


def test_a_job_another_worker_is_running_is_skipped():
    calls = []
    periodic.job(every=timedelta(minutes=1), name="tests.busy")(calls.append)
    try:
        PeriodicRun.objects.create(name="tests.busy", started_at=timezone.now())
        assert periodic.run_job(periodic.jobs()["tests.busy"]) is False
        # a claim older than the lease is a crashed run: taken again
        PeriodicRun.objects.update(started_at=timezone.now() - periodic.LEASE * 2)
        assert periodic.run_job(periodic.jobs()["tests.busy"]) is True
    finally:
        periodic._JOBS.pop("tests.busy")
    assert len(calls) == 1


def test_run_periodic_takes_a_fixed_clock(capsys):
    call_command("run_periodic", "--now", "2030-01-06T09:00:00+00:00")

    assert "notifications.daily_digest" in capsys.readouterr().out
    run = PeriodicRun.objects.get(name="notifications.daily_digest")
    assert run.last_run_at.isoformat() == "2030-01-06T09:00:00+00:00"


# --- Mentions -----------------------------------------------------------------------------


def test_a_mention_links_the_profile_and_notifies_the_member(asked, run):
    question = asked()
    bob = UserFactory(username="bob")

    answer = run(actions.post_answer, UserFactory(), question, body=f"{ANSWER} cc @Bob, `@bob`")

    assert '<a href="/members/bob/" rel="nofollow ugc noopener">@Bob</a>' in answer.body_html
    assert "<code>@bob</code>" in answer.body_html
    assert Notification.objects.filter(recipient=bob, kind=Kind.MENTION).count() == 1


def test_only_existing_members_become_links_and_the_author_is_not_told(asked, run):
    question = asked()
    author = UserFactory(username="carol")

    answer = run(actions.post_answer, author, question, body=f"{ANSWER} @nobody_here @carol")

    assert "/members/nobody_here/" not in answer.body_html
    assert not Notification.objects.filter(kind=Kind.MENTION).exists()


def test_a_mention_in_a_held_post_tells_no_one_who_cant_see_it(asked, run):
    question = asked()
    bob = UserFactory(username="bob")
    answer = run(actions.post_answer, UserFactory(), question, body=f"{ANSWER} @bob")
    Notification.objects.all().delete()
    answer.__class__.objects.filter(pk=answer.pk).update(visibility="held")
    from notifications.subscribers import notify_mentions

    notify_mentions(Event.objects.get(verb="answer.posted"))

    assert not Notification.objects.filter(recipient=bob).exists()


# --- Accept reminders -----------------------------------------------------------------------


@pytest.fixture
def answered(asked, run):
    question = asked()
    answer = run(actions.post_answer, UserFactory(display_name="Ana"), question, body=ANSWER)
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=4))
    return Question.objects.get(pk=question.pk), answer


def _accept_path(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    url = next(word for word in text.split() if "/accept/" in word)
    return url.removeprefix("http://127.0.0.1:8000")


def test_one_reminder_with_a_link_that_accepts_once_without_login(answered, smtp):
    question, answer = answered

    assert reminders.send_reminders(timezone.now()) == 1
    assert reminders.send_reminders(timezone.now() + timedelta(hours=1)) == 0  # exactly one

    [(to, message)] = smtp.messages
    assert to == [question.author.email]
    assert message["In-Reply-To"] == f"<question-{question.pk}@127.0.0.1>"
    path = _accept_path(message)
    client = Client()
    assert client.get(path).status_code == 200
    assert Question.objects.get(pk=question.pk).accepted_answer_id is None  # GET changes nothing
    assert client.post(path).status_code == 200
    assert Question.objects.get(pk=question.pk).accepted_answer_id == answer.pk
    assert Event.objects.filter(verb="answer.accepted", actor=question.author).count() == 1
    assert client.post(path).status_code == 409  # single-use


def test_no_reminder_once_accepted(answered, smtp, run):
    question, answer = answered
    run(actions.accept_answer, question.author, question, answer)

    assert reminders.send_reminders(timezone.now()) == 0


def test_no_reminder_for_a_closed_question_or_an_asker_who_unsubscribed(answered, smtp, run):
    from notifications import actions as notify_actions
    from notifications.models import EmailMode

    question, _answer = answered
    notify_actions.update_email_modes(question.author, {Kind.ACCEPT_REMINDER: EmailMode.NEVER})
    assert reminders.send_reminders(timezone.now()) == 0
    notify_actions.update_email_modes(question.author, {Kind.ACCEPT_REMINDER: EmailMode.INSTANT})
    Question.objects.filter(pk=question.pk).update(state="closed")
    assert reminders.send_reminders(timezone.now()) == 0
    assert smtp.messages == []


def test_an_expired_or_forged_link_gives_a_clear_page(answered, smtp, monkeypatch):
    question, answer = answered
    reminders.send_reminders(timezone.now())
    reminder = AcceptReminder.objects.get()
    old = int(time.time()) - 30 * 86400
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    expired = reminders.accept_token(reminder, answer.pk)
    monkeypatch.undo()
    forged = signing.dumps({"q": question.pk, "a": answer.pk, "n": "guess"}, salt="other")
    wrong_nonce = signing.dumps(
        {"q": question.pk, "a": answer.pk, "n": "guess"}, salt=reminders.ACCEPT_SALT
    )

    assert Client().get(f"/accept/{expired}/").status_code == 410
    assert Client().post(f"/accept/{forged}/").status_code == 404
    assert Client().post(f"/accept/{wrong_nonce}/").status_code == 403
    assert Question.objects.get(pk=question.pk).accepted_answer_id is None


# --- Overdue questions ------------------------------------------------------------------------


def test_an_unanswered_question_past_target_is_recorded_once_and_tells_staff(asked, run):
    question = asked()
    staff, moderator, member = StaffFactory(), ModeratorFactory(), UserFactory()
    later = timezone.now() + timedelta(minutes=61)

    assert list(jobs.overdue_questions(timezone.now())) == []
    run(jobs.mark_overdue, later)
    run(jobs.mark_overdue, later)

    assert Event.objects.filter(verb="question.overdue", question_id=question.pk).count() == 1
    told = set(Notification.objects.filter(kind=Kind.OVERDUE).values_list("recipient", flat=True))
    assert told == {staff.pk, moderator.pk}
    assert member.pk not in told


def test_an_answered_question_is_never_overdue(asked, run):
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=ANSWER)

    run(jobs.mark_overdue, timezone.now() + timedelta(hours=2))

    assert not Event.objects.filter(verb="question.overdue").exists()


def test_mention_suggestions_list_active_members_by_prefix(client):
    client.force_login(UserFactory())
    UserFactory(username="bobby"), UserFactory(username="bob"), UserFactory(username="alice")
    UserFactory(username="bobgone", is_active=False)

    response = client.get("/notifications/mentions/?prefix=@Bo")

    assert [m["username"] for m in response.json()["members"]] == ["bob", "bobby"]
    assert client.get("/notifications/mentions/").json() == {"members": []}


def test_mention_suggestions_need_a_member(client):
    assert client.get("/notifications/mentions/?prefix=b").status_code == 302
