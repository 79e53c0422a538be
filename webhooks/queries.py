"""Reads for the webhooks admin."""

from django.db.models import Count, Prefetch, Q, QuerySet

from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint

LOG_SIZE = 50


def delivery_log(endpoint: Endpoint, limit: int = LOG_SIZE) -> list[Delivery]:
    """An endpoint's newest deliveries, each with its tries, in two queries."""
    return list(
        Delivery.objects.filter(endpoint=endpoint)
        .prefetch_related(Prefetch("tries", queryset=DeliveryAttempt.objects.order_by("number")))
        .order_by("-created_at", "-pk")[:limit]
    )


def endpoints_with_counts() -> QuerySet[Endpoint]:
    """Endpoints with `pending_count` and `failed_count` of their deliveries (one query)."""
    return Endpoint.objects.annotate(
        pending_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
    ).order_by("name", "pk")
