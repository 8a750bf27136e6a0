"""Without a mouse: score an opportunity and record a decision with Tab, arrows, Space and
Enter only — with focus visible at every stop and the new score read out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opportunities.models import Decision, Score

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED_NAME = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  return (el.getAttribute("aria-label") || label || el.textContent || "").trim();
}"""


def tab_to(page: Page, name: str, *, backwards: bool = False, limit: int = 150) -> None:
    """Press Tab (or Shift+Tab) until the focused control is called ``name``; check on the
    way that every stop shows where the focus is."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED_NAME).startswith(name):
            assert_focus_visible(page)
            return
    raise AssertionError(f"{name!r} is not reachable with {key}")


def assert_focus_visible(page: Page) -> None:
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
    )
    outline, width, shadow = style
    assert (outline != "none" and width != "0px") or shadow != "none", style


def test_score_and_decide_with_the_keyboard_alone(live_server, page, password, user, opportunity):
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "Username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    tab_to(page, opportunity.title)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=opportunity.title)).to_be_visible()

    tab_to(page, "Values fit score, 0 to 10")
    slider = page.get_by_label("Values fit score, 0 to 10")
    expect(slider).to_have_attribute("aria-valuetext", "not scored")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "8 of 10")
    expect(page.get_by_test_id("decision-score")).to_contain_text("80.0")
    expect(page.locator("#score-announcer")).to_have_text(
        "Decision score 80.0 out of 100, 1 of 7 scored."
    )

    tab_to(page, "Gut feeling score (0–10, empty for not scored)")
    page.keyboard.type("6")
    expect(page.get_by_test_id("coverage")).to_have_text("2 of 7 scored")
    # (8·8 + 7·6) / (10·(8 + 7)) = 106 / 150
    expect(page.locator("#score-announcer")).to_have_text(
        "Decision score 70.7 out of 100, 2 of 7 scored."
    )

    tab_to(page, "Record a decision", backwards=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Record a decision")).to_be_visible()
    tab_to(page, "Pursue it")
    page.keyboard.press("Space")
    tab_to(page, "Confidence")
    page.keyboard.type("70")
    tab_to(page, "Why I decided this")
    page.keyboard.type("It fits what I care about.")
    tab_to(page, "Yes")
    page.keyboard.press("Space")
    tab_to(page, "Record the decision")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Before you act: the commit step")).to_be_visible()
    tab_to(page, "Skip for now")  # the commit step, left for now
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Pursue it")).to_be_visible()
    decision = Decision.objects.select_related("evaluation").get(opportunity=opportunity)
    assert (decision.choice, decision.confidence, decision.gut_check) == ("pursue", 70, "yes")
    assert decision.rationale == "It fits what I care about."
    assert round(decision.evaluation.decision_score, 1) == 70.7
    assert Score.objects.filter(evaluation=decision.evaluation, value__isnull=False).count() == 2
