"""Keeping the index in step with the forum: scheduling, syncing and catching up.

Writes call `schedule_index_question(question_id)` (or, for a knowledge-base article,
`schedule_index_article(article_id)`) inside their transaction. It records
the question in the `PendingIndex` outbox (in that same transaction, so the record exists
exactly when the write does) and enqueues `tasks.index_question` after commit. The task
syncs the question's documents and clears the record. If the backend is down the record
stays, and the next successful task, `search_reindex --pending` or `search_check --fix`
catches up. Nothing here can make a post fail: enqueueing runs after commit and is
robust, and the backends' connection errors are caught.
"""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from search.backends import get_backend
from search.documents import article_source, documents_for_source, question_source
from search.errors import SearchUnavailable
from search.models import PendingIndex

logger = logging.getLogger(__name__)

CATCH_UP_BATCH = 20  # pending sources a successful task also syncs


def schedule_index_question(question_id: int) -> None:
    """Re-index a question (and its answers) after the current transaction commits.

    Call it from every write that changes what a question's documents hold: asking,
    editing, answering, accepting, voting, deleting and restoring.
    """
    from search import tasks

    _remember(question_source(question_id))
    transaction.on_commit(partial(tasks.index_question.enqueue, question_id), robust=True)


def schedule_remove_question(question_id: int) -> None:
    """Drop a question's documents after the current transaction commits."""
    from search import tasks

    _remember(question_source(question_id))
    transaction.on_commit(partial(tasks.remove_question.enqueue, question_id), robust=True)


def schedule_index_article(article_id: int) -> None:
    """Re-index a knowledge-base article after the current transaction commits: added when
    published, dropped when unpublished, deleted or made private."""
    from search import tasks

    _remember(article_source(article_id))
    transaction.on_commit(partial(tasks.index_article.enqueue, article_id), robust=True)


def sync_source(source: str) -> bool:
    """Make the index hold what `source` should have now. False when the backend is down."""
    started = timezone.now()
    documents = documents_for_source(source)
    backend = get_backend()
    try:
        if documents:
            backend.replace(source, documents)
        else:
            backend.remove(source)
    except SearchUnavailable as error:
        _remember(source, error=error)
        return False
    PendingIndex.objects.filter(source=source, requested_at__lte=started).delete()
    return True


def unindex_source(source: str) -> bool:
    """Drop `source`'s documents whatever the forum holds. False when the backend is down."""
    started = timezone.now()
    try:
        get_backend().remove(source)
    except SearchUnavailable as error:
        _remember(source, error=error)
        return False
    PendingIndex.objects.filter(source=source, requested_at__lte=started).delete()
    return True


def catch_up(limit: int | None = None) -> tuple[int, int]:
    """Sync pending sources, oldest first, stopping at the first failure.

    Returns (synced, still pending).
    """
    pending = PendingIndex.objects.order_by("requested_at", "pk").values_list("source", flat=True)
    synced = 0
    for source in list(pending[:limit] if limit else pending):
        if not sync_source(source):
            break
        synced += 1
    return synced, PendingIndex.objects.count()


def _remember(source: str, *, error: Exception | None = None) -> None:
    now = timezone.now()
    if error is None:
        # INSERT ... ON CONFLICT DO UPDATE: two writes to one question never collide.
        PendingIndex.objects.bulk_create(
            [PendingIndex(source=source, requested_at=now)],
            update_conflicts=True,
            unique_fields=["source"],
            update_fields=["requested_at"],
        )
        return
    logger.warning("Search backend unavailable; %s stays pending: %s", source, error)
    record, _ = PendingIndex.objects.get_or_create(source=source, defaults={"requested_at": now})
    record.attempts += 1
    record.last_error = str(error)[:1000]
    record.save(update_fields=["attempts", "last_error"])
