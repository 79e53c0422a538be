"""Real-browser tests: Playwright for Python driving Debian's Chromium against
pytest-django's live server.

Nothing here downloads a browser. scripts/install-browser-deps.sh installs the
`chromium` package and fetches axe-core from the npm registry into .cache/axe/; the test
modules skip with a reason when either is missing, so a laptop without them still runs
the rest of the suite. Under CI=true (.ci/run sets it) a missing piece fails every
browser test instead: CI must never pass by quietly skipping them.

One Chromium per test (see `browser` for why not per session); every member in a test
gets a browser context of their own, so cookies and storage never leak.
"""

import json
import os
import shutil
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
except ImportError:  # the modules skip (or, in CI, fail) themselves; keep this importable
    sync_playwright = expect = None

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / ".cache" / "axe" / "axe.min.js"
# Emptied at the start of each run; SCREENSHOTS_DIR moves it (e.g. away from another run).
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or Path(settings.BASE_DIR) / "screenshots")

# As the machine notes say: headless, no sandbox (CI runs as root), and no background
# traffic, which this network would refuse anyway.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}

PASSWORD = "correct horse battery staple"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_reason(*, axe: bool = False) -> str | None:
    """Why the browser tests (with `axe`, the accessibility tests) can't run here, or None."""
    if sync_playwright is None:
        return "playwright is not installed (pip install playwright; see pyproject's dev extras)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run scripts/install-browser-deps.sh"
    if axe and not AXE.exists():
        return f"{AXE} is missing: run scripts/install-browser-deps.sh"
    return None


def skip_module_unless_ready(*, axe: bool = False) -> None:
    """Call at the top of a browser test module. Skips it when something is missing,
    except under CI=true, where `require_browser` fails each of its tests instead."""
    if (reason := skip_reason(axe=axe)) and not in_ci():
        pytest.skip(reason, allow_module_level=True)


def require_browser(*, axe: bool = False) -> None:
    if reason := skip_reason(axe=axe):
        pytest.fail(f"CI=true, so browser tests must run, but {reason}", pytrace=False)


@pytest.fixture
def browser(live_server, transactional_db) -> Iterator["Browser"]:
    """A headless Chromium for one test, with Playwright's own throwaway profile.

    Playwright's sync API runs an asyncio loop on the test's thread while it is up. Django
    then refuses ORM calls from that thread ("async context"), and the loop also upsets
    the test database's per-test set-up (a serialized_rollback restore silently doesn't
    happen). So the browser lives inside one test: it starts after the database is ready
    and stops before the database is flushed. The loop is Playwright's, not Django's, so
    the test's own ORM calls in between are safe, and allowed while it runs.
    """
    require_browser()
    _empty_search_index()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
    _empty_search_index()  # and leave none behind for the tests that come after


def _empty_search_index() -> None:
    """Empty the search index, as the tables will be. The flush after each
    live-server test empties the tables but not SQLite's FTS5 index (a virtual table
    Django doesn't know), whose leftover rows would crowd out this test's results."""
    from search.backends import get_backend

    get_backend().rebuild([])


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(exist_ok=True)


# Every page a browser test opens reports its Content-Security-Policy violations to the
# console (and Chromium logs its own "Refused to ..." lines there too): `new_context`
# collects them, and a test that caused any fails (docs/security-headers.md).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.documentURI} (${e.sourceFile || ""}:${e.lineNumber})`);
});
"""


def is_csp_message(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations seen so far in this test's browser contexts."""
    return []


@pytest.fixture
def new_context(browser, live_server, csp_violations) -> Iterator[Callable[..., "BrowserContext"]]:
    """Open a browser context on the live server: new_context(viewport=PHONE, ...)."""
    contexts = []

    def open_context(**options) -> "BrowserContext":
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, **options)
        if options.get("java_script_enabled") is False:
            _SCRIPTLESS.add(context)
        context.set_default_timeout(10_000)
        context.add_init_script(CSP_LISTENER)
        context.on(
            "console",
            lambda message: (
                is_csp_message(message.text)
                and csp_violations.append(
                    f"{message.page.url if message.page else ''}: {message.text}"
                )
            ),
        )
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))


def load_axe(page: "Page") -> None:
    """Put axe-core into `page`. Through DevTools, not a <script> element, which the
    page's Content-Security-Policy would (rightly) refuse."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")


# WCAG 2.2 A and AA: what every page must pass. test_accessibility adds best practice.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Contexts opened with java_script_enabled=False. Chromium (156 at least) runs no timers
# and no promise callbacks in such a page, not even for DevTools' own evaluate, so
# awaiting axe.run there never returns: the test hung until CI's time limit. axe runs in
# a scripted twin instead (`_scripted_twin`).
_SCRIPTLESS: "weakref.WeakSet[BrowserContext]" = weakref.WeakSet()


def axe_violations(
    page: "Page", *, context: dict | None = None, best_practice: bool = False
) -> list[dict]:
    """axe-core's violations of WCAG 2.2 A and AA (and best practice, if asked) on `page`,
    or within `context` (axe's include/exclude selectors)."""
    tags = WCAG_TAGS + (["best-practice"] if best_practice else [])
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    if page.context not in _SCRIPTLESS:
        return _run_axe(page, context, options)
    twin = _scripted_twin(page)
    try:
        return _run_axe(twin, context, options)
    finally:
        twin.context.close()


def _run_axe(page: "Page", context: dict | None, options: dict) -> list[dict]:
    load_axe(page)
    return page.evaluate(
        "([context, options]) => axe.run(context === null ? document : context, options)",
        [context, options],
    )["violations"]


def _scripted_twin(page: "Page") -> "Page":
    """The same document as `page`, as it stands, in a context where timers and promises
    run: the serialized DOM is served in place of the page's address, with the same
    cookies, viewport and stylesheets, under `script-src 'none'` so that none of the page's
    own scripts runs (axe, put in through DevTools, is not held to the page's policy). The
    one difference from `page`: <noscript> content is not rendered."""
    html = page.content()
    twin_context = page.context.browser.new_context(
        viewport=page.viewport_size, storage_state=page.context.storage_state()
    )
    twin = twin_context.new_page()

    def serve(route) -> None:
        if route.request.resource_type == "document":
            route.fulfill(
                status=200,
                headers={
                    "Content-Type": "text/html; charset=utf-8",
                    "Content-Security-Policy": "script-src 'none'",
                },
                body=html,
            )
        else:
            route.continue_()

    twin.route("**/*", serve)
    twin.goto(page.url)
    return twin


def describe_violations(violations: list[dict], name: str = "") -> list[str]:
    """One line per violation: impact, rule, what it means and the first three elements."""
    prefix = f"{name}: " if name else ""
    return [
        f"{prefix}[{v['impact']}] {v['id']}: {v['help']} "
        f"at {json.dumps([node['target'] for node in v['nodes'][:3]])}"
        for v in violations
    ]


def serious_violations(page: "Page", name: str = "", **options) -> list[str]:
    """The serious and critical violations on `page`, described: what a test asserts empty."""
    return describe_violations(
        [v for v in axe_violations(page, **options) if v["impact"] in {"serious", "critical"}],
        name,
    )


def log_in(context: "BrowserContext", user, live_server) -> None:
    """Give `context` a logged-in session for `user` without typing a password (sign-up
    and the login form are tested on their own; the rest of a journey needn't repeat them)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def screenshot(page: "Page", name: str) -> Path:
    """Save what `page` shows into screenshots/ (git-ignored), named by page and width."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), animations="disabled")
    return path


def text_of(page: "Page", selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())
