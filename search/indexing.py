"""Keeping the index in step with the forum and the knowledge base.

Search never hears from the writers directly: it subscribes to their events
(search/subscribers.py) and re-syncs the thread or article an event names. The event row
is the outbox: written in the write's own transaction, it stays pending until every
subscriber, this one included, has succeeded, so a backend that is down loses nothing;
the catch-up (core.events: the next delivery, `manage.py events_catch_up`, the worker's
start) delivers it again. `search_reindex` and `search_check --fix` resync by hand.
"""

import logging

from search import vocabulary
from search.backends import get_backend
from search.documents import documents_for_source

logger = logging.getLogger(__name__)


def sync_source(source: str) -> None:
    """Make the index hold what `source` should have now.

    Raises SearchUnavailable when the backend is down (the event that asked stays
    pending and is retried).
    """
    documents = documents_for_source(source)
    backend = get_backend()
    if documents:
        backend.replace(source, documents)
    else:
        backend.remove(source)
    # The words of what was just indexed, for typo tolerance: only the difference is
    # written (search/vocabulary.py).
    vocabulary.record_source(source, documents)


def unindex_source(source: str) -> None:
    """Drop `source`'s documents whatever the forum holds. Raises SearchUnavailable."""
    get_backend().remove(source)
    vocabulary.record_source(source, [])
