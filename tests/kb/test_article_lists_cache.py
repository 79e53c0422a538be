"""The forum pages' article lists kept in the cache (kb.queries._listed): which articles a
list holds is kept, so a view reads those few by key instead of adding up every article's
votes; a rating, a publication or an unpublication shows on the very next call, through
the events (kb/subscribers.py) and Wagtail's publish signal. Writes go through the real
actions; `django_capture_on_commit_callbacks(execute=True)` runs what their commit runs."""

import pytest
from django.core.cache import cache

from kb import queries
from kb.actions import rate_article
from kb.models import HelpfulnessVote
from tests.factories import CategoryFactory, UserFactory
from tests.kb.test_front_door import _article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.TANYA_PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def _vote_behind_its_back(article) -> None:
    # A row no action wrote: no event tells anyone, so only the cache explains a stale list.
    member = UserFactory()
    HelpfulnessVote.objects.create(
        article=article, member=member, visitor=f"member:{member.pk}", helpful=True
    )


def _articles(committed, editor, *titles, **kwargs):
    return [committed(_article, editor, title=title, **kwargs) for title in titles]


def test_a_kept_list_holds_its_articles_until_a_rating_changes_it(committed, editor):
    first, second, third = _articles(
        committed, editor, "Reset the password", "Change the channel", "Update the firmware"
    )
    committed(rate_article, UserFactory(), first, helpful=True)
    assert queries.most_helpful_articles(limit=1) == [first]

    _vote_behind_its_back(third)
    _vote_behind_its_back(third)
    assert queries.most_helpful_articles(limit=1) == [first]  # the kept key, not a recount

    committed(rate_article, UserFactory(), second, helpful=True)  # the event bumps the lists
    assert queries.most_helpful_articles(limit=1) == [third]


def test_this_months_list_follows_a_rating(committed, editor):
    first, second = _articles(committed, editor, "Reset the password", "Change the channel")
    committed(rate_article, UserFactory(), first, helpful=True)
    assert queries.most_helpful_this_month() == [first]

    committed(rate_article, UserFactory(), second, helpful=True)
    assert queries.most_helpful_this_month() == [second, first]  # a tie: by title


def test_a_category_list_follows_a_rating(committed, editor):
    router = CategoryFactory(title="Router")
    best, other = _articles(
        committed, editor, "Port forwarding", "Firmware update", category=router
    )
    committed(rate_article, UserFactory(), best, helpful=True)
    assert queries.top_articles_in_category(router, limit=1) == [best]

    committed(rate_article, UserFactory(), other, helpful=True)
    committed(rate_article, UserFactory(), other, helpful=True)
    assert queries.top_articles_in_category(router, limit=1) == [other]


def test_publishing_and_unpublishing_show_on_the_next_call(committed, editor):
    (listed,) = _articles(committed, editor, "Reset the password")
    assert queries.most_helpful_articles() == [listed]

    (newer,) = _articles(committed, editor, "Change the channel")
    assert queries.most_helpful_articles() == [newer, listed]  # a tie: by title

    committed(newer.unpublish, user=editor)
    assert queries.most_helpful_articles() == [listed]


def test_without_a_shared_cache_the_lists_are_counted_each_time(settings, committed, editor):
    settings.TANYA_PAGE_CACHE = False
    first, second = _articles(committed, editor, "Reset the password", "Change the channel")
    assert queries.most_helpful_articles(limit=1) == [second]  # a tie: by title

    _vote_behind_its_back(first)
    assert queries.most_helpful_articles(limit=1) == [first]
