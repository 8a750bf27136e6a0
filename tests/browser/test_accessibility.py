"""axe-core over every page a person can reach, in light and dark, with data and empty.

Pages come from the security suite's table of every URL (``tests/security/endpoints.py``):
each endpoint that answers GET with an HTML page is scanned for the owner of a full
``World`` (opportunities, checkpoint, decision, gut ranking) and, where it needs no object,
for a brand-new account. Logged-out pages (log in, sign up, help, locked out, logged out,
not found) are scanned too. Serious and critical violations fail the test; the number of
pages scanned is printed.

axe is injected with ``page.evaluate``, which goes through DevTools and is not subject to
the page's Content-Security-Policy, so the strict CSP stays on during the scan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.friends import public_views
from opportunities.friends.core import new_token
from opportunities.models import FriendInvitation
from opportunities.web.throttle import Limit
from tests.factories import PASSWORD
from tests.friends.test_friend_page import make_link, page_url
from tests.security.endpoints import ENDPOINTS, World, build_world

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}
# GET endpoints that answer with a download, not a page.
NOT_PAGES = {
    "export_json",
    "export_csv",
    "opportunities:compare_export",
    "opportunities:calendar_feed",
}
PAGES = [e for e in ENDPOINTS if "GET" in e.methods and e.name not in NOT_PAGES]
# Pages that need an object of the user's, so they cannot be scanned for an empty account.
# (and the friend's page, which needs a link to someone's opportunities).
EMPTY_PAGES = [
    e
    for e in PAGES
    if not e.object_url and e.name not in ("opportunities:compare", "opportunities:friend_page")
]

_axe = Axe()


@dataclass
class Scan:
    page: Page
    scanned: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def visit(self, url: str, label: str | None = None) -> None:
        self.page.goto(url)
        self.check(label or url)

    def check(self, label: str) -> None:
        """Scan what is on screen now, in the light theme and then the dark one."""
        for scheme in ("light", "dark"):
            # Reduced motion turns Bootstrap's colour transitions off, so axe measures the
            # settled colours of the new theme rather than a frame halfway between the two.
            self.page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
            expect(self.page.locator("html")).to_have_attribute("data-bs-theme", scheme)
            results = _axe.run(self.page)
            for violation in results.response["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = [node["target"] for node in violation["nodes"]][:5]
                    self.violations.append(
                        f"{label} [{scheme}] {violation['impact']}: {violation['id']} — "
                        f"{violation['help']} at {targets}"
                    )
        self.page.emulate_media(color_scheme="light")
        self.scanned.append(label)

    def report(self, capsys, what: str) -> None:
        with capsys.disabled():
            print(
                f"\naxe: {len(self.scanned)} {what} pages scanned (light and dark), "
                f"{len(self.violations)} serious/critical violations"
            )
        assert self.violations == [], "\n".join(self.violations)


def _scan_error_statuses(scan: Scan, reach: str | Callable[[Page], None], label: str) -> None:
    """Pages answered with a 404 or 429 on purpose: Chromium logs the status as a console
    error, which the suite treats as a failure, so they are scanned in a second tab of the
    same session that is not watched for console errors."""
    other = scan.page.context.new_page()
    try:
        if callable(reach):
            reach(other)
        else:
            other.goto(reach)
        Scan(other, scan.scanned, scan.violations).check(label)
    finally:
        other.close()


def _url(live_server, endpoint, world: World | None) -> str:
    url = live_server.url + reverse(endpoint.name, kwargs=endpoint.kwargs(world))
    query = endpoint.query(world) if world else {}
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def _log_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


PARTS = 3
"""The pages with data are shared out between this many tests (every third to each), so
that parallel workers share the scan rather than one of them running it all at the end."""


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_with_data_has_no_serious_violations(live_server, page, login, capsys, part):
    world = build_world(tag="Axe")
    login(world.user)
    scan = Scan(page)
    for endpoint in PAGES[part::PARTS]:
        scan.visit(_url(live_server, endpoint, world), endpoint.name)
    if part == 0:
        scan.visit(f"{live_server.url}/opportunities/{world.status_quo.pk}/", "status quo detail")
        _scan_error_statuses(scan, f"{live_server.url}/no-such-page/", "not found")
    scan.report(capsys, f"logged-in, with data (part {part + 1} of {PARTS}),")


def test_every_page_of_a_new_account_has_no_serious_violations(live_server, page, capsys):
    scan = Scan(page)
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("newcomer")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{live_server.url}/")
    for endpoint in EMPTY_PAGES:
        scan.visit(_url(live_server, endpoint, None), endpoint.name)
    scan.visit(f"{live_server.url}/compare/", "compare, nothing chosen")
    scan.visit(f"{live_server.url}/opportunities/new/?status_quo=1", "add the status quo")
    scan.report(capsys, "new-account")


def test_every_logged_out_page_has_no_serious_violations(live_server, page, capsys):
    world = build_world(tag="Axe")
    scan = Scan(page)
    scan.visit(f"{live_server.url}/accounts/login/", "login")
    scan.visit(f"{live_server.url}/accounts/signup/", "signup")
    scan.visit(f"{live_server.url}/help/", "help, logged out")
    _scan_error_statuses(scan, f"{live_server.url}/no-such-page/", "not found, logged out")

    _log_in(page, live_server, world.user.username, "wrong password")
    scan.check("login with errors")

    _log_in(page, live_server, world.user.username)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    scan.check("logged out")

    def lock_out(other: Page) -> None:
        for _ in range(5):
            _log_in(other, live_server, world.user.username, "wrong password")
        other.get_by_role("heading", name="Too many failed log-in attempts").wait_for()

    _scan_error_statuses(scan, lock_out, "locked out")
    scan.report(capsys, "logged-out")


def test_the_friends_page_in_every_state_has_no_serious_violations(
    live_server, page, capsys, monkeypatch
):
    """A friend's link, opened in a browser that never logged in: the page, the page with
    a mistake sent, the thank-you state with the owner's scores beside the friend's, and
    the pages of a link that opens nothing, is withdrawn, or was asked for too often."""
    world = build_world(tag="Axe")
    _, token = make_link(
        world.user,
        world.opportunity,
        world.status_quo,
        message="Which would you pick?",
        share_pay=True,
        share_scores=True,
    )
    url = live_server.url + page_url(token)
    scan = Scan(page)
    scan.visit(url, "friend's page")
    page.locator("[data-friend-number]").first.fill("12")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    scan.check("friend's page, a mistake sent")
    page.locator("[data-friend-number]").first.fill("7")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    expect(page.get_by_test_id("owner-score").first).to_be_visible()
    scan.check("friend's page, answered, with the owner's scores")

    withdrawn, withdrawn_token = make_link(world.user, world.opportunity, name="Ana")
    FriendInvitation.objects.filter(pk=withdrawn.pk).update(revoked_at=timezone.now())

    def opening(path: str, heading: str) -> Callable[[Page], None]:
        def reach(other: Page) -> None:
            other.goto(live_server.url + path)
            expect(other.get_by_role("heading", name=heading)).to_be_visible()

        return reach

    for path, heading, label in (
        (page_url(withdrawn_token), "This link was withdrawn", "withdrawn"),
        (page_url(new_token()), "This link doesn't open anything", "unknown"),
    ):
        _scan_error_statuses(scan, opening(path, heading), f"friend's link, {label}")
    monkeypatch.setattr(public_views, "PER_LINK", Limit("friend-link", hits=0, per_seconds=600))
    _scan_error_statuses(
        scan,
        opening(page_url(token), "Too many requests — please wait a little"),
        "friend's link, too many requests",
    )
    scan.report(capsys, "friend's")
