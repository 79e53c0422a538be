"""The thread's answers, votes and comments are rendered in Python (forum/thread_render.py),
not by Django templates (docs/performance.md, "The thread render, uncached"). The output
must be the same bytes the templates gave: tests/forum/thread_reference/ keeps those
templates as they were, and each test renders the question page twice, once with them
in front of the theme's, and compares.

The thread has an accepted, staff-verified answer, comments, an edited answer, images,
and held, hidden and deleted posts (shown to their authors and moderators); viewers are
anonymous, a new member, a member, the asker, an answer's author, a moderator and staff,
in English and Indonesian.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from forum import actions
from forum.models import Question
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.forum.images import png

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "thread_reference"
_TOKEN = re.compile(r"[A-Za-z0-9]{64}")
_NONCE = re.compile(r'nonce="[^"]*"')


def _reference_templates():
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [REFERENCE, *templates[0]["DIRS"]]
    return templates


@pytest.fixture
def thread(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people = {
        "asker": UserFactory(reputation=50),
        "author": UserFactory(reputation=300),
        "newcomer": UserFactory(reputation=1),
        "member": UserFactory(reputation=2000),
        "moderator": ModeratorFactory(),
        "staff": StaffFactory(reputation=100),
    }
    question = QuestionFactory(author=people["asker"], title="The <printer> jams & stops")
    writer = UserFactory(reputation=500, username="o'brien")
    accepted = actions.post_answer(
        writer, question, body="Pull the **tray** out <gently>.", images=[png()]
    )
    edited = AnswerFactory(question=question, author=people["author"], score=7)
    actions.edit_answer(people["author"], edited, body="Restart it, then print again.")
    AnswerFactory(question=question, author=people["author"], held=True, score=-2)
    AnswerFactory(question=question, author=people["member"], hidden=True)
    AnswerFactory(question=question, author=UserFactory(), deleted=True)
    for answer in (accepted, edited):
        CommentFactory(answer=answer, author=people["member"], body="Thanks & <b>more</b>")
        CommentFactory(answer=answer, author=people["asker"])
    CommentFactory(answer=edited, author=people["newcomer"], held=True)
    CommentFactory(question=question, author=people["author"])
    Question.objects.filter(pk=question.pk).update(
        accepted_answer=accepted,
        accepted_by=people["asker"],
        accepted_at=timezone.now(),
        verified_by=people["staff"],
        verified_at=timezone.now(),
    )
    return question, people


def _page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    return _NONCE.sub('nonce=""', _TOKEN.sub("TOKEN", html))


VIEWERS = ["anonymous", "newcomer", "member", "asker", "author", "moderator", "staff"]


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_thread_renders_the_same_bytes_as_the_templates_did(client, thread, viewer, language):
    question, people = thread
    if viewer != "anonymous":
        client.force_login(people[viewer])
    url = question.get_absolute_url()
    client.get(url, HTTP_ACCEPT_LANGUAGE=language)  # counts the view, so both see the same
    rendered = _page(client, url, language)
    with override_settings(TEMPLATES=_reference_templates()):
        reference = _page(client, url, language)
    assert 'id="answers"' in rendered
    assert rendered == reference


def test_the_reference_templates_are_the_ones_compared(client, thread):
    """The reference must be what renders in the second pass, or the test above can't fail."""
    question, _people = thread
    marker = REFERENCE / "forum" / "_answer.html"
    original = marker.read_text()
    try:
        marker.write_text(original.replace('<div class="post__layout">', '<div class="x">'))
        with override_settings(TEMPLATES=_reference_templates()):
            html = _page(client, question.get_absolute_url(), "en")
        assert '<div class="x">' in html
    finally:
        marker.write_text(original)


@pytest.mark.parametrize("viewer", ["anonymous", "member", "moderator"])
def test_the_htmx_fragments_render_the_same_bytes(client, thread, viewer):
    """The vote box and comment list a vote or comment sends back, for an answer and for the
    question, with a refused comment's error and text in place."""
    question, people = thread
    if viewer != "anonymous":
        client.force_login(people[viewer])
    answer = question.answers.filter(author=people["author"], score=7).get()
    fragments = [
        ("post", f"/answers/{answer.pk}/vote/", {"value": "1"}),
        ("post", f"/answers/{answer.pk}/comments/", {"body": ""}),
        ("post", f"/answers/{answer.pk}/comments/", {"body": "&"}),
        ("post", f"/answers/{answer.pk}/comments/", {"body": "A bot wrote this", "website": "x"}),
        ("post", f"/questions/{question.pk}/vote/", {"value": "-1"}),
        ("post", f"/questions/{question.pk}/comments/", {"body": ""}),
        ("post", f"/questions/{question.pk}/comments/", {"body": "<"}),
    ]
    for method, path, data in fragments:
        got = getattr(client, method)(path, data, HTTP_HX_REQUEST="true")
        with override_settings(TEMPLATES=_reference_templates()):
            want = getattr(client, method)(path, data, HTTP_HX_REQUEST="true")
        assert got.status_code == want.status_code
        assert _TOKEN.sub("T", got.content.decode()) == _TOKEN.sub("T", want.content.decode()), (
            path,
            data,
        )
    if viewer == "member":  # the last fragment: the refused comment and its text came back
        assert 'aria-invalid="true"' in got.content.decode()
        assert "&lt;</textarea>" in got.content.decode()
