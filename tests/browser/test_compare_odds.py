"""The comparison's plausible cases in Chromium (issue 18, items 2-5): the chances and the
leading sentence follow a what-if slider live, the band chart is drawn and redrawn, and the
top suggestion is added as a question on its opportunity, back on the comparison."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.compare.services import save_gut_ranking
from opportunities.models import Question, Score
from opportunities.scoring.services import save_score
from tests.browser.test_accessibility import Scan
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)

BANDS = "() => Chart.getChart(document.querySelector('[data-odds-chart]')).data.datasets[0].data"


def test_the_chances_follow_the_weights_and_the_top_unknown_becomes_a_question(
    live_server, page, login, user, criteria
):
    agency = OpportunityFactory(owner=user, title="Agency role")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    # Staying pays a point better (Pay weighs 7), the agency develops a point more (6).
    for option, values in ((agency, [6, 6, 6, 6, 6, 6, 6]), (stay, [6, 7, 6, 5, 6, 6, 6])):
        for criterion, value in zip(criteria, values, strict=True):
            save_score(opportunity=option, criterion=criterion, value=value)
    development = next(c for c in criteria if c.name == "Professional development")
    # "I don't even really know what the job is": the agency's development could be 1 or 10.
    Score.objects.filter(
        evaluation__opportunity=agency, evaluation__frozen_at__isnull=True, criterion=development
    ).update(low=1, high=10)
    save_gut_ranking(user=user, order=[agency.pk, stay.pk])
    login(user)
    page.goto(f"{live_server.url}/compare/?ids={agency.pk},{stay.pk}")

    sentence = page.get_by_test_id("odds-sentence")
    expect(sentence).to_contain_text("of the plausible cases")
    before = sentence.inner_text()
    assert before.startswith("Stay as I am comes out on top in ")
    assert "; Agency role in " in before
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('[data-odds-chart]'))"
    )
    scan = Scan(page)  # axe, light and dark, over the section with its chart and forms
    scan.check("comparison with ranges")
    assert not scan.violations, scan.violations
    page.evaluate(f"() => {{ window.bandsBefore = JSON.stringify(({BANDS})()); }}")

    # Professional development counting for more moves the agency's band and its odds.
    page.get_by_label("Professional development weight").fill("10")
    expect(sentence).not_to_have_text(before)
    # The chart is redrawn on the new canvas (the old one went with the swap).
    page.wait_for_function(f"() => JSON.stringify(({BANDS})()) !== window.bandsBefore")
    assert page.evaluate("() => window.bandsBefore !== undefined"), "the page must not reload"
    assert re.search(rf"[?&]w{development.pk}=10", page.url)

    item = page.get_by_test_id("find-out-item").first
    expect(item).to_contain_text("Finding out about Professional development at Agency role")
    item.get_by_role("button", name=re.compile("Add as a question")).click()
    expect(page).to_have_url(re.compile(rf"/compare/\?ids={agency.pk},{stay.pk}"))
    question = Question.objects.get(opportunity=agency)
    assert question.criterion_id == development.pk
    assert question.text == "What is the Professional development like at Agency role, really?"
