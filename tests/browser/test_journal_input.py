"""Checkpoints and decisions in Chromium (issue 14, items 3 and 14): nothing scored is
refused for a checkpoint and said plainly for a decision, a date out of any sense is
refused with the form kept, and the outcome page reads as plain English."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities.models import Decision, Evaluation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_checkpoint_with_nothing_scored_is_refused_in_place(
    live_server, page, login, user, opportunity
):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    checkpoint_form = page.locator("#checkpoint-form")
    expect(checkpoint_form).to_contain_text("It needs at least one score.")
    page.get_by_label("Checkpoint label").fill("After the call")
    checkpoint_form.get_by_role("button", name="Save checkpoint").click()

    expect(checkpoint_form.get_by_test_id("checkpoint-refused")).to_contain_text(
        "Nothing is scored yet, so this checkpoint would freeze nothing."
    )
    expect(page.get_by_label("Checkpoint label")).to_have_value("After the call")
    assert not Evaluation.objects.checkpoints().exists()

    # One score is enough.
    page.get_by_label("Values fit score (0–10, empty for not scored)").fill("7")
    expect(page.get_by_test_id("decision-score")).to_contain_text("70.0")
    checkpoint_form.get_by_role("button", name="Save checkpoint").click()
    expect(page.get_by_text("Checkpoint “After the call” saved.")).to_be_visible()


def test_a_decision_dated_1900_is_refused_and_one_with_nothing_scored_is_explained(
    live_server, page, login, user, opportunity
):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/decide/")
    expect(page.get_by_test_id("nothing-scored")).to_contain_text(
        "no scores will be frozen with this decision"
    )
    decided_on = page.get_by_label("Decided on")
    expect(decided_on).to_have_attribute("min", "2000-01-01")
    expect(decided_on).to_have_attribute("max", timezone.localdate().isoformat())

    page.get_by_label("Withdraw").check()
    decided_on.fill("1900-01-01")
    page.get_by_label("Confidence (%)").fill("70")
    page.get_by_label("Why I decided this").fill("I'm staying as I am.")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()

    expect(
        page.get_by_text("Check the year: the journal goes back to 1 January 2000")
    ).to_be_visible()
    expect(page.get_by_label("Why I decided this")).to_have_value("I'm staying as I am.")
    assert not Decision.objects.exists()

    page.get_by_label("Decided on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Skip for now").click()  # the commit step, left for now
    expect(page.get_by_role("heading", name=re.compile("Withdraw"))).to_be_visible()
    expect(page.get_by_test_id("score-then")).to_contain_text("–")

    # What happened: the page says what was decided in plain English.
    page.get_by_role("link", name="Add what happened").first.click()
    expect(page.get_by_text(f"you decided to withdraw from “{opportunity}”")).to_be_visible()
