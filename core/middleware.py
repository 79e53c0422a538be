"""Name the door each request came through, for the events its writes record; compress
the responses worth compressing."""

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

from core import events
from core.models import Door

_PREFIXES = (
    ("/api/", Door.API),
    ("/_allauth/", Door.API),
    ("/django-admin/", Door.DJANGO_ADMIN),
    ("/admin/", Door.WAGTAIL_ADMIN),
)


def door_for(path: str) -> str:
    for prefix, door in _PREFIXES:
        if path.startswith(prefix):
            return door
    return Door.SITE


class DoorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with events.through(door_for(request.path_info)):
            return self.get_response(request)


# Content types that are compressed already (or gain nothing): sent as they are.
_PRECOMPRESSED = ("image/", "video/", "audio/", "font/woff", "application/zip")
_PRECOMPRESSED_EXACT = frozenset(
    {"application/gzip", "application/x-gzip", "application/pdf", "application/octet-stream"}
)


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the responses worth compressing.

    Gzips what a client accepts (`Accept-Encoding: gzip`, with `Vary: Accept-Encoding`),
    with Django's random padding of the gzip header against BREACH; the CSRF token is
    masked afresh per request by Django, so no secret repeats from one response to the
    next. Leaves alone: responses already encoded (`Content-Encoding`, WhiteNoise's
    precompressed files never reach it), streaming responses (a long download or a CSV
    export must stream, not be buffered by a compressor), and images, fonts, archives and
    PDFs, which are compressed already. SVG (`image/svg+xml`) is text and is compressed.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming or _precompressed(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)


def _precompressed(content_type: str) -> bool:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "image/svg+xml":
        return False
    return kind in _PRECOMPRESSED_EXACT or kind.startswith(_PRECOMPRESSED)


# allauth's own refusals (sign-up, password reset, reauthentication, resending a code)
# are 429s without Retry-After; this is how long they are told to wait.
DEFAULT_RETRY_AFTER = 60


class RetryAfterMiddleware:
    """Every 429 says when to try again: a response that is 429 without Retry-After (from
    third-party code: allauth's limits, on the site and in the headless API) gets
    DEFAULT_RETRY_AFTER. Our own refusals set the exact seconds (core.web, config/api.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            response["Retry-After"] = str(DEFAULT_RETRY_AFTER)
        return response
