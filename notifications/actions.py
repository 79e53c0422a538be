"""Every write notifications makes: following, notifying, marking read, preferences.

Follows and preferences are the member's own choices and record an event each
(notifications/verbs.py). Notifications themselves are made by the subscribers
(notifications/subscribers.py), in the worker, from an event that already exists.
"""

import contextvars
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.models import Tag

from accounts.models import User
from core import events
from core.models import Event
from core.ratelimit import check_rate
from forum import actions as forum_actions
from forum import permissions
from forum.errors import InvalidInput, NotAllowed, NotSignedIn
from forum.models import Answer, CategoryPage, Question
from notifications import email
from notifications import verbs as v
from notifications.models import AcceptReminder, EmailMode, Follow, Kind, Notification, Preferences


def _lock_member(actor: User) -> User:
    """Refuse anyone not signed in, and serialise one member's follows (a double click
    must not race two inserts into the unique constraint)."""
    if not permissions.is_member(actor):
        raise NotSignedIn()
    return User.objects.select_for_update(no_key=True).get(pk=actor.pk)


def _target(question: Question | None, tag: Tag | None, category: CategoryPage | None):
    """The one followed object as (Follow lookup, event subject, payload)."""
    given = [t for t in (question, tag, category) if t is not None]
    if len(given) != 1:
        raise InvalidInput(_("Follow one question, tag or category."))
    if question is not None:
        return {"question": question}, question, {"target": "question"}
    if tag is not None:
        return {"tag_name": tag.name}, tag, {"target": "tag", "tag": tag.name}
    return {"category": category}, category, {"target": "category"}


@transaction.atomic
def follow(
    actor: User,
    *,
    question: Question | None = None,
    tag: Tag | None = None,
    category: CategoryPage | None = None,
) -> Follow:
    """A member follows one question they can see, a tag or a category; records
    `member.followed`. Following again is a no-op."""
    _lock_member(actor)
    if question is not None:
        question = Question.objects.get(pk=question.pk)  # judged on its state now
        if not permissions.can_see_post(actor, question):
            raise NotAllowed()
    lookup, subject, payload = _target(question, tag, category)
    existing = Follow.objects.filter(member=actor, **lookup).first()
    if existing is not None:
        return existing
    check_rate(actor, "follow")
    created = Follow.objects.create(member=actor, **lookup)
    events.record(actor, v.MEMBER_FOLLOWED, subject, question=question, payload=payload)
    return created


@transaction.atomic
def unfollow(
    actor: User,
    *,
    question: Question | None = None,
    tag: Tag | None = None,
    category: CategoryPage | None = None,
) -> None:
    """A member stops following; records `member.unfollowed`. A no-op when not following."""
    _lock_member(actor)
    lookup, subject, payload = _target(question, tag, category)
    if not Follow.objects.filter(member=actor, **lookup).exists():
        return
    check_rate(actor, "follow")
    Follow.objects.filter(member=actor, **lookup).delete()
    events.record(actor, v.MEMBER_UNFOLLOWED, subject, question=question, payload=payload)


def follow_for_participation(member_id: int, question_id: int, *, asked: bool = False) -> None:
    """The asker follows their question; an answerer or commenter follows it too unless
    their preference says no. Following already is a no-op (the unique constraint).

    Called by subscribers, in the delivery's transaction. It records no event of its own:
    the follow is a consequence of the event being delivered (question.asked,
    answer.posted, comment.posted), which the audit log already shows, and an event per
    automatic follow would double the log and the deliveries for every post.
    """
    member = User.objects.filter(pk=member_id, is_active=True).first()
    if member is None or not Question.objects.filter(pk=question_id).exists():
        return
    if not asked:
        preference = Preferences.objects.filter(member=member).first()
        if preference is not None and not preference.follow_on_participate:
            return
    Follow.objects.bulk_create(
        [Follow(member=member, question_id=question_id)], ignore_conflicts=True
    )


@transaction.atomic
def update_preferences(actor: User, *, follow_on_participate: bool) -> Preferences:
    """A member changes their own notification settings; records
    `member.notification_preferences_updated` when something changed."""
    _lock_member(actor)
    preferences, _created = Preferences.objects.get_or_create(member=actor)
    if preferences.follow_on_participate == follow_on_participate:
        return preferences
    before = preferences.follow_on_participate
    preferences.follow_on_participate = follow_on_participate
    preferences.save(update_fields=["follow_on_participate"])
    events.record(
        actor,
        v.PREFERENCES_UPDATED,
        payload={"follow_on_participate": {"from": before, "to": follow_on_participate}},
    )
    return preferences


