"""What webhooks does after other apps' writes: queue a delivery to every endpoint that
asked for the event's type (docs/webhooks.md). Sending happens in its own task, so a slow
receiver never holds up the other subscribers, and whether the content is still public is
judged when it is sent (webhooks.payloads)."""

from core import events
from core.models import Event
from webhooks import actions
from webhooks.models import EVENT_TYPES


# Also listens for `question.escalated` and `post.flagged`, which other apps declare.
@events.subscriber(*EVENT_TYPES)
def queue_webhook_deliveries(event: Event) -> None:
    actions.queue_deliveries(event)
