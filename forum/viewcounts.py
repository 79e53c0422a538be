"""Question views, counted in the cache and written to the database in batches.

A page view never writes to the database. `count(question_id)` adds one to the question's
counter in the default cache (an atomic `incr`: Redis in production, so every web process
adds to the same number) and, the first time the question's counter becomes pending,
notes its id in a numbered slot. `flush()` walks the slots written since the last flush,
takes each pending count (reading n and decrementing by n, so views that arrive meanwhile
stay for the next flush) and adds them all to `Question.view_count` in one transaction
(forum.actions.add_views). The periodic job `forum.flush_view_counts` (forum/jobs.py)
runs it every minute.

With the local-memory cache (the default, one cache per process) the worker's job can't
see a web process's counters, so each process that counts also flushes its own, from a
background thread, every TANYA_VIEW_FLUSH_SECONDS (never inside a request).

Views are not precious: while the cache is unreachable they are not counted (the cache
answers "missing" and nothing is written), and a local-memory cache that culls its
entries may lose some pending views. A flush that fails leaves the counts in the cache
for the next one.
"""

from __future__ import annotations

import contextlib
import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

_COUNT = "views:n:{}"  # pending views of one question
_DIRTY = "views:dirty:{}"  # present while the question's id sits in a slot
_SLOT = "views:slot:{}"  # slot number -> question id
_SLOTS = "views:slots"  # the last slot number handed out
_FLUSHED = "views:flushed"  # the last slot number flushed
BATCH = 5000  # slots one flush takes at most; the rest wait for the next


def count(question_id: int) -> None:
    """Add one view of the question, in the cache only. Never raises for a cache that is
    down: the view is simply not counted."""
    try:
        _incr(_COUNT.format(question_id))
        if cache.add(_DIRTY.format(question_id), 1, timeout=None):
            slot = _incr(_SLOTS)
            cache.set(_SLOT.format(slot), question_id, timeout=None)
    except ValueError:
        return  # the cache is unreachable (FailSafeRedisCache's incr says "no such key")
    _start_local_flusher()


def _incr(key: str) -> int:
    cache.add(key, 0, timeout=None)
    return cache.incr(key)


def pending() -> dict[int, int]:
    """The views counted but not yet flushed, by question id (for tests and the admin)."""
    slots = _pending_slots()
    ids = set(cache.get_many([_SLOT.format(s) for s in slots]).values())
    counts = cache.get_many([_COUNT.format(pk) for pk in ids])
    return {pk: counts.get(_COUNT.format(pk), 0) for pk in ids if counts.get(_COUNT.format(pk))}


def _pending_slots() -> range:
    flushed = cache.get(_FLUSHED) or 0
    last = cache.get(_SLOTS) or 0
    return range(flushed + 1, min(last, flushed + BATCH) + 1)


_flush_lock = threading.Lock()


def flush() -> int:
    """Write pending views to the database; returns how many views it wrote."""
    from forum import actions  # actions import the models; this module is imported early

    with _flush_lock:
        slots = _pending_slots()
        if not slots:
            return 0
        slot_keys = [_SLOT.format(s) for s in slots]
        ids = sorted(set(cache.get_many(slot_keys).values()))
        taken: dict[int, int] = {}
        for pk in ids:
            cache.delete(_DIRTY.format(pk))  # a view from now on notes the id again
            n = cache.get(_COUNT.format(pk)) or 0
            if n > 0:
                cache.decr(_COUNT.format(pk), n)
                taken[pk] = n
        try:
            actions.add_views(taken)
        except Exception:
            # Put the views back for the next flush rather than lose them.
            for pk, n in taken.items():
                with contextlib.suppress(ValueError):
                    _incr_by(pk, n)
            raise
        cache.set(_FLUSHED, slots[-1], timeout=None)
        cache.delete_many(slot_keys)
        return sum(taken.values())


def _incr_by(question_id: int, n: int) -> None:
    key = _COUNT.format(question_id)
    cache.add(key, 0, timeout=None)
    cache.incr(key, n)
    if cache.add(_DIRTY.format(question_id), 1, timeout=None):
        cache.set(_SLOT.format(_incr(_SLOTS)), question_id, timeout=None)


# --- The local-memory cache: each process flushes its own ---------------------------------

_flusher: threading.Thread | None = None
_flusher_lock = threading.Lock()


def _start_local_flusher() -> None:
    global _flusher
    if _flusher is not None or not settings.TANYA_VIEW_LOCAL_FLUSH or not _is_locmem():
        return
    with _flusher_lock:
        if _flusher is None:
            _flusher = threading.Thread(target=_flush_forever, name="view-counts", daemon=True)
            _flusher.start()


def _is_locmem() -> bool:
    from django.core.cache import caches

    return isinstance(caches["default"], LocMemCache)


def _flush_forever() -> None:
    from django.db import close_old_connections

    stop = threading.Event()
    while not stop.wait(settings.TANYA_VIEW_FLUSH_SECONDS):
        try:
            flush()
        except Exception:
            logger.exception("Flushing view counts failed; they stay pending.")
        finally:
            close_old_connections()
