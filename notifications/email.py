"""Notifications by email: per-kind preferences, instant emails batched per question,
daily and weekly digests, threading headers and one-click unsubscribe (RFC 8058).

Every notification the subscribers make is queued here as an `EmailItem` in the mode the
recipient chose for its kind (nothing is queued for "never"). The periodic jobs
(notifications/jobs.py) send them from the worker, never from a request:

* instant items of one (recipient, question) wait TANYA_EMAIL_BATCH_SECONDS after the
  first one, then go out together as one email;
* daily and weekly items go out in one digest per recipient.

At sending time each item is judged again (the recipient still active, still able to see
the content, the kind not switched to "never"); what fails is dropped, never sent. An item
is marked sent in the same step as the send, so a job that runs twice sends it once; a
mail server that is down leaves the items pending (logged) for the next run.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from core.models import Event
from forum.markdown import markdown_to_text
from notifications import queries
from notifications.models import EmailItem, EmailMode, Kind, Notification, Preferences

logger = logging.getLogger(__name__)

#: What a member gets when they never changed a kind: at once for what is about them (an
#: answer on a question they follow, which includes their own; a mention; their answer
#: accepted; reminders and staff alerts), a daily digest for the rest.
DEFAULT_MODES: dict[str, str] = {
    Kind.ANSWER: EmailMode.INSTANT,
    Kind.COMMENT: EmailMode.DAILY,
    Kind.ACCEPTED: EmailMode.INSTANT,
    Kind.VERIFIED: EmailMode.INSTANT,
    Kind.SOLVED_BY_STAFF: EmailMode.INSTANT,
    Kind.PROMOTED: EmailMode.DAILY,
    Kind.NEW_QUESTION: EmailMode.DAILY,
    Kind.MENTION: EmailMode.INSTANT,
    Kind.OVERDUE: EmailMode.INSTANT,
    Kind.ACCEPT_REMINDER: EmailMode.INSTANT,
    Kind.ESCALATED: EmailMode.INSTANT,
    Kind.ESCALATION_ASSIGNED: EmailMode.INSTANT,
    # Moderation (docs/moderation.md): a flagger in the digest; an author at once.
    Kind.FLAG_RESOLVED: EmailMode.DAILY,
    Kind.POST_HELD: EmailMode.INSTANT,
    Kind.POST_HIDDEN: EmailMode.INSTANT,
    Kind.POST_RESTORED: EmailMode.INSTANT,
    # The knowledge base (docs/kb-front-door.md): staff in their digest.
    Kind.SOURCE_HIDDEN: EmailMode.DAILY,
    Kind.SOURCE_SHOWN: EmailMode.DAILY,
}
FALLBACK_MODE = EmailMode.DAILY  # a kind another app adds later, until it says otherwise
#: Kinds only ever sent by email (no in-app notification), for which "instant" is the only
#: sensible mode besides "never".
EMAIL_ONLY_KINDS = frozenset({Kind.ACCEPT_REMINDER})

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ALL = "all"


# --- Preferences ------------------------------------------------------------------------


def mode_for(preferences: Preferences | None, kind: str) -> str:
    chosen = (preferences.email_modes if preferences is not None else {}).get(kind)
    if chosen in EmailMode.values:
        return chosen
    return DEFAULT_MODES.get(kind, FALLBACK_MODE)


def modes_for(member: User) -> dict[str, str]:
    """Every kind's mode for the member (the settings page and the API)."""
    preferences = Preferences.objects.filter(member=member).first()
    return {kind: mode_for(preferences, kind) for kind in Kind.values}


def queue(event: Event, kind: str, recipient_ids: Iterable[int]) -> None:
    """Queue the event's new notifications of `kind` for email, each in its recipient's
    mode (called by actions.notify, in the delivery's transaction). Idempotent: one item
    per notification."""
    ids = set(recipient_ids)
    if not ids:
        return
    preferences = {p.member_id: p for p in Preferences.objects.filter(member_id__in=ids)}
    notifications = Notification.objects.filter(event=event, recipient_id__in=ids, kind=kind)
    items = []
    for notification in notifications.only("pk", "recipient_id", "question_id", "created_at"):
        mode = mode_for(preferences.get(notification.recipient_id), kind)
        if mode == EmailMode.NEVER:
            continue
        items.append(
            EmailItem(
                notification=notification,
                recipient_id=notification.recipient_id,
                question_id=notification.question_id,
                kind=kind,
                mode=mode,
                created_at=notification.created_at,
            )
        )
    EmailItem.objects.bulk_create(items, ignore_conflicts=True)


