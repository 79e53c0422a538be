"""What the forum does after its own writes, in the worker (docs/ARCHITECTURE.md, Events).

A member's profile counts (forum.models.MemberCounts) follow each event that can change
them: the post's author, and for an event about a whole thread (asked, merged, made
private, a question deleted, hidden, held...) or an acceptance, also every author of an
answer in it, are counted (a member with no row yet) or marked stale for the periodic
recount (forum/jobs.py). In the worker, so a profile never counts in the request.

A deleted or removed post takes its images with it: their files are deleted from storage
and their rows go (forum.actions.purge_attachments, idempotent). Storage is slow and may
be remote (S3), so this runs after commit in the worker, not in the request; a storage
that is down makes the subscriber raise, and delivery tries again later.
"""

from core import events
from core.models import Event
from forum import actions
from forum import verbs as v
from forum.models import Answer, Question

COUNTED = (
    v.QUESTION_ASKED,
    v.QUESTION_MERGED,
    v.QUESTION_PRIVACY_CHANGED,
    v.ANSWER_POSTED,
    v.ANSWER_ACCEPTED,
    v.ANSWER_UNACCEPTED,
    v.POST_DELETED,
    v.POST_RESTORED,
    v.POST_HIDDEN,
    v.POST_UNHIDDEN,
    v.POST_HELD,
    v.POST_APPROVED,
    v.POST_REMOVED,
)
THREAD_WIDE = (v.ANSWER_ACCEPTED, v.ANSWER_UNACCEPTED)


@events.subscriber(*COUNTED)
def recount_member_posts(event: Event) -> None:
    kind = event.payload.get("kind") or (event.subject_type.model if event.subject_type else "")
    if kind == "comment":
        return
    members: set[int] = set()
    if kind == "answer" and event.verb not in THREAD_WIDE and event.subject_id is not None:
        members.update(
            Answer.objects.filter(pk=event.subject_id).values_list("author_id", flat=True)
        )
    else:
        threads = {pk for pk in (event.question_id, event.payload.get("into")) if pk}
        if kind == "question" and event.subject_id is not None:
            threads.add(event.subject_id)
        members.update(Question.objects.filter(pk__in=threads).values_list("author_id", flat=True))
        members.update(
            Answer.objects.filter(question_id__in=threads)
            .order_by()
            .values_list("author_id", flat=True)
            .distinct()
        )
    if members:
        actions.note_member_posts_changed(members)


@events.subscriber(v.POST_DELETED, v.POST_REMOVED)
def purge_post_attachments(event: Event) -> None:
    kind = event.payload.get("kind") or (event.subject_type.model if event.subject_type else "")
    if kind in ("question", "answer") and event.subject_id is not None:
        actions.purge_attachments(kind, event.subject_id)
