"""Comparable pay in Chromium: an hourly subcontract and a part-time salary entered as
typed, their comparable values and derived Pay scores following live, then side by side."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion, Profile, Score
from opportunities.pay.services import save_pay_settings
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def settled(user):
    """Pay scores 0 at 30,000 and 10 at 110,000; subcontracting 9, being an employee 4."""
    save_pay_settings(
        profile=Profile(
            owner=user,
            pay_floor=Decimal(30_000),
            pay_target=Decimal(110_000),
            employee_preference=4,
            contractor_preference=9,
        )
    )


def pay_score(user, opportunity) -> Score:
    return Score.objects.get(
        evaluation__opportunity=opportunity,
        evaluation__frozen_at=None,
        criterion=Criterion.objects.get(owner=user, kind="pay"),
    )


def test_an_hourly_subcontract_and_a_part_time_salary_compared_live(
    live_server, page, login, user, settled
):
    contract = OpportunityFactory(owner=user, title="Hourly subcontract")
    salary = OpportunityFactory(owner=user, title="Part-time salaried role")
    login(user)

    # The subcontract: 55 an hour.
    page.goto(f"{live_server.url}/opportunities/{contract.pk}/pay/")
    preview = page.get_by_test_id("pay-preview")
    expect(preview).to_contain_text("No pay entered yet")
    page.get_by_label("Arrangement").select_option(label="Subcontractor / contractor")
    expect(page.get_by_label("Paid days off a year")).to_be_hidden()  # employees only
    expect(page.get_by_label("Overhead, % of revenue")).to_be_visible()
    page.get_by_label("Paid", exact=True).select_option(label="Hourly rate")
    amount = page.get_by_label("Amount", exact=True)
    amount.evaluate("input => { input.dataset.typedHere = 'yes'; }")
    amount.press_sequentially("55", delay=60)

    # 55 x 1,800 billable hours = 99,000; - 25% overhead = 74,250; + 30% = 96,525
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 96,525")
    expect(page.get_by_test_id("effective-hourly")).to_have_text("USD 53.63")
    expect(page.get_by_test_id("as-salary")).to_have_text("USD 74,250")
    expect(page.get_by_test_id("as-contract-rate")).to_have_text("USD 55.00")
    # (96,525 - 30,000) / 80,000 = 0.83 of the way from floor to target: 8
    expect(page.get_by_test_id("derived-pay")).to_have_text("8 / 10")
    expect(page.get_by_test_id("derived-arrangement")).to_have_text("9 / 10")
    # The field being typed in was never swapped out from under the cursor.
    expect(amount).to_be_focused()
    expect(amount).to_have_value("55")
    assert amount.evaluate("input => input.dataset.typedHere") == "yes"
    page.get_by_text("The arithmetic, line by line").click()
    expect(page.get_by_test_id("pay-lines")).to_contain_text("55.00 an hour × 1,800 billable")
    page.get_by_role("button", name="Save pay").click()

    expect(page.get_by_role("heading", name="Hourly subcontract")).to_be_visible()
    expect(page.get_by_text("Pay saved: USD 96,525 comparable a year.")).to_be_visible()
    expect(page.get_by_label("Pay score (0–10, empty for not scored)")).to_have_value("8")
    expect(page.get_by_test_id("derived").first).to_contain_text("USD 96,525 comparable a year")

    # The part-time salary: 42,000 for 24 hours a week, with a 10% pension match.
    page.goto(f"{live_server.url}/opportunities/{salary.pk}/pay/")
    page.get_by_label("Full- or part-time").select_option(label="Part-time")
    hours = page.get_by_label("Hours per week")
    hours.fill("200")
    expect(page.locator("#pay-error-hours_per_week")).to_have_text(
        "Enter at most 100 hours a week."
    )
    expect(hours).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("pay-preview-invalid")).to_be_visible()
    hours.fill("24")
    expect(page.locator("#pay-error-hours_per_week")).to_be_empty()
    expect(hours).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label("Paid", exact=True).select_option(label="Annual salary")
    page.get_by_label("Amount", exact=True).fill("42,000")
    page.get_by_label("Benefits, % of salary").fill("10")

    # A part-time salary is taken as it is: 42,000 + 10% = 46,200; (46,200 - 30,000) / 80,000
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 46,200")
    expect(page.get_by_test_id("derived-pay")).to_have_text("2 / 10")
    expect(page.get_by_test_id("derived-arrangement")).to_have_text("4 / 10")
    options = page.get_by_test_id("pay-options").locator("tbody tr")
    expect(options.nth(0)).to_contain_text("Hourly subcontract")
    expect(options.nth(0)).to_contain_text("USD 96,525")
    expect(options.nth(1)).to_contain_text("Part-time salaried role")
    expect(options.nth(1)).to_contain_text("USD 46,200")
    page.get_by_role("button", name="Save pay").click()
    expect(page.get_by_label("Pay score (0–10, empty for not scored)")).to_have_value("2")

    # Side by side, on every criterion.
    page.goto(f"{live_server.url}/compare/?ids={contract.pk},{salary.pk}")
    page.get_by_role("button", name="Skip — show me the matrix").click()
    pay_cells = page.get_by_test_id("matrix-pay")
    expect(pay_cells).to_have_count(2)
    expect(pay_cells.nth(0)).to_contain_text("USD 96,525")  # in the order of the link
    expect(pay_cells.nth(0)).to_contain_text("Subcontractor / contractor")
    expect(pay_cells.nth(1)).to_contain_text("USD 46,200")
    expect(pay_cells.nth(1)).to_contain_text("Employee")
    pay_row = page.get_by_test_id("matrix").locator("tbody tr", has_text="Pay").first
    expect(pay_row.locator(".cell-score")).to_have_text(["8", "2"])


def test_a_derived_score_set_by_hand_can_be_handed_back(live_server, page, login, user, settled):
    contract = OpportunityFactory(
        owner=user, arrangement="contractor", pay_basis="hourly", pay_amount=Decimal(55)
    )
    login(user)
    page.goto(f"{live_server.url}/opportunities/{contract.pk}/")
    number = page.get_by_label("Pay score (0–10, empty for not scored)")
    expect(number).to_have_value("8")
    number.fill("5")
    expect(page.get_by_test_id("set-by-hand")).to_contain_text(
        "Set by hand; from its inputs it would be 8."
    )
    assert pay_score(user, contract).overridden
    # A second move is not sent the line again; the one on the page stays.
    with page.expect_response(lambda response: "/scores/" in response.url):
        number.fill("4")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")  # swapped
    assert pay_score(user, contract).value == 4
    expect(page.get_by_test_id("set-by-hand")).to_contain_text("from its inputs it would be 8.")

    page.get_by_role("button", name="Use the derived score").click()
    expect(page.get_by_text("Pay follows its inputs again: 8")).to_be_visible()
    expect(page.get_by_label("Pay score (0–10, empty for not scored)")).to_have_value("8")
    score = pay_score(user, contract)
    assert (score.value, score.overridden) == (8, False)


# --- Issue 14: a first hour without a stumble ---------------------------------------------------


def test_the_first_pay_entered_is_scored_at_once(live_server, page, login, user):
    """Item 12: no pay floor and target yet, so the pay page asks for them in place."""
    contract = OpportunityFactory(owner=user, title="Hourly subcontract")
    login(user)
    page.goto(f"{live_server.url}/opportunities/{contract.pk}/pay/")
    asked = page.get_by_test_id("score-settings")
    expect(asked).to_be_visible()
    expect(asked).to_contain_text("How should Pay be scored?")
    page.get_by_label("Arrangement").select_option(label="Subcontractor / contractor")
    page.get_by_label("Paid", exact=True).select_option(label="Hourly rate")
    page.get_by_label("Amount", exact=True).fill("55")
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 96,525")
    expect(page.get_by_test_id("not-derived-pay")).to_contain_text(
        "you have not set a pay floor and target yet"
    )
    page.get_by_role("link", name="Set it below").first.click()
    floor = page.get_by_label("Pay floor, USD a year")
    expect(floor).to_be_in_viewport()
    floor.fill("30000")
    page.get_by_label("Pay target, USD a year").fill("110000")
    asked.get_by_label("Subcontractor").fill("9")
    # The preview scores with what was just typed: (96,525 - 30,000) / 80,000 -> 8
    expect(page.get_by_test_id("derived-pay")).to_have_text("8 / 10")
    expect(page.get_by_test_id("derived-arrangement")).to_have_text("9 / 10")
    page.get_by_role("button", name="Save pay").click()

    expect(page.get_by_role("heading", name="Hourly subcontract")).to_be_visible()
    expect(page.get_by_text("Your pay settings are saved too")).to_be_visible()
    expect(page.get_by_label("Pay score (0–10, empty for not scored)")).to_have_value("8")
    profile = Profile.objects.get(owner=user)
    assert (profile.pay_floor, profile.pay_target, profile.contractor_preference) == (
        30_000,
        110_000,
        9,
    )
    page.goto(f"{live_server.url}/settings/pay/")
    expect(page.get_by_label("Pay floor (Pay scores 0)")).to_have_value("30000")
    page.goto(f"{live_server.url}/opportunities/{contract.pk}/pay/")
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 96,525")
    expect(page.get_by_test_id("score-settings")).to_have_count(0)  # asked once


def test_an_absurd_rate_is_refused_and_kept(live_server, page, login, user, settled):
    """Item 2: 1000000000 or 1e6 an hour gets a message on the field, and nothing saved."""
    contract = OpportunityFactory(
        owner=user, arrangement="contractor", pay_basis="hourly", pay_amount=Decimal(55)
    )
    login(user)
    page.goto(f"{live_server.url}/opportunities/{contract.pk}/pay/")
    amount = page.get_by_label("Amount", exact=True)
    message = page.locator("#pay-error-pay_amount")
    amount.fill("1000000000")
    expect(message).to_have_text("That is more than USD 5,000 an hour: check for extra zeros.")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("pay-preview-invalid")).to_be_visible()
    amount.fill("1e6")
    expect(message).to_have_text("Write the number out in digits, such as 1000000 rather than 1e6.")
    page.get_by_role("button", name="Save pay").click()
    expect(page.get_by_test_id("not-saved")).to_be_visible()
    expect(page.get_by_label("Amount", exact=True)).to_have_value("1e6")
    expect(page.locator("#pay-error-pay_amount")).to_contain_text("in digits")
    contract.refresh_from_db()
    assert contract.pay_amount == 55
    page.get_by_label("Amount", exact=True).fill("65")
    expect(page.locator("#pay-error-pay_amount")).to_be_empty()
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 114,075")


def test_a_part_time_hourly_employee_sees_what_was_assumed(live_server, page, login, user, settled):
    """Item 6: 28 an hour for 20 hours is 29,120, with its assumptions by the figure."""
    job = OpportunityFactory(owner=user, title="Part-time role")
    login(user)
    page.goto(f"{live_server.url}/opportunities/{job.pk}/pay/")
    page.get_by_label("Full- or part-time").select_option(label="Part-time")
    page.get_by_label("Hours per week").fill("20")
    page.get_by_label("Paid", exact=True).select_option(label="Hourly rate")
    page.get_by_label("Amount", exact=True).fill("28")
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 29,120")
    assumed = page.get_by_test_id("pay-assumed")
    expect(assumed).to_contain_text("52 paid weeks a year (time off paid)")
    expect(assumed).to_contain_text("no benefits (none stated for a part-time job)")
    assumed.get_by_role("link", name="52 paid weeks a year (time off paid)").click()
    weeks = page.get_by_label("Paid weeks a year")
    expect(weeks).to_be_in_viewport()
    weeks.fill("47")  # time off unpaid
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 26,320")
    expect(assumed).not_to_contain_text("paid weeks")
    page.get_by_role("button", name="Save pay").click()
    expect(page.get_by_test_id("pay-assumed")).to_contain_text("no benefits")
    expect(page.get_by_test_id("header-pay")).to_have_text("USD 26,320 a year")


def test_the_derived_badge_wears_the_palette(live_server, page, login, user, settled):
    """Item 15: the derived score reads as the app's teal tint, not Bootstrap's blue."""
    contract = OpportunityFactory(
        owner=user, arrangement="contractor", pay_basis="hourly", pay_amount=Decimal(55)
    )
    login(user)
    page.goto(f"{live_server.url}/opportunities/{contract.pk}/pay/")
    badge = page.get_by_test_id("derived-pay")
    expect(badge).to_have_text("8 / 10")
    expect(badge).to_have_css("background-color", "rgba(47, 93, 98, 0.12)")
    expect(badge).to_have_css("color", "rgb(31, 64, 68)")


def test_a_preference_typed_as_nonsense_is_refused_not_cleared(
    live_server, page, login, user, settled
):
    """Item 1's trap in the pay settings: a number box sends "1e" as empty, which cleared
    the preference with "saved"; as a text box it gets a message and is kept."""
    login(user)
    page.goto(f"{live_server.url}/settings/pay/")
    preference = page.get_by_label("Employee", exact=True)
    expect(preference).to_have_value("4")
    preference.fill("1e")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_test_id("not-saved")).to_be_visible()
    expect(page.get_by_text("A preference is a whole number 0-10.")).to_be_visible()
    expect(page.get_by_label("Employee", exact=True)).to_have_value("1e")
    assert Profile.objects.get(owner=user).employee_preference == 4


def test_the_first_pay_page_fits_a_phone(live_server, page, login, user):
    job = OpportunityFactory(owner=user, title="Part-time role")
    login(user)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/opportunities/{job.pk}/pay/")
    page.get_by_label("Paid", exact=True).select_option(label="Annual salary")
    page.get_by_label("Amount", exact=True).fill("52000")
    expect(page.get_by_test_id("comparable-annual")).to_have_text("USD 67,600")
    expect(page.get_by_test_id("score-settings")).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