# --- Unsubscribe tokens -----------------------------------------------------------------


def unsubscribe_token(member_id: int, kinds: Iterable[str] | str) -> str:
    """A signed token naming the member and the kinds (or "all") a click turns off. It
    never expires (an unsubscribe link in an old email must still work) and carries the
    member's id, so it can't be used for anyone else."""
    value = ALL if kinds == ALL else sorted(set(kinds))
    return signing.dumps({"m": member_id, "k": value}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str] | str] | None:
    """(member id, kinds or "all"), or None for a forged or damaged token."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    kinds = data.get("k")
    if kinds == ALL:
        return data["m"], ALL
    if isinstance(kinds, list) and kinds and all(k in Kind.values for k in kinds):
        return data["m"], kinds
    return None


# --- Building a message -----------------------------------------------------------------


def site_url(path: str = "") -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"


def thread_id(question_id: int) -> str:
    """The thread root's Message-ID: every email about the question refers to it."""
    return f"<question-{question_id}@{_host()}>"


def language_of(member: User) -> str:
    return member.language or settings.LANGUAGE_CODE


def build_message(
    recipient: User,
    *,
    template: str,
    context: dict,
    kinds: Iterable[str] | str,
    question_id: int | None = None,
) -> EmailMultiAlternatives:
    """The email in the recipient's language (whatever request or worker renders it),
    with HTML and plain-text parts, threading headers and one-click unsubscribe."""
    with translation.override(language_of(recipient)):
        unsubscribe = site_url(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(recipient.pk, kinds)])
        )
        unsubscribe_all = site_url(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(recipient.pk, ALL)])
        )
        context = {
            **context,
            "recipient": recipient,
            "site_url": site_url(),
            "settings_url": site_url(reverse("notifications:settings")),
            "unsubscribe_url": unsubscribe,
            "unsubscribe_all_url": unsubscribe_all,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if question_id is not None:
        root = thread_id(question_id)
        headers |= {"In-Reply-To": root, "References": root}
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Message-ID": make_msgid(domain=_host()), **headers},
    )
    message.attach_alternative(html, "text/html")
    return message


def send(messages: list[EmailMultiAlternatives]) -> bool:
    """Send; False (logged) when the mail server is down, so callers keep their items."""
    try:
        get_connection().send_messages(messages)
    # smtplib, socket and SSL errors all mean "not now": the job retries next run.
    except Exception:
        logger.exception("Sending %d email(s) failed; they stay pending", len(messages))
        return False
    return True


# --- What an item says --------------------------------------------------------------------


def _excerpt(content: queries.Content) -> str:
    post = content.comment or content.answer or content.question
    return Truncator(markdown_to_text(post.body)).chars(280)


def describe(kind: str, actor: str) -> str:
    """One line for one item, in the active language."""
    lines = {
        Kind.ANSWER: _("%(actor)s answered"),
        Kind.COMMENT: _("%(actor)s commented"),
        Kind.ACCEPTED: _("Your answer was accepted"),
        Kind.VERIFIED: _("Your answer was verified by staff"),
        Kind.SOLVED_BY_STAFF: _("%(actor)s marked a solution on your question"),
        Kind.PROMOTED: _("Your answer was promoted to the knowledge base"),
        Kind.NEW_QUESTION: _("%(actor)s asked a new question"),
        Kind.MENTION: _("%(actor)s mentioned you"),
        Kind.OVERDUE: _("This question is still unanswered past the response target"),
        Kind.ESCALATED: _("This question was escalated to staff"),
        Kind.ESCALATION_ASSIGNED: _("An escalated question was assigned to you"),
        Kind.FLAG_RESOLVED: _("A moderator reviewed a post you flagged"),
        Kind.POST_HELD: _("Your post is held for review by a moderator"),
        Kind.POST_HIDDEN: _("Your post was hidden by a moderator"),
        Kind.POST_RESTORED: _("Your post is visible again"),
        Kind.SOURCE_HIDDEN: _(
            "A knowledge-base article's source thread was hidden; the article no longer links to it"
        ),
        Kind.SOURCE_SHOWN: _(
            "A knowledge-base article's source thread is public again, and linked from the article"
        ),
    }
    line = lines.get(kind)
    if line is None:
        return str(Kind(kind).label) if kind in Kind.values else kind
    return line % {"actor": actor}


