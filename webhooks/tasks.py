"""The worker's side of webhooks: send one delivery (retries are webhooks.jobs')."""

from django_tasks import task

from webhooks import actions


@task()
def send_delivery(delivery_id: int) -> None:
    """Try a queued delivery once; a gone or already-sent one is a no-op."""
    actions.attempt_delivery(delivery_id)
