"""The decision journal end to end in Chromium: score, save a checkpoint, re-weight,
decide with a gut check, record what happened, and look back in the journal."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.models import Decision, Evaluation, Stage

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_whole_arc_is_recorded_and_revisited(live_server, page, login, user, opportunity):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")

    # Score it: (8·10 + 7·2) / (10·15) = 62.7
    page.get_by_label("Values fit score (0–10, empty for not scored)").fill("10")
    expect(page.get_by_test_id("decision-score")).to_contain_text("100.0")
    page.get_by_label("Gut feeling score (0–10, empty for not scored)").fill("2")
    expect(page.get_by_test_id("decision-score")).to_contain_text("62.7")

    # Save a checkpoint; an empty label is refused in place first.
    checkpoint_form = page.locator("#checkpoint-form")
    checkpoint_form.get_by_role("button", name="Save checkpoint").click()
    expect(checkpoint_form.get_by_text("Give the checkpoint a label")).to_be_visible()
    page.get_by_label("Checkpoint label").fill("After the interview")
    page.get_by_role("button", name="Save checkpoint").click()
    expect(page.get_by_text("Checkpoint “After the interview” saved.")).to_be_visible()
    expect(page.get_by_test_id("checkpoint-row")).to_have_count(1)
    expect(page.get_by_test_id("history-steps")).to_contain_text("After the interview → Now")
    # Chart.js is fetched once the chart nears the screen, so the sliders never wait for it.
    page.locator("[data-chart]").scroll_into_view_if_needed()
    page.wait_for_function(
        "() => window.Chart && Boolean(Chart.getChart(document.querySelector('[data-chart]')))"
    )

    # Change a weight: Values fit 8 → 2, so (2·10 + 7·2) / (10·9) = 37.8
    page.get_by_role("link", name="Criteria").click()
    page.wait_for_load_state()  # htmx must be listening before the slider moves
    values_fit = page.locator("section", has=page.get_by_role("heading", name="Values fit"))
    values_fit.get_by_label(re.compile(r"^Weight")).fill("2")
    expect(page.locator("#weight-summary")).to_contain_text("Total weight 40")

    # Record a decision with a gut check.
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    expect(page.get_by_test_id("decision-score")).to_contain_text("37.8")
    page.get_by_role("link", name="Record a decision").first.click()
    expect(page.get_by_test_id("deciding-score")).to_contain_text("37.8")
    page.get_by_label("Pursue it").check()
    page.get_by_label("Confidence (%)").fill("80")
    page.get_by_label("Why I decided this").fill("Values and growth outweigh the pay.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The result doesn’t feel right: say why")).to_be_visible()
    page.get_by_label("Why?").fill("The hours worry me more than the score says.")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Skip for now").click()  # the commit step, left for now
    expect(page.get_by_role("heading", name=re.compile("Pursue it"))).to_be_visible()
    expect(page.get_by_test_id("gut-check")).to_contain_text("The hours worry me")

    # Three days later: someone else was hired.
    page.get_by_role("link", name="Add what happened").first.click()
    page.get_by_label("What happened").select_option("not_selected")
    page.get_by_label("What I learned").fill("The thinking itself was the value.")
    page.get_by_role("button", name="Save to the journal").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("Not selected")
    expect(page.get_by_test_id("reflection")).to_have_text("The thinking itself was the value.")

    # The journal: the score then, the score under today's weights, outcome, reflection.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    entry = page.get_by_test_id("journal-entry")
    expect(entry).to_have_count(1)
    expect(entry.get_by_test_id("entry-then")).to_have_text("37.8")
    expect(entry.get_by_test_id("entry-now")).to_contain_text("37.8")
    expect(entry).to_contain_text("The thinking itself was the value.")
    page.get_by_label("Outcome").select_option("offer")
    expect(page.get_by_text("No decision matches these filters.")).to_be_visible()
    assert "outcome=offer" in page.url
    page.get_by_label("Outcome").select_option("not_selected")
    expect(page.get_by_test_id("journal-entry")).to_have_count(1)

    # Opening it shows the frozen matrix beside today's score.
    page.get_by_role("link", name=re.compile("Pursue it")).click()
    matrix = page.get_by_test_id("frozen-matrix")
    expect(matrix.get_by_test_id("score-then")).to_contain_text("37.8")
    expect(matrix.get_by_test_id("score-now")).to_contain_text("37.8")
    expect(matrix.get_by_test_id("frozen-row")).to_have_count(7)

    # The first checkpoint still shows the weights it had, beside today's.
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    expect(page.get_by_test_id("stage-timeline")).to_contain_text("Not selected")
    page.get_by_role("link", name="After the interview", exact=True).click()
    matrix = page.get_by_test_id("frozen-matrix")
    expect(matrix.get_by_test_id("score-then")).to_contain_text("62.7")
    expect(matrix.get_by_test_id("score-now")).to_contain_text("37.8")
    expect(matrix.get_by_role("row", name=re.compile("^Values fit"))).to_contain_text("(was 8)")

    decision = Decision.objects.get()
    assert decision.gut_check == "no"
    assert Evaluation.objects.checkpoints().count() == 2
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NOT_SELECTED


def test_the_pipeline_moves_from_the_opportunity_page(live_server, page, login, user, opportunity):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    stage = page.get_by_label("Move to stage")
    expect(stage).to_have_value(Stage.LEAD)  # where it stands is what the select shows
    stage.select_option(label="Applied")
    page.get_by_role("button", name="Move", exact=True).click()

    expect(page.get_by_text("Moved to “Applied”.")).to_be_visible()
    expect(page.get_by_test_id("stage-timeline")).to_contain_text("Applied")
    expect(page.get_by_label("Move to stage")).to_have_value(Stage.APPLIED)
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.APPLIED