def _entries(recipient: User, items: list[EmailItem], preferences) -> list[dict]:
    """The items still worth sending, as template entries; judged now."""
    entries = []
    for item in items:
        if mode_for(preferences, item.kind) == EmailMode.NEVER:
            continue
        event = item.notification.event
        content = queries.content_of(event)
        if not queries.can_see(recipient, event, content):
            continue
        actor = str(event.actor) if event.actor is not None else _("Someone")
        entries.append(
            {
                "kind": item.kind,
                "line": describe(item.kind, actor),
                "excerpt": _excerpt(content),
                "url": site_url(item.notification.url),
                "question": content.question,
                "question_url": site_url(content.question.get_absolute_url()),
            }
        )
    return entries


def _pending(mode: str):
    return EmailItem.objects.filter(sent_at=None, mode=mode).select_related(
        "notification__event__actor", "recipient"
    )


def _eligible(member: User) -> bool:
    return member.is_active and bool(member.email)


# --- The jobs' bodies (notifications/jobs.py) --------------------------------------------


def send_instant(now: datetime) -> int:
    """Send one email per (recipient, question) whose first pending instant item is at
    least TANYA_EMAIL_BATCH_SECONDS old, with every pending item of that question."""
    window = timedelta(seconds=settings.TANYA_EMAIL_BATCH_SECONDS)
    groups = (
        EmailItem.objects.filter(sent_at=None, mode=EmailMode.INSTANT, created_at__lte=now)
        .values("recipient_id", "question_id")
        .annotate(first=Min("created_at"))
        .filter(first__lte=now - window)
        .order_by("first")
    )
    sent = 0
    for group in list(groups):
        items = list(
            _pending(EmailMode.INSTANT)
            .filter(
                recipient_id=group["recipient_id"],
                question_id=group["question_id"],
                created_at__lte=now,
            )
            .order_by("created_at", "pk")
        )
        sent += _send_items(items, now, template="notifications/email/update")
    return sent


def send_digest(now: datetime, mode: str) -> int:
    """One digest per recipient with every pending item of `mode` up to `now`."""
    by_recipient: dict[int, list[EmailItem]] = defaultdict(list)
    for item in _pending(mode).filter(created_at__lte=now).order_by("created_at", "pk"):
        by_recipient[item.recipient_id].append(item)
    return sum(
        _send_items(items, now, template="notifications/email/digest", mode=mode)
        for items in by_recipient.values()
    )


def _send_items(items: list[EmailItem], now: datetime, *, template: str, mode=None) -> int:
    if not items:
        return 0
    recipient = items[0].recipient
    pks = [item.pk for item in items]
    preferences = Preferences.objects.filter(member=recipient).first()
    with translation.override(language_of(recipient)):
        entries = _entries(recipient, items, preferences) if _eligible(recipient) else []
    if not entries:  # nothing they may still see or still want: drop, don't send
        EmailItem.objects.filter(pk__in=pks, sent_at=None).update(sent_at=now)
        return 0
    threads: dict[int, dict] = {}
    for entry in entries:
        thread = threads.setdefault(
            entry["question"].pk,
            {"question": entry["question"], "url": entry["question_url"], "entries": []},
        )
        thread["entries"].append(entry)
    question_ids = list(threads)
    message = build_message(
        recipient,
        template=template,
        context={
            "threads": list(threads.values()),
            "entries": entries,
            "count": len(entries),
            "question": entries[0]["question"],
            "mode": mode,
        },
        kinds=[entry["kind"] for entry in entries],
        question_id=question_ids[0] if len(question_ids) == 1 and mode is None else None,
    )
    if not send([message]):
        return 0
    EmailItem.objects.filter(pk__in=pks, sent_at=None).update(sent_at=now)
    return 1
