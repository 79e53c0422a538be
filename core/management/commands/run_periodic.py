"""Run the periodic jobs that are due (core.periodic), for cron and tests.

    manage.py run_periodic [--once] [--now 2026-01-05T09:00:00+00:00] [--job NAME] [--force]

Without --once it keeps running them every minute, like the worker's catch-up thread.
"""

import time
from datetime import UTC

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import periodic


class Command(BaseCommand):
    help = "Run due periodic jobs once (--once) or every minute."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run due jobs once and exit.")
        parser.add_argument("--now", help="ISO datetime the jobs take as now (tests, replays).")
        parser.add_argument("--job", help="Only this job.")
        parser.add_argument("--force", action="store_true", help="Run even if not due.")

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None:
                raise CommandError(f"--now {options['now']!r} is not an ISO datetime.")
            if timezone.is_naive(now):
                now = timezone.make_aware(now, UTC)
        jobs = periodic.jobs()
        if options["job"]:
            if options["job"] not in jobs:
                raise CommandError(f"No periodic job {options['job']!r}; known: {sorted(jobs)}")
            jobs = {options["job"]: jobs[options["job"]]}
        while True:
            ran = [
                name
                for name, job in jobs.items()
                if periodic.run_job(job, now, force=options["force"])
            ]
            self.stdout.write(f"Ran {len(ran)} job(s): {', '.join(ran) or '-'}")
            if options["once"] or now is not None:
                return
            time.sleep(60)
