import os

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """LocaleMiddleware leaves the last request's language active on the thread; a test
    that asked for Indonesian must not make the next one's lazy strings Indonesian."""
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


# The fixtures through which a test reaches the database (pytest-django refuses it to the
# others).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass of .ci/run)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)
    elif os.environ.get("TANYA_DATABASE_TESTS_ONLY"):
        # The PostgreSQL pass of .ci/run: a test that cannot reach the database (the
        # translation catalogue, the Markdown spec, colour contrast...) does the same on
        # either, and the SQLite pass has run it.
        kept = [item for item in items if uses_database(item)]
        config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
        items[:] = kept


@pytest.fixture
def wagtail_search_index(settings):
    """Wagtail's own search index (the admin's listing search) updated on every save, as in
    production; the suite turns it off (config/settings/test.py). Ask for it before any
    fixture that saves what the test will search for."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
