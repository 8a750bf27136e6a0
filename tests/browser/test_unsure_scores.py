"""Unsure scores from end to end, in real Chromium (issue 18): ranges set on two options'
pages, the comparison's chances and leading sentence following a what-if weight live, the
top unknown added as a question, the question answered, its range narrowed, and the
chances moving with it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from opportunities.compare.services import save_gut_ranking
from opportunities.models import Question, Score
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def set_range(page: Page, opportunity, criterion, low: int, high: int) -> None:
    """Open "I'm unsure" on ``criterion``'s row (if closed), set both ends, and wait for
    the live save to hold them."""
    row = page.locator(".score-row").filter(has=page.locator("legend", has_text=criterion.name))
    toggle = row.get_by_role("button", name="I'm unsure")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    row.get_by_label("Could be as low as").fill(str(low))
    row.get_by_label("or as high as").fill(str(high))
    expect(row.locator(".score-status")).to_contain_text("Saved")
    expect(page.get_by_test_id("decision-band")).to_contain_text("likely")
    for _ in range(50):
        if stored(opportunity, criterion)[1:] == (low, high):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{criterion.name}: saved {stored(opportunity, criterion)}")


def chances(page: Page) -> dict[str, str]:
    rows = page.get_by_test_id("odds-row")
    expect(rows.first).to_be_visible()
    return {
        row.locator("th, td")
        .first.inner_text()
        .split("\n")[0]
        .removesuffix(" Status quo")
        .strip(): (row.get_by_test_id("odds-first").inner_text())
        for row in rows.all()
    }


def stored(opportunity, criterion) -> tuple[int | None, int | None, int | None]:
    score = Score.objects.get(
        evaluation__opportunity=opportunity,
        evaluation__frozen_at__isnull=True,
        criterion=criterion,
    )
    return score.value, score.low, score.high


def test_ranges_give_chances_the_top_unknown_becomes_a_question_and_answering_it_moves_them(
    live_server, page, login, user, criteria
):
    by_name = {criterion.name: criterion for criterion in criteria}
    development, pay = by_name["Professional development"], by_name["Pay"]
    agency = OpportunityFactory(owner=user, title="Agency role")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    # Level but for staying paying a point more and developing a point less.
    for option, values in ((agency, [6, 6, 6, 6, 6, 6, 6]), (stay, [6, 7, 6, 5, 6, 6, 6])):
        for criterion, value in zip(criteria, values, strict=True):
            save_score(opportunity=option, criterion=criterion, value=value)
    save_gut_ranking(user=user, order=[agency.pk, stay.pk])  # by feel first, as the page asks
    login(user)

    # "I don't even really know what the job is": a wide range on the agency's development,
    # a narrower one on staying's pay.
    page.goto(live_server.url + agency.get_absolute_url())
    set_range(page, agency, development, 1, 10)
    page.goto(live_server.url + stay.get_absolute_url())
    set_range(page, stay, pay, 6, 8)
    assert stored(agency, development) == (6, 1, 10)

    compare = f"{live_server.url}/compare/?ids={agency.pk},{stay.pk}"
    page.goto(compare)
    sentence = page.get_by_test_id("odds-sentence")
    expect(sentence).to_contain_text("of the plausible cases")
    wide = chances(page)
    assert set(wide) >= {"Agency role", "Stay as I am"}
    before = sentence.inner_text()

    # The what-if weight moves the chances live, without a reload.
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_label("Professional development weight").fill("10")
    expect(sentence).not_to_have_text(before)
    assert page.evaluate("() => window.notReloaded") is True

    # The top unknown becomes a question on the agency role.
    page.goto(compare)
    item = page.get_by_test_id("find-out-item").first
    expect(item).to_contain_text("Professional development at Agency role")
    item.get_by_role("button", name=re.compile("Add as a question")).click()
    expect(page).to_have_url(re.compile(rf"/compare/\?ids={agency.pk},{stay.pk}"))
    question = Question.objects.get(opportunity=agency)
    assert question.criterion_id == development.pk

    # It waits on the agency's page; answering it asks to re-score.
    page.goto(live_server.url + agency.get_absolute_url())
    card = page.get_by_test_id("questions-card")
    expect(card.get_by_test_id("open-question")).to_contain_text(question.text)
    card.get_by_role("link", name=re.compile("Answer")).first.click()
    page.get_by_label("What I found out").fill("Two courses a year and a mentor from day one.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(re.compile("re-score Professional development"))).to_be_visible()
    question.refresh_from_db()
    assert question.answered_on is not None
    expect(page.get_by_test_id("questions-card").get_by_test_id("open-question")).to_have_count(0)

    # Narrowing the range to what was found out moves the chances.
    set_range(page, agency, development, 6, 8)
    page.goto(compare)
    narrow = chances(page)
    assert narrow["Agency role"] != wide["Agency role"], (wide, narrow)
