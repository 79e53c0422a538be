import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core import events, periodic
from core.models import Event
from forum import actions as forum_actions
from forum.models import Visibility
from notifications.jobs import record_overdue
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, UserFactory
from tests.webhooks.conftest import documented_verifier
from webhooks import actions
from webhooks.models import Delivery, DeliveryAttempt, DeliveryStatus

pytestmark = pytest.mark.django_db


def _ask(run, **kwargs):
    return run(
        forum_actions.ask_question,
        UserFactory(),
        title="Wi-Fi keeps dropping in the evening",
        body="The router drops the connection every evening around eight o'clock.",
        category=CategoryFactory(),
        **kwargs,
    )


def _retry_job(now):
    return periodic.run_job(periodic.jobs()["webhooks.retry_deliveries"], now, force=True)


def test_a_delivery_is_signed_so_the_documented_receiver_code_verifies_it(
    run, receiver, endpoint_for
):
    endpoint = endpoint_for("question.asked")

    question = _ask(run)

    [request] = receiver.requests
    verify = documented_verifier()
    assert verify(endpoint.secret, request.body, request.headers["X-Tanya-Signature"])
    assert not verify("whsec_wrong", request.body, request.headers["X-Tanya-Signature"])
    assert not verify(endpoint.secret, request.body + b" ", request.headers["X-Tanya-Signature"])
    body = json.loads(request.body)
    event = Event.objects.get(verb="question.asked")
    assert body["id"] == event.pk
    assert body["type"] == "question.asked"
    assert body["data"]["question"]["id"] == question.pk
    assert body["data"]["question"]["url"].endswith(question.get_absolute_url())
    assert request.headers["X-Tanya-Event"] == "question.asked"
    delivery = Delivery.objects.get()
    assert request.headers["X-Tanya-Delivery"] == str(delivery.pk)
    assert request.headers["Content-Type"] == "application/json"
    assert request.path == "/hooks/tanya"
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.response_code == 200


def test_the_documented_verifier_refuses_an_old_timestamp(run, receiver, endpoint_for):
    endpoint = endpoint_for("question.asked")
    _ask(run)
    [request] = receiver.requests
    header = request.headers["X-Tanya-Signature"]
    signed_at = int(header.split(",")[0].removeprefix("t="))

    verify = documented_verifier()

    assert verify(endpoint.secret, request.body, header, now=signed_at + 299)
    assert not verify(endpoint.secret, request.body, header, now=signed_at + 301)


def test_an_endpoint_receives_only_the_event_types_it_chose(run, receiver, endpoint_for):
    endpoint_for("answer.posted")
    question = _ask(run)
    assert receiver.requests == []

    answer = run(
        forum_actions.post_answer,
        UserFactory(),
        question,
        body="Move the router away from the microwave oven.",
    )

    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "answer.posted"
    assert body["data"]["answer"]["id"] == answer.pk
    assert body["data"]["question"]["id"] == question.pk


def test_an_inactive_endpoint_receives_nothing(run, receiver, endpoint_for):
    endpoint_for("question.asked", is_active=False)

    _ask(run)

    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_accepting_and_unaccepting_are_delivered(run, receiver, endpoint_for):
    endpoint_for("answer.accepted", "answer.unaccepted")
    question = QuestionFactory()
    answer = AnswerFactory(question=question)

    run(forum_actions.accept_answer, question.author, question, answer)
    run(forum_actions.unaccept_answer, question.author, question)

    types = [json.loads(r.body)["type"] for r in receiver.requests]
    assert types == ["answer.accepted", "answer.unaccepted"]
    assert json.loads(receiver.requests[0].body)["data"]["answer"]["is_accepted"] is True


def test_an_overdue_question_fires_a_webhook(run, receiver, endpoint_for):
    endpoint_for("question.overdue")
    question = QuestionFactory()
    later = question.created_at + timedelta(hours=2)

    run(record_overdue, question, later)

    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "question.overdue"
    assert body["data"]["question"]["id"] == question.pk
    assert body["data"]["details"]["waited_minutes"] == 120


