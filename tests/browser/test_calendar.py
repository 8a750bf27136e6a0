"""The calendar feed's settings in Chromium: turned on at 375 px, its long address fits and
is copied with one click; a calendar app reads it; a new address and turning it off stop
the old one. The page with the address shown once passes axe, light and dark."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from opportunities.models import CalendarFeed
from tests.browser.test_accessibility import Scan
from tests.browser.test_mobile import PHONE, assert_fits
from tests.factories import DecisionFactory, OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _read(page: Page, url: str) -> Calendar:
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.body())


def test_the_feed_is_turned_on_copied_read_renewed_and_turned_off(
    live_server, page, login, user, capsys
):
    role = OpportunityFactory(owner=user, title="Agency role")
    DecisionFactory(opportunity=role, owner=user)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(user)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Calendar feed settings").click()
    expect(page.get_by_role("heading", name="Your dates in your calendar")).to_be_visible()
    assert_fits(page, "calendar settings, off")

    page.get_by_role("button", name="Turn on my calendar feed").click()
    address = page.get_by_test_id("feed-address")
    expect(address).to_be_visible()
    assert_fits(page, "calendar settings, address shown")
    url = address.input_value()
    assert url.startswith(f"{live_server.url}/cal/")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    scan = Scan(page)
    scan.check("calendar settings, address shown")
    scan.report(capsys, "calendar")

    summaries = {str(e["SUMMARY"]) for e in _read(page, url).walk("VEVENT")}
    assert "Check in: Agency role, 3 months on" in summaries

    page.get_by_role("button", name="New address").click()
    renewed = page.get_by_test_id("feed-address").input_value()
    assert renewed != url
    assert page.request.get(url).status == 404
    _read(page, renewed)

    page.get_by_role("button", name="Turn it off").click()
    expect(page.get_by_role("alert").filter(has_text="its address no longer works")).to_be_visible()
    expect(page.get_by_test_id("feed-state")).to_contain_text("is off")
    assert page.request.get(renewed).status == 404
    assert not CalendarFeed.objects.filter(owner=user).exists()
