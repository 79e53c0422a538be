"""`manage.py search_reindex`: rebuild the search index from the forum and the knowledge
base, or catch up.

Without options, builds a complete new index and swaps it in (Elasticsearch: a new index
behind the alias, swapped atomically; database: the table rebuilt in one transaction) and
the vocabulary of indexed words (search/vocabulary.py), then re-syncs what changed while
it ran. `--pending` only delivers the events whose search
subscriber has not yet succeeded (after the backend was down).
"""

from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from core import events
from forum.models import Question
from search import indexing, subscribers, vocabulary
from search.backends import get_backend
from search.documents import article_source, iter_documents, question_source
from search.errors import SearchUnavailable


class Command(BaseCommand):
    help = "Rebuild the search index (or, with --pending, sync what is waiting)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending", action="store_true", help="Only deliver events search has not seen."
        )
        parser.add_argument(
            "--vectors",
            action="store_true",
            help="Only (re-)embed titles whose vector is missing or made by another model.",
        )
        parser.add_argument(
            "--all-vectors", action="store_true", help="With --vectors: re-embed every title."
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--keep-old", action="store_true", help="Elasticsearch: keep the replaced index."
        )

    def handle(
        self,
        *args,
        pending=False,
        batch_size=500,
        keep_old=False,
        vectors=False,
        all_vectors=False,
        **options,
    ):
        if vectors:
            self._vectors(all_rows=all_vectors)
            return
        if pending:
            waiting = subscribers.pending_events()
            synced = sum(
                1 for pk in list(waiting.values_list("pk", flat=True)) if events.deliver(pk)
            )
            left = subscribers.pending_events().count()
            self.stdout.write(f"Synced {synced} pending events; {left} still pending.")
            if left:
                raise CommandError("The search backend is still unavailable.")
            return
        backend = get_backend()
        started = timezone.now()
        # The vocabulary for typo tolerance is counted from the same documents on the way.
        words = vocabulary.Rebuild()
        try:
            count = backend.rebuild(words.wrap(iter_documents(batch_size)), keep_old=keep_old)
        except SearchUnavailable as error:
            raise CommandError(str(error.message)) from error
        terms = words.finish()
        # Writes made during the rebuild went to the old index: sync them into the new one.
        changed = Question.objects.filter(
            Q(updated_at__gte=started) | Q(last_activity_at__gte=started)
        ).values_list("pk", flat=True)
        sources = [question_source(pk) for pk in changed]
        if apps.is_installed("kb"):
            from kb.pages import ArticlePage

            published = ArticlePage.objects.filter(last_published_at__gte=started)
            sources += [article_source(pk) for pk in published.values_list("pk", flat=True)]
        try:
            for source in sources:
                indexing.sync_source(source)
        except SearchUnavailable as error:
            raise CommandError(str(error.message)) from error
        # Unpublished and deleted articles, like everything else a delivery missed, are
        # events still pending for search.
        synced, _waiting = events.catch_up(grace=timedelta(0))
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} documents with the {backend.name} backend; "
                f"re-synced {len(sources) + synced} changed since; {terms} words for spelling."
            )
        )

    def _vectors(self, *, all_rows: bool) -> None:
        from search import embeddings
        from search import vectors as stored

        if embeddings.get_embedder() is None:
            raise CommandError(embeddings.status())
        written = stored.reembed(all_rows=all_rows, stdout=self.stdout)
        if get_backend().name == "elasticsearch" and written:
            self.stdout.write(
                "Elasticsearch holds the vectors in its documents: run search_reindex."
            )
        self.stdout.write(self.style.SUCCESS(f"Embedded or dropped {written} vectors."))
