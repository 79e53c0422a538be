"""search_reindex rebuilds the index; search_check finds what is missing, stale or orphaned."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from forum.models import Question, Visibility
from search import indexing
from search.documents import question_source
from search.models import SearchDocument
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_reindex_indexes_every_visible_question_and_answer():
    answer = AnswerFactory()
    QuestionFactory(deleted_at=timezone.now())

    output = run("search_reindex")

    assert "Indexed 2 documents with the database backend" in output
    assert set(SearchDocument.objects.values_list("key", flat=True)) == {
        f"question:{answer.question_id}",
        f"answer:{answer.pk}",
    }


def test_check_passes_when_the_index_matches_the_forum():
    indexing.sync_source(question_source(AnswerFactory().question_id))

    assert "The index holds 2 documents." in run("search_check")


def test_check_reports_missing_stale_and_orphaned_documents():
    missing = QuestionFactory()
    stale = QuestionFactory()
    orphaned = QuestionFactory()
    indexing.sync_source(question_source(stale.pk))
    indexing.sync_source(question_source(orphaned.pk))
    Question.objects.filter(pk=stale.pk).update(title="A title edited behind the index")
    Question.objects.filter(pk=orphaned.pk).update(
        visibility=Visibility.DELETED, deleted_at=timezone.now()
    )
    out = StringIO()

    with pytest.raises(CommandError, match="needs attention"):
        call_command("search_check", stdout=out)

    report = out.getvalue()
    assert f"missing: 1 (question:{missing.pk})" in report
    assert f"stale: 1 (question:{stale.pk})" in report
    assert f"orphaned: 1 (question:{orphaned.pk})" in report


def test_check_fix_brings_the_index_up_to_date():
    QuestionFactory()
    stale = QuestionFactory()
    indexing.sync_source(question_source(stale.pk))
    Question.objects.filter(pk=stale.pk).update(title="A title edited behind the index")

    output = run("search_check", "--fix")

    assert "Re-synced" in output
    assert "missing: 0" in output and "stale: 0" in output
