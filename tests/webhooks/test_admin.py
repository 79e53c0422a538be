"""Registering endpoints, reading the secret and the log, and "Send test" in the Wagtail
admin (superuser staff, as the admin needs)."""

import json

import pytest
from django.urls import reverse

from core.models import Event
from tests.factories import StaffFactory, UserFactory
from tests.webhooks.conftest import documented_verifier
from webhooks.models import Delivery, DeliveryStatus, Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    return user


def _form(url, **overrides):
    data = {
        "name": "Help desk",
        "url": url,
        "event_types": ["question.asked", "question.overdue"],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_staff_register_an_endpoint_and_see_its_secret(client, staff, receiver):
    response = client.post(reverse("webhook_endpoints:add"), _form(receiver.url))

    endpoint = Endpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("webhook_endpoints:inspect", args=[endpoint.pk])
    assert endpoint.event_types == ["question.asked", "question.overdue"]
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 40
    assert endpoint.created_by == staff
    event = Event.objects.get(verb="webhook.registered")
    assert endpoint.secret not in json.dumps(event.payload)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert endpoint.secret in page.content.decode()


def test_the_list_shows_the_endpoints(client, staff, endpoint_for):
    endpoint_for("question.asked")

    response = client.get(reverse("webhook_endpoints:index"))

    assert response.status_code == 200
    assert "Help desk" in response.content.decode()


def test_a_loopback_url_is_a_form_error(client, staff, settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    response = client.post(reverse("webhook_endpoints:add"), _form("http://localhost:9/hook"))

    assert response.status_code == 200
    assert "resolves to" in response.content.decode()
    assert not Endpoint.objects.exists()
    assert not Event.objects.filter(verb="webhook.registered").exists()


@pytest.mark.parametrize("url", ["ftp://example.com/hook", "http://169.254.169.254/latest/"])
def test_other_refused_urls_are_form_errors(client, staff, settings, url):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    response = client.post(reverse("webhook_endpoints:add"), _form(url))

    assert response.status_code == 200
    assert not Endpoint.objects.exists()


def test_an_unknown_event_type_is_a_form_error(client, staff, receiver):
    response = client.post(
        reverse("webhook_endpoints:add"), _form(receiver.url, event_types=["vote.cast"])
    )

    assert response.status_code == 200
    assert not Endpoint.objects.exists()


def test_send_test_delivers_a_signed_test_event_and_logs_it(
    client, staff, endpoint_for, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for("question.asked")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook_endpoints:send_test", args=[endpoint.pk]))

    assert response.status_code == 302
    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "webhook.test"
    assert body["id"] == Event.objects.get(verb="webhook.tested").pk
    assert documented_verifier()(
        endpoint.secret, request.body, request.headers["X-Tanya-Signature"]
    )
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    page = client.get(reverse("webhook_endpoints:inspect", args=[endpoint.pk])).content.decode()
    assert "webhook.test" in page
    assert "Succeeded" in page


def test_send_test_needs_a_post(client, staff, endpoint_for):
    endpoint = endpoint_for("question.asked")

    response = client.get(reverse("webhook_endpoints:send_test", args=[endpoint.pk]))

    assert response.status_code == 405


def test_a_member_who_is_not_staff_cannot_send_a_test(client, endpoint_for, receiver):
    endpoint = endpoint_for("question.asked")
    client.force_login(UserFactory())

    response = client.post(reverse("webhook_endpoints:send_test", args=[endpoint.pk]))

    assert response.status_code in (302, 403)
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_staff_without_the_permission_cannot_open_the_endpoints(client, endpoint_for):
    endpoint = endpoint_for("question.asked")
    client.force_login(StaffFactory())

    response = client.get(reverse("webhook_endpoints:inspect", args=[endpoint.pk]))

    assert response.status_code in (302, 403)


def test_editing_can_generate_a_new_secret(client, staff, endpoint_for, receiver):
    endpoint = endpoint_for("question.asked")
    old = endpoint.secret

    response = client.post(
        reverse("webhook_endpoints:edit", args=[endpoint.pk]),
        _form(receiver.url, new_secret="on", event_types=["answer.posted"]),
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.event_types == ["answer.posted"]
    change = Event.objects.get(verb="webhook.changed")
    assert change.payload["new_secret"] is True
    assert endpoint.secret not in json.dumps(change.payload) and old not in json.dumps(
        change.payload
    )


def test_removing_an_endpoint_records_it(client, staff, endpoint_for):
    endpoint = endpoint_for("question.asked")

    response = client.post(reverse("webhook_endpoints:delete", args=[endpoint.pk]))

    assert response.status_code == 302
    assert not Endpoint.objects.exists()
    assert Event.objects.filter(verb="webhook.removed").exists()


def test_the_list_shows_pending_and_failed_deliveries(client, staff, endpoint_for, receiver, run):
    from forum import actions as forum_actions
    from tests.factories import CategoryFactory

    receiver.statuses = [500]
    endpoint_for("question.asked")
    run(
        forum_actions.ask_question,
        UserFactory(),
        title="Wi-Fi keeps dropping in the evening",
        body="The router drops the connection every evening around eight o'clock.",
        category=CategoryFactory(),
    )

    response = client.get(reverse("webhook_endpoints:index"))

    assert response.status_code == 200
    endpoint = response.context["object_list"][0]
    assert (endpoint.pending_count, endpoint.failed_count) == (1, 0)
