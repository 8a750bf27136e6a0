"""A criterion measured as a number, end to end in Chromium at 375 px: added on the
criteria page (minutes of commute a day, 90 scores 0 and 10 scores 10), typed on an
opportunity, its score and the decision score following live, kept on reload."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.criteria.services import create_default_criteria
from opportunities.models import Criterion, CriterionKind, Score
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


def fits(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"overflows sideways: {widths[0]}px in {widths[1]}px"


def test_add_commute_as_a_number_and_score_an_opportunity_by_typing_it(live_server, page, login):
    user = UserFactory()
    create_default_criteria(user)
    opportunity = OpportunityFactory(owner=user, title="Agency role")
    page.set_viewport_size(PHONE)
    login(user)

    page.goto(f"{live_server.url}/criteria/")
    page.get_by_text("+ Add a criterion").click()
    form = page.locator("#add-criterion")
    expect(form.get_by_label("Measured in")).to_be_hidden()  # by hand, until a number
    form.get_by_label("Name").fill("Commute")
    form.get_by_label("What a 0 means").fill("90 minutes or more")
    form.get_by_label("What a 10 means").fill("10 minutes or less")
    form.get_by_label("As a number").check()
    form.get_by_label("Measured in").fill("minutes a day")
    form.get_by_label("The number that scores 0").fill("90")
    form.get_by_label("The number that scores 10").fill("10")
    fits(page)
    form.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_text("“Commute” added.")).to_be_visible()
    commute = Criterion.objects.get(owner=user, name="Commute")
    assert (commute.kind, commute.worst, commute.best) == (CriterionKind.NUMBER, 90, 10)

    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    row = page.locator(f"#score-row-{commute.pk}")
    expect(row.locator('input[type="range"]')).to_have_count(0)
    score = page.get_by_test_id("decision-score")
    expect(score).to_contain_text("–")
    expect(page.get_by_test_id("coverage")).to_have_text("0 of 8 scored")

    row.get_by_label("Minutes a day").fill("35")
    expect(row.get_by_test_id("amount-line")).to_contain_text("35 minutes a day → 7 of 10")
    expect(score).to_contain_text("70.0")
    expect(page.get_by_test_id("coverage")).to_have_text("1 of 8 scored")
    fits(page)

    row.get_by_label("Minutes a day").fill("80")  # (90 - 80) / 80 -> 1.25 -> 1
    expect(row.get_by_test_id("amount-line")).to_contain_text("80 minutes a day → 1 of 10")
    expect(score).to_contain_text("10.0")

    page.reload()
    expect(page.locator(f"#score-row-{commute.pk}").get_by_label("Minutes a day")).to_have_value(
        "80"
    )
    expect(page.get_by_test_id("decision-score")).to_contain_text("10.0")
    stored = Score.objects.get(criterion=commute, evaluation__frozen_at=None)
    assert (stored.amount, stored.value) == (Decimal(80), 1)
