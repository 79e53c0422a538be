"""The COPY loader (benchmarks/bulkload.py) leaves what the ORM loader and the project's own
indexing would: the same search documents, field for field, the same rankings, and a
community that passes the consistency checks, whole and sampled. PostgreSQL only."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks import bulkload, community
from forum.models import Answer, Comment, Question, Vote
from search.backends import get_backend
from search.management.commands.search_check import sampled_check
from search.models import DocumentTag, LexemeStat, SearchDocument
from search.queries import search

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

FIELDS = [
    f.attname for f in SearchDocument._meta.concrete_fields if f.attname not in ("id", "indexed_at")
]
QUERIES = ["reset password", "router wifi", "refund order", "kata sandi", "app crash"]


def _documents() -> dict[str, tuple]:
    rows = SearchDocument.objects.values_list(*FIELDS)
    return {row[0]: row for row in rows}


def _vectors() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, vector::text FROM tanya_search_searchdocument")
        return dict(cursor.fetchall())


def _tags() -> set[tuple[str, str]]:
    return set(DocumentTag.objects.values_list("document__key", "name"))


def _rankings() -> dict[str, list[str]]:
    return {q: [item.key for item in search(q).items] for q in QUERIES}


def test_the_copy_loader_indexes_as_search_reindex_does():
    built = bulkload.build(questions=40, log=lambda *_: None)

    assert Question.objects.count() == 40
    big = Question.objects.get(pk=built.big_question_id)
    assert big.answer_count == community.BIG_THREAD_ANSWERS == big.answers.count()
    assert Comment.objects.filter(answer__question=big).count() == (
        community.BIG_THREAD_ANSWERS * community.BIG_THREAD_COMMENTS
    )
    assert built.answers == Answer.objects.count() and built.votes == Vote.objects.count() > 0
    for answer in Answer.objects.all():
        assert answer.score == answer.votes.filter(value=1).count()
    assert community.check() == []
    problems = sampled_check(10, seed=3)
    assert not (problems["missing"] or problems["stale"] or problems["orphaned"])
    assert "counted" not in problems
    loaded, vectors, tags = _documents(), _vectors(), _tags()
    statistics = dict(LexemeStat.objects.values_list("lexeme", "documents"))
    rankings = _rankings()
    assert any(rankings.values())

    call_command("search_reindex", stdout=io.StringIO())  # the project's own indexing

    assert _documents() == loaded
    assert _vectors() == vectors
    assert _tags() == tags
    assert dict(LexemeStat.objects.values_list("lexeme", "documents")) == statistics
    assert _rankings() == rankings
    # New rows get fresh primary keys: the sequences were moved past the copied ones.
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('forum_answer', 'id'))")
        assert cursor.fetchone()[0] > Answer.objects.order_by("-pk").first().pk


def test_the_sampled_check_finds_a_stale_document_and_a_wrong_count():
    bulkload.build(questions=6, log=lambda *_: None)
    document = SearchDocument.objects.filter(kind="answer").first()
    SearchDocument.objects.filter(pk=document.pk).update(fingerprint="x")
    SearchDocument.objects.filter(kind="answer").exclude(pk=document.pk).first().delete()

    problems = sampled_check(1000, seed=1)  # more draws than rows: every question

    assert problems["stale"] == [document.key]
    assert len(problems["missing"]) == 1
    assert "counted" in problems
    assert get_backend().document_count() == SearchDocument.objects.count()
