"""Notifications' periodic jobs (core.periodic): email, reminders, overdue questions.

Each is idempotent: email items and reminders are marked sent as they go, and an overdue
question's event is recorded with a unique OverdueMark, so running a job twice (two
workers, a retry, `run_periodic --now` replays) sends and records nothing twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from core import events, periodic
from forum.models import Question, QuestionState, Visibility
from notifications import email, reminders
from notifications import verbs as v
from notifications.models import EmailMode, OverdueMark


@periodic.job(every=timedelta(minutes=1), name="notifications.instant_email")
def instant_email(now: datetime) -> None:
    email.send_instant(now)


@periodic.job(every=timedelta(days=1), name="notifications.daily_digest")
def daily_digest(now: datetime) -> None:
    email.send_digest(now, EmailMode.DAILY)


@periodic.job(every=timedelta(days=7), name="notifications.weekly_digest")
def weekly_digest(now: datetime) -> None:
    email.send_digest(now, EmailMode.WEEKLY)


@periodic.job(every=timedelta(hours=1), name="notifications.accept_reminders")
def accept_reminders(now: datetime) -> None:
    reminders.send_reminders(now)


def overdue_questions(now: datetime):
    """Open, visible, public questions with no answer, asked more than the target ago (but
    within the day after it), not yet marked overdue."""
    target = timedelta(minutes=settings.TANYA_RESPONSE_TARGET_MINUTES)
    return (
        Question.objects.filter(
            answer_count=0,
            state=QuestionState.OPEN,
            visibility=Visibility.VISIBLE,
            is_private=False,
            created_at__lte=now - target,
            created_at__gte=now - target - timedelta(days=1),
        )
        .exclude(pk__in=OverdueMark.objects.values("question_id"))
        .order_by("created_at")
    )


@periodic.job(every=timedelta(minutes=5), name="notifications.overdue_questions")
def mark_overdue(now: datetime) -> None:
    for question in overdue_questions(now):
        record_overdue(question, now)


@transaction.atomic
def record_overdue(question: Question, now: datetime) -> bool:
    """Record `question.overdue` once per question (the mark is unique, in the same
    transaction as the event). Recorded by the clock: no actor."""
    _mark, created = OverdueMark.objects.get_or_create(question=question)
    if not created:
        return False
    asked = question.created_at
    events.record(
        None,
        v.QUESTION_OVERDUE,
        question,
        question=question,
        payload={
            "target_minutes": settings.TANYA_RESPONSE_TARGET_MINUTES,
            "asked_at": asked.isoformat(),
            "waited_minutes": int((now - asked).total_seconds() // 60),
        },
    )
    return True
