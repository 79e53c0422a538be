"""The audit log: a read over core's events (docs/ARCHITECTURE.md, "The audit log").

Who did what to which object, when, through which door, with the reason and the before
and after the action recorded in the event's payload. Nothing here writes.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from core import events
from core.models import Event
from forum.models import CategoryPage
from forum.pagination import Ordering, Page, paginate
from forum.permissions import moderation_scope
from moderation.models import HIDING_REASONS, Flag, Review


def audit_log() -> QuerySet[Event]:
    """Every event, newest first, with its actor and subject type (event_newest index)."""
    return Event.objects.select_related("actor", "subject_type").order_by("-created_at", "-pk")


def verb_choices() -> list[tuple[str, str]]:
    return [(verb, f"{verb}: {label}") for verb, label in events.verbs().items()]


def attach_subjects(page: list[Event]) -> list[Event]:
    """Give each event on a page `subject_url` (None when the object is gone or has no
    page), in one query per kind of object however long the page."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for event in page:
        if event.subject_type_id and event.subject_id is not None:
            wanted[event.subject_type_id].add(event.subject_id)
    found: dict[tuple[int, int], object] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=ids):
            found[(type_id, obj.pk)] = obj
    for event in page:
        obj = found.get((event.subject_type_id, event.subject_id))
        get_url = getattr(obj, "get_absolute_url", None) or getattr(obj, "get_url", None)
        event.subject_url = get_url() if callable(get_url) else None
        event.verb_label = events.verbs().get(event.verb, event.verb)
        event.changes = _changes(event.payload)
    return page


def _changes(payload: dict) -> list[tuple[str, object, object]]:
    before, after = payload.get("before") or {}, payload.get("after") or {}
    return [
        (field, before.get(field), after.get(field)) for field in sorted(set(before) | set(after))
    ]


# --- The review queue (docs/moderation.md) ----------------------------------------------

OLDEST_FIRST = Ordering("opened_at", ascending=True)


def open_reviews(
    *, reason: str | None = None, category_id: int | None = None, viewer=None
) -> QuerySet[Review]:
    """Open reviews with all a queue row shows, oldest first (the review_queue indexes);
    `reason` is a flag reason or "held". For a moderator scoped to categories (`viewer`),
    only the reviews of threads in those categories (where they are now: a moved
    question's review follows it)."""
    reviews = Review.objects.filter(closed_at=None).select_related(
        "question", "answer", "comment", "thread", "category", "author"
    )
    scope = moderation_scope(viewer) if viewer is not None else None
    if scope is not None:
        reviews = reviews.filter(thread__category_id__in=scope)
    if reason == "held":
        reviews = reviews.filter(held=True)
    elif reason:
        reviews = reviews.filter(Exists(Flag.objects.filter(review=OuterRef("pk"), reason=reason)))
    if category_id:
        reviews = reviews.filter(category_id=category_id)
    flags = Flag.objects.select_related("flagger").order_by("created_at", "pk")
    return reviews.prefetch_related(Prefetch("flags", queryset=flags))


def review_queue(
    *,
    reason: str | None = None,
    category_id: int | None = None,
    cursor: str | None = None,
    viewer=None,
) -> Page:
    """One keyset page of the queue `viewer` works (all of it, or their categories'),
    each review with `earlier_flags` (flags on its author's posts in reviews already
    closed): four queries however long the page."""
    page = paginate(
        open_reviews(reason=reason, category_id=category_id, viewer=viewer),
        OLDEST_FIRST,
        cursor,
        settings.TANYA_PAGE_SIZE,
    )
    authors = {review.author_id for review in page.items}
    earlier = (
        dict(
            Flag.objects.filter(review__author_id__in=authors, review__closed_at__isnull=False)
            .values("review__author_id")
            .annotate(n=Count("pk"))
            .values_list("review__author_id", "n")
        )
        if authors
        else {}
    )
    for review in page.items:
        review.earlier_flags = earlier.get(review.author_id, 0)
        review.open_flags = list(review.flags.all())
        review.weight = sum(f.weight for f in review.open_flags if f.reason in HIDING_REASONS)
    return page


def queue_categories(viewer=None):
    """The categories the queue filters by: those `viewer` moderates."""
    categories = CategoryPage.objects.live().order_by("title").only("pk", "title")
    scope = moderation_scope(viewer) if viewer is not None else None
    if scope is not None:
        categories = categories.filter(pk__in=scope)
    return categories
