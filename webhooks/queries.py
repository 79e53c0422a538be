"""Reads for the webhooks admin."""

from django.db.models import Prefetch, QuerySet

from webhooks.models import Delivery, DeliveryAttempt, Endpoint

LOG_SIZE = 50


def delivery_log(endpoint: Endpoint, limit: int = LOG_SIZE) -> list[Delivery]:
    """An endpoint's newest deliveries, each with its tries, in two queries."""
    return list(
        Delivery.objects.filter(endpoint=endpoint)
        .prefetch_related(Prefetch("tries", queryset=DeliveryAttempt.objects.order_by("number")))
        .order_by("-created_at", "-pk")[:limit]
    )


def endpoints_with_counts() -> QuerySet[Endpoint]:
    return Endpoint.objects.order_by("name", "pk")
