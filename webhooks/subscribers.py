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


@events.subscriber("post.approved")
def send_approved_post(event: Event) -> None:
    """A held post approved: the endpoints hear of it now through its original event (a
    delivery skipped while it was held is sent; one already sent is not sent again)."""
    posted = events.first_about(
        event, tuple(t for t in EVENT_TYPES if t.endswith((".asked", ".posted")))
    )
    if posted is not None:
        actions.queue_again_when_public(posted)
