"""Issue 16, items 4, 6 and 7 in Chromium: a variant made, renamed, repriced and compared
with the original; a closed opportunity reopened from the dashboard with the keyboard; the
status quo's form without a stage or source; "in transition" on the pay page. The pages
they change pass axe (light and dark) and fit a 375 px screen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from opportunities.models import Opportunity
from opportunities.pipeline.services import duplicate_as_variant, move_stage
from tests.browser.test_accessibility import Scan
from tests.browser.test_mobile import DESKTOP, PHONE, assert_fits
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _role(user) -> Opportunity:
    return OpportunityFactory(
        owner=user,
        title="Part-time content strategist",
        organisation="Northwind Marketing",
        arrangement="employee",
        schedule="part_time",
        hours_per_week=Decimal(24),
        stage="interviewing",
        pay_basis="annual",
        pay_amount=Decimal(42_000),
    )


def test_a_variant_is_made_renamed_repriced_and_compared_with_the_original(
    live_server, page: Page, login, user
):
    role = _role(user)
    login(user)
    page.goto(f"{live_server.url}/opportunities/{role.pk}/")
    page.get_by_role("button", name="Duplicate as a variant").click()

    # The variant's form comes next, its title ready to rename.
    expect(page.locator("main h1")).to_contain_text("(variant)")
    expect(page.get_by_text("Give it a title that says how it differs")).to_be_visible()
    title = page.get_by_label("Title or role")
    expect(title).to_have_value("Part-time content strategist (variant)")
    title.fill("Content strategist as subcontractor")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main h1")).to_contain_text("Content strategist as subcontractor")
    variant = Opportunity.objects.get(owner=user, variant_of=role)
    expect(page.get_by_test_id("variants")).to_contain_text("Part-time content strategist")

    # Its own pay: as a subcontractor, by the hour.
    page.get_by_role("link", name="Edit pay").click()
    page.get_by_label("Arrangement").select_option(label="Subcontractor / contractor")
    page.get_by_label("Paid", exact=True).select_option(label="Hourly rate")
    page.get_by_label("Amount", exact=True).fill("55")
    page.get_by_role("button", name="Save pay").click()
    expect(page.locator("main h1")).to_contain_text("Content strategist as subcontractor")

    # On the dashboard the variant sits under the original, marked as one.
    page.goto(f"{live_server.url}/")
    cards = page.get_by_test_id("opportunity-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("Part-time content strategist")
    expect(cards.nth(1)).to_contain_text("Content strategist as subcontractor")
    expect(cards.nth(1).get_by_test_id("variant-badge")).to_be_visible()
    expect(cards.nth(1)).to_have_class("variant-row")

    page.get_by_role("link", name="Compare the 2 variants").click()
    page.get_by_role("button", name="Skip — show me the matrix").click()
    pay = page.get_by_test_id("matrix-pay")
    expect(pay).to_have_count(2)
    expect(pay.nth(0)).to_contain_text("Employee")
    expect(pay.nth(1)).to_contain_text("Subcontractor / contractor")
    assert page.url.endswith(f"ids={role.pk},{variant.pk}")


def test_a_closed_opportunity_is_reopened_from_the_dashboard_with_the_keyboard(
    live_server, page: Page, login, user
):
    closed = _role(user)
    move_stage(opportunity=closed, stage="not_selected")
    OpportunityFactory(owner=user, title="Still open")
    login(user)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("opportunity-card")).to_have_count(1)
    listed = page.get_by_test_id("closed-opportunity")
    expect(listed).to_be_hidden()  # collapsed, like the archived ones

    summary = page.get_by_text("Closed (1)")
    summary.focus()
    page.keyboard.press("Enter")
    expect(listed).to_be_visible()
    expect(listed).to_contain_text("Not selected")
    stage = page.get_by_label("Reopen “Part-time content strategist” at")
    expect(stage).to_have_value("interviewing")  # the stage it left to close
    page.keyboard.press("Tab")
    closed_list = page.get_by_test_id("closed-opportunities")
    expect(closed_list.get_by_role("link", name="journal")).to_be_focused()  # in its words
    page.keyboard.press("Tab")
    expect(listed.get_by_role("link", name="Part-time content strategist")).to_be_focused()
    page.keyboard.press("Tab")
    expect(stage).to_be_focused()
    stage.select_option("offer")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Reopen “Part-time content strategist”")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("is open again, at “Offer”")).to_be_visible()
    expect(page.get_by_test_id("opportunity-card")).to_have_count(2)
    expect(page.get_by_test_id("closed-opportunities")).to_have_count(0)
    closed.refresh_from_db()
    assert closed.stage == "offer"


def test_ticking_status_quo_hides_its_stage_and_source(live_server, page: Page, login, user):
    login(user)
    page.goto(f"{live_server.url}/opportunities/new/")
    stage, source = page.locator("#id_stage"), page.locator("#id_source")
    expect(stage).to_be_visible()
    expect(source).to_be_visible()
    assert "now" not in stage.locator("option").evaluate_all("os => os.map(o => o.value)")
    status_quo = page.get_by_label("This is how things are now (the status quo)")
    status_quo.check()
    expect(stage).to_be_hidden()
    expect(source).to_be_hidden()
    status_quo.uncheck()
    expect(stage).to_be_visible()

    page.goto(f"{live_server.url}/opportunities/new/?status_quo=1")
    expect(page.locator("#id_stage")).to_have_count(0)
    page.get_by_role("button", name="Add opportunity").click()
    expect(page.locator("main h1")).to_contain_text("Stay as I am")
    expect(page.get_by_test_id("status-quo-no-stages")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Now ·")
    expect(page.get_by_role("button", name="Duplicate as a variant")).to_have_count(0)


def test_in_transition_shows_only_what_applies_and_takes_zero(live_server, page: Page, login, user):
    status_quo = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    login(user)
    page.goto(f"{live_server.url}/opportunities/{status_quo.pk}/pay/")
    note = page.get_by_test_id("transition-note")
    expect(note).to_be_hidden()
    page.get_by_label("Arrangement").select_option(label="In transition / between things")
    expect(note).to_be_visible()
    expect(page.get_by_role("group", name="As an employee")).to_be_hidden()
    expect(page.get_by_role("group", name="As a contractor")).to_be_hidden()
    page.get_by_label("Paid", exact=True).select_option(label="Monthly")
    page.get_by_label("Amount", exact=True).fill("0")
    page.get_by_role("button", name="Save pay").click()
    expect(page.locator("main h1")).to_contain_text("Stay as I am")
    expect(page.get_by_test_id("header-pay")).to_contain_text("0 a year")
    status_quo.refresh_from_db()
    assert (status_quo.arrangement, status_quo.pay_amount) == ("transition", 0)


def _pages(user) -> dict[str, str]:
    role = _role(user)
    variant = duplicate_as_variant(opportunity=role)
    closed = OpportunityFactory(owner=user, title="Declined role", stage="offer")
    move_stage(opportunity=closed, stage="declined")
    status_quo = OpportunityFactory(
        owner=user, title="Stay as I am", is_status_quo=True, arrangement="transition"
    )
    return {
        "dashboard with variants and closed": "/",
        "variant": f"/opportunities/{variant.pk}/",
        "closed": f"/opportunities/{closed.pk}/",
        "status quo in transition": f"/opportunities/{status_quo.pk}/",
        "status quo's pay": f"/opportunities/{status_quo.pk}/pay/",
        "status quo's form": f"/opportunities/{status_quo.pk}/edit/",
        "new status quo": "/opportunities/new/?status_quo=1",
    }


def test_the_pages_they_change_pass_axe(live_server, page: Page, login, user, capsys):
    pages = _pages(user)
    login(user)
    scan = Scan(page)
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if name.startswith("dashboard"):
            page.get_by_text("Closed (1)").click()  # the closed list, opened
        scan.check(name)
    scan.report(capsys, "variant, closed and status quo")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_pages_they_change_fit_the_screen(live_server, page: Page, login, user, viewport):
    pages = _pages(user)
    page.set_viewport_size(viewport)
    login(user)
    for name, path in pages.items():
        page.goto(live_server.url + path)
        if name.startswith("dashboard"):
            page.get_by_text("Closed (1)").click()
        expect(page.locator("main h1").first).to_be_visible()
        assert_fits(page, name)
