"""The header's bell: the signed-in member's unread count, counted only when a template
reads it (one query), and never for a visitor who isn't signed in."""

from django.http import HttpRequest
from django.utils.functional import cached_property

from notifications import queries


class Bell:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return queries.unread_count(self.user)

    @property
    def capped(self) -> bool:
        return self.unread >= queries.UNREAD_CAP

    @property
    def label(self) -> str:
        return "99+" if self.capped else str(self.unread)


def bell(request: HttpRequest) -> dict:
    return {"bell": Bell(getattr(request, "user", None))}
