import os
import threading

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from hypothesis import settings as hypothesis_settings

from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import create_default_criteria
from tests.factories import PASSWORD, OpportunityFactory, UserFactory

# Hashing is deliberately slow in production; tests log in hundreds of times.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Any lazy load of a related object raises in tests, so N+1 queries cannot creep in.
settings.FETCH_MODE_RAISE = True
# The page cache is on in every test, as in production (development leaves it off), so
# every test that reads a page again after a write checks that the write shows.
settings.PAGE_CACHE_SECONDS = 600
# Hypothesis fails an example that takes over 200 ms once: a timed test, which on a slow
# machine fails a correct change (a pay form's first example took 295 ms on one). Speed is
# the bench's to measure, so no property here has a deadline.
hypothesis_settings.register_profile("crossroads", deadline=None)
hypothesis_settings.load_profile("crossroads")


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time while the test database is in memory.

    On SQLite the test database is one in-memory database in shared-cache mode. There,
    SQLite locks table by table and does not wait for a lock (no busy timeout): two
    requests that write at once get "database table is locked" (a 503), or both read that a
    score is missing and both insert it (a 500, once, in CI). On a database file, BEGIN
    IMMEDIATE puts concurrent writes one after the other, as FOR UPDATE does on
    PostgreSQL; this does the same here. Only the app's work is serialised: a kept-alive
    connection waiting for its next request holds nothing, so the browser's parallel
    fetches still get through.
    """

    def set_app(self, application):
        one_at_a_time = threading.Lock()

        def serialised(environ, start_response):
            # Asked per request: the server starts before the test database is set up.
            if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
                return application(environ, start_response)
            with one_at_a_time:
                return application(environ, start_response)

        super().set_app(serialised)


LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    """A signed-up user with the default criteria, as the signup view leaves them."""
    person = UserFactory()
    create_default_criteria(person)
    return person


@pytest.fixture
def other_user(db):
    person = UserFactory()
    create_default_criteria(person)
    return person


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def opportunity(user):
    return OpportunityFactory(owner=user)


@pytest.fixture
def criteria(user):
    return list(active_criteria(user))


@pytest.fixture
def htmx_headers():
    def make(target: str | None = None) -> dict[str, str]:
        headers = {"HX-Request": "true"}
        if target:
            headers["HX-Target"] = target
        return headers

    return make


# --- Skipped browser tests are said out loud, and fail CI ------------------------------------

_browser_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "tests/browser/" in report.nodeid.replace("\\", "/"):
        _browser_skips.append(report.nodeid)


def _browser_required() -> bool:
    return os.environ.get("CROSSROADS_REQUIRE_BROWSER") == "1"


def pytest_sessionfinish(session, exitstatus):
    if _browser_skips and _browser_required():
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _browser_skips:
        verdict = "failing the run" if _browser_required() else "they did not run"
        terminalreporter.write_line(
            f"{len(_browser_skips)} browser test(s) were skipped; {verdict}.", yellow=True
        )
