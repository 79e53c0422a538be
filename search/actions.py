"""What search writes: the records staff reports are built from.

Zero-result searches, and for the ask form's similar questions one `Deflection` row per
visit (shown, then maybe clicked, then maybe asked anyway). Each function is safe to call
twice and quietly does nothing for a token it doesn't know.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from forum import permissions
from search.models import Deflection, SearchOrigin, ZeroResultSearch
from search.text import words

QUERY_MAX = 300


def _member(actor):
    return actor if permissions.is_member(actor) else None


def record_zero_results(actor, query: str, *, origin: str = SearchOrigin.PAGE) -> ZeroResultSearch:
    """Anyone's search that found nothing: one more on today's row for its normalised
    query and origin (an UPDATE, or the day's first INSERT), so the rows searches write
    are bounded by distinct queries, not by requests. Not linked to who searched."""
    query = " ".join(query.split())[:QUERY_MAX]
    key = {
        "normalized": " ".join(words(query))[:QUERY_MAX],
        "origin": origin,
        "day": timezone.localdate(),
    }
    for _attempt in range(2):
        rows = ZeroResultSearch.objects.filter(**key)
        if rows.update(count=F("count") + 1, last_seen_at=timezone.now()):
            return rows.get()
        try:
            with transaction.atomic():
                return ZeroResultSearch.objects.create(query=query, **key)
        except IntegrityError:  # another request made today's row first: add to it
            continue
    return ZeroResultSearch.objects.get(**key)


@transaction.atomic
def record_suggestions_shown(
    actor, token: str | None, *, title: str, keys: list[str]
) -> Deflection:
    """Similar questions were shown on the ask form; returns the visit (new without a token).

    Later keystrokes of the same visit update its row instead of adding one.
    """
    title = " ".join(title.split())[:QUERY_MAX]
    visit = Deflection.objects.select_for_update().filter(token=token).first() if token else None
    if visit is None or visit.asked_question_id is not None:
        return Deflection.objects.create(
            token=secrets.token_hex(16), user=_member(actor), title=title, suggested=keys
        )
    visit.title, visit.suggested = title, keys
    visit.times_shown = F("times_shown") + 1
    visit.save(update_fields=["title", "suggested", "times_shown", "last_shown_at"])
    visit.refresh_from_db(fields=["times_shown"])
    return visit


def record_suggestion_click(actor, token: str | None, key: str) -> Deflection | None:
    """Someone followed a similar-question suggestion from the ask form."""
    if not token:
        return None
    updated = Deflection.objects.filter(token=token).update(
        clicks=F("clicks") + 1, clicked_key=key[:40], clicked_at=timezone.now()
    )
    return Deflection.objects.filter(token=token).first() if updated else None


def record_question_asked(token: str | None, question_id: int) -> Deflection | None:
    """The visit ended in a question after all (call from the ask view, after asking)."""
    if not token:
        return None
    updated = Deflection.objects.filter(token=token, asked_question_id=None).update(
        asked_question_id=question_id, asked_at=timezone.now()
    )
    return Deflection.objects.filter(token=token).first() if updated else None
