"""The commit step in Chromium: record a decision, land on its commit step, fill it in with
the keyboard (a weak answer, a premortem reason, a kill criterion, a forecast from a
suggestion), save, and read it back on the decision's page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.learning.core import months_after
from opportunities.models import CheckIn, CheckInKind, Forecast, KillCriterion

pytestmark = pytest.mark.django_db(transaction=True)


def tab_to(page: Page, element_id: str, *, limit: int = 200) -> None:
    """Press Tab until the control with ``element_id`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    seen = page.evaluate("() => document.activeElement.outerHTML")
    raise AssertionError(f"#{element_id} is not reachable with Tab; at {seen[:200]}")


def test_the_commit_step_with_the_keyboard(live_server, page, login, user, opportunity):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/decide/")
    page.get_by_label("Accept").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()

    expect(page.get_by_role("heading", name="Before you act: the commit step")).to_be_visible()
    expect(page.get_by_text("Now, while it is fresh: what do you expect?")).to_be_visible()

    # The information that matters? From "Not said" one step on: weak.
    tab_to(page, "commit_information_0")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#commit_information_1")).to_be_checked()

    tab_to(page, "commit_premortem_1_reason")
    page.keyboard.type("The team I liked leaves within months")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("#commit_premortem_1_mine")).to_be_checked()

    by = months_after(timezone.localdate(), 4)
    tab_to(page, "commit_kill_1_by")
    page.keyboard.type(by.strftime("%m%d%Y"))
    expect(page.locator("#commit_kill_1_by")).to_have_value(by.isoformat())
    tab_to(page, "commit_kill_1_condition")  # past the date picker's button
    page.keyboard.type("I have no project of my own")

    # A forecast from a suggestion: its words come with it, the probability is typed.
    tab_to(page, "commit_forecast_1_template")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#commit_forecast_1_statement")).to_have_value(
        "I'm still glad I did it at 6 months"
    )
    tab_to(page, "commit_forecast_1_probability")
    page.keyboard.type("80")

    tab_to(page, "commit-save")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=re.compile("Accept"))).to_be_visible()
    expect(
        page.get_by_text("Commit step saved. Weakest: the information that matters.")
    ).to_be_visible()
    step = page.get_by_test_id("commit-step")
    expect(step.get_by_test_id("commit-weakest")).to_have_text(
        "Weakest: the information that matters"
    )
    expect(step.get_by_test_id("commit-premortem")).to_contain_text(
        "The team I liked leaves within months mine to control"
    )
    expect(step.get_by_test_id("commit-kill-criteria")).to_contain_text(
        "I have no project of my own, I reconsider."
    )
    expect(step.get_by_test_id("commit-forecast")).to_contain_text(
        "80 %: I'm still glad I did it at 6 months"
    )
    expect(step.get_by_test_id("commit-foreseen")).to_contain_text(
        "Your gut: did the result feel right? Yes."
    )

    forecast = Forecast.objects.get()
    assert (forecast.template, forecast.probability) == ("glad_6m", 80)
    kill = KillCriterion.objects.get()
    assert kill.check_on == by
    assert CheckIn.objects.get(kill_criterion=kill).kind == CheckInKind.KILL

    # Back to edit it the same day: what was saved is there.
    step.get_by_role("link", name="Edit the commit step").click()
    expect(page.locator("#commit_forecast_1_probability")).to_have_value("80")
    expect(page.locator("#commit_information_1")).to_be_checked()
