"""Every kind of notification the model defines says something in the bell's list: an
item with no text would be an empty link (docs/notifications.md)."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core import events
from notifications.models import Kind, Notification
from tests.factories import AnswerFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Path(settings.BASE_DIR) / "notifications/templates/notifications/_item.html"


def _link_text(html: str) -> str:
    link = re.search(r'<a [^>]*class="notification__link"[^>]*>(.*?)</a>', html, re.S)
    assert link, html
    text = re.sub(r"<[^>]+>", " ", link.group(1))
    return " ".join(unescape(text).split())


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_renders_its_own_sentence(kind, rf):
    actor, member = UserFactory(username="siti"), UserFactory()
    answer = AnswerFactory()
    with transaction.atomic():
        event = events.record(actor, "answer.posted", answer, question=answer.question)
    notification = Notification.objects.create(
        recipient=member,
        event=event,
        kind=kind,
        question=answer.question,
        url=answer.get_absolute_url(),
        read_at=None,
    )
    request = rf.get("/notifications/")
    request.user = member

    text = _link_text(
        render_to_string(
            "notifications/_item.html", {"notification": notification}, request=request
        )
    )

    sentence = text.removeprefix("Unread:").strip()
    assert sentence, f"{kind} renders an empty link"
    # Its own sentence, not the fallback (the kind's label) for a kind the template forgot.
    assert f'notification.kind == "{kind}"' in TEMPLATE.read_text(), f"{kind} has no sentence"


def test_a_kind_the_template_does_not_know_still_says_something(rf):
    answer = AnswerFactory()
    with transaction.atomic():
        event = events.record(answer.author, "answer.posted", answer, question=answer.question)
    notification = Notification.objects.create(
        recipient=UserFactory(), event=event, kind="future_kind", question=answer.question
    )

    text = _link_text(render_to_string("notifications/_item.html", {"notification": notification}))

    assert text.removeprefix("Unread:").strip() == "future_kind"
