"""`manage.py search_check`: compare the search index with the forum and the knowledge base.

Builds every document the index should hold (questions, answers and published articles)
and compares fingerprints with what it does hold: missing (should be there, isn't), stale
(there, but out of date), orphaned (there, but shouldn't be: deleted, unpublished or
gone), and the events search has not yet seen (its subscriber failed or has not run).
Exits with
an error when anything is wrong, so it can run from cron or a health check; `--fix` syncs
the affected sources and then reports what is left.

`--sample N` is for an index too large to rebuild in memory (a million threads): it
checks N questions drawn at random (their every document, compared by fingerprint), the
sources of N stored documents drawn at random (orphans), every article, and that the
index holds as many documents as the forum should give it (one count each side). A
drifted thread outside the sample goes unseen unless it changes the count.
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
        parser.add_argument(
            "--sample",
            type=int,
            default=0,
            metavar="N",
            help="Check N random questions and N random stored documents, not everything.",
        )

    def handle(self, *args, fix=False, sample=0, **options):
        self.sample = sample
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
        if problems.get("counted"):
            self.stdout.write(f"count: {problems['counted']}")
            total += 1
        if total or pending:
            raise CommandError(f"The search index needs attention ({total + pending} issues).")
        self.stdout.write(self.style.SUCCESS(f"The index holds {problems['count']} documents."))

    def check_index(self) -> dict:
        if getattr(self, "sample", 0):
            return sampled_check(self.sample)
        expected: dict[str, tuple[str, str]] = {}
        for batch in iter_documents():
            for doc in batch:
                expected[doc.key] = (doc.fingerprint, doc.source)
        actual = get_backend().fingerprints()
        return _compare(expected, actual, count=len(actual))


def sampled_check(size: int, *, seed: int | None = None) -> dict:
    """check_index() for `size` random questions and `size` random stored documents."""
    import random

    from django.db.models import Max, Min

    from forum.models import Answer
    from search.documents import (
        article_documents,
        indexable_articles,
        indexable_questions,
        question_documents,
    )

    rng = random.Random(seed)  # noqa: S311 - a sample, not a secret
    questions = indexable_questions()
    bounds = questions.aggregate(low=Min("pk"), high=Max("pk"))
    sources: set[str] = set()
    expected: dict[str, tuple[str, str]] = {}
    if bounds["low"] is not None:
        drawn = {rng.randint(bounds["low"], bounds["high"]) for _ in range(size)}
        for question in questions.filter(pk__in=drawn):
            for doc in question_documents(question):
                expected[doc.key] = (doc.fingerprint, doc.source)
        sources |= {f"question:{pk}" for pk in drawn}
    for article in indexable_articles().prefetch_related("tags"):
        for doc in article_documents(article):
            expected[doc.key] = (doc.fingerprint, doc.source)
    backend = get_backend()
    stored = backend.sample_sources(size, rng)
    sources |= stored | {doc_source for _, doc_source in expected.values()}
    # The sampled stored documents' sources that should still be indexed.
    for source in stored - {s for _, s in expected.values()}:
        kind, _, pk = source.partition(":")
        if kind == "question":
            question = questions.filter(pk=int(pk)).first()
            for doc in question_documents(question) if question else []:
                expected[doc.key] = (doc.fingerprint, doc.source)
    actual = backend.source_fingerprints(sorted(sources))
    problems = _compare(expected, actual, count=backend.document_count())
    # Everything else, by number: each visible question and each of its visible answers.
    should = (
        questions.count()
        + Answer.objects.visible_to(None).filter(question__in=questions.values("pk")).count()
        + sum(len(article_documents(a)) for a in indexable_articles())
    )
    if should != problems["count"]:
        problems["counted"] = f"the index holds {problems['count']} documents, should {should}"
    return problems


def _compare(expected: dict, actual: dict, *, count: int) -> dict:
    """Missing, stale and orphaned keys between expected and stored (key -> (fingerprint,
    source)), the sources to re-sync, and the number of documents stored."""
    missing = sorted(set(expected) - set(actual))
    orphaned = sorted(set(actual) - set(expected))
    stale = sorted(k for k in set(expected) & set(actual) if expected[k][0] != actual[k][0])
    sources = {expected[k][1] for k in missing + stale} | {actual[k][1] for k in orphaned}
    return {
        "missing": missing,
        "stale": stale,
        "orphaned": orphaned,
        "sources": sources,
        "count": count,
    }


def _examples(keys: list[str]) -> str:
    if not keys:
        return ""
    more = f", … (+{len(keys) - EXAMPLES})" if len(keys) > EXAMPLES else ""
    return f" ({', '.join(keys[:EXAMPLES])}{more})"
