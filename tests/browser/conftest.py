"""Journeys in a real Chromium: Debian's package, driven by Playwright against pytest-django's live server.

Playwright is used only as a driver: it cannot download its own browser builds here, so we launch the
`chromium` on the PATH. Without one the tests skip on a developer's machine and fail under CI.

Screenshots (test-artifacts/screenshots/): a full-page one of a test that failed, always; of every test,
and the key steps some journeys mark (`screenshot`), only with `SCREENSHOTS=1` in the environment, as
each costs the browser a full-page render and a PNG encoding.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOTS = BROWSER_DIR.parent.parent / "test-artifacts" / "screenshots"
ALL_SCREENSHOTS = os.environ.get("SCREENSHOTS", "") not in ("", "0")
FAILED = pytest.StashKey[bool]()
INSTALL_HINT = (
    "Browser tests need Debian's chromium: apt-get install chromium chromium-headless-shell"
    " (then make test runs them)"
)
#: The browsers the journeys can drive, the first found on the PATH: Debian's `chromium-headless-shell` (the
#: same Chromium, built as the old headless shell, without the browser's user interface: a page costs it
#: about a third less CPU, and the journeys are most of the suite's time), else `chromium` itself.
BROWSERS = ("chromium-headless-shell", "chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


#: What a file is expected to cost, to start the longest first (see below): a journey file 15 s whatever its
#: number of tests (one journey is 10–25 s), another file 0.08 s a test. Rough is enough: the order matters,
#: not the figures.
JOURNEY_FILE_SECONDS = 15
TEST_SECONDS = 0.08


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test under tests/browser as `browser`, and order the files longest first.

    Under xdist (`--dist loadfile --no-loadscope-reorder`, the Makefile's) a worker takes the next file when
    it is free: with the longest first, the last minute is not one journey running alone while the other
    workers wait (xdist's own order, by number of tests, put the one-test journeys last). A file's tests
    keep their order (pytest-django's: those in a transaction first). While the browser is up Django's
    async-safety check is off in the process (see `_Chromium`): the browser is closed after the last
    journey before another file (`pytest_runtest_teardown`), so the others run with the check on.
    trylast: after pytest-django has sorted the items by their kind of database access.
    """
    files: dict[Path, list] = {}
    for item in items:
        path = Path(item.path).resolve()
        if BROWSER_DIR in path.parents:
            item.add_marker(pytest.mark.browser)
        files.setdefault(path, []).append(item)

    def cost(path) -> float:
        return JOURNEY_FILE_SECONDS if BROWSER_DIR in path.parents else TEST_SECONDS * len(files[path])

    items[:] = [item for path in sorted(files, key=cost, reverse=True) for item in files[path]]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Note on the test whether its setup or its call failed, for `_page`'s screenshot."""
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


def screenshot(page, name: str, *, always: bool = False) -> None:
    """Keep a full-page screenshot of a journey's step as test-artifacts/screenshots/<name>.png, with
    `SCREENSHOTS=1` only (see the docstring), or `always`."""
    if always or ALL_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _unavailable(reason: str):
    # Under CI a missing browser is a broken pipeline, not a reason to pass quietly.
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(INSTALL_HINT)


class _Chromium:
    """One Playwright driver and Chromium for a run of browser tests in a row: started by the first test
    that needs it, stopped after the last (`pytest_runtest_teardown`), not at every file's end: a start
    costs about 0.7 s of CPU (the driver's Node.js and the browser)."""

    playwright = None
    browser = None
    previous = None

    def get(self):
        if self.browser is not None and not self.browser.is_connected():
            self.close()  # crashed: a fresh one
        if self.browser is None:
            self._start()
        return self.browser

    def _start(self):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as error:
            _unavailable(f"playwright is not importable ({error})")
        executable = next(filter(None, map(shutil.which, BROWSERS)), None)
        if not executable:
            _unavailable("neither `chromium-headless-shell` nor `chromium` on the PATH")
        # Playwright's sync API keeps an asyncio event loop marked as running in this thread between its
        # calls. Django then refuses every ORM call of the test thread (fixtures, assertions, the database
        # flush after each test) as async-unsafe, though they are plain synchronous code that never shares
        # a connection with that loop. Set only while the browser is up, and restored afterwards.
        self.previous = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        self.playwright = sync_playwright().start()
        try:
            self.browser = self.playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as error:
            self.close()
            _unavailable(f"{executable} did not start ({error})")

    def close(self):
        if self.playwright is None:
            return
        try:
            if self.browser is not None and self.browser.is_connected():
                self.browser.close()
        finally:
            self.playwright.stop()
            self.playwright = self.browser = None
            if self.previous is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self.previous


_CHROMIUM = _Chromium()


