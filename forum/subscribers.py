"""What the forum does after its own writes, in the worker (docs/ARCHITECTURE.md, Events).

A deleted or removed post takes its images with it: their files are deleted from storage
and their rows go (forum.actions.purge_attachments, idempotent). Storage is slow and may
be remote (S3), so this runs after commit in the worker, not in the request; a storage
that is down makes the subscriber raise, and delivery tries again later.
"""

from core import events
from core.models import Event
from forum import actions
from forum import verbs as v


@events.subscriber(v.POST_DELETED, v.POST_REMOVED)
def purge_post_attachments(event: Event) -> None:
    kind = event.payload.get("kind") or (event.subject_type.model if event.subject_type else "")
    if kind in ("question", "answer") and event.subject_id is not None:
        actions.purge_attachments(kind, event.subject_id)
