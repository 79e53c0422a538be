"""Template helpers for the forum theme.

Permission filters wrap forum.permissions so templates show a button exactly when its
action would succeed (`{% if user|can_edit:answer %}`): the action raises the refusal
of the same predicate, so the two can't drift. Templates never combine states and roles
themselves. Nothing
here queries the database: it reads only what queries.py already loaded.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum import category_icons, permissions
from forum.errors import DomainError
from forum.markdown import html_to_text
from forum.models import Vote

register = template.Library()

_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_DEFAULT_COLOUR = "#2563eb"


@register.filter
def can_see(user, post) -> bool:
    return permissions.can_see_post(user, post)


@register.filter
def is_public(post) -> bool:
    """Whether everyone may see `post` (for what search engines and lists read)."""
    return permissions.can_see_post(None, post)


@register.filter
def can_change_privacy(user, question) -> bool:
    return permissions.can_change_privacy(user, question)


@register.filter
def can_edit(user, post) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def can_delete(user, post) -> bool:
    return permissions.can_delete_post(user, post)


@register.filter
def can_restore(user, post) -> bool:
    return permissions.can_restore_post(user, post)


@register.filter
def can_hide(user, post) -> bool:
    return permissions.can_hide_post(user, post)


@register.filter
def can_unhide(user, post) -> bool:
    return permissions.can_unhide_post(user, post)


@register.filter
def can_accept(user, answer) -> bool:
    return permissions.can_accept_answer(user, answer.question, answer)


@register.filter
def can_unaccept(user, question) -> bool:
    return permissions.can_unaccept_answer(user, question)


@register.filter
def can_verify(user, question) -> bool:
    return permissions.can_verify_answer(user, question)


@register.filter
def answer_refusal(user, question) -> DomainError | None:
    """Why `user` can't answer `question` (its `message` explains), or None."""
    return permissions.answer_question_refusal(user, question)


@register.filter
def comment_refusal(user, post) -> DomainError | None:
    return permissions.comment_refusal(user, post)


@register.filter
def vote_refusal(user, post) -> DomainError | None:
    """Why `user` can't vote on `post` at all, or None."""
    return permissions.vote_refusal(user, post)


def _toggled(post, value: int) -> int:
    # The vote buttons toggle: pressing the one already pressed retracts the vote.
    return Vote.NONE if getattr(post, "my_vote", Vote.NONE) == value else value


@register.filter
def can_vote_up(user, post) -> bool:
    """Whether the up button's vote (up, or retracting an up vote) would be accepted."""
    return permissions.can_vote_on(user, post, _toggled(post, Vote.UP))


@register.filter
def can_vote_down(user, post) -> bool:
    return permissions.can_vote_on(user, post, _toggled(post, Vote.DOWN))


@register.filter
def can_delete_comment(user, comment) -> bool:
    return permissions.can_delete_comment(user, comment)


@register.filter
def can_change_state(user, question) -> bool:
    return permissions.can_change_state(user, question)


@register.filter
def can_moderate(user, question) -> bool:
    """The moderator tools on the question page (forum.permissions.moderates)."""
    return permissions.can_moderate(user, question)


@register.filter
def can_view_revisions(user, post) -> bool:
    return permissions.can_view_revisions(user, post)


@register.filter
def is_member(user) -> bool:
    return permissions.is_member(user)


@register.filter
def is_moderator(user) -> bool:
    return permissions.is_moderator(user)


@register.filter
def moderates(user, post) -> bool:
    """Whether `user` moderates the post's category (forum.permissions.moderates)."""
    return permissions.moderates(user, post)


@register.filter
def is_own(user, post) -> bool:
    return permissions.is_member(user) and post.author_id == user.pk


# A thread shows the same few relative times ("3 hours ago") and the same minutes in its
# full dates hundreds of times per render, and each costs several translations and a pass
# of Django's date format parser (docs/performance.md, "The thread render, uncached").
# Their texts depend only on the language, the time zone and the numbers shown, so they
# are remembered per process, keyed by exactly those. Bounded: emptied when full.
_MEMO_SIZE = 4096


def _remembered(memo: dict, key, make):
    text = memo.get(key)
    if text is None:
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        text = memo[key] = make()
    return text


class _TimeString:
    """One of timesince's units ("%(num)d hours"), translated once per language and number:
    timesince still does all the arithmetic (its `time_strings` argument)."""

    texts: dict = {}

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def __mod__(self, values: dict) -> str:
        key = (get_language(), self.unit, values["num"])
        return _remembered(self.texts, key, lambda: TIME_STRINGS[self.unit] % values)


_TIME_STRINGS = {unit: _TimeString(unit) for unit in TIME_STRINGS}
_AGO_TEXTS: dict = {}


@register.filter
def ago(value: datetime | None) -> str:
    """'3 hours ago' ('just now' under a minute); empty for no date."""
    if value is None:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return _remembered(_AGO_TEXTS, (get_language(), None), lambda: _("just now"))
    since = timesince(value, depth=1, time_strings=_TIME_STRINGS)
    return _remembered(
        _AGO_TEXTS, (get_language(), since), lambda: _("%(time)s ago") % {"time": since}
    )


# The two pieces a thread repeats per post, rendered in Python rather than by an included
# template: a 100-answer page included them 400 times per render (docs/performance.md).
# forum/_time.html and forum/_member_chip.html call these, so each has one definition.


