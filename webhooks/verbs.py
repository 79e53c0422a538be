"""The webhooks app's own event verbs: staff registering, changing, removing and testing
endpoints (docs/webhooks.md). Deliveries themselves record none: like notifications'
email items they are the app's own bookkeeping, kept in its Delivery log, and an event
per attempt would only feed the subscribers another event to deliver."""

from django.utils.translation import gettext_lazy as _

from core import events

ENDPOINT_REGISTERED = "webhook.registered"
ENDPOINT_CHANGED = "webhook.changed"
ENDPOINT_REMOVED = "webhook.removed"
ENDPOINT_TESTED = "webhook.tested"

events.declare(
    {
        ENDPOINT_REGISTERED: _("registered a webhook endpoint"),
        ENDPOINT_CHANGED: _("changed a webhook endpoint"),
        ENDPOINT_REMOVED: _("removed a webhook endpoint"),
        ENDPOINT_TESTED: _("sent a test webhook"),
    }
)
