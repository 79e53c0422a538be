"""The members and tags directories (forum/directories.py, `/members/`, `/tags/`): who and
what they list, search by the start of a name, keyset pagination in every ordering, and
a constant number of queries per page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forum import actions, counters
from forum.directories import member_directory, tag_directory
from forum.models import TagCounts
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ask_freely(settings):
    """These tests ask many questions as one member; the rate limit is not what they test."""
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "ask": (1000, 3600)}


def _names(page) -> list[str]:
    return [member.username for member in page.items]


def _walk(read, **kwargs) -> list:
    """Every row, page by page, following the cursors."""
    rows, cursor = [], None
    while True:
        page = read(cursor=cursor, size=2, **kwargs)
        rows += page.items
        if not page.next_cursor:
            return rows
        cursor = page.next_cursor


def _ask(author, tags: str, **kwargs):
    return actions.ask_question(
        author,
        title=f"How do I set up {tags} on the new router?",
        body="I tried the manual and it did not help at all.",
        category=kwargs.pop("category", None) or CategoryFactory(),
        tags=tags,
        **kwargs,
    )


# --- Members -----------------------------------------------------------------------------


def test_members_are_sorted_by_reputation_newest_and_name():
    now = timezone.now()
    UserFactory(username="ana", display_name="Zara", reputation=5, date_joined=now)
    UserFactory(username="budi", reputation=50, date_joined=now - timedelta(days=2))
    UserFactory(username="citra", display_name="Ayu", reputation=20, date_joined=now - timedelta(1))

    assert _names(member_directory(sort="reputation")) == ["budi", "citra", "ana"]
    assert _names(member_directory(sort="newest")) == ["ana", "citra", "budi"]
    assert _names(member_directory(sort="name")) == ["citra", "budi", "ana"]  # Ayu, budi, Zara


@pytest.mark.parametrize("sort", ["reputation", "newest", "name"])
def test_keyset_pages_list_every_member_once_in_order(sort):
    for n in range(7):
        UserFactory(username=f"m{n}", reputation=10 if n % 2 else 3)  # ties on reputation

    walked = [m.username for m in _walk(member_directory, sort=sort)]

    assert walked == _names(member_directory(sort=sort, size=50))
    assert sorted(walked) == [f"m{n}" for n in range(7)]


def test_a_search_matches_the_start_of_the_shown_name_or_the_username_in_any_case():
    UserFactory(username="maya", display_name="Maya Lestari")
    UserFactory(username="agus", display_name="Pak Agus")
    UserFactory(username="lestari2")

    assert _names(member_directory(query="MAYA")) == ["maya"]
    assert _names(member_directory(query="agus")) == ["agus"]  # by username
    assert sorted(_names(member_directory(query="  lest "))) == ["lestari2"]  # not "Maya Lestari"
    assert _names(member_directory(query="estari")) == []  # a prefix, never a substring


def test_the_directory_leaves_out_deleted_inactive_and_suspended_members():
    UserFactory(username="shown")
    UserFactory(username="gone", is_active=False)
    UserFactory(username="suspended", suspended_at=timezone.now())
    UserFactory(
        username="was-suspended",
        suspended_at=timezone.now() - timedelta(days=3),
        suspended_until=timezone.now() - timedelta(days=1),
    )

    assert sorted(_names(member_directory())) == ["shown", "was-suspended"]


def test_a_forged_or_foreign_cursor_starts_from_the_first_page():
    UserFactory.create_batch(3)
    first = _names(member_directory(size=2))

    assert _names(member_directory(cursor="forged", size=2)) == first
    # A reputation cursor handed to the name ordering is refused, not misread.
    cursor = member_directory(sort="reputation", size=1).next_cursor
    assert _names(member_directory(sort="name", cursor=cursor, size=2)) == _names(
        member_directory(sort="name", size=2)
    )


@pytest.mark.parametrize("count", [1, 30])
def test_the_members_page_costs_the_same_queries_at_any_size(
    client, count, django_assert_num_queries
):
    UserFactory.create_batch(count)
    url = reverse("accounts:members")
    client.get(url)  # warm Wagtail's site and the theme settings caches

    with django_assert_num_queries(_page_queries(client, url)):
        response = client.get(url, {"sort": "name"})
    assert response.status_code == 200


def _page_queries(client, url) -> int:
    """The queries of one page for an empty directory, as the baseline."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"sort": "name", "q": "zzzz-nobody"})
    return len(queries)


def test_the_members_page_shows_public_profile_facts_only(client):
    UserFactory(username="maya", display_name="Maya Lestari", email="maya@example.com")

    html = client.get(reverse("accounts:members"), {"q": "maya"}).content.decode()

    assert "Maya Lestari" in html and "@maya" in html
    assert reverse("accounts:profile", args=["maya"]) in html
    assert "maya@example.com" not in html


