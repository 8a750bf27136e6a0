"""How well I judge in Chromium: with a seasoned journal the calibration chart is drawn
from the page's figures (no inline script, nothing blocked by the CSP) beside the table
that carries the same figures, on a desktop and at 375 px; axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import Scan
from tests.browser.test_mobile import PHONE, assert_fits
from tests.learning.judgement_helpers import seasoned

pytestmark = pytest.mark.django_db(transaction=True)

DRAWN = (
    "() => window.Chart && "
    "Boolean(Chart.getChart(document.querySelector('canvas[data-chart=calibration]')))"
)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "375px"])
def test_the_page_with_data_draws_the_chart_beside_its_table(
    live_server, page, login, user, viewport, capsys
):
    seasoned(user)
    if viewport:
        page.set_viewport_size(viewport)
    login(user)
    page.goto(f"{live_server.url}/journal/")
    page.get_by_role("link", name="How well I judge").click()
    expect(page.get_by_role("heading", name="How well I judge", level=1)).to_be_visible()

    page.wait_for_function(DRAWN)
    chart = page.locator("canvas[data-chart='calibration']")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 100
    assert box["height"] > 100
    table = page.get_by_test_id("calibration-table")
    expect(table.get_by_test_id("band-row")).to_have_count(5)
    expect(table).to_contain_text("8 of 12: 67%")
    expect(page.get_by_test_id("best-predictor")).to_contain_text("Your gut")
    expect(page.get_by_test_id("tendency")).to_contain_text("overrate Personal growth")
    assert_fits(page, "judgement")
    if viewport is None:
        scan = Scan(page)
        scan.check("judgement with data")
        scan.report(capsys, "judgement")


def test_a_newcomer_gets_the_way_there_and_no_chart(live_server, page, login, user):
    login(user)
    page.goto(f"{live_server.url}/journal/judgement/")
    expect(page.get_by_test_id("judgement-empty")).to_be_visible()
    expect(page.locator("canvas")).to_have_count(0)
    page.get_by_role("link", name="Go to your decisions").click()
    expect(page.get_by_role("heading", name="Decision journal")).to_be_visible()
