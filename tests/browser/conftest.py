"""Journeys in a real Chromium: Debian's package, driven by Playwright against pytest-django's live server.

Playwright is used only as a driver: it cannot download its own browser builds here, so we launch the
`chromium` on the PATH. Without one the tests skip on a developer's machine and fail under CI.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOTS = BROWSER_DIR.parent.parent / "test-artifacts" / "screenshots"
INSTALL_HINT = "Browser tests need Debian's chromium: apt-get install chromium (then make test runs them)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser as `browser`, and run them after all the others.

    Last, because while the browser is up Django's async-safety check is off in this process (see
    `browser`), and no other test should run, or start a subprocess, like that. Under xdist
    (`--dist loadfile`, which orders files by size) a worker may run other files after a journey: the
    browser is closed at the end of each journey file, so they run with the check on again.
    trylast: after pytest-django has sorted the items by their kind of database access.
    """
    browser, others = [], []
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            browser.append(item)
        else:
            others.append(item)
    items[:] = others + browser


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """Empty the tables after a journey with DELETE instead of TRUNCATE (PostgreSQL).

    A live-server test commits, so pytest-django flushes every table after it. PostgreSQL's TRUNCATE of
    ~50 tables costs seconds (new files for each, synced at commit) where DELETE of a journey's few rows
    takes milliseconds; the foreign keys are deferred, so the order does not matter. Content types and
    permissions are kept, as the migrations made them: recreating them after every journey is another
    second."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    kept = {"django_content_type", "auth_permission"}

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)}" for table in tables if table not in kept]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


def _unavailable(reason: str):
    # Under CI a missing browser is a broken pipeline, not a reason to pass quietly.
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(INSTALL_HINT)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"playwright is not importable ({error})")
    executable = shutil.which("chromium")
    if not executable:
        _unavailable("no `chromium` on the PATH")
    # Playwright's sync API keeps an asyncio event loop marked as running in this thread between its
    # calls. Django then refuses every ORM call of the test thread (fixtures, assertions, the database
    # flush after each test) as async-unsafe, though they are plain synchronous code that never shares
    # a connection with that loop. Set only while the browser is up, and restored afterwards.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as error:
            _unavailable(f"{executable} did not start ({error})")
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _screenshot_name(nodeid_name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid_name).strip("_") + ".png"


def _page(request, browser, **context_options):
    context = browser.new_context(locale="vi-VN", **context_options)
    # Ten seconds is ample for a local server; a hung step fails instead of eating CI's time.
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=SCREENSHOTS / _screenshot_name(request.node.name), full_page=True)
    finally:
        context.close()


@pytest.fixture
def page(request, browser):
    """A fresh browser context per test, Vietnamese and desktop-sized; a screenshot is kept afterwards."""
    yield from _page(request, browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(request, browser):
    """The same on a small phone: 360×740 CSS pixels, touch, the page's meta viewport honoured."""
    yield from _page(request, browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


def login(page, live_server, username: str, password: str) -> None:
    """Log in through the real form, as a person would, and wait until the portal has answered."""
    if "/accounts/login/" not in page.url:
        page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # Scoped to <main>: the navbar's language switch is a form with a submit button too.
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()
    assert "/accounts/login/" not in page.url, f"login as {username} failed: still on {page.url}"