def test_a_directory_search_too_long_or_odd_is_no_error(client):
    for query in ["%", "_", "' OR 1=1 --", "x" * 500, "\\"]:
        assert client.get(reverse("accounts:members"), {"q": query}).status_code == 200
        assert client.get(reverse("forum:tags"), {"q": query, "sort": "??"}).status_code == 200
    UserFactory(username="a_b")
    UserFactory(username="axb")
    assert _names(member_directory(query="a_")) == ["a_b"]  # "_" is no wildcard


# --- Tags --------------------------------------------------------------------------------


def test_tags_count_public_questions_as_they_are_asked_edited_and_deleted():
    author = UserFactory(reputation=500)
    first = _ask(author, "wifi vpn")
    _ask(author, "wifi")
    _ask(author, "wifi secret", private=True)  # private: not in the public count

    counts = dict(TagCounts.objects.values_list("name", "question_count"))
    assert counts == {"wifi": 2, "vpn": 1}

    actions.edit_question(author, first, title=first.title, body=first.body, tags="dns vpn")
    assert dict(TagCounts.objects.values_list("name", "question_count")) == {
        "wifi": 1,
        "vpn": 1,
        "dns": 1,
    }
    actions.delete_question(author, first)
    assert dict(
        TagCounts.objects.filter(question_count__gt=0).values_list("name", "question_count")
    ) == {"wifi": 1}
    assert counters.recount_tags(fix=False) == []


def test_recount_tags_finds_and_fixes_drift():
    _ask(UserFactory(reputation=500), "wifi")
    TagCounts.objects.update(question_count=9)

    assert counters.recount_tags() == [("wifi", 9, 1)]
    assert counters.recount_tags(fix=False) == []


def test_tags_are_sorted_by_popularity_and_name_and_searched_by_prefix():
    author = UserFactory(reputation=500)
    for tags in ["wifi vpn", "wifi dns", "wifi", "vpn"]:
        _ask(author, tags)

    assert [t.name for t in tag_directory(sort="popular").items] == ["wifi", "vpn", "dns"]
    assert [t.name for t in tag_directory(sort="name").items] == ["dns", "vpn", "wifi"]
    assert [t.name for t in tag_directory(query="W").items] == ["wifi"]
    assert [t.name for t in tag_directory(query="ifi").items] == []


@pytest.mark.parametrize("sort", ["popular", "name"])
def test_keyset_pages_list_every_tag_once(sort):
    author = UserFactory(reputation=500)
    for n in range(5):
        _ask(author, " ".join(f"t{k}" for k in range(n + 1)))

    walked = [t.name for t in _walk(tag_directory, sort=sort)]

    assert walked == [t.name for t in tag_directory(sort=sort, size=50).items]
    assert sorted(walked) == [f"t{k}" for k in range(5)]


@pytest.mark.parametrize("count", [1, 25])
def test_the_tags_page_costs_the_same_queries_at_any_size(client, count, django_assert_num_queries):
    author = UserFactory(reputation=500)
    category = CategoryFactory()
    for n in range(count):
        _ask(author, f"tag{n}", category=category)
    url = reverse("forum:tags")
    client.get(url)

    with django_assert_num_queries(_page_queries(client, url)):
        response = client.get(url, {"sort": "name"})
    assert response.status_code == 200
    assert f"tag{count - 1}" in response.content.decode()


# --- Indexes on PostgreSQL ---------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_answers_directory_searches_and_orderings_from_indexes():
    """With sequential scans priced out, every ordering and the prefix search still have a
    plan: so each has its index (a plan without one would need a sequential scan)."""
    UserFactory.create_batch(5)
    _ask(UserFactory(reputation=500), "wifi vpn")
    reads = [
        member_directory(sort=sort, query=query)
        for sort in ("reputation", "newest", "name")
        for query in ("", "me")
    ]
    assert reads  # the reads run; now their plans
    from django.db.models import Q

    from forum.directories import MEMBER_SORTS, TAG_SORTS, listed_members

    querysets = [
        listed_members().order_by(*ordering.order_by)[:21] for ordering in MEMBER_SORTS.values()
    ]
    querysets.append(listed_members().filter(Q(name_key__startswith="me"))[:21])
    querysets += [
        TagCounts.objects.filter(question_count__gt=0).order_by(*o.order_by)[:21]
        for o in TAG_SORTS.values()
    ]
    querysets.append(
        TagCounts.objects.filter(question_count__gt=0, name__startswith="wi").order_by("pk")[:21]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for queryset in querysets:
                plan = queryset.explain()
                assert "Seq Scan" not in plan, plan
            # The searches are ranges on the prefix indexes, not filters over a scan.
            assert "member_name_prefix" in querysets[3].explain()
            assert "tag_name_prefix" in querysets[-1].explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
