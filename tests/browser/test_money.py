"""Weights in money and hours in Chromium: read the sentence on the comparison, move a what-if
weight and watch it follow, choose another pair of options and keep it while the weights move.
The story is tests/weights/money_story.py's (a point of Pay is USD 4,000)."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion
from tests.weights.money_story import compare_url, money_story

pytestmark = pytest.mark.django_db(transaction=True)


def open_comparison(page, live_server, *options) -> None:
    page.goto(f"{live_server.url}{compare_url(*options)}")
    page.get_by_role("button", name="Skip — show me the matrix").click()
    expect(page.get_by_test_id("money-check")).to_be_visible()
    page.wait_for_load_state()  # htmx must be listening before a slider moves
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads


def test_the_money_sentence_follows_a_what_if_weight(live_server, page, login, user, criteria):
    agency, stay, _ = money_story(user)
    login(user)
    open_comparison(page, live_server, agency, stay)

    net = page.get_by_test_id("money-net")
    expect(net).to_contain_text(
        "Altogether Stay as I am is ahead by the equivalent of USD 8,000 a year (4.0 hours of a "
        "full-time week): Agency role would draw level paying that much more."
    )
    leads = page.get_by_test_id("money-leads").get_by_role("listitem")
    expect(leads.first).to_contain_text(
        "Stay as I am's lead in Daily & weekly life (+4) is worth USD 18,300 a year to you, or "
        "9.1 hours of a full-time week."
    )

    # Daily life stops counting: the agency's lead in growth is all that is left.
    page.get_by_label("Daily & weekly life weight").fill("0")
    expect(net).to_contain_text(
        "Altogether Agency role is ahead by the equivalent of USD 10,300 a year"
    )
    expect(leads).to_have_count(1)
    expect(leads.first).to_contain_text(
        "By your what-if weights, Agency role's lead in Personal growth (+3)"
    )
    # Pay at 0: no price at all, and the page says why instead of a number.
    page.get_by_label("Pay weight").fill("0")
    expect(page.get_by_test_id("money-problem")).to_have_text(
        re.compile(r"Pay weighs 0 here, so your weights put no price on anything")
    )
    assert page.evaluate("() => window.sameDocument === true"), "the page must not reload"
    saved = dict(Criterion.objects.filter(owner=user).values_list("name", "weight"))
    assert saved["Pay"] == 7, "trying weights must not save them"


def test_choosing_another_pair_keeps_it_while_the_weights_move(
    live_server, page, login, user, criteria
):
    agency, stay, startup = money_story(user)
    login(user)
    open_comparison(page, live_server, agency, stay, startup)

    net = page.get_by_test_id("money-net")
    expect(net).to_contain_text("Altogether Stay as I am is ahead by the equivalent of USD 8,000")

    first = page.get_by_label("Weigh", exact=True)
    first.focus()
    first.select_option(label="Startup")
    expect(net).to_contain_text(
        "Altogether Agency role is ahead by the equivalent of USD 5,700 a year"
    )
    expect(page.get_by_label("against", exact=True)).to_have_value(str(agency.pk))
    # The focus stays on the select just used, and the address keeps the pair.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'money-a'"
    )
    page.wait_for_url(re.compile(rf"money_a={startup.pk}&money_b={agency.pk}"))

    # A what-if weight redraws the section for the same pair.
    page.get_by_label("Daily & weekly life weight").fill("0")
    expect(net).to_contain_text("Altogether Startup is ahead by the equivalent of USD 3,400 a year")
    expect(page.get_by_label("Weigh", exact=True)).to_have_value(str(startup.pk))
    page.wait_for_url(re.compile(r"money_a="))
    assert page.evaluate("() => window.sameDocument === true"), "the page must not reload"

    # Reloading the address shows the same pair under the same weights.
    page.reload()
    expect(net).to_contain_text("Altogether Startup is ahead by the equivalent of USD 3,400 a year")


def test_without_javascript_the_pair_is_a_plain_form(live_server, browser, login, user, criteria):
    agency, stay, startup = money_story(user)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("a-long-test-password-7")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}{compare_url(agency, stay, startup)}")
    page.get_by_role("button", name="Skip — show me the matrix").click()
    page.get_by_label("Weigh", exact=True).select_option(label="Startup")
    page.get_by_label("against", exact=True).select_option(label="Agency role")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("money-net")).to_contain_text(
        "Altogether Agency role is ahead by the equivalent of USD 5,700 a year"
    )
    # The what-if sliders' Recompute keeps the pair.
    page.get_by_label("Gut feeling weight").fill("3")
    page.get_by_role("button", name="Recompute").click()
    expect(page.get_by_label("Weigh", exact=True)).to_have_value(str(startup.pk))
    expect(page.get_by_test_id("money-net")).to_contain_text("Altogether Agency role is ahead")
    context.close()


def test_the_money_section_fits_a_phone(live_server, page, login, user, criteria):
    agency, stay, _ = money_story(user)
    long = "A very long title for a role at an organisation with a long name, too " * 2
    agency.title = long.strip()
    agency.save(update_fields=["title"])
    page.set_viewport_size({"width": 375, "height": 800})
    login(user)
    open_comparison(page, live_server, agency, stay)
    expect(page.get_by_test_id("money-net")).to_be_visible()
    page.get_by_test_id("money-check").scroll_into_view_if_needed()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the comparison overflows: {widths[0]}px in {widths[1]}px"
