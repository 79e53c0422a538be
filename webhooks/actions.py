"""Every write of the webhooks app (docs/webhooks.md).

Endpoints are registered, changed, removed and tested by staff; each of those records one
event. Deliveries are queued by webhooks.subscribers and sent by the worker
(`attempt_delivery`, from the task and the retry job); they are this app's own
bookkeeping, kept in Delivery and DeliveryAttempt, and record no event.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core import events
from core.errors import NotAllowed
from core.models import Event
from webhooks import payloads, permissions, transport
from webhooks import verbs as v
from webhooks.errors import UnknownEventType, UnsafeWebhookURL
from webhooks.models import (
    EVENT_TYPES,
    TEST_EVENT_TYPE,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Endpoint,
    new_secret,
)

logger = logging.getLogger(__name__)

# While a worker sends a delivery it holds it this long (a claim, in next_attempt_at); a
# worker that died mid-send lets the retry job take it again after that.
CLAIM = timedelta(minutes=5)
RETRY_AFTER_CAP = timedelta(hours=6)  # the longest wait between two tries
RETRY_BATCH = 100
NOT_PUBLIC = "What the event is about is not public."


# --- Endpoints (staff) ----------------------------------------------------------------------


def check_url(url: str) -> str:
    """Refuse a URL the delivery guard would refuse (transport.resolve), as a form error."""
    try:
        transport.resolve(url)
    except transport.UnsafeURL as error:
        raise UnsafeWebhookURL(str(error), field="url") from error
    return url


def _clean_event_types(event_types) -> list[str]:
    chosen = list(dict.fromkeys(event_types))
    for event_type in chosen:
        if event_type not in EVENT_TYPES:
            raise UnknownEventType(field="event_types")
    return chosen


def _refuse_unless_manager(actor) -> None:
    if not permissions.can_manage_webhooks(actor):
        raise NotAllowed()


@transaction.atomic
def register_endpoint(
    actor, *, name: str, url: str, event_types, is_active: bool = True
) -> Endpoint:
    """Staff register an endpoint (its secret is generated); records `webhook.registered`."""
    _refuse_unless_manager(actor)
    endpoint = Endpoint.objects.create(
        name=name.strip(),
        url=check_url(url),
        event_types=_clean_event_types(event_types),
        is_active=is_active,
        created_by=actor,
    )
    events.record(actor, v.ENDPOINT_REGISTERED, endpoint, payload=_describe(endpoint))
    return endpoint


@transaction.atomic
def change_endpoint(
    actor,
    endpoint: Endpoint,
    *,
    name: str,
    url: str,
    event_types,
    is_active: bool,
    new_secret_now: bool = False,
) -> Endpoint:
    """Staff change an endpoint (and may roll its secret); records `webhook.changed` with
    the before and after (never the secret)."""
    _refuse_unless_manager(actor)
    endpoint = Endpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
    before = _describe(endpoint)
    endpoint.name = name.strip()
    endpoint.url = check_url(url) if url != endpoint.url else url
    endpoint.event_types = _clean_event_types(event_types)
    endpoint.is_active = is_active
    if new_secret_now:
        endpoint.secret = new_secret()
    after = _describe(endpoint)
    if before == after and not new_secret_now:
        return endpoint
    endpoint.save()
    payload = {"before": before, "after": after, "new_secret": new_secret_now}
    events.record(actor, v.ENDPOINT_CHANGED, endpoint, payload=payload)
    return endpoint


@transaction.atomic
def remove_endpoint(actor, endpoint: Endpoint) -> None:
    """Staff remove an endpoint and its delivery log; records `webhook.removed`."""
    _refuse_unless_manager(actor)
    endpoint = Endpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if endpoint is None:
        return
    events.record(actor, v.ENDPOINT_REMOVED, endpoint, payload=_describe(endpoint))
    endpoint.delete()


@transaction.atomic
def send_test(actor, endpoint: Endpoint) -> Delivery:
    """Staff send a `webhook.test` delivery to one endpoint (active or not); records
    `webhook.tested`, whose id the delivery carries. It is sent by the worker after commit."""
    _refuse_unless_manager(actor)
    endpoint = Endpoint.objects.get(pk=endpoint.pk)
    event = events.record(actor, v.ENDPOINT_TESTED, endpoint, payload={"url": endpoint.url})
    return _queue(endpoint, event, TEST_EVENT_TYPE)


def _describe(endpoint: Endpoint) -> dict:
    return {
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "is_active": endpoint.is_active,
    }


# --- Queueing (webhooks.subscribers) -----------------------------------------------------------


def queue_deliveries(event: Event) -> list[Delivery]:
    """One Delivery per active endpoint that asked for the event's verb; idempotent (the
    pair is unique). Each is sent by its own task after commit, retried by the job."""
    return [
        _queue(endpoint, event, event.verb)
        for endpoint in Endpoint.objects.filter(is_active=True).order_by("pk")
        if endpoint.wants(event.verb)
    ]


def queue_again_when_public(event: Event) -> list[Delivery]:
    """`event` (a post's `question.asked` or `answer.posted`) is about something public
    now (a moderator approved the held post): queue what wasn't queued yet, and send again
    the deliveries skipped while it was not public. A delivery that was sent (or is still
    waiting) is left alone, so the receiver hears of the post once, with the original
    event's id."""
    deliveries = queue_deliveries(event)
    skipped = [
        d.pk for d in deliveries if d.status == DeliveryStatus.SKIPPED and d.error == NOT_PUBLIC
    ]
    again = Delivery.objects.filter(pk__in=skipped, status=DeliveryStatus.SKIPPED).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), finished_at=None, error=""
    )
    if again:
        for delivery_id in skipped:
            transaction.on_commit(partial(_enqueue, delivery_id), robust=True)
    return deliveries


