"""`manage.py search_check`: compare the search index with the forum and the knowledge base.

Builds every document the index should hold (questions, answers and published articles)
and compares fingerprints with what it does hold: missing (should be there, isn't), stale
(there, but out of date), orphaned (there, but shouldn't be: deleted, unpublished or
gone), and the events search has not yet seen (its subscriber failed or has not run).
Exits with
an error when anything is wrong, so it can run from cron or a health check; `--fix` syncs
the affected sources and then reports what is left.
"""

from django.core.management.base import BaseCommand, CommandError

from core import events
from search import embeddings, indexing, subscribers
from search.backends import get_backend
from search.documents import iter_documents
from search.errors import SearchUnavailable

EXAMPLES = 10


class Command(BaseCommand):
    help = "Report documents missing from, stale in or orphaned in the search index."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Re-sync what is wrong.")

    def handle(self, *args, fix=False, **options):
        try:
            problems = self.check_index()
            if fix and (problems["sources"] or subscribers.pending_events().exists()):
                for source in sorted(problems["sources"]):
                    indexing.sync_source(source)
                for pk in list(subscribers.pending_events().values_list("pk", flat=True)):
                    events.deliver(pk)
                self.stdout.write("Re-synced; checking again.")
                problems = self.check_index()
        except SearchUnavailable as error:
            raise CommandError(str(error.message)) from error
        pending = subscribers.pending_events().count()
        self.stdout.write(embeddings.status())
        for label in ("missing", "stale", "orphaned"):
            keys = problems[label]
            self.stdout.write(f"{label}: {len(keys)}" + _examples(keys))
        self.stdout.write(f"pending: {pending}")
        total = sum(len(problems[label]) for label in ("missing", "stale", "orphaned"))
        if total or pending:
            raise CommandError(f"The search index needs attention ({total + pending} issues).")
        self.stdout.write(self.style.SUCCESS(f"The index holds {problems['count']} documents."))

    def check_index(self) -> dict:
        expected: dict[str, tuple[str, str]] = {}
        for batch in iter_documents():
            for doc in batch:
                expected[doc.key] = (doc.fingerprint, doc.source)
        actual = get_backend().fingerprints()
        missing = sorted(set(expected) - set(actual))
        orphaned = sorted(set(actual) - set(expected))
        stale = sorted(k for k in set(expected) & set(actual) if expected[k][0] != actual[k][0])
        sources = {expected[k][1] for k in missing + stale} | {actual[k][1] for k in orphaned}
        return {
            "missing": missing,
            "stale": stale,
            "orphaned": orphaned,
            "sources": sources,
            "count": len(actual),
        }


def _examples(keys: list[str]) -> str:
    if not keys:
        return ""
    more = f", … (+{len(keys) - EXAMPLES})" if len(keys) > EXAMPLES else ""
    return f" ({', '.join(keys[:EXAMPLES])}{more})"
