"""`manage.py category_counts_recompute [--check]`: make every category's cached counts
(forum.models.CategoryCounts, "N questions · M solved") agree with its questions, and
every tag's count of public questions (forum.models.TagCounts, the tags directory).

The counts are kept by the forum's actions in each write's transaction (forum/counters.py).
This command finds the categories whose counts drifted (a bulk load, a raw UPDATE, a
restored backup, a bug), reports them and writes the true counts. With --check it only
reports, and exits non-zero when anything drifted, for monitoring.
"""

from django.core.management.base import BaseCommand, CommandError

from forum import counters


class Command(BaseCommand):
    help = "Recount every category's questions and solved questions; --check only reports."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only report categories whose counts drifted; exit with status 1 if any did.",
        )

    def handle(self, *args, check: bool = False, **options):
        drifts = counters.recount(fix=not check)
        for drift in drifts:
            self.stdout.write(
                f"{drift.title} (#{drift.category_id}): cached {drift.cached[0]} questions, "
                f"{drift.cached[1]} solved; counted {drift.counted[0]}, {drift.counted[1]}"
                + ("" if check else " (fixed)")
            )
        tag_drifts = counters.recount_tags(fix=not check)
        for name, cached, counted in tag_drifts:
            self.stdout.write(
                f"tag {name}: cached {cached} questions; counted {counted}"
                + ("" if check else " (fixed)")
            )
        if not drifts and not tag_drifts:
            self.stdout.write("Every category's counts agree with its questions.")
        elif check:
            raise CommandError(
                f"{len(drifts)} categories' and {len(tag_drifts)} tags' counts drifted."
            )