def _queue(endpoint: Endpoint, event: Event, event_type: str) -> Delivery:
    delivery, created = Delivery.objects.get_or_create(
        endpoint=endpoint,
        event=event,
        defaults={"event_type": event_type, "next_attempt_at": timezone.now()},
    )
    if created:
        transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return delivery


def _enqueue(delivery_id: int) -> None:
    from webhooks.tasks import send_delivery

    send_delivery.enqueue(delivery_id)


# --- Sending (the worker) ------------------------------------------------------------------


def backoff(attempt: int) -> timedelta:
    """The wait after failed try number `attempt` (1, 2, ...): the base, doubling."""
    base = timedelta(seconds=settings.TANYA_WEBHOOKS_RETRY_SECONDS)
    return min(RETRY_AFTER_CAP, base * 2 ** (attempt - 1))


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take a due pending delivery for one try. One conditional UPDATE, so of two workers
    (the task and the retry job, or two job runs) only one wins, on SQLite too."""
    claimed = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM)
    )
    return claimed == 1


def _retryable(response: transport.Response) -> bool:
    if response.refused:
        return False
    if response.status is None:
        return True  # timed out, connection refused or reset: the receiver may come back
    return response.status >= 500 or response.status in (408, 429)


def attempt_delivery(delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Send one due delivery once, and log the try; None when it wasn't due (or gone).

    Called by the worker (webhooks.tasks.send_delivery, webhooks.jobs.retry_deliveries),
    never inside a request. The payload is built now, so content no longer public is not
    sent (the delivery is skipped). 2xx succeeds; 5xx, 408, 429, timeouts and connection
    errors are tried again after `backoff` (or the receiver's Retry-After, if longer) up to
    TANYA_WEBHOOKS_MAX_ATTEMPTS; other answers (3xx: redirects are not followed, 4xx) and
    refused addresses fail at once.
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = Delivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active and delivery.event_type != TEST_EVENT_TYPE:
        return _finish(delivery, now, DeliveryStatus.SKIPPED, error="The endpoint is inactive.")
    body = payloads.build(delivery.event, endpoint, delivery.event_type)
    if body is None:
        return _finish(delivery, now, DeliveryStatus.SKIPPED, error=NOT_PUBLIC)
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tanya-Webhooks/1",
        "X-Tanya-Event": delivery.event_type,
        "X-Tanya-Delivery": str(delivery.pk),
        "X-Tanya-Signature": transport.sign(endpoint.secret, int(now.timestamp()), raw),
    }
    response = transport.post(
        endpoint.url, raw, headers, timeout=settings.TANYA_WEBHOOKS_TIMEOUT_SECONDS
    )
    succeeded = response.status is not None and 200 <= response.status < 300
    try:
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=now,
            response_code=response.status,
            duration_ms=response.duration_ms,
            error=response.error[:2000],
            succeeded=succeeded,
        )
    except IntegrityError:
        logger.warning("Delivery %s attempt %s was logged twice", delivery.pk, delivery.attempts)
    if succeeded:
        return _finish(delivery, now, DeliveryStatus.SUCCEEDED, response=response)
    if _retryable(response) and delivery.attempts < settings.TANYA_WEBHOOKS_MAX_ATTEMPTS:
        wait = backoff(delivery.attempts)
        if response.retry_after:
            wait = min(RETRY_AFTER_CAP, max(wait, timedelta(seconds=response.retry_after)))
        return _finish(
            delivery, now, DeliveryStatus.PENDING, response=response, retry_at=now + wait
        )
    return _finish(delivery, now, DeliveryStatus.FAILED, response=response)


def _finish(
    delivery: Delivery,
    now: datetime,
    status: str,
    *,
    response: transport.Response | None = None,
    error: str = "",
    retry_at: datetime | None = None,
) -> Delivery:
    delivery.status = status
    delivery.next_attempt_at = retry_at
    delivery.finished_at = None if status == DeliveryStatus.PENDING else now
    if response is not None:
        delivery.response_code = response.status
        delivery.duration_ms = response.duration_ms
        error = response.error
    delivery.error = error[:2000]
    delivery.save(
        update_fields=[
            "status",
            "next_attempt_at",
            "finished_at",
            "response_code",
            "duration_ms",
            "error",
        ]
    )
    return delivery


def due_deliveries(now: datetime):
    """Pending deliveries whose next try (or lapsed claim) is due, oldest first."""
    return (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


def retry_due(now: datetime, *, limit: int = RETRY_BATCH) -> int:
    """Try every due delivery once (the retry job); returns how many were tried."""
    tried = 0
    for delivery_id in list(due_deliveries(now)[:limit]):
        if attempt_delivery(delivery_id, now) is not None:
            tried += 1
    return tried
