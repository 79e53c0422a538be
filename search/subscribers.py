"""What search does after other apps' writes: re-sync the documents an event touches.

Every handler re-reads the thread or article as it is now, so running one twice, or late,
or out of order, leaves the index right (docs/ARCHITECTURE.md, "Events"). A backend that
is down raises SearchUnavailable, which keeps the event pending for the catch-up.
"""

from core import events
from core.models import Event
from search import actions, indexing, vectors
from search.backends import get_backend
from search.documents import article_source, question_source

# Every forum verb that changes what a thread's documents hold: text, tags, category,
# acceptance, scores (a ranking tie-breaker), and whether it is indexed at all.
THREAD_VERBS = (
    "question.asked",
    "question.edited",
    "question.privacy_changed",
    "question.closed",  # is_open, for is:unanswered
    "question.reopened",
    "question.locked",
    "answer.posted",
    "answer.edited",
    "answer.accepted",
    "answer.unaccepted",
    "answer.verified",
    "post.deleted",
    "post.restored",
    "vote.cast",
    # Moderating visibility (forum/actions/visibility.py): in or out of the index.
    "post.hidden",
    "post.unhidden",
    "post.held",
    "post.approved",
    "post.removed",
    "question.unlocked",
    "question.moved",
    "question.merged",
)
ARTICLE_VERBS = ("article.published", "article.unpublished", "article.deleted")
# What changes a question's title, its accepted answer's lead (search/vectors.py,
# RECIPE) or whether it may be found: its vector follows.
VECTOR_VERBS = (
    "question.asked",
    "question.edited",
    "answer.accepted",
    "answer.unaccepted",
    "answer.edited",
    "question.privacy_changed",
    "post.deleted",
    "post.restored",
    "post.hidden",
    "post.unhidden",
    "post.held",
    "post.approved",
    "post.removed",
)


@events.subscriber(*THREAD_VERBS)
def reindex_thread(event: Event) -> None:
    if event.question_id is not None:
        indexing.sync_source(question_source(event.question_id))


@events.subscriber("question.merged")
def drop_merged_question(event: Event) -> None:
    """The merged duplicate (the event's subject) leaves the index; reindex_thread
    re-syncs the original, which now holds its answers."""
    indexing.sync_source(question_source(event.subject_id))


@events.subscriber("question.asked")
def mark_ask_visit_asked(event: Event) -> None:
    """The similar questions shown on the ask form didn't stop this one: the visit ended
    in a question, not a deflection."""
    actions.record_question_asked(event.payload.get("ask_visit"), event.subject_id)


@events.subscriber(*ARTICLE_VERBS)
def reindex_article(event: Event) -> None:
    indexing.sync_source(article_source(event.subject_id))


@events.subscriber(*VECTOR_VERBS)
def embed_thread(event: Event) -> None:
    """Re-embed the thread (title and accepted answer's lead), or drop its vector, in the
    worker, never the request."""
    if event.question_id is not None:
        _embed(question_source(event.question_id))


@events.subscriber(*ARTICLE_VERBS)
def embed_article(event: Event) -> None:
    _embed(article_source(event.subject_id))


def _embed(source: str) -> None:
    # Elasticsearch keeps the vector in the document itself: send it the new one.
    if vectors.sync_vector(source) and get_backend().name == "elasticsearch":
        indexing.sync_source(source)


def pending_events():
    """Events search subscribes to whose search subscriber has not yet succeeded."""
    names = [f"{__name__}.{f.__qualname__}" for f in (reindex_thread, reindex_article)]
    return (
        events.pending()
        .filter(verb__in=THREAD_VERBS + ARTICLE_VERBS)
        .exclude(handler_runs__handler__in=names)
        .order_by("pk")
    )
