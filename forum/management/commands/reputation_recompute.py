"""`manage.py reputation_recompute [--check]`: make every User.reputation agree with the ledger.

A member's reputation is a cache of the floor plus the sum of their ReputationEntry rows,
kept in step by forum.actions. This command finds the members whose cache drifted (a raw
UPDATE, a restored backup, a bug), reports them, and rewrites the cache from the ledger.
With --check it only reports, and exits non-zero when anything drifted, for monitoring.

`recompute_reputation` is the one sanctioned write of User.reputation outside
forum.actions; it lives here until it moves there.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from forum.models import ReputationEntry


@dataclass(frozen=True)
class Drift:
    username: str
    cached: int
    ledger: int
    fixed: bool = False


def recompute_reputation(*, fix: bool) -> list[Drift]:
    """Staff tooling: report every member whose cached reputation differs from the ledger.

    With `fix`, rewrite each drifted cache to the ledger total, one member per
    transaction. The member's row is locked first, as the ledger writers in forum.actions
    lock it before appending, so no grant lands between summing and writing. A ledger that
    sums below the floor can't be written (the database refuses it); it is reported with
    `fixed=False`.
    """
    floor = settings.TANYA_REPUTATION["FLOOR"]
    suspects = (
        User.objects.annotate(
            ledger=Value(floor) + Coalesce(Sum("reputation_entries__amount"), Value(0))
        )
        .exclude(reputation=F("ledger"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    drifts = []
    for user_id in list(suspects):
        with transaction.atomic():
            users = User.objects.select_for_update(no_key=True) if fix else User.objects
            user = users.only("pk", "username", "reputation").get(pk=user_id)
            total = ReputationEntry.objects.filter(user_id=user_id).aggregate(
                total=Coalesce(Sum("amount"), Value(0))
            )["total"]
            ledger = floor + total
            if user.reputation == ledger:
                continue  # put right by an action since the scan
            fixed = fix and ledger >= floor
            if fixed:
                User.objects.filter(pk=user_id).update(reputation=ledger)
            drifts.append(Drift(user.username, user.reputation, ledger, fixed))
    return drifts


class Command(BaseCommand):
    help = "Recompute every member's reputation from the ledger; --check only reports."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report members whose reputation drifted; exit with status 1 if any did.",
        )

    def handle(self, *args, check: bool = False, **options):
        drifts = recompute_reputation(fix=not check)
        if not drifts:
            self.stdout.write(self.style.SUCCESS("Every member's reputation matches the ledger."))
            return

        rows = [("username", "cached", "ledger")]
        rows += [(d.username, str(d.cached), str(d.ledger)) for d in drifts]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            self.stdout.write(
                f"{row[0].ljust(widths[0])}  {row[1].rjust(widths[1])}  {row[2].rjust(widths[2])}"
            )

        count = len(drifts)
        if check:
            raise CommandError(f"{count} member(s) drifted from the ledger; run without --check.")
        unfixable = [d.username for d in drifts if not d.fixed]
        if unfixable:
            raise CommandError(
                "The ledger sums below the reputation floor for: "
                f"{', '.join(unfixable)}. Their entries need investigating; nothing was written."
            )
        self.stdout.write(self.style.SUCCESS(f"Fixed {count} member(s) from the ledger."))