# Date format characters that show seconds or finer: a format without them gives the
# same text for every moment of a minute.
_FINER_THAN_MINUTES = frozenset("sucrvU")
_FULL_DATES: dict = {}
_TIME_OPENINGS: dict = {}


def _full_date(local: datetime) -> str:
    """The localized DATETIME_FORMAT text of `local`, remembered per minute (per moment if
    the format shows seconds), language and time zone."""
    fmt = get_format("DATETIME_FORMAT")
    if _FINER_THAN_MINUTES.isdisjoint(fmt):
        local = local.replace(second=0, microsecond=0)
    wall = local.replace(tzinfo=None)
    key = (get_language(), fmt, wall, local.tzinfo, local.utcoffset())
    return _remembered(_FULL_DATES, key, lambda: dateformat.format(local, fmt))


def _time_opening(when: datetime) -> str:
    """`<time datetime="…" title="…">` for `when`, remembered per moment, language and
    time zone (a thread re-rendered after a vote shows the same moments again)."""
    key = (when, get_language(), timezone.get_current_timezone(), settings.USE_TZ)

    def make() -> str:
        local = timezone.template_localtime(when)
        # isoformat() is what date format "c" gives, without its parser.
        return format_html('<time datetime="{}" title="{}">', local.isoformat(), _full_date(local))

    return _remembered(_TIME_OPENINGS, key, make)


@register.simple_tag
def time_ago(when: datetime | None) -> SafeString | str:
    """`<time>` with the machine-readable date, the full date as its title and '3 hours ago'."""
    if when is None:
        return ""
    return mark_safe(f"{_time_opening(when)}{conditional_escape(ago(when))}</time>")


@register.simple_tag
def member_chip(member, compact: bool = False) -> SafeString:
    """A member's avatar initial, name and reputation, linking to their profile."""
    label = _("reputation")
    return format_html(
        '<a class="member-chip{}" href="{}">\n'
        '  <span class="avatar" aria-hidden="true">{}</span>\n'
        '  <span class="member-chip__name">{}</span>\n'
        '  <span class="member-chip__rep" title="{}"><span class="visually-hidden">{} </span>'
        "{}</span>\n</a>",
        " member-chip--compact" if compact else "",
        member.get_absolute_url(),
        member.name[:1].upper(),
        member.name,
        label,
        label,
        number_format(member.reputation or 0, force_grouping=True),
    )


@register.simple_tag(takes_context=True)
def answer_list(context) -> SafeString:
    """The question's answers, rendered in Python (forum/thread_render.py)."""
    from forum.thread_render import render_answers  # it uses the tags above

    question = context["question"]
    return mark_safe(render_answers(context, question))


@register.simple_tag(takes_context=True)
def vote_box(context, post, kind: str) -> SafeString:
    """A question's or answer's vote box, rendered in Python (forum/thread_render.py)."""
    from forum.thread_render import render_vote_box

    return mark_safe(render_vote_box(context, post, kind))


@register.simple_tag(takes_context=True)
def comment_list(context, post, kind: str) -> SafeString:
    """A question's or answer's comments and form, rendered in Python (forum/thread_render.py)."""
    from forum.thread_render import render_comments

    return mark_safe(render_comments(context, post, kind))


@register.simple_tag(takes_context=True)
def login_to_continue(context) -> str:
    """The log-in URL that comes back to this page, built once per request (a thread has
    two "log in to vote" links per post)."""
    request = context.get("request")
    if request is None:
        return reverse("account_login")
    url = getattr(request, "_tanya_login_next", None)
    if url is None:
        url = f"{reverse('account_login')}?next={quote(request.get_full_path())}"
        request._tanya_login_next = url
    return url


@register.filter
def safe_colour(value: str) -> str:
    """A category colour fit for a style attribute: #rrggbb or the default blue."""
    return value if isinstance(value, str) and _COLOUR_RE.match(value) else _DEFAULT_COLOUR


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap"
    text: str


def revision_text(revision) -> str:
    """The source of a revision as the diff compares it: title and tags first for questions."""
    parts = []
    if revision.question_id:
        parts.append(_("Title: %(title)s") % {"title": revision.title})
        parts.append(_("Tags: %(tags)s") % {"tags": revision.tags or "—"})
        parts.append("")
    parts.append(revision.body)
    return "\n".join(parts)


@register.filter
def line_diff(revision) -> list[DiffLine]:
    """Lines of `revision` against `revision.previous`, with three lines of context.

    The template escapes every line; nothing here is marked safe.
    """
    new = revision_text(revision).splitlines()
    previous = getattr(revision, "previous", None)
    if previous is None:
        return [DiffLine("added", line) for line in new]
    old = revision_text(previous).splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for number, group in enumerate(matcher.get_grouped_opcodes(3)):
        if number:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in old[i1:i2])
                continue
            if tag in ("replace", "delete"):
                lines.extend(DiffLine("removed", line) for line in old[i1:i2])
            if tag in ("replace", "insert"):
                lines.extend(DiffLine("added", line) for line in new[j1:j2])
    return lines


@register.filter
def plain_text(html: str) -> str:
    """Plain text of a post's stored HTML, for a meta description (forum.markdown)."""
    return html_to_text(html or "")


@register.simple_tag
def category_icon(category) -> SafeString | str:
    """A category's chosen icon as inline SVG (forum/category_icons.py), else its emoji or
    first letter. The caller's wrapper carries aria-hidden: the name beside it says it."""
    if category.icon_name:
        return category_icons.svg(category.icon_name)
    return category.icon or category.title[:1]
