"""Nothing is lost when the worker dies: the event whose delivery a killed worker left
half-done is delivered when a worker starts again (`manage.py run_worker`).

Runs the real database task backend and real worker processes against the test
database, so it needs a server both processes can reach: PostgreSQL.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from core.models import Event, HandlerRun
from forum import actions
from search.models import SearchDocument
from tests.factories import CategoryFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after a transactional test would otherwise take the
    # data migrations' rows (the community index, the Moderators group) with it, and the
    # other transactional tests restore theirs on top of what the flush re-created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 90


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(command: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "database",
    }
    return subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", command, "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def _a_session_waits_on_a_lock() -> bool:
    # Asked on Django's connection: the blocker's own transaction would keep reading the
    # snapshot of pg_stat_activity it took first.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_an_event_left_by_a_killed_worker_is_delivered_when_a_worker_starts(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    author, category = UserFactory(), CategoryFactory()
    table = SearchDocument._meta.db_table
    db = connection.settings_dict
    blocker = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )
    worker = None
    try:
        # Hold search's table so the worker's delivery stops inside search's subscriber.
        blocker.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
        with transaction.atomic():
            question = actions.ask_question(
                author,
                title="Scanner shows a paper jam",
                body="It stops after the first page, every single time.",
                category=category,
            )
        worker = _worker("db_worker")
        _wait_for(_a_session_waits_on_a_lock, "the worker to reach search's subscriber")
        worker.send_signal(signal.SIGKILL)
        worker.wait(TIMEOUT)
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        blocker.rollback()
        blocker.close()

    event = Event.objects.get(verb="question.asked")
    assert event.processed_at is None
    assert not HandlerRun.objects.filter(
        event=event, handler="search.subscribers.reindex_thread"
    ).exists()
    assert not SearchDocument.objects.exists()

    restarted = _worker("run_worker")
    try:
        _wait_for(
            lambda: Event.objects.filter(pk=event.pk, processed_at__isnull=False).exists(),
            "the restarted worker to deliver the event",
        )
    finally:
        restarted.send_signal(signal.SIGTERM)
        try:
            restarted.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            restarted.kill()

    assert SearchDocument.objects.filter(key=f"question:{question.pk}").exists()
    assert django_settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
