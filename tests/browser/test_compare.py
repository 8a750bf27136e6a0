"""The comparison page in Chromium: pick three, try other weights, save them, rank by feel."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion, GutRanking
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)

CHART_STACKS = "() => Chart.getChart('compare-chart').data.datasets.map(set => set.data)"


@pytest.fixture
def story(user, criteria):
    """The design story's three options (default weights 8,7,6,6,8,4,7): the marketing role
    leads with 68.7, then returning to freelancing 58.3 and staying as I am 57.8."""
    scores = {
        "Marketing role": [8, 6, 7, 8, 6, 4, 8],
        "Return to freelancing": [7, 7, 5, 5, 4, 9, 5],
        "Stay as I am": [6, 5, 4, 4, 8, 9, 5],
    }
    options = []
    for title, values in scores.items():
        option = OpportunityFactory(owner=user, title=title, is_status_quo=title == "Stay as I am")
        for criterion, value in zip(criteria, values, strict=True):
            save_score(opportunity=option, criterion=criterion, value=value)
        options.append(option)
    return options


def test_what_if_weights_rerank_live_and_are_kept_once_saved(live_server, page, login, user, story):
    login(user)
    for option in story:
        page.get_by_label(f"Compare “{option.title}”").check()
    page.get_by_role("button", name="Compare selected").click()
    expect(page.get_by_test_id("gut-ranking-form")).to_be_visible()
    page.get_by_role("button", name="Skip — show me the matrix").click()

    ranking = page.get_by_test_id("ranking-title")
    expect(ranking).to_have_text(["Marketing role", "Return to freelancing", "Stay as I am"])
    # The columns keep the dashboard's order: the status quo first, then the newest.
    expect(page.get_by_test_id("total")).to_have_text(["57.8", "58.3", "68.7"])
    page.wait_for_function("() => window.Chart && Chart.getChart('compare-chart')")
    stacks_before = page.evaluate(CHART_STACKS)
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads

    # Make daily life and the arrangement count most: staying as I am comes first.
    page.get_by_label("Daily & weekly life weight").fill("10")
    page.get_by_label("Employee vs. subcontractor weight").fill("10")
    page.get_by_label("Professional development weight").fill("0")
    page.get_by_label("Gut feeling weight").fill("0")

    expect(ranking).to_have_text(["Stay as I am", "Return to freelancing", "Marketing role"])
    expect(page.get_by_test_id("total")).to_have_text(["67.6", "64.6", "60.5"])
    expect(page.get_by_test_id("what-if-banner")).to_contain_text("Gut feeling 0 (saved 7)")
    # The sentence a screen reader hears follows, in the live region outside the swap.
    expect(page.locator("#comparison-status")).to_have_text("“Stay as I am” comes first with 67.6.")
    # The chart follows: Gut feeling (the last stack) now brings no points to anyone.
    page.wait_for_function(f"() => ({CHART_STACKS})().at(-1).every(points => points === 0)")
    stacks_after = page.evaluate(CHART_STACKS)
    assert stacks_before[-1] == [7.61, 7.61, 12.17]  # 10·7·5/46, 10·7·5/46, 10·7·8/46
    assert stacks_after[-1] == [0, 0, 0]
    assert stacks_after[4] == [19.51, 9.76, 14.63]  # Daily life weighs 10 of 41: 10·10·8/41...
    assert page.evaluate("() => window.sameDocument === true"), "the page must not reload"
    assert re.search(r"[?&]w\d+=0", page.url), "the what-if state is in the URL"
    saved = dict(Criterion.objects.filter(owner=user).values_list("name", "weight"))
    assert saved["Gut feeling"] == 7, "trying weights must not save them"

    page.get_by_role("button", name="Save these weights").click()
    expect(page.get_by_text("Weights saved:")).to_be_visible()
    expect(page.get_by_test_id("what-if-banner")).to_have_count(0)
    saved = dict(Criterion.objects.filter(owner=user).values_list("name", "weight"))
    assert saved["Gut feeling"] == 0
    assert saved["Daily & weekly life"] == 10

    page.reload()
    expect(page.get_by_label("Gut feeling weight")).to_have_value("0")
    expect(page.get_by_label("Daily & weekly life weight")).to_have_value("10")
    expect(ranking).to_have_text(["Stay as I am", "Return to freelancing", "Marketing role"])


def test_reset_returns_to_the_saved_weights(live_server, page, login, user, story):
    login(user)
    ids = ",".join(str(option.pk) for option in story)
    page.goto(f"{live_server.url}/compare/?ids={ids}")
    page.get_by_role("button", name="Skip — show me the matrix").click()
    page.wait_for_load_state()  # htmx must be listening before the slider moves
    page.get_by_label("Pay weight").fill("2")
    expect(page.get_by_test_id("what-if-banner")).to_contain_text("Pay 2 (saved 7)")
    page.get_by_role("link", name="Reset").click()
    expect(page.get_by_test_id("what-if-banner")).to_have_count(0)
    expect(page.get_by_label("Pay weight")).to_have_value("7")


def test_gut_ranking_by_keyboard_then_the_disagreement_is_explained(
    live_server, page, login, user, story
):
    marketing, freelancing, stay = story
    login(user)
    page.goto(f"{live_server.url}/compare/?ids={marketing.pk},{freelancing.pk},{stay.pk}")
    expect(page.get_by_test_id("matrix")).to_have_count(0)

    # By feel: staying as I am first. Move it up twice from the keyboard.
    move_up = page.get_by_role("button", name="Move “Stay as I am” up")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(move_up).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Place of “Stay as I am”")).to_have_value("1")
    expect(page.get_by_label("Place of “Marketing role”")).to_have_value("2")
    expect(page.get_by_label("Place of “Return to freelancing”")).to_have_value("3")
    expect(page.locator("[data-gut-announce]")).to_have_text("Stay as I am: place 1 of 3.")
    page.get_by_role("button", name="Save my order and show the matrix").click()

    comparison = page.get_by_test_id("gut-comparison")
    expect(comparison).to_be_visible()
    expect(page.get_by_test_id("gut-order").get_by_role("listitem")).to_have_text(
        ["Stay as I am", "Marketing role", "Return to freelancing"]
    )
    disagreements = page.get_by_test_id("disagreements").get_by_role("listitem")
    expect(disagreements).to_have_count(2)  # Marketing above freelancing: agreed
    expect(disagreements.first).to_contain_text(
        "You put “Stay as I am” above “Marketing role”, but the matrix puts “Marketing role” "
        "ahead because it scores better on Professional development (weight 6), "
        "Gut feeling (weight 7) and Personal growth (weight 6)."
    )
    assert GutRanking.objects.get().order == [stay.pk, marketing.pk, freelancing.pk]
    expect(page.get_by_test_id("matrix")).to_be_visible()
