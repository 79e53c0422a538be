"""Name the door each request came through, for the events its writes record."""

from django.http import HttpRequest, HttpResponse

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
