"""The members and tags directories (`/members/`, `/tags/`): searchable by the start of a
name, sorted several ways, keyset-paginated (forum/pagination.py).

Every ordering has its own index (accounts.User.Meta, forum.models.TagCounts.Meta), and
a search is a prefix match (`LIKE 'prefix%'`) that the name-prefix indexes answer, never
a `LIKE '%x%'` scan. No page counts its rows: a page is one query at any depth, plus
nothing else (the template reads only what the rows carry).

The members directory lists active members who are not suspended, and only what their
public profile already shows: name, username, picture, reputation and when they joined.
"""

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forum.models import TagCounts
from forum.pagination import Ordering, Page, paginate

SEARCH_MAX = 60

MEMBER_SORTS = {
    "reputation": Ordering("reputation"),
    "newest": Ordering("date_joined"),
    "name": Ordering("name_key", ascending=True, text=True),
}
DEFAULT_MEMBER_SORT = "reputation"

TAG_SORTS = {
    "popular": Ordering("question_count"),
    "name": Ordering("name", ascending=True, text=True),
}
DEFAULT_TAG_SORT = "popular"


def _prefix(query: str) -> str:
    """What a search box sent, as the lower-case start of a name (at most SEARCH_MAX)."""
    return " ".join(query.split())[:SEARCH_MAX].lower()


def listed_members() -> QuerySet[User]:
    """Members the directory may show: active (so never a deleted account) and not
    suspended right now. Only the columns the directory shows are read."""
    now = timezone.now()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(suspended_at=None) | Q(suspended_until__lte=now))
        .only(
            "id",
            "username",
            "display_name",
            "avatar",
            "reputation",
            "date_joined",
            "name_key",
            "is_active",
        )
    )


def member_directory(
    *, query: str = "", sort: str = DEFAULT_MEMBER_SORT, cursor: str | None = None, size=None
) -> Page:
    """One page of listed members whose shown name (or username) starts with `query`,
    sorted by reputation, newest or name. One query per page."""
    ordering = MEMBER_SORTS.get(sort) or MEMBER_SORTS[DEFAULT_MEMBER_SORT]
    members = listed_members()
    if prefix := _prefix(query):
        members = members.filter(Q(name_key__startswith=prefix) | Q(username__startswith=prefix))
    return paginate(members, ordering, cursor, size or settings.TANYA_PAGE_SIZE)


def tag_directory(
    *, query: str = "", sort: str = DEFAULT_TAG_SORT, cursor: str | None = None, size=None
) -> Page:
    """One page of tags on at least one public question, whose name starts with
    `query`, by popularity (public questions) or name. One query per page."""
    ordering = TAG_SORTS.get(sort) or TAG_SORTS[DEFAULT_TAG_SORT]
    tags = TagCounts.objects.filter(question_count__gt=0)
    if prefix := _prefix(query).replace(" ", "-"):
        tags = tags.filter(name__startswith=prefix)
    return paginate(tags, ordering, cursor, size or settings.TANYA_PAGE_SIZE)


def member_sort_choices() -> list[tuple[str, str]]:
    return [("reputation", _("Reputation")), ("newest", _("Newest")), ("name", _("Name"))]


def tag_sort_choices() -> list[tuple[str, str]]:
    return [("popular", _("Popular")), ("name", _("Name"))]


def directory_page(request, *, kind: str) -> dict:
    """Context for a directory page from the request's `q`, `sort` and `cursor`."""
    query = request.GET.get("q", "")[: SEARCH_MAX * 2]
    cursor = request.GET.get("cursor")
    if kind == "members":
        sorts, default, read = member_sort_choices(), DEFAULT_MEMBER_SORT, member_directory
    else:
        sorts, default, read = tag_sort_choices(), DEFAULT_TAG_SORT, tag_directory
    sort = request.GET.get("sort", default)
    sort = sort if sort in dict(sorts) else default
    page = read(query=query, sort=sort, cursor=cursor)
    return {"page": page, "items": page.items, "query": query.strip(), "sort": sort, "sorts": sorts}
