"""The anonymous page cache: whole pages for visitors who are not signed in, kept right by
version counters that every write bumps the moment it commits.

Which pages: the views named in TANYA_PAGE_CACHE_VIEWS (the question page, /questions/,
tag pages, and the Wagtail pages of the types in TANYA_PAGE_CACHE_PAGE_TYPES: the home
page, category pages and knowledge-base articles). Each names its *scope*: a question page
is in `q:<id>`, lists are in `lists`; every page is also in `site`.

Which requests: a GET with no session cookie, none of TANYA_PAGE_CACHE_PERSONAL_COOKIES
(messages, a knowledge-base visitor's vote token), no Authorization header and not from
htmx, so the visitor is anonymous and nothing personal can be on the page (no
vote state, edit buttons or bell, which only members see). Members are never served from,
or stored in, this cache.

What is stored: a 200 that sets no cookie, changed no session, queued no message and isn't
private; with the visitor's language, the light/dark cookie and the host in the key. The
CSRF token the page carries (the language form, htmx's header) is cut out before storing
and each hit gets its own visitor's token, masked afresh, as an uncached page would: a
token is never shared between visitors, and the BREACH mitigation (a new mask per
response) stays.

Invalidation: `core.events.record` runs `invalidate_for_event` in the writer's process
right after commit (an `events.immediate` hook, core/subscribers.py), before the writer's
response goes out: an event in a thread bumps `q:<id>` and `lists`; any other event (a
member's profile, a knowledge-base article, a theme change, a Wagtail page published)
bumps `site`, which empties everything. Versions are read before the page is rendered,
so a page rendered from data older than a write is never stored under the version that
write set. A missing version starts from the clock, never from an old number.

Cache down: no version can be read, so pages are served uncached. Versions and pages live
in the default cache, so with the local-memory cache (one per process) the page cache is
off unless TANYA_PAGE_CACHE says otherwise: Redis (CACHE_URL) shares them between
processes and the worker.

TANYA_PAGE_CACHE_SECONDS bounds what events don't cover: relative times ("3 minutes ago")
and an author's reputation on other threads' pages.

A page is stored as its parts around the CSRF holes, so a hit joins them around the
visitor's token (one copy) instead of searching the body. Each process also keeps the
pages it served last in memory (TANYA_PAGE_CACHE_LOCAL_BYTES, least recently used out):
the key holds the scopes' versions, which every request still reads from the shared
cache, so a local copy is served only while no write has bumped them, and never after
the shared entry's own lifetime (docs/performance.md, "The anonymous page cache").
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_VERSION = "pv:{}"
_PAGE = "page:{}"
CSRF_HOLE = b"\x00csrf\x00"  # where a visitor's own token goes back in (never in HTML)
_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
_NOT_STORED = ("private", "no-store", "no-cache")


# --- Versions --------------------------------------------------------------------------------


def _fresh() -> int:
    return time.time_ns() // 1000  # higher than any version a lost counter ever had


def versions(scopes: list[str]) -> list[int] | None:
    """The current version of each scope, or None when the cache can't be reached."""
    keys = [_VERSION.format(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), timeout=None)
    if len(found) < len(keys):
        found = cache.get_many(keys)
    if len(found) < len(keys):
        return None
    return [found[key] for key in keys]


def bump(*scopes: str) -> None:
    """Invalidate every page in `scopes`. Quiet if the cache is down."""
    for scope in scopes:
        key = _VERSION.format(scope)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, _fresh(), timeout=None)


def invalidate_for_event(event) -> None:
    """The events.immediate hook: a thread's event empties its question page and the lists;
    anything else empties every page."""
    if event.question_id:
        bump(f"q:{event.question_id}", "lists")
    else:
        bump("site")


def invalidate_everything_after_commit(**_kwargs) -> None:
    """For a change no event describes (a theme saved, a Wagtail page published)."""
    transaction.on_commit(lambda: bump("site"), robust=True)


# --- Serving -------------------------------------------------------------------------------


