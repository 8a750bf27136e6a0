"""Pay's value curve in Chromium: "levels off" picked and its bend moved, the Pay scores
and the ranking moving in the preview as it happens, nothing saved until "Save the
curve", and then the new Pay score on the opportunity's page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion, Profile, Score
from opportunities.pay.services import save_pay_settings
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def salary(amount) -> dict:
    return {"arrangement": "employee", "pay_basis": "annual", "pay_amount": Decimal(amount)}


@pytest.fixture
def offers(user):
    """Pay from 50,000 (0) to 80,000 (10), weighed the same as growth, nothing else.

    Comparable (salary + 30%): the agency 59,800, the studio 68,250, the startup 78,000:
    Pay 3, 6 and 9 on the straight line. Growth 9, 5, 5. Totals 60, 55, 70: the startup
    leads, the agency second. Levelling off at bend 9, Pay goes 8, 9, 10: the agency leads.
    """
    save_pay_settings(
        profile=Profile(owner=user, pay_floor=Decimal(50_000), pay_target=Decimal(80_000))
    )
    Criterion.objects.filter(owner=user).exclude(name__in=["Pay", "Personal growth"]).update(
        weight=0
    )
    Criterion.objects.filter(owner=user, name__in=["Pay", "Personal growth"]).update(weight=5)
    growth = Criterion.objects.get(owner=user, name="Personal growth")
    made = {}
    for title, amount, grows in (
        ("Agency", 46_000, 9),
        ("Studio", 52_500, 5),
        ("Startup", 60_000, 5),
    ):
        made[title] = OpportunityFactory(owner=user, title=title, **salary(amount))
        save_score(opportunity=made[title], criterion=growth, value=grows)
    return made


def row(page, title):
    return page.get_by_test_id("preview-row").filter(has_text=title)


def test_levelling_off_moves_the_pay_scores_and_the_ranking_live_then_saves(
    live_server, page, login, user, offers
):
    pay = Criterion.objects.get(owner=user, kind="pay")
    login(user)
    page.goto(f"{live_server.url}/criteria/")
    page.get_by_role("link", name="Change the value curve of Pay").click()
    expect(page.get_by_role("heading", name="Value curve of Pay")).to_be_visible()
    page.wait_for_load_state()  # htmx must be listening before the curve changes
    expect(row(page, "Agency").get_by_test_id("score-now")).to_have_text("3")
    expect(row(page, "Agency").get_by_test_id("rank-now")).to_have_text("#2")

    # Levels off, at the bend it starts with (3): the scores rise, the order holds.
    page.get_by_label("Levels off: past a point, more adds little").check()
    summary = page.get_by_test_id("preview-summary")
    expect(summary).to_have_text("3 scores would change; the ranking stays as it is.")
    expect(row(page, "Agency").get_by_test_id("score-new")).to_have_text("5")
    expect(row(page, "Studio").get_by_test_id("score-new")).to_have_text("8")

    # Bent sharply: the agency's pay now scores 8, and it takes the lead.
    bend = page.get_by_label("How soon it levels off")
    bend.focus()
    bend.press("End")
    expect(row(page, "Agency").get_by_test_id("score-new")).to_have_text("8")
    expect(row(page, "Agency").get_by_test_id("rank-new")).to_have_text("#1")
    expect(summary).to_contain_text("and the ranking moves")
    # Nothing is saved yet.
    assert (
        Score.objects.get(
            evaluation__opportunity=offers["Agency"], evaluation__frozen_at=None, criterion=pay
        ).value
        == 3
    )

    page.get_by_role("button", name="Save the curve").click()
    page.wait_for_url(f"{live_server.url}/criteria/**")
    expect(
        page.get_by_text("Pay now levels off towards your target: 3 scores changed.")
    ).to_be_visible()
    expect(page.get_by_test_id("curve-link").first).to_contain_text("Value curve: levels off")

    page.goto(f"{live_server.url}/opportunities/{offers['Agency'].pk}/")
    expect(page.locator(f"#id_{pay.pk}-value")).to_have_value("8")
    expect(page.get_by_test_id("derived").first).to_contain_text("on your “levels off” curve")
