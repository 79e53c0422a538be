"""Screening a new post before it is saved: the link limit for new members, the
duplicate-body rule, and the pluggable spam check (docs/spam.md).

`screen` runs inside the posting action's transaction, after the input is cleaned and
before anything is written, so a refusal saves nothing. It returns the spam check's
verdict; the action creates a held post for HOLD and records the verdict in its event.

The check is named by settings.TANYA_SPAM_CHECK and loaded with import_string: the forum
never imports the app that provides it (moderation.spam.check by default).
"""

from datetime import timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import ngettext

from accounts.models import User
from core.spam import ALLOW, HOLD, REFUSE, Submission, Verdict, count_links, is_new_member
from forum.errors import DuplicatePost, LooksLikeSpam, TooManyLinks
from forum.models import Answer, Question, Visibility


@cache
def _spam_check(path: str):
    return import_string(path)


def screen(
    actor: User, kind: str, body: str, *, title: str = "", question_id: int | None = None
) -> Verdict:
    """Refuse a new member's post with too many links (TooManyLinks, 422) and a body the
    member posted within TANYA_DUPLICATE_WINDOW (DuplicatePost, 409); then ask the spam
    check. A REFUSE verdict raises LooksLikeSpam (422); ALLOW and HOLD are returned."""
    new_member = is_new_member(actor)
    links = check_links(actor, body, title=title)
    if kind in ("question", "answer") and _posted_recently(actor, body):
        raise DuplicatePost(field="body")
    submission = Submission(
        author=actor,
        kind=kind,
        body=body,
        title=title,
        question_id=question_id,
        links=links,
        new_member=new_member,
    )
    verdict = _spam_check(settings.TANYA_SPAM_CHECK)(submission)
    if verdict.action == REFUSE:
        raise LooksLikeSpam(field="body")
    return verdict


def check_links(actor: User, body: str, *, title: str = "") -> int:
    """Refuse a new member's text with more than TANYA_NEW_MEMBER_MAX_LINKS links
    (TooManyLinks, 422); return how many it has. Edits are checked too, so a link-free
    post can't be edited into a link farm."""
    links = count_links(body) + count_links(title)
    limit = settings.TANYA_NEW_MEMBER_MAX_LINKS
    if links > limit and is_new_member(actor):
        raise TooManyLinks(
            ngettext(
                "New members can include at most %(count)d link in a post.",
                "New members can include at most %(count)d links in a post.",
                limit,
            )
            % {"count": limit},
            field="body",
        )
    return links


def _posted_recently(actor: User, body: str) -> bool:
    """The same question or answer body by `actor` within the window, in any thread (a
    post the member deleted doesn't count). A window of 0 switches the rule off."""
    if settings.TANYA_DUPLICATE_WINDOW <= 0:
        return False
    since = timezone.now() - timedelta(seconds=settings.TANYA_DUPLICATE_WINDOW)
    for model in (Question, Answer):
        recent = model.objects.filter(author=actor, created_at__gte=since, body=body)
        if recent.exclude(visibility=Visibility.DELETED).exists():
            return True
    return False


def held(verdict: Verdict) -> bool:
    return verdict.action == HOLD


def verdict_payload(verdict: Verdict) -> dict:
    """What the post's event records about the check: nothing for a plain allow."""
    if verdict.action == ALLOW and not verdict.reason:
        return {}
    return {"held": verdict.action == HOLD, "spam_reason": verdict.reason}
