from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class UnsafeWebhookURL(DomainError):
    code, status, message = "unsafe_webhook_url", 400, _("Webhooks can't be sent to that URL.")


class UnknownEventType(DomainError):
    code, status, message = "unknown_event_type", 400, _("There is no such event type.")
