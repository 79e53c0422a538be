"""The kernel's reactions to every app's events (core.events)."""

from core import events, pagecache


@events.immediate("*")
def invalidate_cached_pages(event) -> None:
    """In the writer's process, right after commit: the next request sees the write."""
    pagecache.invalidate_for_event(event)
