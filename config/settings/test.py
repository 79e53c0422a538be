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
