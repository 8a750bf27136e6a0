"""The comparison page in Chromium: pick three, try other weights, save them, rank by feel."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.compare.core import CHART_PALETTE
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


# --- Issue 14: the whole matrix in view, the answer first on a phone, a colour per criterion ---


def open_comparison(page, live_server, story) -> None:
    page.goto(f"{live_server.url}/compare/?ids={','.join(str(option.pk) for option in story)}")
    page.get_by_role("button", name="Skip — show me the matrix").click()
    expect(page.get_by_test_id("matrix")).to_be_visible()


HEAD_IN_VIEW = """([head, last]) => {
    const box = head.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return box.top >= -1 && box.top <= 2 && head.contains(hit)
        && box.bottom <= last.getBoundingClientRect().bottom + 1;
}"""


def test_the_matrix_shows_every_row_and_its_header_follows_the_page(
    live_server, page, login, user, story
):
    # Short enough that the old scroll box (80 % of the window) hid the bottom rows.
    page.set_viewport_size({"width": 1280, "height": 600})
    login(user)
    open_comparison(page, live_server, story)
    matrix = page.get_by_test_id("matrix")

    # No scroll box of its own: the page scrolls, and the matrix is as tall as its rows.
    box = page.locator(".compare-scroll")
    assert box.evaluate("box => box.scrollHeight - box.clientHeight") <= 1
    for name in ("Rank", "Must-haves failed", "Against the status quo", "Comparable pay"):
        header = matrix.get_by_role("rowheader", name=name)
        # Scroll the page only (not any box inside it) to bring the row to mid-screen.
        header.evaluate("row => window.scrollBy(0, row.getBoundingClientRect().top - 300)")
        expect(header).to_be_in_viewport()

    # Down at the last row the header row (with the options' names) is still at the top.
    head = matrix.get_by_role("columnheader", name="Marketing role")
    last = matrix.get_by_role("rowheader", name="Comparable pay")
    assert head.evaluate("cell => cell.closest('table').getBoundingClientRect().top") < -100
    page.wait_for_function(HEAD_IN_VIEW, arg=[head.element_handle(), last.element_handle()])
    # ...and it goes back to its place, and stays with the matrix, not beyond its last row.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_function("cell => cell.style.transform === ''", arg=head.element_handle())
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(
        "([head, last]) => head.getBoundingClientRect().bottom"
        " <= last.getBoundingClientRect().bottom + 1 && head.style.transform !== ''",
        arg=[head.element_handle(), last.element_handle()],
    )

    # After a what-if slider redraws the matrix, the new header follows too.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.get_by_label("Pay weight").fill("2")
    expect(page.get_by_test_id("what-if-banner")).to_contain_text("Pay 2 (saved 7)")
    last = matrix.get_by_role("rowheader", name="Comparable pay")
    last.evaluate("row => window.scrollBy(0, row.getBoundingClientRect().top - 300)")
    head = matrix.get_by_role("columnheader", name="Marketing role")
    page.wait_for_function(HEAD_IN_VIEW, arg=[head.element_handle(), last.element_handle()])


def test_on_a_phone_the_answer_comes_before_the_sliders(live_server, page, login, user, story):
    page.set_viewport_size({"width": 375, "height": 740})
    login(user)
    open_comparison(page, live_server, story)

    def top(locator) -> float:
        return locator.bounding_box()["y"]

    ranking = page.get_by_test_id("ranking")
    firmness = page.get_by_role("heading", name="How firm is this order?")
    slider = page.get_by_label("Values fit weight")
    matrix = page.get_by_test_id("matrix")
    assert top(ranking) < top(firmness) < top(slider) < top(matrix)
    assert top(ranking) < 740, "the ranking shows without scrolling"

    # A slider right under the answer moves it (the answer is redrawn in place).
    page.get_by_label("Daily & weekly life weight").fill("10")
    page.get_by_label("Employee vs. subcontractor weight").fill("10")
    page.get_by_label("Professional development weight").fill("0")
    page.get_by_label("Gut feeling weight").fill("0")
    expect(page.get_by_test_id("ranking-title")).to_have_text(
        ["Stay as I am", "Return to freelancing", "Marketing role"]
    )
    assert top(page.get_by_test_id("ranking")) < top(slider)

    # Scrolled sideways, every row keeps its name in view at the left edge.
    box = page.locator(".compare-scroll")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth"), "the matrix is wider"
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    left = box.evaluate("box => box.getBoundingClientRect().left")
    for name in ("Pay", "Decision score", "Rank", "Comparable pay"):
        header = matrix.get_by_role("rowheader", name=name).first  # Pay, then Comparable pay
        assert abs(header.evaluate("cell => cell.getBoundingClientRect().left") - left) < 1, name


def test_on_a_wide_screen_the_sliders_sit_beside_the_answer(live_server, page, login, user, story):
    login(user)
    open_comparison(page, live_server, story)
    ranking = page.get_by_test_id("ranking").bounding_box()
    slider = page.get_by_label("Values fit weight").bounding_box()
    assert slider["x"] + slider["width"] < ranking["x"]  # a column of their own on the left
    assert abs(slider["y"] - ranking["y"]) < 150


def test_every_criterion_has_a_colour_of_its_own_in_the_chart(
    live_server, page, login, user, story
):
    login(user)
    open_comparison(page, live_server, story)
    page.wait_for_function("() => window.Chart && Chart.getChart('compare-chart')")
    colours = page.evaluate(
        "() => Chart.getChart('compare-chart').data.datasets.map(set => set.backgroundColor)"
    )
    assert colours == list(CHART_PALETTE[:7])  # Pay (2nd) and Gut feeling (7th) shared a hue
