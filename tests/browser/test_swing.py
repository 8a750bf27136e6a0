"""The swing weighting page in Chromium: three options, a swing moved to the top from the
keyboard, ratings typed, the weights and the ranking following live, a rating out of
order said beside it, the weights used, and found on the criteria page and on
priorities over time."""

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion, WeightVersion
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(user, criteria):
    """Three options on the default criteria (weights 8,7,6,6,8,4,7); Gut feeling scores
    the same on each, so it has no swing among them."""
    scores = {
        "Marketing role": [8, 6, 7, 8, 6, 4, 5],
        "Return to freelancing": [7, 7, 5, 5, 4, 9, 5],
        "Stay as I am": [6, 5, 4, 4, 8, 9, 5],
    }
    options = []
    for title, values in scores.items():
        option = OpportunityFactory(owner=user, title=title, is_status_quo=title == "Stay as I am")
        for criterion, value in zip(criteria, values, strict=True):
            save_score(opportunity=option, criterion=criterion, value=value)
        options.append(option)
    return options


def new_weight(page, name: str):
    return page.locator(
        f'[data-testid="swing-weight"][data-criterion="{name}"] [data-testid="swing-new-weight"]'
    )


def test_swing_weights_from_three_options_by_keyboard_then_used(
    live_server, page, login, user, story
):
    login(user)
    page.goto(f"{live_server.url}/criteria/")
    page.get_by_test_id("swing-link").click()
    expect(page.get_by_role("heading", name="Set weights from your options")).to_be_visible()
    expect(page.get_by_test_id("swing-item")).to_have_count(6)
    expect(page.get_by_test_id("swing-flat")).to_contain_text("Gut feeling")
    ranks = page.get_by_test_id("swing-rank-title")
    expect(ranks).to_have_text(["Marketing role", "Return to freelancing", "Stay as I am"])
    page.wait_for_load_state()  # htmx listening before anything moves

    # The arrangement matters most: up to the top, five presses of Enter from the keyboard.
    move_up = page.get_by_role("button", name="Move Employee vs. subcontractor up")
    move_up.focus()
    for _ in range(5):
        page.keyboard.press("Enter")
    expect(page.locator("[data-swing-announce]")).to_have_text(
        "Employee vs. subcontractor: place 1 of 6."
    )
    expect(page.get_by_role("button", name="Move Employee vs. subcontractor down")).to_be_focused()
    top = page.get_by_label("Rating of Employee vs. subcontractor")
    expect(top).to_have_value("100")
    expect(top).to_have_attribute("readonly", "")
    expect(new_weight(page, "Employee vs. subcontractor")).to_have_text("10")

    # A rating above one put before it is said beside it, live.
    page.get_by_label("Rating of Values fit").fill("30")
    expect(page.locator("[data-swing-item]").nth(2)).to_contain_text(
        "Rated higher than a swing you put before it"
    )
    expect(page.get_by_test_id("swing-fix")).to_be_visible()
    for name, rating in [
        ("Daily & weekly life", "20"),
        ("Pay", "10"),
        ("Personal growth", "10"),
        ("Professional development", "5"),
    ]:
        page.get_by_label(f"Rating of {name}").fill(rating)
    expect(page.get_by_test_id("swing-fix")).to_have_count(0)
    expect(page.locator("[data-swing-error]").filter(has_text="Rated")).to_have_count(0)
    expect(new_weight(page, "Values fit")).to_have_text("3")
    expect(new_weight(page, "Daily & weekly life")).to_have_text("2")
    expect(new_weight(page, "Professional development")).to_have_text("1")
    expect(new_weight(page, "Gut feeling")).to_have_text("0")
    # The ranking turns over: staying as I am first, 76.1 against 75.6 and 53.9.
    expect(ranks).to_have_text(["Stay as I am", "Return to freelancing", "Marketing role"])
    expect(page.get_by_test_id("swing-rank").first).to_contain_text("#3 · 57.8")
    expect(page.get_by_test_id("swing-rank").first).to_contain_text("#1 · 76.1")
    assert not WeightVersion.objects.filter(owner=user).exists(), "nothing saved yet"

    page.get_by_role("button", name="Use these weights").click()
    page.wait_for_url(f"{live_server.url}/criteria/")
    expect(page.get_by_text("Weights set from your swing answers:")).to_be_visible()
    employee = Criterion.objects.get(owner=user, name="Employee vs. subcontractor")
    expect(page.locator(f"#id_c{employee.pk}_weight")).to_have_value("10")
    gut = Criterion.objects.get(owner=user, name="Gut feeling")
    expect(page.locator(f"#id_c{gut.pk}_weight")).to_have_value("0")

    page.goto(f"{live_server.url}/journal/priorities/")
    expect(page.get_by_test_id("weights-column")).to_contain_text("Swing weighting")
    row = page.get_by_test_id("priority-row").filter(has_text="Employee vs. subcontractor")
    expect(row.locator("td").first).to_have_text("10")


def test_without_javascript_the_page_is_a_plain_form(live_server, browser, user, story, password):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/weights/swing/")
    page.get_by_role("button", name="Move Pay up").click()
    names = page.locator("[data-swing-item] h3")
    expect(names.nth(1)).to_have_text("Pay")
    page.get_by_label("Rating of Pay").fill("100")
    page.get_by_role("button", name="Show the weights", exact=True).last.click()
    expect(new_weight(page, "Pay")).to_have_text("10")
    page.get_by_role("button", name="Keep my weights, remember my answers").click()
    expect(page.get_by_text("Your swing answers are kept")).to_be_visible()
    assert WeightVersion.objects.get(owner=user).applied is False
    context.close()
