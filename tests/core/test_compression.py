"""HTML goes out gzipped to clients that accept it; static files carry far-future headers.

Django's GZipMiddleware does the compressing (core.middleware.CompressionMiddleware skips
streaming and already-compressed responses); WhiteNoise serves static files, with the
manifest storage production uses, so a hashed file name can be cached for ever.
"""

import gzip
import re

import pytest
from django.core.management import call_command
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.middleware import CompressionMiddleware
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def thread():
    question = QuestionFactory(body="How do I print a PDF file? " * 40)
    for _ in range(5):
        AnswerFactory(question=question, body="Try turning it off and on again. " * 20)
    return question


def test_the_question_page_is_gzipped_for_a_client_that_accepts_it(client, thread):
    plain = client.get(thread.get_absolute_url())
    packed = client.get(thread.get_absolute_url(), **GZIP)

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content)
    assert b"How do I print a PDF file?" in html and b"Try turning it off" in html
    assert abs(len(html) - len(plain.content)) < 200  # the same page (the CSRF token differs)
    assert len(packed.content) * 3 < len(plain.content)


def test_a_client_that_does_not_accept_gzip_gets_plain_html(client, thread):
    response = client.get(thread.get_absolute_url(), HTTP_ACCEPT_ENCODING="identity")

    assert "Content-Encoding" not in response
    assert b"How do I print a PDF file?" in response.content


def test_the_csrf_token_in_a_compressed_page_is_masked_afresh_on_every_response(client):
    """BREACH needs a secret repeated in every response; Django masks the token anew."""
    tokens = []
    for _ in range(2):
        response = client.get(reverse("account_login"), **GZIP)
        assert response["Content-Encoding"] == "gzip"
        html = gzip.decompress(response.content).decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))

    assert tokens[0] != tokens[1]


def _through_middleware(response) -> HttpResponse:
    request = RequestFactory().get("/", **GZIP)
    return CompressionMiddleware(lambda request: response)(request)


def test_a_streaming_response_is_streamed_uncompressed():
    chunks = [b"id,title\n"] + [b"1,How do I print a PDF file?\n"] * 500
    response = _through_middleware(StreamingHttpResponse(iter(chunks), content_type="text/csv"))

    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == b"".join(chunks)


@pytest.mark.parametrize(
    "content_type", ["image/png", "image/webp", "application/zip", "application/pdf", "font/woff2"]
)
def test_an_already_compressed_kind_of_file_is_sent_as_it_is(content_type):
    body = b"\x89PNG" + b"\0" * 2000
    response = _through_middleware(HttpResponse(body, content_type=content_type))

    assert "Content-Encoding" not in response
    assert response.content == body


def test_an_svg_image_is_text_and_is_compressed():
    body = b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<path d='M0 0'/>" * 200 + b"</svg>"
    response = _through_middleware(HttpResponse(body, content_type="image/svg+xml"))

    assert response["Content-Encoding"] == "gzip"


def test_a_response_already_encoded_is_not_compressed_twice():
    body = gzip.compress(b"hello " * 500)
    original = HttpResponse(body, content_type="text/plain")
    original["Content-Encoding"] = "gzip"

    assert _through_middleware(original).content == body


# --- Static files -------------------------------------------------------------------------


@pytest.fixture
def production_static(settings, tmp_path):
    """collectstatic with production's storage (hashed names and .gz/.br copies)."""
    from config.settings import production

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": production.STORAGES["staticfiles"]}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    return staticfiles_storage


def test_production_serves_hashed_static_files_with_far_future_cache_headers(
    client, production_static
):
    url = production_static.url("themes/tanya.css")
    assert re.search(r"tanya\.[0-9a-f]{12}\.css$", url)

    response = client.get(url, **GZIP)

    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    # WhiteNoise sends its own precompressed copy; the middleware leaves it alone.
    assert response["Content-Encoding"] in {"gzip", "br"}
    body = b"".join(response.streaming_content)
    if response["Content-Encoding"] == "gzip":
        assert b"--" in gzip.decompress(body)
