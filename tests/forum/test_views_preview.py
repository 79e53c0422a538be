import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_preview_renders_markdown_as_a_post_would_be(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("forum:preview"), {"body": "Some **bold** text", "title": "x"}, headers=HTMX
    )

    assert "<strong>bold</strong>" in response.content.decode()


def test_the_preview_sanitizes_scripts(client):
    client.force_login(UserFactory())

    response = client.post(reverse("forum:preview"), {"body": "<script>alert(1)</script>"})

    assert "<script>" not in response.content.decode()


def test_anonymous_visitors_get_no_preview(client):
    response = client.post(reverse("forum:preview"), {"body": "**bold**"})

    assert response.status_code == 302


def test_the_ask_form_wires_the_preview_to_the_body_field(client):
    client.force_login(UserFactory())

    html = client.get(reverse("forum:ask")).content.decode()

    assert f'hx-post="{reverse("forum:preview")}"' in html
    assert 'hx-trigger="keyup changed delay:400ms"' in html
