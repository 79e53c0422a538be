"""The SSRF guard: addresses are judged after DNS resolution, and deliveries go to the
address that was judged."""

import json

import pytest

from tests.factories import QuestionFactory
from webhooks import actions, transport
from webhooks.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.10.0.5",
        "::1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "fc00::1",
        "169.254.169.254",
        "fe80::1",
        "224.0.0.1",
        "ff02::1",
        "0.0.0.0",  # noqa: S104 (an address refused, not bound)
        "240.0.0.1",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address, settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    assert transport.address_refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address, settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    assert transport.address_refusal(address) is None


def test_a_host_name_resolving_to_loopback_is_refused_after_resolution(settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    with pytest.raises(transport.UnsafeURL, match="localhost resolves to"):
        transport.resolve("http://localhost:8080/hook")


def test_the_setting_allows_private_addresses(settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = True

    target = transport.resolve("http://localhost:8080/hook?x=1")

    assert target.address in ("127.0.0.1", "::1")
    assert (target.host, target.port, target.path) == ("localhost", 8080, "/hook?x=1")


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "http://user:pw@example.com/", "http:///x"],
)
def test_only_plain_http_and_https_urls_are_accepted(url):
    with pytest.raises(transport.UnsafeURL):
        transport.split_url(url)


def test_a_delivery_to_a_name_resolving_to_loopback_is_refused_and_not_retried(
    receiver, endpoint_for, settings, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for("question.asked", url=receiver.url_on("localhost"))
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False
    question = QuestionFactory()
    event = _record_asked(question, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(endpoint=endpoint, event=event)
    assert delivery.status == DeliveryStatus.FAILED
    assert "resolves to" in delivery.error
    assert receiver.requests == []


def test_a_delivery_to_a_literal_private_address_is_refused(
    receiver, endpoint_for, settings, django_capture_on_commit_callbacks
):
    endpoint_for("question.asked")  # http://127.0.0.1:<port>/
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    _record_asked(QuestionFactory(), django_capture_on_commit_callbacks)

    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    assert receiver.requests == []


def test_the_host_header_keeps_the_name_while_the_socket_goes_to_the_checked_address(
    receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for("question.asked", url=receiver.url_on("localhost"))

    _record_asked(QuestionFactory(), django_capture_on_commit_callbacks)

    [request] = receiver.requests  # the receiver listens on 127.0.0.1 only
    assert request.headers["Host"] == f"localhost:{receiver.port}"
    assert json.loads(request.body)["type"] == "question.asked"


def test_checking_a_url_for_the_form_uses_the_same_guard(settings):
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = False

    with pytest.raises(actions.UnsafeWebhookURL) as refused:
        actions.check_url("http://localhost/")

    assert refused.value.field == "url"


def _record_asked(question, capture):
    from django.db import transaction

    from core import events

    with capture(execute=True), transaction.atomic():
        return events.record(question.author, "question.asked", question, question=question)