def _stateless(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and not any(name in cookies for name in settings.TANYA_PAGE_CACHE_PERSONAL_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_HX_REQUEST" not in request.META
    )


def _rule(request: HttpRequest, kwargs: dict) -> tuple[str, Callable | None] | None:
    match = request.resolver_match
    rule = settings.TANYA_PAGE_CACHE_VIEWS.get(match.view_name) if match else None
    if rule is None:
        return None
    scope, on_hit = (rule, None) if isinstance(rule, str) else rule
    return scope.format(**kwargs), import_string(on_hit) if on_hit else None


def _key(request: HttpRequest, scopes: list[str], found: list[int]) -> str:
    theme = request.COOKIES.get("theme", "")
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    parts = [
        request.get_host(),
        request.path,
        query,
        getattr(request, "LANGUAGE_CODE", ""),
        theme if theme in ("light", "dark") else "",
        *(f"{s}={v}" for s, v in zip(scopes, found, strict=True)),
    ]
    return _PAGE.format(hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest())


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors (see the module docstring).

    Last in MIDDLEWARE, so every other middleware's process_view (CSRF's among them) has
    run when it answers from the cache or calls the view itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, args, kwargs):
        if not settings.TANYA_PAGE_CACHE or not _stateless(request):
            return None
        rule = _rule(request, kwargs)
        if rule is None:
            return None
        scope, on_hit = rule
        scopes = ["site", scope]
        found = versions(scopes)
        if found is None:
            return None  # the cache is down: serve uncached
        key = _key(request, scopes, found)
        stored = _local.get(key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                _local.put(key, stored)
        if stored is not None:
            if on_hit is not None:
                on_hit(request, **kwargs)
            return _replay(request, stored)
        response = view_func(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        entry = _storable(request, response)
        if entry is not None:
            cache.set(key, entry, timeout=settings.TANYA_PAGE_CACHE_SECONDS)
            _local.put(key, entry)
            response["X-Page-Cache"] = "miss"
        patch_vary_headers(response, ["Cookie"])
        return response


def _replay(request: HttpRequest, stored: dict) -> HttpResponse:
    parts = stored["parts"]
    body = get_token(request).encode().join(parts) if len(parts) > 1 else parts[0]
    response = HttpResponse(body, content_type=stored["content_type"])
    response["X-Page-Cache"] = "hit"
    patch_vary_headers(response, ["Cookie"])
    return response


def _storable(request: HttpRequest, response: HttpResponse) -> dict | None:
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Content-Encoding")
        or any(word in response.get("Cache-Control", "") for word in _NOT_STORED)
    ):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    if queued:
        return None
    if _page_type_refused(request, response):
        return None
    body = response.content
    parts = [body]
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        secret = request.META.get("CSRF_COOKIE", "")
        body = _TOKEN.sub(lambda m: CSRF_HOLE if _is_token(m.group(), secret) else m.group(), body)
        parts = body.split(CSRF_HOLE)
    return {"parts": tuple(parts), "content_type": response["Content-Type"]}


def _is_token(candidate: bytes, secret: str) -> bool:
    return bool(secret) and _unmask_cipher_token(candidate.decode()) == secret


def _page_type_refused(request: HttpRequest, response: HttpResponse) -> bool:
    """A Wagtail page is stored only when its type is listed (the home and category
    pages; not, say, a knowledge-base article)."""
    if request.resolver_match.view_name != "wagtail_serve":
        return False
    page = (getattr(response, "context_data", None) or {}).get("self")  # Wagtail's page
    label = page._meta.label_lower if hasattr(page, "_meta") else ""
    return label not in settings.TANYA_PAGE_CACHE_PAGE_TYPES


class _LocalPages:
    """The pages this process served last, by key, up to a total size; each until the
    shared entry it copies would have expired. Off (nothing kept) when the default cache
    is this process's own memory already."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple[float, int, dict]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def _limit(self) -> int:
        if isinstance(caches["default"], LocMemCache):
            return 0
        return settings.TANYA_PAGE_CACHE_LOCAL_BYTES

    def get(self, key: str) -> dict | None:
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            expires, _, entry = found
            if expires < time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        limit = self._limit()
        size = sum(len(part) for part in entry["parts"])
        if not limit or size > limit // 4:
            return
        expires = time.monotonic() + settings.TANYA_PAGE_CACHE_SECONDS
        with self._lock:
            if key in self._pages:
                self._drop(key)
            self._pages[key] = (expires, size, entry)
            self._bytes += size
            while self._bytes > limit:
                self._drop(next(iter(self._pages)))

    def _drop(self, key: str) -> None:
        _, size, _ = self._pages.pop(key)
        self._bytes -= size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


_local = _LocalPages()
