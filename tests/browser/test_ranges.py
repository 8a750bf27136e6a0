"""A range per score in Chromium (issue 18, item 1): "I'm unsure" opened from the
keyboard, a range set and saved live, the band in the summary, kept on reload; and the
same range saved without JavaScript through "Save all scores"."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.models import Score
from opportunities.scoring.services import save_score

pytestmark = pytest.mark.django_db(transaction=True)


def _stored(name):
    score = Score.objects.filter(criterion__name=name, evaluation__frozen_at__isnull=True).first()
    return None if score is None else (score.value, score.low, score.high)


def test_a_range_opened_from_the_keyboard_saves_live_and_shows_the_band(
    live_server, page, login, user, opportunity, criteria
):
    values_fit = next(c for c in criteria if c.name == "Values fit")
    save_score(opportunity=opportunity, criterion=values_fit, value=6)
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text="Values fit"))
    toggle = row.get_by_role("button", name="I'm unsure")
    low = row.get_by_label("Could be as low as")
    high = row.get_by_label("or as high as")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(low).to_be_hidden()

    # Opening proposes 6 ± 2 and saves nothing.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(low).to_be_focused()
    expect(low).to_have_value("4")
    expect(high).to_have_value("8")
    page.wait_for_timeout(800)
    assert _stored("Values fit") == (6, None, None)
    expect(page.get_by_test_id("decision-band")).to_have_count(0)

    # Changing an end saves the range; the summary shows the band.
    page.keyboard.press("Control+a")
    page.keyboard.type("3")
    expect(page.get_by_test_id("decision-band")).to_contain_text(re.compile(r"likely \d+–\d+"))
    expect(row.locator(".score-status")).to_contain_text("Saved")
    assert _stored("Values fit") == (6, 3, 8)

    # A bad end is refused beside the row, and what was typed stays.
    high.fill("5")
    expect(row.locator(".score-status")).to_contain_text(
        "Not saved: The high end (5) is below the score (6)."
    )
    expect(high).to_have_value("5")
    assert _stored("Values fit") == (6, 3, 8)
    high.fill("9")
    expect(row.locator(".score-status")).to_contain_text("Saved")
    assert _stored("Values fit") == (6, 3, 9)

    page.reload()
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text="Values fit"))
    expect(row.get_by_role("button", name="I'm unsure")).to_have_attribute("aria-expanded", "true")
    expect(row.get_by_label("Could be as low as")).to_have_value("3")
    expect(row.get_by_label("or as high as")).to_have_value("9")
    expect(page.get_by_test_id("decision-band")).to_contain_text("likely")

    # "No range" removes it; the band goes.
    row.get_by_role("button", name="No range for Values fit").click()
    expect(page.get_by_test_id("decision-band")).to_have_count(0)
    expect(row.get_by_role("button", name="I'm unsure")).to_have_attribute("aria-expanded", "false")
    assert _stored("Values fit") == (6, None, None)


def test_clearing_a_score_takes_its_range_and_says_so(
    live_server, page, login, user, opportunity, criteria
):
    values_fit = next(c for c in criteria if c.name == "Values fit")
    save_score(opportunity=opportunity, criterion=values_fit, value=6, score_range=(4, 8))
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text="Values fit"))
    row.get_by_role("button", name="Clear the Values fit score").click()
    expect(row.locator(".score-status")).to_contain_text("Its range (4–8) went with the score.")
    assert _stored("Values fit") == (None, None, None)


def test_without_javascript_the_boxes_are_there_and_save_all_saves_the_range(
    live_server, browser, user, opportunity, password
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text="Values fit"))
    expect(row.get_by_role("button", name="I'm unsure")).to_be_hidden()
    row.get_by_label("Values fit score (0–10, empty for not scored)").fill("7")
    row.get_by_label("Could be as low as").fill("5")
    row.get_by_label("or as high as").fill("9")
    page.get_by_role("button", name="Save all scores").click()
    expect(page.get_by_text("Scores saved.")).to_be_visible()
    assert _stored("Values fit") == (7, 5, 9)
    expect(page.get_by_test_id("decision-band")).to_contain_text("likely")

    # A bad range comes back with what was typed, and nothing saved.
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text="Values fit"))
    row.get_by_label("Could be as low as").fill("8")
    page.get_by_role("button", name="Save all scores").click()
    expect(page.get_by_text("The low end (8) is above the score (7).")).to_be_visible()
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text="Values fit"))
    expect(row.get_by_label("Could be as low as")).to_have_value("8")
    assert _stored("Values fit") == (7, 5, 9)
    context.close()