_dated: contextvars.ContextVar = contextvars.ContextVar("notifications_dated", default=None)


@contextmanager
def dated(when):
    """Notifications made inside are dated `when` rather than their event's time: a held
    post approved later is news when it is approved (subscribers.replay_approved_post)."""
    token = _dated.set(when)
    try:
        yield
    finally:
        _dated.reset(token)


def notify(event: Event, kind: str, recipient_ids, *, url: str) -> int:
    """Make one notification of `kind` per recipient for `event`, except for its actor.

    One INSERT however many recipients; the (event, recipient) constraint makes a second
    delivery of the same event add nothing. Callers have already checked visibility.
    """
    rows = [
        Notification(
            recipient_id=recipient_id,
            event=event,
            kind=kind,
            question_id=event.question_id,
            url=url,
            created_at=_dated.get() or event.created_at,
        )
        for recipient_id in sorted(set(recipient_ids) - {event.actor_id, None})
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    email.queue(event, kind, [row.recipient_id for row in rows])  # in each one's email mode
    return len(rows)


# Marking read records no event: it is the member's own reading state (see verbs.py), and
# the list page and the bell are its only readers. Rate limited, as every write is.


@transaction.atomic
def mark_read(actor: User, notification: Notification) -> Notification:
    """The recipient marks one notification read; a no-op when it already is."""
    if not permissions.is_member(actor):
        raise NotSignedIn()
    if notification.recipient_id != actor.pk:
        raise NotAllowed()
    if notification.read_at is not None:
        return notification
    check_rate(actor, "read")
    notification.read_at = timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at=None).update(
        read_at=notification.read_at
    )
    return notification


@transaction.atomic
def mark_all_read(actor: User) -> int:
    """The member marks all their notifications read; returns how many were unread."""
    if not permissions.is_member(actor):
        raise NotSignedIn()
    check_rate(actor, "read")
    return Notification.objects.filter(recipient=actor, read_at=None).update(read_at=timezone.now())


# --- Email preferences, unsubscribing and accepting by link --------------------------------


@transaction.atomic
def update_email_modes(actor: User, modes: dict[str, str]) -> Preferences:
    """A member sets how they get each kind of notification by email; records
    `member.notification_preferences_updated` when something changed."""
    _lock_member(actor)
    if any(kind not in Kind.values or mode not in EmailMode.values for kind, mode in modes.items()):
        raise InvalidInput(_("Choose instantly, daily, weekly or never for each kind."))
    preferences, _created = Preferences.objects.get_or_create(member=actor)
    before = {kind: email.mode_for(preferences, kind) for kind in modes}
    changed = {kind: mode for kind, mode in modes.items() if before[kind] != mode}
    if not changed:
        return preferences
    preferences.email_modes = {**preferences.email_modes, **changed}
    preferences.save(update_fields=["email_modes"])
    events.record(
        actor,
        v.PREFERENCES_UPDATED,
        payload={"email": {k: {"from": before[k], "to": m} for k, m in changed.items()}},
    )
    return preferences


def unsubscribe(member: User, kinds: list[str] | str) -> Preferences:
    """One-click unsubscribe from a signed link (no sign-in): turn off email for `kinds`
    (or every kind). Idempotent: a second click changes nothing and records nothing. The
    member named by the token is the actor: it is their own choice."""
    if not member.is_active:
        raise NotAllowed()
    chosen = Kind.values if kinds == "all" else list(kinds)
    return update_email_modes(member, dict.fromkeys(chosen, EmailMode.NEVER))


class LinkUsed(NotAllowed):
    pass


@transaction.atomic
def accept_by_link(link) -> Question:
    """Accept the answer a reminder's link names, as the asker (forum.actions.accept_answer
    with its checks and event). The reminder's links are single-use: the first that works
    sets `used_at`; a link of an old reminder (another nonce) is refused, as is any link
    once the question has an accepted answer."""
    reminder = (
        AcceptReminder.objects.select_for_update()
        .filter(question_id=link.question_id, nonce=link.nonce)
        .first()
    )
    if reminder is None:
        raise NotAllowed(_("This link is not valid."))
    if reminder.used_at is not None:
        raise LinkUsed(_("This link was already used."))
    question = Question.objects.select_related("author").get(pk=link.question_id)
    if question.accepted_answer_id is not None:
        raise LinkUsed(_("This question already has an accepted answer."))
    answer = Answer.objects.filter(pk=link.answer_id, question=question).first()
    if answer is None:
        raise NotAllowed(_("This answer is gone."))
    reminder.used_at = timezone.now()
    reminder.save(update_fields=["used_at"])
    return forum_actions.accept_answer(question.author, question, answer)
