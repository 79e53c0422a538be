"""Tests: the base settings with a fast password hasher and email kept in memory."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("EMAIL_URL", "locmem://")

from config.settings.base import *  # noqa: F403

# Lexical only, as before: the semantic tests (tests/search/test_embeddings.py,
# test_hybrid.py) turn the real model on for themselves, so the rest of the suite does not
# embed every title it writes.
SEARCH_EMBEDDER = os.environ.get("SEARCH_EMBEDDER", "none")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Tests flush view counts themselves (forum.viewcounts.flush), not from a thread.
TANYA_VIEW_LOCAL_FLUSH = False
# Off: most tests write without running on-commit hooks (their transaction never commits),
# so nothing would bump the versions. tests/core/test_pagecache.py turns it on.
TANYA_PAGE_CACHE = False
# The spam defences that depend on who posts are off for the suite as a whole, so a test
# about answering doesn't also have to be about new members or repeats; the tests of those
# rules (tests/moderation/test_spam.py) switch them on with the settings fixture.
TANYA_NEW_MEMBER_REPUTATION = 0
TANYA_DUPLICATE_WINDOW = 0
# WhiteNoise scans every static file when its middleware starts, and the test client
# starts the middleware afresh for each client: about 0.13 s per test. With autorefresh it
# looks a file up when one is asked for instead (tests/core/test_static_files.py).
WHITENOISE_AUTOREFRESH = True
# Wagtail's own search index (the admin's listing search) is updated on every save of a
# page, question or answer: a fifth of the time of a test that makes categories. The
# tests of that search turn it on (the `wagtail_search_index` fixture, tests/conftest.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
# Every write asks whether the word statistics are stale, as before the throttle, so a
# test's searches never depend on which test wrote last (search/backends/database.py).
TANYA_SEARCH_STATISTICS_CHECK_SECONDS = 0
