"""TASKS_BACKEND=rq for real: deliver_event goes through the Redis on 127.0.0.1:6379 and an
RQ worker (the job class `manage.py run_worker` passes to rqworker) delivers it."""

import os

import pytest
import redis
from django.test import override_settings
from django_tasks_rq.backend import Job
from rq import Queue, SimpleWorker

from core.models import Event, HandlerRun
from forum import actions
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

# A db of its own, emptied around the test (CI gives each concurrent suite its own).
REDIS_URL = os.environ.get("TANYA_TEST_RQ_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def rq_backend():
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    connection.flushdb()
    settings = {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": REDIS_URL}},
    }
    with override_settings(**settings):  # django_tasks re-reads TASKS on setting_changed
        yield connection
    connection.flushdb()


def test_an_event_enqueued_through_rq_is_delivered_by_an_rq_worker(
    rq_backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = actions.ask_question(
            UserFactory(),
            title="The printer queue never empties",
            body="Every job stays in the queue after printing; restarting does not help.",
            category=CategoryFactory(),
        )
    event = Event.objects.get(verb="question.asked", subject_id=question.pk)
    assert event.processed_at is None  # enqueued in Redis, not run in the request

    queue = Queue("default", connection=rq_backend, job_class=Job)
    assert queue.count >= 1  # the member's own events are queued too
    SimpleWorker([queue], connection=rq_backend, job_class=Job).work(burst=True)

    event.refresh_from_db()
    assert event.processed_at is not None
    assert HandlerRun.objects.filter(event=event).exists()
