"""Periodic jobs: work that needs a clock (digests, reminders, "unanswered past target").

An app declares its jobs in `<app>/jobs.py` (imported at start-up by CoreConfig.ready):

    @periodic.job(every=timedelta(minutes=1), name="notifications.instant_email")
    def send_instant_email(now: datetime) -> None: ...

`run_due(now)` runs every job whose last run is at least `every` ago. The worker calls it
once a minute (`manage.py run_worker`'s catch-up thread); `manage.py run_periodic [--once]
[--now ISO]` does the same from cron or a test. Each job has one `core.PeriodicRun` row:
a run claims it with select_for_update(skip_locked) and marks it started, so two workers
never run one job at the same time (a claim older than LEASE counts as a crashed run and
may be taken again). The job itself runs outside that short transaction, so a slow job (an
SMTP server taking its time) holds no lock the site needs. A job that raises is logged
and tried again at the next call; its last_run_at does not move.

Jobs receive `now` and must be idempotent and keyed: running one twice for the same `now`
(or a crashed run being retried) must not send or record anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import PeriodicRun

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=15)  # a run claimed longer ago than this is taken to have died

JobFunc = Callable[[datetime], None]


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: JobFunc


_JOBS: dict[str, Job] = {}


def job(*, every: timedelta, name: str) -> Callable[[JobFunc], JobFunc]:
    """Register the decorated `fn(now)` to run every `every` under the unique `name`."""

    def register(func: JobFunc) -> JobFunc:
        _JOBS[name] = Job(name=name, every=every, func=func)
        return func

    return register


def jobs() -> dict[str, Job]:
    return dict(sorted(_JOBS.items()))


def _claim(job_: Job, now: datetime, *, force: bool) -> bool:
    """Take the job's row if it is due and nobody else is running it."""
    PeriodicRun.objects.get_or_create(name=job_.name)
    with transaction.atomic():
        run = (
            PeriodicRun.objects.select_for_update(skip_locked=True)
            .filter(name=job_.name)
            .filter(Q(started_at__isnull=True) | Q(started_at__lt=timezone.now() - LEASE))
            .first()
        )
        if run is None:
            return False  # another worker holds it right now
        if not force and run.last_run_at is not None and run.last_run_at + job_.every > now:
            return False
        run.started_at = timezone.now()
        run.save(update_fields=["started_at"])
    return True


def run_job(job_: Job, now: datetime | None = None, *, force: bool = False) -> bool:
    """Run one job if due (or `force`); True when it ran and succeeded."""
    now = now or timezone.now()
    if not _claim(job_, now, force=force):
        return False
    try:
        job_.func(now)
    # A job is another app's code reaching mail servers and the like: whatever it raises is
    # logged and it is retried at the next call, and the other jobs still run.
    except Exception as error:
        logger.exception("Periodic job %s failed", job_.name)
        PeriodicRun.objects.filter(name=job_.name).update(
            started_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    PeriodicRun.objects.filter(name=job_.name).update(
        started_at=None, last_run_at=now, last_error=""
    )
    return True


def run_due(now: datetime | None = None, *, force: bool = False) -> list[str]:
    """Run every due job (every job with `force`); returns the names of those that ran."""
    now = now or timezone.now()
    return [name for name, job_ in jobs().items() if run_job(job_, now, force=force)]
