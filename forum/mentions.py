"""@mentions: which ``@name`` in a post's source are members, as profile links for
forum.markdown to render. Looked up once, when the post is saved (the actions store the
rendered HTML in body_html), never per view. notifications.mentions reads the links back
out of the stored HTML to tell the members mentioned."""

from django.db.models import Q

from accounts.models import User
from forum.markdown import mention_candidates, render_inline_markdown, render_markdown

MAX_MENTIONS = 20  # names looked up per post; more is a list, not a conversation


def mention_links(source: str) -> dict[str, str]:
    """{lower-cased username: profile URL} for the active members `source` mentions: one
    query, none when it mentions nobody."""
    names = sorted(mention_candidates(source), key=str.lower)[:MAX_MENTIONS]
    if not names:
        return {}
    match = Q()
    for name in names:
        match |= Q(username__iexact=name)
    members = User.objects.filter(match, is_active=True).only("username")
    return {member.username.lower(): member.get_absolute_url() for member in members}


def render_post(source: str) -> str:
    return render_markdown(source, mentions=mention_links(source))


def render_comment(source: str) -> str:
    return render_inline_markdown(source, mentions=mention_links(source))