def test_queueing_the_same_event_twice_makes_one_delivery(run, receiver, endpoint_for):
    endpoint_for("question.asked")
    _ask(run)
    event = Event.objects.get(verb="question.asked")

    with transaction.atomic():
        actions.queue_deliveries(event)

    assert Delivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_a_held_question_is_not_sent(
    run, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for("question.asked")
    question = QuestionFactory(visibility=Visibility.HELD)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.record(question.author, "question.asked", question, question=question)

    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SKIPPED


def test_visibility_is_judged_again_when_a_retry_is_sent(run, receiver, endpoint_for):
    receiver.statuses = [503, 200]
    endpoint_for("question.asked")
    question = _ask(run)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING

    run(forum_actions.delete_question, question.author, question)
    _retry_job(delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert len(receiver.requests) == 1


# --- Retries --------------------------------------------------------------------------------


def test_a_server_error_is_retried_with_exponential_backoff(run, receiver, endpoint_for, settings):
    settings.TANYA_WEBHOOKS_RETRY_SECONDS = 60
    receiver.statuses = [500, 502, 200]
    endpoint_for("question.asked")
    _ask(run)
    delivery = Delivery.objects.get()
    first = DeliveryAttempt.objects.get(delivery=delivery).started_at
    assert delivery.next_attempt_at == first + timedelta(seconds=60)

    assert actions.retry_due(first + timedelta(seconds=59)) == 0
    assert len(receiver.requests) == 1
    _retry_job(first + timedelta(seconds=60))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == first + timedelta(seconds=60 + 120)

    _retry_job(first + timedelta(seconds=180))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3
    tries = list(delivery.tries.values_list("number", "response_code", "succeeded"))
    assert tries == [(1, 500, False), (2, 502, False), (3, 200, True)]
    bodies = {r.body for r in receiver.requests}
    assert len(bodies) == 1  # the same id and payload each time
    assert len({r.headers["X-Tanya-Delivery"] for r in receiver.requests}) == 1


@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_client_error_is_not_retried(run, receiver, endpoint_for, status):
    receiver.statuses = [status]
    endpoint_for("question.asked")
    _ask(run)

    delivery = Delivery.objects.get()
    _retry_job(timezone.now() + timedelta(days=1))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.response_code == status
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 1


@pytest.mark.parametrize("status", [408, 429])
def test_request_timeout_and_too_many_requests_are_retried(run, receiver, endpoint_for, status):
    receiver.statuses = [status, 200]
    endpoint_for("question.asked")
    _ask(run)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING

    _retry_job(delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


def test_a_longer_retry_after_is_honoured(run, receiver, endpoint_for, settings):
    settings.TANYA_WEBHOOKS_RETRY_SECONDS = 60
    receiver.statuses = [429]
    receiver.extra_headers = {"Retry-After": "900"}
    endpoint_for("question.asked")
    _ask(run)

    delivery = Delivery.objects.get()

    assert delivery.next_attempt_at == delivery.tries.get().started_at + timedelta(seconds=900)


def test_a_redirect_is_not_followed(run, receiver, endpoint_for):
    receiver.statuses = [302]
    endpoint_for("question.asked")

    _ask(run)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.response_code == 302
    assert len(receiver.requests) == 1


def test_a_timeout_is_logged_and_retried(run, receiver, endpoint_for, settings):
    settings.TANYA_WEBHOOKS_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    endpoint_for("question.asked")

    _ask(run)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.response_code is None
    assert "timed out" in delivery.error


def test_a_delivery_fails_after_the_last_attempt(run, receiver, endpoint_for, settings):
    settings.TANYA_WEBHOOKS_MAX_ATTEMPTS = 3
    receiver.statuses = [500]
    endpoint_for("question.asked")
    _ask(run)
    delivery = Delivery.objects.get()

    for _ in range(5):
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            _retry_job(delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert len(receiver.requests) == 3


def test_a_connection_refused_is_retried(run, endpoint_for, settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = True
    endpoint_for("question.asked", url="http://127.0.0.1:1/nobody-listens")

    _ask(run)

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.tries.get().response_code is None


def test_a_claimed_delivery_is_not_sent_twice(run, receiver, endpoint_for):
    receiver.statuses = [500]
    endpoint_for("question.asked")
    _ask(run)
    delivery = Delivery.objects.get()
    due = delivery.next_attempt_at

    assert actions.attempt_delivery(delivery.pk, due) is not None
    assert actions.attempt_delivery(delivery.pk, due) is None

    assert len(receiver.requests) == 2


@pytest.mark.parametrize("verb", ["post.flagged", "question.escalated"])
def test_verbs_other_apps_declare_later_are_delivered_once_they_exist(
    receiver, endpoint_for, monkeypatch, django_capture_on_commit_callbacks, verb
):
    monkeypatch.setitem(events._VERBS, verb, "declared by another app")
    endpoint_for(verb)
    answer = AnswerFactory()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.record(UserFactory(), verb, answer, question=answer.question)

    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == verb
    assert body["data"]["answer"]["id"] == answer.pk
    assert body["data"]["question"]["id"] == answer.question_id
