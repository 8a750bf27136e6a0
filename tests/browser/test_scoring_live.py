"""The foundation, end to end in Chromium: sign up, add an opportunity, score it live."""

import re

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion, Score

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_user_scores_an_opportunity_live_and_keeps_it_on_reload(live_server, page):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("newcomer")
    page.locator("#id_password1").fill("a-long-test-password-7")
    page.locator("#id_password2").fill("a-long-test-password-7")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Nothing to weigh yet")).to_be_visible()

    page.get_by_role("link", name="Add your first opportunity").click()
    page.get_by_label("Title or role").fill("Part-time strategist")
    page.get_by_label("Organisation").fill("A marketing firm")
    page.get_by_role("button", name="Add opportunity").click()
    expect(page.get_by_role("heading", name="Part-time strategist")).to_be_visible()

    score = page.get_by_test_id("decision-score")
    expect(score).to_contain_text("–")
    expect(page.get_by_test_id("coverage")).to_have_text("0 of 7 scored")

    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    slider = page.get_by_label("Values fit score, 0 to 10")
    slider.focus()
    slider.press("End")  # keyboard: jump to 10
    expect(score).to_contain_text("100.0")
    expect(page.get_by_test_id("coverage")).to_have_text("1 of 7 scored")
    expect(page.locator("#id_" + _prefix(page, "Values fit") + "-value")).to_have_value("10")

    gut = page.get_by_label("Gut feeling score, 0 to 10")
    gut.fill("2")  # range inputs accept fill(); fires input like a drag
    expect(page.get_by_test_id("coverage")).to_have_text("2 of 7 scored")
    # (8·10 + 7·2) / (10·(8 + 7)) = 94 / 150
    expect(score).to_contain_text("62.7")
    assert navigations == [], "scoring must not reload the page"

    page.reload()
    expect(page.get_by_test_id("decision-score")).to_contain_text("62.7")
    expect(page.get_by_label("Gut feeling score (0–10, empty for not scored)")).to_have_value("2")
    assert Score.objects.filter(value__isnull=False).count() == 2


def test_number_input_scores_for_keyboard_users_and_flags_a_must_have(
    live_server, page, login, user, opportunity
):
    Criterion.objects.filter(owner=user, name="Daily & weekly life").update(minimum=5)
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    number = page.get_by_label("Daily & weekly life score (0–10, empty for not scored)")
    number.fill("3")
    expect(page.get_by_test_id("must-have-failures")).to_contain_text("Daily & weekly life")
    expect(page.get_by_text("Below your must-have minimum of 5")).to_be_visible()
    number.fill("6")
    expect(page.get_by_test_id("must-have-failures")).to_have_count(0)
    expect(page.get_by_label("Daily & weekly life score, 0 to 10")).to_have_value("6")


def test_changing_a_weight_updates_every_share_live(live_server, page, login, user):
    login(user)
    page.goto(f"{live_server.url}/criteria/")
    shares = page.get_by_test_id("share")
    before = shares.all_inner_texts()
    # Default weights 8,7,6,6,8,4,7 = 46; Values fit is 8/46 = 17%.
    assert before[0] == "17%"
    page.get_by_label(re.compile(r"^Weight")).first.fill("0")
    expect(shares.first).to_have_text("0%")
    # Pay: 7 / 38 = 18%
    expect(shares.nth(1)).to_have_text("18%")
    expect(page.locator("#weight-summary")).to_contain_text("Total weight 38")
    assert Criterion.objects.get(owner=user, name="Values fit").weight == 0


def _prefix(page, name: str) -> str:
    criterion = Criterion.objects.get(name=name, owner__username="newcomer")
    return str(criterion.pk)


def test_rapid_moves_on_several_sliders_end_on_the_right_total(
    live_server, page, login, user, opportunity
):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    # No waiting between rows: the requests queue on the form, so a late response
    # for one row can never overwrite the total computed after another.
    for value in ("3", "7", "10"):
        page.get_by_label("Values fit score, 0 to 10").fill(value)
    page.get_by_label("Gut feeling score, 0 to 10").fill("2")
    page.get_by_label("Pay score, 0 to 10").fill("5")
    # (8·10 + 7·2 + 7·5) / (10·(8 + 7 + 7)) = 129 / 220
    expect(page.get_by_test_id("decision-score")).to_contain_text("58.6")
    expect(page.get_by_test_id("coverage")).to_have_text("3 of 7 scored")
    page.reload()
    expect(page.get_by_test_id("decision-score")).to_contain_text("58.6")
