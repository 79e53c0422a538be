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


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass of .ci/run)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def wagtail_search_index(settings):
    """Wagtail's own search index (the admin's listing search) updated on every save, as in
    production; the suite turns it off (config/settings/test.py). Ask for it before any
    fixture that saves what the test will search for."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
