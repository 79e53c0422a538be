"""The audit log: a read over core's events (docs/ARCHITECTURE.md, "The audit log").

Who did what to which object, when, through which door, with the reason and the before
and after the action recorded in the event's payload. Nothing here writes.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from core import events
from core.models import Event


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
