"""Deliver events whose subscribers have not all run (a worker killed, a backend down).

manage.py events_catch_up            # what is due now (past its back-off)
manage.py events_catch_up --all      # every pending event, ignoring grace and back-off
manage.py events_catch_up --map      # print the verb → subscribers map and exit
"""

from datetime import timedelta

from django.core.management.base import BaseCommand

from core import events
from core.models import Event


class Command(BaseCommand):
    help = "Deliver pending events to their subscribers."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Ignore grace and back-off.")
        parser.add_argument("--map", action="store_true", help="Print the fan-out and exit.")

    def handle(self, *args, **options):
        if options["map"]:
            for verb, names in events.fan_out().items():
                self.stdout.write(f"{verb}: {', '.join(names) or '-'}")
            return
        if options["all"]:
            Event.objects.filter(processed_at__isnull=True).update(next_attempt_at=None)
            delivered, waiting = events.catch_up(grace=timedelta(0))
        else:
            delivered, waiting = events.catch_up()
        self.stdout.write(f"Delivered {delivered} event(s); {waiting} still pending.")
        if waiting:
            for event in events.pending().order_by("pk")[:10]:
                self.stdout.write(f"  #{event.pk} {event.verb}: {event.last_error[:200]}")
