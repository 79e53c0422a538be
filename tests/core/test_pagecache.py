"""The anonymous page cache (core/pagecache.py) serves whole pages to visitors who are not
signed in, and every write is visible on the very next request.

Writes go through the real actions; `django_capture_on_commit_callbacks(execute=True)`
runs what the write's commit runs (the test's own transaction never commits), which is
where the page versions are bumped.
"""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from wagtail.models import Site

from config.settings.base import _cache_from_url
from core import pagecache
from forum import actions, viewcounts
from forum.models import Question
from tests.core.conftest import CLOSED_PORT_URL, real_redis  # noqa: F401
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BODY = "I pressed print and nothing came out of the printer at all, twice."


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.TANYA_PAGE_CACHE = True
    pagecache._local.clear()


@pytest.fixture
def asker():
    return UserFactory(reputation=3000)


@pytest.fixture
def question(asker):
    question = QuestionFactory(author=asker, category=CategoryFactory(), title="Printer jams")
    question.tags.add("printing")
    return question


@pytest.fixture
def answer(question):
    return AnswerFactory(question=question, body="Open the tray and pull the paper out.")


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Run a write as if it committed: its on-commit hooks run."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def _twice(client, url, **headers):
    """The second anonymous GET, which the first stored."""
    assert _get(client, url, **headers)["X-Page-Cache"] == "miss"
    response = _get(client, url, **headers)
    assert response["X-Page-Cache"] == "hit"
    return response


def _text(response) -> str:
    return response.content.decode()


# --- What is cached, and for whom ---------------------------------------------------------


def test_an_anonymous_question_page_is_served_from_the_cache_the_second_time(
    client, question, answer
):
    first = _get(client, question.get_absolute_url())
    second = _get(client, question.get_absolute_url())

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert "Open the tray" in _text(second)
    assert len(first.content) == len(second.content)


@pytest.mark.parametrize(
    "url",
    [
        lambda q: "/",
        lambda q: q.category.url,
        lambda q: reverse("forum:questions"),
        lambda q: reverse("forum:questions") + "?sort=newest",
        lambda q: reverse("forum:tag", args=["printing"]),
    ],
    ids=["home", "category", "questions", "questions-newest", "tag"],
)
def test_list_pages_are_cached_for_anonymous_visitors(client, question, url):
    assert "Printer jams" in _text(_twice(client, url(question)))


def test_members_are_never_served_or_stored(client, question, answer):
    member = UserFactory(reputation=200)
    client.force_login(member)

    for _ in range(2):
        response = _get(client, question.get_absolute_url())
        assert "X-Page-Cache" not in response
    client.logout()
    assert _get(client, question.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_page_with_a_message_waiting_is_not_served_from_the_cache(client, question):
    _twice(client, question.get_absolute_url())
    client.cookies["messages"] = "something"

    assert "X-Page-Cache" not in _get(client, question.get_absolute_url())


def test_htmx_requests_are_not_cached(client, question):
    _twice(client, reverse("forum:questions"))

    response = _get(client, reverse("forum:questions"), HTTP_HX_REQUEST="true")

    assert "X-Page-Cache" not in response


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(client, question):
    from django.test import Client

    url = question.get_absolute_url()
    _get(client, url)
    others = [Client(), Client()]
    tokens = []
    for other in others:
        response = _get(other, url)
        assert response["X-Page-Cache"] == "hit"
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _text(response)))
        assert len(found) == 1
        token = found.pop()
        # The token belongs to this visitor's own CSRF cookie, set on this response.
        assert _unmask_cipher_token(token) == response.cookies["csrftoken"].value
        tokens.append(token)
    assert tokens[0] != tokens[1]
    assert "\x00" not in _text(response)


