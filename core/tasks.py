"""The kernel's one task: deliver an event to its subscribers, then retry a few others."""

from django_tasks import task

from core import events


@task()
def deliver_event(event_id: int) -> None:
    """Run the event's subscribers (core.events.deliver); when that works, also deliver a
    small batch of events left pending earlier, so one healthy delivery heals the rest."""
    if events.deliver(event_id) and events.due().exists():
        events.catch_up(limit=events.CATCH_UP_BATCH)
