"""Asking friends from end to end, in real Chromium: the owner asks two friends about the
agency role; each opens their own link in a fresh browser that has never logged in (one on
a 375 px phone, one with JavaScript off) and answers; the owner then sees the medians,
the spread, the comments, the gut answers and what the friends' view would change. A
revoked link and an expired one (with the clock moved past its expiry) get their own
pages, not a 404."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from opportunities.models import FriendInvitation
from opportunities.scoring.services import save_score
from tests.browser.test_mobile import PHONE, assert_fits
from tests.factories import CriterionFactory, OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def make_link(page: Page, name: str) -> str:
    """Make a personal link on the round page; its path (the site's address in it is the
    configured one, not the test server's)."""
    page.get_by_label("Their name").fill(name)
    page.get_by_role("button", name="Make the link").click()
    link = page.get_by_test_id("issued-link").input_value()
    return urlsplit(link).path


def fresh(browser: Browser, **options):
    """A browser context that has never seen Crossroads: no session, no cookies."""
    context = browser.new_context(**options)
    assert context.cookies() == []
    return context


def test_two_friends_answer_blind_and_the_owner_sees_what_it_would_change(
    live_server, page, login, user, browser, monkeypatch
):
    growth = CriterionFactory(owner=user, name="Growth", weight=8)
    life = CriterionFactory(owner=user, name="Daily life", weight=4)
    agency = OpportunityFactory(owner=user, title="Agency role", notes="Small, fast agency.")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    # The agency leads, 76.7 to 56.7: (9·8 + 5·4) / 12 against (5·8 + 7·4) / 12.
    for opportunity, scores in ((agency, (9, 5)), (stay, (5, 7))):
        for criterion, value in zip((growth, life), scores, strict=True):
            save_score(opportunity=opportunity, criterion=criterion, value=value)

    # The owner asks, from the role's page.
    login(user)
    page.goto(live_server.url + agency.get_absolute_url())
    page.get_by_role("link", name="Ask friends").click()
    page.get_by_label("A note to your friends (optional)").fill("Would you take it?")
    page.get_by_role("button", name="Start the round").click()
    round_url = page.url
    sam_path = make_link(page, "Sam")
    priya_path = make_link(page, "Priya")
    assert sam_path != priya_path
    expect(page.get_by_test_id("link")).to_have_count(2)
    expect(page.get_by_test_id("last-used").first).to_have_text("not opened yet")

    # Sam answers on a phone, with JavaScript: the owner's scores are nowhere on his page.
    sam = fresh(browser, viewport=PHONE)
    sam_page = sam.new_page()
    try:
        sam_page.goto(live_server.url + sam_path)
        expect(sam_page.get_by_text("Would you take it?")).to_be_visible()
        expect(sam_page.get_by_text("Small, fast agency.")).to_be_visible()
        expect(sam_page.get_by_test_id("owner-score")).to_have_count(0)
        assert_fits(sam_page, "Sam's page")
        sam_page.locator(f"#id_o{agency.pk}-c{growth.pk}-value").fill("2")
        sam_page.locator(f"#id_o{agency.pk}-c{growth.pk}-comment").fill("Agencies burn people out")
        sam_page.locator(f"#id_o{agency.pk}-c{life.pk}-value").fill("6")
        sam_page.locator(f"#id_o{agency.pk}-gut_2").check()  # no
        sam_page.locator(f"#id_o{agency.pk}-gut_reason").fill("<b>Not</b> for you")
        sam_page.get_by_role("button", name="Send my answer").click()
        expect(sam_page.get_by_test_id("thanks")).to_contain_text("your answer was sent")
        assert not [c for c in sam.cookies() if c["name"] == "sessionid"]
    finally:
        sam.close()

    # Priya answers with JavaScript off: number boxes and "I can't say".
    priya = fresh(browser, java_script_enabled=False)
    priya_page = priya.new_page()
    try:
        priya_page.goto(live_server.url + priya_path)
        priya_page.locator(f"#id_o{agency.pk}-c{growth.pk}-value").fill("4")
        priya_page.locator(f"#id_o{agency.pk}-c{life.pk}-cant_say").check()
        priya_page.locator(f"#id_o{agency.pk}-gut_1").check()  # unsure
        priya_page.get_by_role("button", name="Send my answer").click()
        expect(priya_page.get_by_test_id("thanks")).to_contain_text("your answer was sent")
    finally:
        priya.close()

    # The owner sees both: median and spread, the flag, comments, guts, and the change.
    page.goto(round_url)
    row = page.locator(f"#result-{agency.pk}-{growth.pk}")
    expect(row).to_contain_text("You 9 · friends 3 (2–4), 2 answers")
    expect(row.get_by_test_id("outside-range")).to_be_visible()
    expect(row).to_contain_text("Agencies burn people out")
    expect(page.locator(f"#result-{agency.pk}-{life.pk}")).to_contain_text("friends 6, 1 answer")
    expect(page.get_by_text("<b>Not</b> for you")).to_be_visible()  # escaped, shown as typed
    expect(page.get_by_test_id("answered")).to_have_count(2)
    expect(
        page.get_by_text(
            "With your friends' Growth scores, Agency role falls below Stay as I am."
        ).first
    ).to_be_visible()

    # Sam's link is revoked: his page says so.
    sam_link = page.locator("[data-testid=link]", has_text="Sam")
    sam_link.get_by_role("button", name="Revoke").click()
    expect(
        page.locator("[data-testid=link]", has_text="Sam").get_by_test_id("link-state")
    ).to_have_text("Revoked")
    again = fresh(browser)
    try:
        gone = again.new_page()
        response = gone.goto(live_server.url + sam_path)
        assert response.status == 410
        expect(gone.get_by_role("heading", name="This link was withdrawn")).to_be_visible()
    finally:
        again.close()

    # Fifteen days on, Priya's link (fourteen by default) has expired.
    assert FriendInvitation.objects.get(name="Priya").expires_at - timezone.now() < timedelta(
        days=14, minutes=5
    )
    later = timezone.now() + timedelta(days=15)
    monkeypatch.setattr(timezone, "now", lambda: later)
    again = fresh(browser)
    try:
        gone = again.new_page()
        response = gone.goto(live_server.url + priya_path)
        assert response.status == 410
        expect(gone.get_by_role("heading", name="This link has expired")).to_be_visible()
        expect(gone.get_by_text("your answer was received")).to_be_visible()
    finally:
        again.close()
