"""Accept reminders: the one email an asker gets when their question has answers but none
accepted after TANYA_ACCEPT_REMINDER_HOURS, with a link per answer that accepts it without
signing in (notifications.actions.accept_by_link).

A link is a signed token naming the question, the answer and the reminder's nonce; it
expires after TANYA_ACCEPT_LINK_DAYS, and the reminder's `used_at` makes the links of one
reminder single-use. The reminder row is made before the email is sent and marked sent
after, so a job that runs twice sends one email (with the same nonce if it was retried).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from forum.markdown import markdown_to_text
from forum.models import Answer, Question, QuestionState, Visibility
from notifications import email
from notifications.models import AcceptReminder, EmailMode, Kind, Preferences

ACCEPT_SALT = "notifications.accept"


def accept_token(reminder: AcceptReminder, answer_id: int) -> str:
    payload = {"q": reminder.question_id, "a": answer_id, "n": reminder.nonce}
    return signing.dumps(payload, salt=ACCEPT_SALT, compress=True)


@dataclass(frozen=True)
class AcceptLink:
    question_id: int
    answer_id: int
    nonce: str


class LinkExpired(Exception):
    pass


def read_accept_token(token: str) -> AcceptLink | None:
    """The link's content; None when forged or damaged; LinkExpired when too old."""
    max_age = timedelta(days=settings.TANYA_ACCEPT_LINK_DAYS)
    try:
        data = signing.loads(token, salt=ACCEPT_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired() from error
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    question_id, answer_id, nonce = data.get("q"), data.get("a"), data.get("n")
    if not (isinstance(question_id, int) and isinstance(answer_id, int) and isinstance(nonce, str)):
        return None
    return AcceptLink(question_id, answer_id, nonce)


def due_questions(now: datetime):
    """Open, visible questions with answers and none accepted, asked between the reminder
    delay and the maximum age ago, that have had no reminder sent."""
    delay = timedelta(hours=settings.TANYA_ACCEPT_REMINDER_HOURS)
    oldest = now - delay - timedelta(days=settings.TANYA_REMINDER_MAX_AGE_DAYS)
    return (
        Question.objects.filter(
            accepted_answer__isnull=True,
            answer_count__gt=0,
            state=QuestionState.OPEN,
            visibility=Visibility.VISIBLE,
            created_at__lte=now - delay,
            created_at__gte=oldest,
        )
        .exclude(pk__in=AcceptReminder.objects.filter(sent_at__isnull=False).values("question_id"))
        .select_related("author")
        .order_by("created_at")
    )


def send_reminders(now: datetime) -> int:
    sent = 0
    for question in due_questions(now):
        sent += send_reminder(question, now)
    return sent


def send_reminder(question: Question, now: datetime) -> int:
    asker = question.author
    preferences = Preferences.objects.filter(member=asker).first()
    if not (asker.is_active and asker.email):
        return 0
    if email.mode_for(preferences, Kind.ACCEPT_REMINDER) == EmailMode.NEVER:
        return 0
    answers = list(
        Answer.objects.visible_to(asker)
        .filter(question=question)
        .exclude(author=asker)
        .select_related("author")
        .order_by("-score", "created_at")[:10]
    )
    if not answers:
        return 0
    with transaction.atomic():
        reminder, _created = AcceptReminder.objects.get_or_create(
            question=question, defaults={"nonce": secrets.token_hex(16), "created_at": now}
        )
    if reminder.sent_at is not None:
        return 0
    with translation.override(email.language_of(asker)):
        entries = [
            {
                "author": str(answer.author),
                "excerpt": Truncator(markdown_to_text(answer.body)).chars(400),
                "accept_url": email.site_url(
                    reverse("notifications:accept", args=[accept_token(reminder, answer.pk)])
                ),
            }
            for answer in answers
        ]
    message = email.build_message(
        asker,
        template="notifications/email/reminder",
        context={
            "question": question,
            "question_url": email.site_url(question.get_absolute_url()),
            "answers": entries,
            "link_days": settings.TANYA_ACCEPT_LINK_DAYS,
        },
        kinds=[Kind.ACCEPT_REMINDER],
        question_id=question.pk,
    )
    if not email.send([message]):
        return 0
    AcceptReminder.objects.filter(pk=reminder.pk, sent_at=None).update(sent_at=now)
    return 1
