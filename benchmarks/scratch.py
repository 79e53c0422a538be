"""Scratch databases for the search benchmarks (never the development or test database).

`open_scratch(vendor)` points Django at a fresh SQLite file or a fresh PostgreSQL
database, migrates it, and returns a loader for bulk data. Call it before importing
anything that touches models.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# What every Tanya process sets before numpy loads (one BLAS thread): without it a
# benchmark measured OpenBLAS's second thread spinning beside the SQL on a 2-core machine,
# not the site (docs/search.md, "Latency").
import config.processes  # noqa: E402, F401

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def open_scratch(vendor: str, name: str) -> str:
    """Configure Django for a new scratch database of `vendor`; returns its URL."""
    sys.path.insert(0, str(ROOT))
    if vendor == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="tanya-bench-"))
        url = f"sqlite:///{directory / f'{name}.sqlite3'}"
    elif vendor == "postgres":
        import psycopg

        # BENCH_POSTGRES_DATABASE (or BENCH_SCRATCH_DATABASE): a name of one's own when several
        # benchmarks share a server.
        database = (
            os.environ.get("BENCH_POSTGRES_DATABASE")
            or os.environ.get("BENCH_SCRATCH_DATABASE")
            or f"tanya_bench_{name}"
        )
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}"')
        url = f"{POSTGRES_ADMIN_URL}/{database}"
    else:
        raise SystemExit(f"Unknown vendor {vendor!r}: use sqlite or postgres.")
    return _start_django(url)


def reuse_scratch(url: str) -> str:
    """Configure Django for a scratch database kept by an earlier run; migrates it."""
    sys.path.insert(0, str(ROOT))
    return _start_django(url)


def _start_django(url: str) -> str:
    os.environ["DATABASE_URL"] = url
    # Production-like: DEBUG off (no query log kept in memory), in-process tasks.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("SEARCH_BACKEND", "database")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return url


def drop_scratch(vendor: str, url: str) -> None:
    from django.db import connections

    connections.close_all()
    if vendor == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.rmdir()
    else:
        import psycopg

        database = url.rsplit("/", 1)[1]
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Loader:
    """Bulk inserts of users, one category, questions and answers (no actions, no signals)."""

    def __init__(self) -> None:
        from accounts.models import User
        from forum.models import CategoryPage, CommunityIndexPage

        self.users = User.objects.bulk_create(
            [User(username=f"bench{i}", email=f"bench{i}@example.com") for i in range(50)]
        )
        index = CommunityIndexPage.objects.get()
        self.category = index.add_child(instance=CategoryPage(title="Web apps", slug="web-apps"))

    def threads(self, threads: list[tuple[str, str, list[str]]], *, batch: int = 2000) -> list:
        """Insert (title, body, answers) as solved questions, the first answer accepted.

        Returns the questions' primary keys in input order.
        """
        import itertools
        from datetime import timedelta

        from django.utils import timezone
        from django.utils.html import escape
        from django.utils.text import slugify

        from forum.models import Answer, Question

        def html(text: str) -> str:
            return f"<p>{escape(text)}</p>"

        now = timezone.now()
        ids: list[int] = []
        users = itertools.cycle(self.users)
        for start in range(0, len(threads), batch):
            chunk = threads[start : start + batch]
            questions = Question.objects.bulk_create(
                [
                    Question(
                        title=title[:150],
                        slug=slugify(title, allow_unicode=True)[:160] or "question",
                        body=body,
                        body_html=html(body),
                        category=self.category,
                        author=next(users),
                        answer_count=len(answers),
                        created_at=now - timedelta(minutes=start + n),
                        last_activity_at=now,
                    )
                    for n, (title, body, answers) in enumerate(chunk)
                ]
            )
            answer_rows = Answer.objects.bulk_create(
                [
                    Answer(
                        question=question,
                        body=text,
                        body_html=html(text),
                        author=next(users),
                        score=len(answers) - rank,
                    )
                    for question, (_, _, answers) in zip(questions, chunk, strict=True)
                    for rank, text in enumerate(answers)
                ]
            )
            first: dict[int, int] = {}
            for answer in answer_rows:
                first.setdefault(answer.question_id, answer.pk)
            accepted = []
            for question in questions:
                if question.pk in first:
                    question.accepted_answer_id = first[question.pk]
                    question.accepted_by_id = question.author_id
                    question.accepted_at = now
                    accepted.append(question)
            Question.objects.bulk_update(
                accepted, ["accepted_answer", "accepted_by", "accepted_at"], batch_size=1000
            )
            ids.extend(q.pk for q in questions)
        from forum import counters

        counters.recount()  # the inserts bypass the actions: bring the category counts in line
        counters.recount_tags()
        return ids


def rebuild_index() -> int:
    from search.backends import get_backend
    from search.documents import iter_documents

    return get_backend().rebuild(iter_documents())
