"""The task worker, with the event catch-up at its start and every minute while it runs.

    manage.py run_worker [--interval SECONDS]

Delivers every pending event first (so events left when a worker died are not lost),
then runs the configured backend's worker: `db_worker` for TASKS_BACKEND=database,
`rqworker` for rq. While it runs, a thread delivers due events (retries after back-off)
and runs the due periodic jobs (core.periodic) once a minute.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from core import events, periodic

logger = logging.getLogger(__name__)
INTERVAL = 60


def _keep_catching_up(stop: threading.Event) -> None:
    while not stop.wait(INTERVAL):
        close_old_connections()
        try:
            events.catch_up(limit=200)
        except Exception:  # the loop must outlive a database hiccup; it retries next minute
            logger.exception("Event catch-up failed")
        try:
            periodic.run_due()
        except Exception:  # each job's own failure is caught in run_due; this is the database
            logger.exception("Periodic jobs failed")


class Command(BaseCommand):
    help = "Deliver pending events, then run the task worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="db_worker: seconds between polls."
        )

    def handle(self, *args, **options):
        delivered, waiting = events.catch_up(grace=timedelta(0))
        self.stdout.write(f"Caught up {delivered} event(s); {waiting} still pending.")
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_db"):
            worker = ("db_worker",), {"interval": options["interval"]}
        elif backend.startswith("django_tasks_rq"):
            worker = ("rqworker", "default"), {"job_class": "django_tasks_rq.backend.Job"}
        else:
            raise CommandError(f"{backend} runs tasks in the request; there is no worker to run.")
        stop = threading.Event()
        threading.Thread(target=_keep_catching_up, args=(stop,), daemon=True).start()
        try:
            call_command(*worker[0], **worker[1])
        finally:
            stop.set()
