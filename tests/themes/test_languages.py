import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from forum.models import Question
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware leaves the last request's language active on the thread."""
    yield
    translation.activate("en")


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_the_footer_switcher_changes_the_language_of_the_next_page(client):
    questions = reverse("forum:questions")

    response = client.post(reverse("set_language"), {"language": "id", "next": questions})

    assert response.status_code == 302
    assert response["Location"] == questions
    html = client.get(questions).content.decode()
    assert _lang(html) == "id"
    assert '<option value="id" lang="id" selected>' in html


def test_the_browser_language_is_used_until_the_visitor_chooses(client):
    html = client.get(reverse("forum:questions"), HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9").content

    assert _lang(html.decode()) == "id"


def test_an_unsupported_browser_language_falls_back_to_english(client):
    html = client.get(reverse("forum:questions"), HTTP_ACCEPT_LANGUAGE="fr-FR").content

    assert _lang(html.decode()) == "en"


@pytest.mark.parametrize(("language", "shown"), [("en", "12,345"), ("id", "12.345")])
def test_reputation_is_written_the_way_the_reader_writes_numbers(client, language, shown):
    QuestionFactory(author=UserFactory(reputation=12345))

    html = client.get(reverse("forum:questions"), HTTP_ACCEPT_LANGUAGE=language).content

    chip = re.search(r'class="member-chip__rep"[^>]*>(.*?)</span>\s*</a>', html.decode(), re.S)
    assert chip.group(1).endswith(f"</span>{shown}")


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "March 5, 2026, 4:30 p.m."), ("id", "5 Maret 2026, 16.30")]
)
def test_dates_are_written_in_the_reader_s_format(client, settings, language, shown):
    settings.TIME_ZONE = "Asia/Jakarta"  # 09:30 UTC is 16:30 there
    Question.objects.filter(pk=QuestionFactory().pk).update(
        last_activity_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    )

    html = client.get(reverse("forum:questions"), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert re.search(r'<time datetime="[^"]+" title="([^"]+)"', html).group(1) == shown
