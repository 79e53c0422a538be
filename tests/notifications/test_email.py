"""Notifications by email, delivered to a real SMTP server in the test process (aiosmtpd):
headers, both parts, language, batching, digests, unsubscribe, preferences, visibility."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from forum import actions
from notifications import actions as notify_actions
from notifications import email
from notifications.models import EmailItem, EmailMode, Follow, Kind, Preferences
from tests.factories import ModeratorFactory, UserFactory

from .conftest import BODY

pytestmark = pytest.mark.django_db

ANSWER = "Restart the router, then change the Wi-Fi channel to 11 in its settings."
LATER = timedelta(minutes=6)  # past the default 5-minute batching window


def _parts(message) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _path(url: str) -> str:
    return urlsplit(str(url).strip().strip("<>")).path


def test_an_answer_emails_the_asker_threaded_with_one_click_unsubscribe(asked, run, smtp):
    question = asked()
    answerer = UserFactory(display_name="Ana")

    run(actions.post_answer, answerer, question, body=ANSWER)
    assert email.send_instant(timezone.now() + LATER) == 1

    [(to, message)] = smtp.messages
    assert to == [question.author.email]  # not the answerer: never the actor
    root = f"<question-{question.pk}@127.0.0.1>"
    assert message["In-Reply-To"] == root
    assert message["References"] == root
    assert message["Message-ID"].startswith("<") and message["Message-ID"] != root
    # (a long header is folded: its parsed value starts with the folding whitespace)
    assert (
        str(message["List-Unsubscribe"]).strip().startswith("<http://127.0.0.1:8000/unsubscribe/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Subject"] == f"Ana answered: {question.title}"
    text, html = _parts(message)
    assert "Restart the router" in text and "Restart the router" in html
    assert f"#answer-{question.answers.get().pk}" in text
    assert "<a href=" in html and "<a href=" not in text


def test_a_second_email_about_the_question_threads_under_the_same_root(asked, run, smtp):
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=ANSWER)
    email.send_instant(timezone.now() + LATER)
    run(actions.post_answer, UserFactory(), question, body=ANSWER + " Or update it.")
    email.send_instant(timezone.now() + LATER)

    to_asker = [message for to, message in smtp.messages if to == [question.author.email]]
    first, second = to_asker
    assert first["References"] == second["References"] == f"<question-{question.pk}@127.0.0.1>"
    assert first["Message-ID"] != second["Message-ID"]


def test_an_indonesian_member_gets_the_email_in_indonesian(asked, run, smtp):
    asker = UserFactory(language="id")
    question = asked(asker)

    run(actions.post_answer, UserFactory(display_name="Budi"), question, body=ANSWER)
    email.send_instant(timezone.now() + LATER)

    [(_to, message)] = smtp.messages
    assert message["Subject"] == f"Budi menjawab: {question.title}"
    text, html = _parts(message)
    assert "Berhenti berlangganan" in text and "Berhenti berlangganan" in html
    assert "Unsubscribe" not in text


def test_three_answers_within_the_window_make_one_email(asked, run, smtp):
    question = asked()
    for n in range(3):
        run(actions.post_answer, UserFactory(), question, body=f"{ANSWER} (take {n})")

    assert email.send_instant(timezone.now() + timedelta(minutes=1)) == 0  # still batching
    # the asker's one email of 3; the first and second answerers (following by answering)
    # one each, of the answers after theirs
    assert email.send_instant(timezone.now() + LATER) == 3
    assert email.send_instant(timezone.now() + LATER) == 0  # nothing twice

    [message] = [message for to, message in smtp.messages if to == [question.author.email]]
    assert message["Subject"] == f"3 updates on: {question.title}"
    text, _html = _parts(message)
    assert all(f"(take {n})" in text for n in range(3))


def test_a_mail_server_that_is_down_leaves_the_email_for_the_next_run(
    asked, run, smtp_down, settings
):
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=ANSWER)

    assert email.send_instant(timezone.now() + LATER) == 0

    assert EmailItem.objects.get().sent_at is None


def test_the_email_is_sent_once_the_server_is_back(asked, run, settings, smtp):
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=ANSWER)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    assert email.send_instant(timezone.now() + LATER) == 0
    settings.EMAIL_PORT = port

    assert email.send_instant(timezone.now() + LATER) == 1
    assert len(smtp.messages) == 1


def test_the_daily_digest_lists_every_pending_item_once(asked, run, smtp):
    follower = UserFactory()
    category_question = asked()
    Follow.objects.create(member=follower, category=category_question.category)
    first = asked(category=category_question.category)
    second = asked(category=category_question.category)
    run(actions.post_comment, UserFactory(trusted=True), first, body="Which router model is it?")
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()

    call_command("run_periodic", "--job", "notifications.daily_digest", "--now", tomorrow)
    call_command("run_periodic", "--job", "notifications.daily_digest", "--now", tomorrow)

    messages = {tuple(to): message for to, message in smtp.messages}
    assert len(smtp.messages) == 2  # the follower's digest and the first asker's (comment)
    digest = messages[(follower.email,)]
    assert digest["Subject"] == "Your daily digest: 2 updates"
    assert "In-Reply-To" not in digest
    text, html = _parts(digest)
    assert first.title in html
    assert text.count("asked a new question") == 2
    assert first.get_absolute_url() in text and second.get_absolute_url() in text
    assert (
        "Which router model" in messages[(first.author.email,)].get_body(("plain",)).get_content()
    )


def test_the_weekly_digest_takes_the_kinds_set_to_weekly(asked, run, smtp):
    follower = UserFactory()
    notify_actions.update_email_modes(follower, {Kind.NEW_QUESTION: EmailMode.WEEKLY})
    question = asked()
    Follow.objects.create(member=follower, category=question.category)
    asked(category=question.category)
    now = timezone.now() + timedelta(days=1)

    email.send_digest(now, EmailMode.DAILY)
    assert smtp.messages == []
    email.send_digest(now + timedelta(days=6), EmailMode.WEEKLY)

    [(to, message)] = smtp.messages
    assert to == [follower.email]
    assert message["Subject"] == "Your weekly digest: 1 update"


def test_never_means_no_email(asked, run, smtp):
    question = asked()
    notify_actions.update_email_modes(question.author, {Kind.ANSWER: EmailMode.NEVER})

    run(actions.post_answer, UserFactory(), question, body=ANSWER)
    email.send_instant(timezone.now() + LATER)

    assert smtp.messages == []
    assert not EmailItem.objects.exists()


def test_switching_to_never_before_sending_drops_what_is_pending(asked, run, smtp):
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=ANSWER)
    notify_actions.update_email_modes(question.author, {Kind.ANSWER: EmailMode.NEVER})

    email.send_instant(timezone.now() + LATER)

    assert smtp.messages == []
    assert EmailItem.objects.get().sent_at is not None  # dropped, not retried forever


def test_content_deleted_before_sending_is_never_emailed(asked, run, smtp):
    question = asked()
    answer = run(actions.post_answer, UserFactory(), question, body=ANSWER)
    actions.delete_answer(ModeratorFactory(), answer)

    email.send_instant(timezone.now() + LATER)

    assert smtp.messages == []


def test_the_defaults(asked):
    member = UserFactory()

    modes = email.modes_for(member)

    assert modes[Kind.ANSWER] == modes[Kind.MENTION] == EmailMode.INSTANT
    assert modes[Kind.NEW_QUESTION] == modes[Kind.COMMENT] == EmailMode.DAILY


# --- Unsubscribing ------------------------------------------------------------------------


def _emailed_unsubscribe_path(asked, run, smtp) -> tuple:
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=ANSWER)
    email.send_instant(timezone.now() + LATER)
    [(_to, message)] = smtp.messages
    return question.author, _path(message["List-Unsubscribe"])


def test_one_click_unsubscribe_works_without_login_or_csrf_and_twice(asked, run, smtp):
    member, path = _emailed_unsubscribe_path(asked, run, smtp)
    client = Client(enforce_csrf_checks=True)

    assert client.get(path).status_code == 200
    assert email.modes_for(member)[Kind.ANSWER] == EmailMode.INSTANT  # GET changes nothing
    body = "List-Unsubscribe=One-Click"
    first = client.post(path, body, content_type="application/x-www-form-urlencoded")
    again = client.post(path, body, content_type="application/x-www-form-urlencoded")

    assert first.status_code == again.status_code == 200
    modes = email.modes_for(member)
    assert modes[Kind.ANSWER] == EmailMode.NEVER
    assert modes[Kind.MENTION] == EmailMode.INSTANT  # only what that email was about


def test_a_forged_or_altered_token_is_refused(asked, run, smtp):
    member, path = _emailed_unsubscribe_path(asked, run, smtp)
    other = UserFactory()
    token = path.split("/")[2]
    forged_for_other = signing.dumps({"m": other.pk, "k": "all"}, salt="another.salt")
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    for bad in (forged_for_other, tampered, "nonsense"):
        assert Client().post(f"/unsubscribe/{bad}/").status_code == 404

    assert Preferences.objects.filter(member__in=[member, other]).count() == 0


def test_a_token_only_ever_acts_for_its_own_member():
    member, other = UserFactory(), UserFactory()
    token = email.unsubscribe_token(member.pk, email.ALL)

    Client().post(f"/unsubscribe/{token}/")

    assert set(email.modes_for(member).values()) == {EmailMode.NEVER}
    assert EmailMode.NEVER not in email.modes_for(other).values()


def test_the_settings_page_sets_email_modes(client):
    member = UserFactory()
    client.force_login(member)
    assert b'name="new_question"' in client.get("/notifications/settings/").content

    client.post("/notifications/settings/", {"follow_on_participate": "on", "comment": "weekly"})

    assert email.modes_for(member)[Kind.COMMENT] == EmailMode.WEEKLY


def test_the_api_reads_and_sets_email_modes(client):
    member = UserFactory()
    client.force_login(member)

    response = client.patch(
        "/api/v1/notifications/preferences/",
        {"email": {"answer": "daily"}},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["email"]["answer"] == "daily"
    assert client.get("/api/v1/notifications/preferences/").json()["email"]["mention"] == "instant"
    bad = client.patch(
        "/api/v1/notifications/preferences/",
        {"email": {"answer": "hourly"}},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_the_digest_text_is_not_html_escaped(asked, run, smtp):
    question = asked()
    question.title = "Router & modem <drop>"
    question.save(update_fields=["title"])
    run(actions.post_answer, UserFactory(display_name="Ana"), question, body=ANSWER)
    email.send_instant(timezone.now() + LATER)

    [(_to, message)] = smtp.messages
    assert message["Subject"] == "Ana answered: Router & modem <drop>"
    text, html = _parts(message)
    assert "Router & modem <drop>" in text
    assert "Router &amp; modem &lt;drop&gt;" in html


__all__ = ["BODY"]