def test_a_cached_page_accepts_the_form_it_carries(question):
    """The language form on a cached page posts with the token the hit put in."""
    from django.test import Client

    Client().get(question.get_absolute_url())
    visitor = Client(enforce_csrf_checks=True)
    page = _get(visitor, question.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _text(page)).group(1)

    response = visitor.post(
        reverse("set_language"), {"language": "id", "next": "/", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_language_and_theme_are_part_of_the_key(client, question):
    url = question.get_absolute_url()
    _twice(client, url)

    indonesian = _get(client, url, HTTP_ACCEPT_LANGUAGE="id")
    assert indonesian["X-Page-Cache"] == "miss"
    assert 'lang="id"' in _text(indonesian)

    client.cookies["theme"] = "dark"
    dark = _get(client, url)
    assert dark["X-Page-Cache"] == "miss"
    assert 'data-theme="dark"' in _text(dark)


def test_a_view_served_from_the_cache_still_counts(client, question):
    url = question.get_absolute_url()
    _get(client, url, REMOTE_ADDR="192.0.2.1")
    assert _get(client, url, REMOTE_ADDR="192.0.2.2")["X-Page-Cache"] == "hit"

    viewcounts.flush()

    assert Question.objects.get(pk=question.pk).view_count == 2


def test_with_the_cache_down_pages_are_served_uncached(client, question, settings):
    settings.CACHES = {"default": _cache_from_url(CLOSED_PORT_URL)}

    for url in (question.get_absolute_url(), "/", reverse("forum:questions")):
        for _ in range(2):
            assert "X-Page-Cache" not in _get(client, url)


# --- Every write is on the very next request ----------------------------------------------


def test_an_edit_is_on_the_next_request(client, write, question, asker):
    url = question.get_absolute_url()
    _twice(client, url)
    _twice(client, reverse("forum:questions"))

    write(actions.edit_question, asker, question, title="Printer eats paper", body=BODY, tags="")

    question.refresh_from_db()
    assert "Printer eats paper" in _text(_get(client, question.get_absolute_url()))
    assert client.get(url).status_code == 301  # the old slug, not a stale cached page
    assert "Printer eats paper" in _text(_get(client, reverse("forum:questions")))


def test_an_answer_edit_is_on_the_next_request(client, write, question, answer):
    _twice(client, question.get_absolute_url())

    write(actions.edit_answer, answer.author, answer, body="Unplug it first, then open the tray.")

    assert "Unplug it first" in _text(_get(client, question.get_absolute_url()))


def test_a_vote_is_on_the_next_request(client, write, question, answer):
    url = question.get_absolute_url()
    before = _twice(client, url)

    write(actions.cast_vote, UserFactory(reputation=500), answer, 1)

    after = _get(client, url)
    assert after["X-Page-Cache"] == "miss"
    assert _text(after) != _text(before).replace(_token(before), _token(after))


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _text(response)).group(1)


def test_an_acceptance_is_on_the_next_request(client, write, question, answer, asker):
    url = question.get_absolute_url()
    _twice(client, url)
    _twice(client, reverse("forum:questions") + "?sort=solved")

    write(actions.accept_answer, asker, question, answer)

    assert _get(client, url)["X-Page-Cache"] == "miss"
    solved = _get(client, reverse("forum:questions") + "?sort=solved")
    assert "Printer jams" in _text(solved)


def test_a_comment_is_on_the_next_request(client, write, question, answer, asker):
    _twice(client, question.get_absolute_url())

    write(actions.post_comment, asker, answer, body="That worked, thank you so much!")

    assert "That worked, thank you" in _text(_get(client, question.get_absolute_url()))


def test_a_new_answer_is_on_the_next_request(client, write, question):
    _twice(client, question.get_absolute_url())
    _twice(client, "/")

    write(actions.post_answer, UserFactory(reputation=100), question, body=BODY + " Reboot.")

    assert "Reboot." in _text(_get(client, question.get_absolute_url()))
    assert _get(client, "/")["X-Page-Cache"] == "miss"


def test_a_deletion_is_on_the_next_request(client, write, question, answer, asker):
    url = question.get_absolute_url()
    _twice(client, url)
    _twice(client, reverse("forum:tag", args=["printing"]))

    write(actions.delete_answer, answer.author, answer)
    assert "Open the tray" not in _text(_get(client, url))

    write(actions.delete_question, asker, question)
    assert client.get(url).status_code == 404
    assert "Printer jams" not in _text(_get(client, reverse("forum:tag", args=["printing"])))


def test_closing_a_question_is_on_the_next_request(client, write, question):
    url = question.get_absolute_url()
    _twice(client, url)
    _twice(client, question.category.url)

    write(actions.set_question_state, ModeratorFactory(), question, "closed")

    assert _get(client, url)["X-Page-Cache"] == "miss"
    assert "closed" in _text(_get(client, url)).lower()
    assert _get(client, question.category.url)["X-Page-Cache"] == "miss"


def test_a_question_asked_is_on_the_next_request(client, write, question, asker):
    _twice(client, "/")
    _twice(client, question.category.url)

    write(
        actions.ask_question,
        asker,
        title="Scanner is silent",
        body=BODY,
        category=question.category,
    )

    assert "Scanner is silent" in _text(_get(client, "/"))
    assert "Scanner is silent" in _text(_get(client, question.category.url))


def test_a_theme_change_is_on_the_next_request(
    client, question, django_capture_on_commit_callbacks
):
    from themes.models import ThemeSettings

    _twice(client, "/")
    _twice(client, question.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        theme = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
        theme.brand_name = "Printer Helpers"
        theme.save()

    assert "Printer Helpers" in _text(_get(client, "/"))
    assert "Printer Helpers" in _text(_get(client, question.get_absolute_url()))


def test_publishing_a_category_page_is_on_the_next_request(
    client, question, django_capture_on_commit_callbacks
):
    _twice(client, "/")
    category = question.category

    with django_capture_on_commit_callbacks(execute=True):
        category.title = "Printers and scanners"
        category.save_revision().publish()

    assert "Printers and scanners" in _text(_get(client, "/"))


def test_every_verb_invalidates_cached_pages():
    from core import events

    hooks = {verb: events.immediate_for(verb) for verb in events.verbs()}

    assert all(
        any(getattr(h, "__module__", "") == "core.subscribers" for h in found)
        for found in hooks.values()
    )
    assert pagecache.invalidate_for_event


def test_with_redis_pages_and_versions_are_shared_and_a_write_empties_them(
    client,
    write,
    question,
    answer,
    real_redis,  # noqa: F811
):
    url = question.get_absolute_url()
    _twice(client, url)

    write(actions.post_comment, question.author, answer, body="Redis saw this comment at once.")

    assert "Redis saw this comment" in _text(_get(client, url))
    assert _get(client, url)["X-Page-Cache"] == "hit"


def _drop_shared_pages(cache) -> None:
    """Delete the stored pages from Redis itself, leaving the versions."""
    client = cache._cache.get_client()
    for key in client.scan_iter(match="*page:*"):
        client.delete(key)


def test_with_redis_a_process_serves_its_own_copy_until_a_write_bumps_the_versions(
    client,
    write,
    question,
    answer,
    real_redis,  # noqa: F811
):
    url = question.get_absolute_url()
    _twice(client, url)
    _drop_shared_pages(real_redis)

    # Redis no longer holds the page: this hit is the process's own copy.
    assert _get(client, url)["X-Page-Cache"] == "hit"

    write(actions.post_comment, question.author, answer, body="A local copy never hides this.")

    fresh = _get(client, url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "A local copy never hides this." in _text(fresh)


def test_a_local_copy_lives_no_longer_than_the_shared_entry(
    client,
    settings,
    question,
    real_redis,  # noqa: F811
):
    settings.TANYA_PAGE_CACHE_SECONDS = -1  # every entry expired at once, local and shared
    url = question.get_absolute_url()

    assert _get(client, url)["X-Page-Cache"] == "miss"
    _drop_shared_pages(real_redis)
    assert _get(client, url)["X-Page-Cache"] == "miss"


def test_the_local_copies_stay_within_their_size_by_dropping_the_least_recently_used(
    settings,
    real_redis,  # noqa: F811
):
    settings.TANYA_PAGE_CACHE_LOCAL_BYTES = 4000
    local = pagecache._LocalPages()
    page = {"parts": (b"x" * 900,), "content_type": "text/html"}

    for key in ("a", "b", "c", "d"):
        local.put(key, page)
    assert local.get("a") is page  # now the most recently used
    local.put("e", page)

    assert [k for k in "abcde" if local.get(k)] == ["a", "c", "d", "e"]
    local.put("big", {"parts": (b"x" * 1001,), "content_type": "text/html"})
    assert local.get("big") is None  # larger than a quarter of the budget: not kept


def test_no_local_copy_is_kept_when_the_default_cache_is_local_memory_already(locmem):
    local = pagecache._LocalPages()
    local.put("a", {"parts": (b"page",), "content_type": "text/html"})

    assert local.get("a") is None
