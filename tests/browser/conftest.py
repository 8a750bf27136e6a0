"""Real Chromium through Playwright, against Django's live server.

Chromium comes from the system (``/usr/bin/chromium``, or ``CHROMIUM_PATH``); Playwright's
own browser download is never used. Without Chromium these tests are skipped, and
``.ci/run`` fails the run when any of them was skipped.
"""

import os
import time

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# the tests themselves (factories, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    opted_out = os.environ.get("CROSSROADS_SKIP_BROWSER") == "1"
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if opted_out:
                item.add_marker(pytest.mark.skip(reason="skipped on request (SKIP_BROWSER_TESTS)"))
            elif not os.path.exists(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def login(live_server, page, password):
    """Log a user in through the real login form."""

    def do(user) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")

    return do


@pytest.fixture(autouse=True)
def _fail_on_console_errors(page):
    """A JavaScript error or a CSP violation on any page fails the test."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield
    # Stop the page's timers (a debounced slider save) and give a request already sent
    # time to finish before the database is emptied for the next test: on the in-memory
    # SQLite a request still writing made the flush fail with "database table is locked".
    if not page.is_closed():
        page.close()
        time.sleep(0.3)
    assert errors == [], errors
