"""Learning from a decision, end to end in Chromium: record a decision with its commit step
(a forecast "80 %: I'm still glad at 6 months" and a kill criterion), move the clock three
months on (no real waiting: the server's clock is moved, as in test_ask_friends), find the
check-in on the dashboard and answer it (glad 8, the forecast "can't tell yet", one
criterion re-scored), move on to six months and answer that one (the forecast came
true), then read the resolved forecast on "How well I judge", with its small-sample
wording."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.models import CheckIn, Criterion, Forecast, KillCriterion, TimelineEntry
from opportunities.scoring.services import save_score

pytestmark = pytest.mark.django_db(transaction=True)


def clock(monkeypatch):
    """Moves the server's clock (the live server shares it) some days on from the real
    now, as it was when the test began."""
    start = timezone.now()

    def move(days: int) -> None:
        moved = start + timedelta(days=days)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return move


def answer_glad(page: Page, value: int) -> None:
    page.locator(f"label[for='check_in_glad_{value}']").click()
    expect(page.locator(f"#check_in_glad_{value}")).to_be_checked()


def test_a_decision_checked_in_on_at_3_and_6_months_then_judged(
    live_server, page, login, user, opportunity, monkeypatch
):
    move_clock = clock(monkeypatch)
    daily = Criterion.objects.for_user(user).get(name="Daily & weekly life")
    save_score(opportunity=opportunity, criterion=daily, value=8)
    login(user)

    # Deciding, with the commit step.
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/decide/")
    page.get_by_label("Accept").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Before you act: the commit step")).to_be_visible()
    by = timezone.localdate() + timedelta(days=80)
    page.locator("#commit_kill_1_by").fill(by.isoformat())
    page.locator("#commit_kill_1_condition").fill("I work more than 25 hours a week")
    page.locator("#commit_forecast_1_statement").fill("I'm still glad at 6 months")
    page.locator("#commit_forecast_1_probability").fill("80")
    page.get_by_role("button", name="Save the commit step").click()
    expect(page.get_by_role("heading", name=re.compile("Accept"))).to_be_visible()
    checks = page.get_by_test_id("decision-check-ins")
    expect(checks.get_by_test_id("decision-check-in")).to_have_count(4)
    expect(checks.locator("[data-state='upcoming']")).to_have_count(4)
    forecast = Forecast.objects.get()
    assert forecast.probability == 80

    # Three months on: the check-in is on the dashboard.
    move_clock(95)
    login(user)  # the session has long expired by then
    due = page.get_by_test_id("check-ins-due")
    expect(due).to_be_visible()
    expect(due.get_by_test_id("check-in-due")).to_have_count(2)  # 3 months, the kill criterion
    due.get_by_role("link", name=re.compile("Check-in 3 months on")).click()
    expect(page.get_by_role("heading", name="Check-in 3 months on")).to_be_visible()
    expect(page.get_by_test_id("check-in-decision")).to_contain_text("Accept: ")
    answer_glad(page, 8)
    page.get_by_label("How is it going?").fill("Better than I feared; Mondays are long.")
    page.get_by_test_id("check-in-forecast").get_by_label("Can't tell yet").check()
    page.get_by_test_id("check-in-kill").get_by_label("No").check()
    page.get_by_label("What did “Daily & weekly life 8” turn out to be?").fill("6")
    page.get_by_role("button", name="Check in").click()

    expect(page.get_by_text("Checked in: it is in the story.")).to_be_visible()
    done = page.get_by_test_id("decision-check-in").filter(has_text="3 months on")
    expect(done).to_contain_text("glad 8 of 10")
    expect(page.get_by_test_id("reconsider")).to_have_count(0)
    story = page.get_by_test_id("decision-story")
    expect(story.locator("[data-kind='check_in']")).to_contain_text(
        "Check-in 3 months on: glad 8 of 10"
    )
    forecast.refresh_from_db()
    assert forecast.resolution == "unknown"
    assert KillCriterion.objects.get().triggered is False
    three = CheckIn.objects.get(kind="3m")
    assert three.rescored[str(daily.pk)] == {
        "name": "Daily & weekly life",
        "expected": 8,
        "lived": 6,
    }

    # Back on the dashboard: nothing is due any more (the kill criterion was answered).
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("check-ins-due")).to_have_count(0)

    # Six months on: the next one; the forecast came true.
    move_clock(190)
    login(user)
    due = page.get_by_test_id("check-ins-due")
    due.get_by_role("link", name=re.compile("Check-in 6 months on")).click()
    expect(page.get_by_role("heading", name="Check-in 6 months on")).to_be_visible()
    expect(page.get_by_test_id("check-in-forecast").get_by_label("Can't tell yet")).to_be_checked()
    answer_glad(page, 7)
    page.get_by_test_id("check-in-forecast").get_by_label("True").check()
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Checked in: it is in the story.")).to_be_visible()
    assert TimelineEntry.objects.filter(kind="check_in").count() == 2
    forecast.refresh_from_db()
    assert forecast.resolution == "true"

    # How well I judge: one forecast resolved, said with its count, no rate yet.
    page.goto(f"{live_server.url}/journal/")
    journal = page.get_by_test_id("journal-check-ins")
    expect(journal).to_contain_text("glad 8")
    expect(journal).to_contain_text("glad 7")
    page.get_by_role("link", name="How well I judge").click()
    expect(page.get_by_role("heading", name="How well I judge", level=1)).to_be_visible()
    calibration = page.get_by_test_id("calibration")
    expect(calibration).to_contain_text("1 forecast resolved true or false")
    band = page.get_by_test_id("band-row").filter(has_text="80–100 %")
    expect(band).to_contain_text("1 of 1")
    expect(band).to_contain_text("1 of 5 needed for a rate")
    expect(page.get_by_test_id("brier")).to_contain_text("Brier score 0.04")
