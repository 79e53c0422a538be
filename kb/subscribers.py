"""What the knowledge base does after forum writes: re-check the article promoted from a
thread whose question or solution changed (kb.actions.note_source_changed), and follow
whether that thread is still public (kb.actions.note_source_visibility: the article's
"original discussion" link, a flag and a word to staff when it is hidden, held, deleted,
removed, merged away or made private, and when it comes back).

The check compares the thread with the snapshot taken at the last review, so running it
twice, or for a thread without an article, changes nothing (docs/ARCHITECTURE.md).
"""

from core import events, pagecache
from core.models import Event
from kb import actions, queries
from kb import verbs as v
from kb.models import SourceChange

# The forum verbs that can make an article read differently from its source thread.
SOURCE_CHANGES = {
    "question.edited": SourceChange.QUESTION_EDITED,
    "question.closed": SourceChange.QUESTION_CLOSED,
    "question.locked": SourceChange.QUESTION_CLOSED,
    "question.reopened": SourceChange.QUESTION_CLOSED,
    "question.unlocked": SourceChange.QUESTION_CLOSED,
    # A merged duplicate (the event's subject) is gone as a source, like a deletion.
    "question.merged": SourceChange.QUESTION_DELETED,
    "answer.edited": SourceChange.ANSWER_EDITED,
    "answer.accepted": SourceChange.ANSWER_CHANGED,
    "answer.unaccepted": SourceChange.ANSWER_CHANGED,
    "post.deleted": SourceChange.QUESTION_DELETED,
    "post.restored": SourceChange.QUESTION_DELETED,
    # A moderator's moves (forum/actions/visibility.py): the question itself, or the
    # solution when it is the accepted answer (the snapshot tells; so any answer is asked).
    "post.hidden": SourceChange.QUESTION_HIDDEN,
    "post.unhidden": SourceChange.QUESTION_HIDDEN,
    "post.held": SourceChange.QUESTION_HIDDEN,
    "post.approved": SourceChange.QUESTION_HIDDEN,
    "post.removed": SourceChange.QUESTION_HIDDEN,
}

# The forum verbs after which the source thread may have stopped (or started again)
# being public.
VISIBILITY_CHANGES = (
    "post.hidden",
    "post.unhidden",
    "post.held",
    "post.approved",
    "post.removed",
    "post.deleted",
    "post.restored",
    "question.merged",
    "question.privacy_changed",
)
_MODERATOR_MOVES = ("post.hidden", "post.unhidden", "post.held", "post.approved", "post.removed")


def _change_for(event: Event) -> str | None:
    if event.verb in ("post.deleted", "post.restored"):
        if event.payload.get("kind") == "question":
            return SourceChange.QUESTION_DELETED
        # An answer's deletion matters only when it was the solution.
        return SourceChange.ANSWER_CHANGED if event.payload.get("was_accepted") else None
    if event.verb in _MODERATOR_MOVES:
        kind = event.payload.get("kind")
        if kind == "question":
            return SourceChange.QUESTION_HIDDEN
        return SourceChange.ANSWER_CHANGED if kind == "answer" else None
    if event.verb == "answer.edited" and not event.payload.get("accepted"):
        return None
    return SOURCE_CHANGES[event.verb]


@events.subscriber(*SOURCE_CHANGES)
def recheck_article_source(event: Event) -> None:
    change = _change_for(event)
    question_id = event.subject_id if event.verb == "question.merged" else event.question_id
    if change is not None and question_id is not None:
        actions.note_source_changed(question_id, change)


@events.subscriber(*VISIBILITY_CHANGES)
def follow_source_visibility(event: Event) -> None:
    """A question hidden, held, deleted, removed, merged away or made private (or shown
    again): its article links to it only while the public sees it; staff are told."""
    if event.verb == "question.merged":
        question_id = event.subject_id  # the duplicate; the event's thread is the original
    elif event.verb == "question.privacy_changed" or event.payload.get("kind") == "question":
        question_id = event.question_id
    else:
        return
    if question_id is not None:
        actions.note_source_visibility(question_id)


# The verbs after which the forum's pages may list other articles (kb.queries._listed).
LIST_CHANGES = (
    v.ARTICLE_RATED,
    v.ARTICLE_PUBLISHED,
    v.ARTICLE_UNPUBLISHED,
    v.ARTICLE_DELETED,
    v.ARTICLE_PROMOTED,
)


@events.immediate(*LIST_CHANGES)
def refresh_article_lists(event: Event) -> None:
    """In the writer's process, right after commit: the next page lists what changed."""
    pagecache.bump(queries.LISTS_SCOPE)