@pytest.fixture(scope="module")
def browser():
    """Chromium, shared with the next files' journeys when they follow at once (see `_Chromium`)."""
    return _CHROMIUM.get()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Stop the browser after a journey that no other follows in this process (the last, or one that a
    non-browser test follows under xdist): those then run with Django's async-safety check on again."""
    try:
        return (yield)
    finally:
        if nextitem is None or BROWSER_DIR not in Path(nextitem.path).resolve().parents:
            _CHROMIUM.close()


def pytest_sessionfinish(session, exitstatus):
    _CHROMIUM.close()  # a run stopped halfway (-x, Ctrl+C)


def _screenshot_name(nodeid_name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid_name).strip("_")


# Reports every Content-Security-Policy violation of every page (and frame) to the console, where the
# listener below collects it: Chromium logs most of them itself, this also catches the ones it does not
# (a blocked style attribute set by a script, a violation in a frame). Injected by the driver, so the
# policy does not apply to it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation: " + event.violatedDirective + " blocked "
    + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber
    + " (" + (event.sample || "") + ")");
});
"""


def csp_violation(message) -> bool:
    return message.type == "error" and "Content Security Policy" in message.text


def _page(request, browser, **context_options):
    context = browser.new_context(**{"locale": "vi-VN", **context_options})
    # Ten seconds is ample for a local server; a hung step fails instead of eating CI's time.
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    # A step that asks first (data-confirm, static/js/portal.js) is answered yes, as a person going on
    # would, unless a journey sets `page.answer = False`; the questions are kept (`page.questions`).
    page.questions, page.answer = [], True

    def answer(dialog):
        page.questions.append(dialog.message)
        dialog.accept() if page.answer else dialog.dismiss()

    page.on("dialog", answer)
    violations = []
    page.on(
        "console",
        lambda message: violations.append(f"{page.url}: {message.text}") if csp_violation(message) else None,
    )
    yield page
    try:
        failed = bool(violations) or request.node.stash.get(FAILED, False)
        screenshot(page, _screenshot_name(request.node.name), always=failed)
    finally:
        context.close()
    # The policy is on in every journey (config/settings/base.py): a page that needs an inline script,
    # style or handler fails here, whatever the journey itself checked.
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations))


@pytest.fixture
def page(request, browser):
    """A fresh browser context per test, Vietnamese and desktop-sized; a screenshot is kept afterwards
    when the test failed (or with `SCREENSHOTS=1`)."""
    yield from _page(request, browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(request, browser):
    """The same on a small phone: 360×740 CSS pixels, touch, the page's meta viewport honoured."""
    yield from _page(request, browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


def login(page, live_server, username: str, password: str, *, through_form: bool = False) -> None:
    """Log in and land on the first screen (or where the login page was asked to go next).

    On the login page (a journey that went there, or `through_form`), through the real form, as a person
    would: administrators and provincial staff (and anyone with an authenticator) then type the code their
    phone would show, computed from their device's key (one is made for them when they have none).
    Anywhere else the password is checked and the session those steps leave is written at once and handed
    to the browser as its cookie (as `tests.login.login_verified` does for the test client): the form costs
    four page loads a login, and logging in is the subject of the journeys that start on its page."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.shortcuts import resolve_url
    from django.test import Client

    from accounts.mfa import has_second_factor, mfa_required
    from tests.login import totp_code, totp_device, verified_session

    user = get_user_model().objects.get(username=username)
    second_factor = mfa_required(user) or has_second_factor(user)
    if not through_form and "/accounts/login/" not in page.url:
        assert user.check_password(password), f"login as {username} failed: wrong password"
        session = verified_session(user, Client()._get_backend(), second_factor=second_factor)
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}
        page.context.add_cookies([cookie])
        page.goto(live_server.url + resolve_url(settings.LOGIN_REDIRECT_URL))
        assert "/accounts/" not in page.url, f"login as {username} failed: on {page.url}"
        return
    device = totp_device(user) if second_factor else None
    if "/accounts/login/" not in page.url:
        page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    # Scoped to <main>: the navbar's language switch is a form with a submit button too.
    with page.expect_navigation():
        page.locator("main form").get_by_role("button").click()
    assert "/accounts/login/" not in page.url, f"login as {username} failed: still on {page.url}"
    if device is not None:
        assert "/accounts/verify/" in page.url, f"{username}: no code step, on {page.url}"
        device.refresh_from_db()
        # A code is used once: the next step's code when this one was used already (a second login).
        code = totp_code(device, offset_steps=1 if device.last_t >= _current_step(device) else 0)
        page.fill("input[name=code]", code)
        with page.expect_navigation():
            page.locator("main form").get_by_role("button").click()
        assert "/accounts/verify/" not in page.url, f"code step for {username} failed: {page.url}"


def _current_step(device) -> int:
    import time

    return int((time.time() - device.t0) // device.step)
