"""The knowledge base's background tasks: thin, idempotent, quiet when the row is gone."""

from django_tasks import task

from kb import actions


@task()
def check_article_source(question_id: int, change: str) -> None:
    """After a forum write: flag the thread's article if its source now reads differently
    (kb.actions.note_source_changed; does nothing for a thread without an article)."""
    actions.note_source_changed(question_id, change)
