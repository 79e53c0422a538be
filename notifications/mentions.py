"""Who a post mentions, read from its stored HTML: forum.mentions rendered each
``@name`` of an existing member as a link to their profile when the post was saved."""

import re
from urllib.parse import unquote

from django.urls import reverse

from accounts.models import User


def _profile_link_re() -> re.Pattern:
    prefix = reverse("accounts:profile", args=["x"]).removesuffix("x/")
    return re.compile(rf'<a href="{re.escape(prefix)}([^"/]+)/"[^>]*>@')


def mentioned_ids(body_html: str) -> set[int]:
    names = {unquote(name) for name in _profile_link_re().findall(body_html or "")}
    if not names:
        return set()
    return set(User.objects.filter(username__in=names).values_list("pk", flat=True))
