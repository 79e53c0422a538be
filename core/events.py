"""Events and their subscribers: how one app reacts to another's writes without the writer
importing it (docs/ARCHITECTURE.md, "Events").

    events.record(actor, "answer.accepted", answer, question=question, payload={...})

is the last line of every write function, inside its transaction. After commit a task
(core.tasks.deliver_event) runs each subscriber of the verb once. Subscribers live in one
module per app, `<app>/subscribers.py`, imported at start-up (CoreConfig.ready):

    @events.subscriber("answer.posted", "answer.edited")
    def reindex_thread(event: Event) -> None: ...

A subscriber receives the Event row (primary keys, not model instances), may run more
than once for one event (it must be idempotent), and raises to say "not yet": the event
stays pending and is delivered again, with back-off, by the next delivery's catch-up,
`manage.py events_catch_up` and the worker's start (`manage.py run_worker`).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.models import Door, Event, HandlerRun

logger = logging.getLogger(__name__)

CATCH_UP_BATCH = 20  # pending events a successful delivery also retries
# A delivery's own task normally runs within moments; the catch-up leaves events younger
# than this to it, so the two don't do the same work side by side.
DELIVERY_GRACE = timedelta(seconds=60)
BACKOFF_MAX = timedelta(hours=1)

Handler = Callable[[Event], None]


@dataclass(frozen=True)
class Subscriber:
    name: str  # "search.subscribers.reindex_thread": what HandlerRun remembers
    verbs: tuple[str, ...]
    func: Handler


_VERBS: dict[str, str] = {}
_SUBSCRIBERS: list[Subscriber] = []
# In-process hooks run right after the write commits, in the writer's own process, before
# its response goes out (see `immediate`).
_IMMEDIATE: list[tuple[tuple[str, ...], Handler]] = []
_door: contextvars.ContextVar[str] = contextvars.ContextVar("door", default=Door.COMMAND)


# --- Declaring verbs and subscribers ------------------------------------------------------


def declare(verbs: dict[str, str]) -> None:
    """The owning app names its verbs and what each means (the audit log's labels).

    Called from `<app>/verbs.py`; recording an undeclared verb is a bug and raises.
    """
    _VERBS.update(verbs)


def verbs() -> dict[str, str]:
    """Every declared verb and its label, sorted by verb."""
    return dict(sorted(_VERBS.items()))


def subscriber(*verbs: str) -> Callable[[Handler], Handler]:
    """Register the decorated function for `verbs` (see the module docstring)."""

    def register(func: Handler) -> Handler:
        name = f"{func.__module__}.{func.__qualname__}"
        if not any(s.name == name for s in _SUBSCRIBERS):
            _SUBSCRIBERS.append(Subscriber(name=name, verbs=tuple(verbs), func=func))
        return func

    return register


def immediate(*verbs: str) -> Callable[[Handler], Handler]:
    """Register the decorated `fn(event)` to run in the writing process right after the
    write commits ("*": every verb); for what the very next request must see, such as the
    page cache's versions (core/pagecache.py). Unlike a subscriber it is not remembered,
    retried or run in the worker: it must be quick, need no query, and may fail without
    harm (it is logged; the write stays committed). It gets the Event as recorded."""

    def register(func: Handler) -> Handler:
        if all(existing is not func for _, existing in _IMMEDIATE):
            _IMMEDIATE.append((tuple(verbs), func))
        return func

    return register


def immediate_for(verb: str) -> list[Handler]:
    return [func for verbs, func in _IMMEDIATE if "*" in verbs or verb in verbs]


def subscribers_for(verb: str) -> list[Subscriber]:
    return [s for s in _SUBSCRIBERS if verb in s.verbs]


def fan_out() -> dict[str, list[str]]:
    """The whole verb → subscriber names map, for tests and `events_catch_up --map`."""
    return {verb: sorted(s.name for s in subscribers_for(verb)) for verb in sorted(_VERBS)}


# --- Which door a write came through --------------------------------------------------------


@contextmanager
def through(door: str) -> Iterator[None]:
    """Record events made inside the block as coming through `door` (core.middleware)."""
    token = _door.set(door)
    try:
        yield
    finally:
        _door.reset(token)


# --- Recording ------------------------------------------------------------------------------


def record(
    actor,
    verb: str,
    subject: models.Model | None = None,
    *,
    question=None,
    payload: dict | None = None,
) -> Event:
    """Record that `actor` did `verb` to `subject`, in the caller's transaction.

    `question` is the thread the event belongs to (a Question or its primary key);
    `payload` holds the few facts a subscriber or the audit log needs (a reason, the
    before and after of what changed), JSON only. Delivery is scheduled for after commit,
    so subscribers never run for a write that rolled back.
    """
    if verb not in _VERBS:
        raise ValueError(f"Undeclared event verb {verb!r}; add it to the owning app's verbs.py.")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("events.record() must run inside the write's transaction.")
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    event = Event.objects.create(
        verb=verb,
        actor_id=actor_id,
        door=_door.get(),
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        subject_label=str(subject)[:200] if subject is not None else "",
        question_id=getattr(question, "pk", question),
        payload=payload or {},
    )
    for hook in immediate_for(verb):
        transaction.on_commit(partial(hook, event), robust=True)
    # robust: an enqueue that fails (a broker down) must not undo a committed write; the
    # event stays pending and the catch-up delivers it.
    transaction.on_commit(partial(_enqueue, event.pk), robust=True)
    return event


def first_about(event: Event, verbs: tuple[str, ...]) -> Event | None:
    """The earliest event with one of `verbs` about the same subject as `event` (say, the
    `answer.posted` of an answer a moderator just approved), or None. One query, on the
    `event_by_subject` index."""
    if event.subject_type_id is None or event.subject_id is None:
        return None
    return (
        Event.objects.filter(
            subject_type_id=event.subject_type_id, subject_id=event.subject_id, verb__in=verbs
        )
        .order_by("created_at", "pk")
        .first()
    )


def _enqueue(event_id: int) -> None:
    from core.tasks import deliver_event

    deliver_event.enqueue(event_id)


# --- Delivering -----------------------------------------------------------------------------


def deliver(event_id: int) -> bool:
    """Run every subscriber of the event that has not yet succeeded for it.

    True when the event is done (or gone). A subscriber that raises is logged and retried
    later; the others still run. Each subscriber runs in its own transaction, with its
    HandlerRun, so it is remembered as done exactly when its work committed.
    """
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.processed_at is not None:
        return True
    done = set(HandlerRun.objects.filter(event=event).values_list("handler", flat=True))
    errors = []
    with through(Door.TASK):
        for sub in subscribers_for(event.verb):
            if sub.name in done:
                continue
            try:
                with transaction.atomic():
                    sub.func(event)
                    HandlerRun.objects.create(event=event, handler=sub.name)
            except IntegrityError:
                # Another delivery of the same event finished this subscriber first.
                if not HandlerRun.objects.filter(event=event, handler=sub.name).exists():
                    raise
            # A subscriber is another app's code reached through a backend that may be
            # down: its failure must neither stop the others nor lose the event, so it is
            # caught whatever it is, logged with its traceback, and retried.
            except Exception as error:
                logger.exception("Subscriber %s failed on event %s", sub.name, event.pk)
                errors.append(f"{sub.name}: {type(error).__name__}: {error}")
    now = timezone.now()
    if errors:
        delay = min(BACKOFF_MAX, timedelta(seconds=30) * 2**event.attempts)
        Event.objects.filter(pk=event.pk).update(
            attempts=F("attempts") + 1,
            next_attempt_at=now + delay,
            last_error="\n".join(errors)[:2000],
        )
        return False
    Event.objects.filter(pk=event.pk).update(processed_at=now, next_attempt_at=None)
    return True


def pending() -> models.QuerySet[Event]:
    """Events whose subscribers have not all run."""
    return Event.objects.filter(processed_at__isnull=True)


def due(*, grace: timedelta = DELIVERY_GRACE) -> models.QuerySet[Event]:
    """Pending events the catch-up should deliver now: past their back-off, and either
    tried before or older than `grace` (younger ones still have their own task coming)."""
    now = timezone.now()
    return (
        pending()
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(attempts__gt=0) | Q(created_at__lte=now - grace))
        .order_by("pk")
    )


def catch_up(limit: int | None = None, *, grace: timedelta = DELIVERY_GRACE) -> tuple[int, int]:
    """Deliver due events, oldest first. Returns (delivered, still pending)."""
    ids = due(grace=grace).values_list("pk", flat=True)
    delivered = sum(1 for event_id in list(ids[:limit] if limit else ids) if deliver(event_id))
    return delivered, pending().count()
