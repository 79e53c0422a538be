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
