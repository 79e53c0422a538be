"""What the knowledge base does after forum writes: re-check the article promoted from a
thread whose question or solution changed (kb.actions.note_source_changed).

The check compares the thread with the snapshot taken at the last review, so running it
twice, or for a thread without an article, changes nothing (docs/ARCHITECTURE.md).
"""

from core import events
from core.models import Event
from kb import actions
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
}


def _change_for(event: Event) -> str | None:
    if event.verb in ("post.deleted", "post.restored"):
        if event.payload.get("kind") == "question":
            return SourceChange.QUESTION_DELETED
        # An answer's deletion matters only when it was the solution.
        return SourceChange.ANSWER_CHANGED if event.payload.get("was_accepted") else None
    if event.verb == "answer.edited" and not event.payload.get("accepted"):
        return None
    return SOURCE_CHANGES[event.verb]


@events.subscriber(*SOURCE_CHANGES)
def recheck_article_source(event: Event) -> None:
    change = _change_for(event)
    question_id = event.subject_id if event.verb == "question.merged" else event.question_id
    if change is not None and question_id is not None:
        actions.note_source_changed(question_id, change)
