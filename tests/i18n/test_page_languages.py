"""Pages in two languages: addresses, the switcher, hreflang links (docs/i18n.md)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_indonesian_category_lives_under_the_id_prefix(tagihan):
    assert tagihan.url == "/id/tagihan/"


def test_the_english_category_keeps_its_address(billing, tagihan):
    billing.refresh_from_db()
    assert billing.url == "/billing/"


def test_the_indonesian_address_serves_the_translation_in_indonesian(client, tagihan):
    response = client.get("/id/tagihan/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id"' in html
    assert "<h1>Tagihan</h1>" in html


def test_the_english_address_serves_english_to_an_english_visitor(client, tagihan):
    response = client.get("/billing/")

    assert response.status_code == 200
    assert "<h1>Billing</h1>" in response.content.decode()


def test_an_indonesian_visitor_at_the_english_address_goes_to_the_translation(client, tagihan):
    client.cookies["django_language"] = "id"

    response = client.get("/billing/?sort=newest")

    assert response.status_code == 302
    assert response["Location"] == "/id/tagihan/?sort=newest"
    assert "Cookie" in response["Vary"]


def test_an_indonesian_visitor_stays_on_a_page_without_a_translation(client, indonesian_home):
    from tests.factories import CategoryFactory

    CategoryFactory(title="Routers", slug="routers")
    client.cookies["django_language"] = "id"

    response = client.get("/routers/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id"' in html
    assert "<h1>Routers</h1>" in html


def test_forum_pages_keep_following_the_language_cookie(client, tagihan):
    client.cookies["django_language"] = "id"

    response = client.get(reverse("forum:questions"))

    assert '<html lang="id"' in response.content.decode()


def test_the_switcher_goes_to_the_translation(client, billing, tagihan):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "id", "next": "/billing/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/id/tagihan/"
    assert response.cookies["django_language"].value == "id"


def test_the_switcher_comes_back_to_the_english_page(client, billing, tagihan):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "en", "next": "/id/tagihan/"}
    )

    assert response["Location"] == "/billing/"
    assert response.cookies["django_language"].value == "en"


def test_the_switcher_stays_on_a_page_without_a_translation(client, question_url):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "id", "next": question_url}
    )

    assert response["Location"] == question_url
    assert response.cookies["django_language"].value == "id"


def test_the_switcher_refuses_to_leave_the_site(client):
    response = client.post(
        reverse("accounts:switch_language"),
        {"language": "id", "next": "https://evil.example/"},
    )

    assert response["Location"] == "/"


def test_the_switcher_ignores_an_unknown_language(client, billing):
    response = client.post(
        reverse("accounts:switch_language"), {"language": "xx", "next": "/billing/"}
    )

    assert response["Location"] == "/billing/"
    assert "django_language" not in response.cookies


def test_a_translated_page_lists_its_languages_and_x_default(client, settings, tagihan):
    settings.WAGTAILADMIN_BASE_URL = "https://tanya.example"

    html = client.get("/id/tagihan/").content.decode()

    assert '<link rel="alternate" hreflang="en" href="https://tanya.example/billing/">' in html
    assert '<link rel="alternate" hreflang="id" href="https://tanya.example/id/tagihan/">' in html
    assert (
        '<link rel="alternate" hreflang="x-default" href="https://tanya.example/billing/">' in html
    )


def test_a_page_in_one_language_has_no_hreflang_links(client, billing):
    html = client.get("/billing/").content.decode()

    assert "hreflang" not in html


@pytest.fixture
def question_url():
    from tests.factories import QuestionFactory

    return QuestionFactory().get_absolute_url()
