"""Webhooks' periodic job (core.periodic): the retries. django-tasks has no retry of its
own, so a delivery that failed in a way worth retrying waits in `next_attempt_at` and this
job, run every minute by the worker (`manage.py run_worker`) or `manage.py run_periodic`,
tries it again. It also sends deliveries whose task was lost (a worker killed before it
ran) or whose sender died mid-try (its claim lapsed)."""

from datetime import datetime, timedelta

from core import periodic
from webhooks import actions


@periodic.job(every=timedelta(minutes=1), name="webhooks.retry_deliveries")
def retry_deliveries(now: datetime) -> None:
    actions.retry_due(now)
