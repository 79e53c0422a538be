"""Search's background tasks: thin, idempotent, and quiet when the row is gone."""

from django_tasks import task

from search import indexing
from search.documents import article_source, question_source
from search.models import PendingIndex


@task()
def index_question(question_id: int) -> None:
    """Sync a question's documents (removing them if it is gone or deleted), then catch up."""
    if indexing.sync_source(question_source(question_id)) and PendingIndex.objects.exists():
        indexing.catch_up(limit=indexing.CATCH_UP_BATCH)


@task()
def remove_question(question_id: int) -> None:
    """Drop a question's documents from the index."""
    indexing.unindex_source(question_source(question_id))


@task()
def index_article(article_id: int) -> None:
    """Sync a knowledge-base article's document (removing it unless published), then catch up."""
    if indexing.sync_source(article_source(article_id)) and PendingIndex.objects.exists():
        indexing.catch_up(limit=indexing.CATCH_UP_BATCH)
