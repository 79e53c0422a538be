"""Outgoing webhooks: the endpoints staff register and the log of what was sent to them
(docs/webhooks.md).

One `Delivery` per endpoint per event (unique), so a subscriber that runs twice queues
one; each try of it leaves a `DeliveryAttempt`, the log staff read in the admin.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The event types an endpoint may ask for: the verb the receiver sees as `type`, and its
# label in the admin. `question.escalated` and `post.flagged` belong to apps that may not
# declare them yet; an endpoint may ask for them now and receives them once they exist.
EVENT_TYPES: dict[str, str] = {
    "question.asked": _("Question asked"),
    "answer.posted": _("Answer posted"),
    "answer.accepted": _("Answer accepted"),
    "answer.unaccepted": _("Answer unaccepted"),
    "question.overdue": _("Question unanswered past the response target"),
    "question.escalated": _("Question escalated"),
    "article.published": _("Knowledge-base article published"),
    "post.flagged": _("Post flagged"),
}
TEST_EVENT_TYPE = "webhook.test"


def new_secret() -> str:
    return f"whsec_{secrets.token_hex(32)}"


class Endpoint(models.Model):
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_("Where deliveries are POSTed. HTTPS is strongly recommended."),
    )
    secret = models.CharField(_("signing secret"), max_length=80, default=new_secret)
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return self.is_active and event_type in self.event_types

    def event_type_labels(self) -> list[str]:
        return [str(EVENT_TYPES[t]) for t in self.event_types if t in EVENT_TYPES]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    # The event is the idempotency key the receiver sees as `id`.
    event = models.ForeignKey(
        "core.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    event_type = models.CharField(_("event type"), max_length=60)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When a pending delivery is next tried; while a worker is sending it, the end of its
    # claim (webhooks.actions.attempt_delivery), so nobody else sends it meanwhile.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} #{self.pk}"


class DeliveryAttempt(models.Model):
    """One try of a delivery: what the receiver answered, how long it took."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="tries"
    )
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("time"))
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.TextField(_("error"), blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
