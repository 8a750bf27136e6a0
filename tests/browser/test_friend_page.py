"""The friend's page in Chromium, in a browser that has never seen Crossroads: answered with
the keyboard alone on a 375 px phone (sliders unset until moved, one send for everything,
the thank-you state taking the focus), and answered with JavaScript off (the number boxes
and "I can't say" do the work; a mistake comes back with the error summary focused and
everything typed kept)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opportunities.models import FriendAnswer, FriendScore
from tests.browser.test_keyboard import assert_focus_visible, tab_to
from tests.browser.test_mobile import PHONE, assert_fits
from tests.factories import OpportunityFactory
from tests.friends.test_friend_page import make_link, page_url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def asked(user, criteria):
    role = OpportunityFactory(
        owner=user, title="Agency role", organisation="Northwind", notes="A small agency."
    )
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    invitation, token = make_link(
        user, role, stay, message="Which would you pick?", share_scores=True
    )
    return invitation, token, role, stay


def focused_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement.id")


def test_a_friend_answers_with_the_keyboard_alone_on_a_phone(live_server, page, asked, criteria):
    invitation, token, role, stay = asked
    values_fit, pay, growth = criteria[0], criteria[1], criteria[2]
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + page_url(token))
    expect(page.get_by_role("heading", name="would like your view")).to_be_visible()
    assert_fits(page, "friend's page")
    expect(page.get_by_test_id("owner-score")).to_have_count(0)

    slider = page.get_by_label("Values fit rating, 0 to 10").first
    expect(slider).to_have_attribute("aria-valuetext", "not rated")
    tab_to(page, "Values fit rating, 0 to 10")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuetext", "8 of 10")
    expect(page.locator(f"#id_o{role.pk}-c{values_fit.pk}-value")).to_have_value("8")

    tab_to(page, "Pay rating, 0 to 10")
    tab_to(page, "I can't say")
    page.keyboard.press("Space")
    expect(page.locator(f"#id_o{role.pk}-c{pay.pk}-cant_say")).to_be_checked()

    tab_to(page, f"{growth.name} rating (0–10")
    page.keyboard.type("6")
    expect(page.get_by_label(f"{growth.name} rating, 0 to 10").first).to_have_attribute(
        "aria-valuetext", "6 of 10"
    )
    page.keyboard.press("Tab")  # its Clear button
    page.keyboard.press("Tab")  # its "I can't say"
    page.keyboard.press("Tab")
    page.keyboard.type("You light up talking about it.")

    tab_to(page, "Yes")  # the gut question of the first option
    page.keyboard.press("Space")
    tab_to(page, "Why?")
    page.keyboard.type("It is the work you keep describing.")
    assert_fits(page, "friend's page, answered")

    tab_to(page, "Send my answer")
    page.keyboard.press("Enter")
    thanks = page.get_by_test_id("thanks")
    expect(thanks).to_contain_text("Thank you — your answer was sent")
    expect(thanks).to_be_focused()
    assert_focus_visible(page)
    assert_fits(page, "friend's page, thank you")

    answer = FriendAnswer.objects.get(invitation=invitation, opportunity=role)
    assert (answer.gut, answer.gut_reason) == ("yes", "It is the work you keep describing.")
    ratings = {s.criterion_id: s for s in FriendScore.objects.filter(answer=answer)}
    assert ratings[values_fit.pk].value == 8
    assert (ratings[pay.pk].value, ratings[pay.pk].cant_say) == (None, True)
    assert (ratings[growth.pk].value, ratings[growth.pk].comment) == (
        6,
        "You light up talking about it.",
    )
    assert set(ratings) == {values_fit.pk, pay.pk, growth.pk}
    assert not FriendAnswer.objects.filter(opportunity=stay).exists()
    # Now the owner's scores (shared in this round) stand beside the friend's.
    expect(page.get_by_test_id("owner-score").first).to_contain_text("own score")
    # The answer is there to change: giving a rating takes "I can't say" back.
    tab_to(page, "Pay rating (0–10")
    page.keyboard.type("3")
    expect(page.locator(f"#id_o{role.pk}-c{pay.pk}-cant_say")).not_to_be_checked()
    tab_to(page, "Send my changes")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("thanks")).to_be_focused()
    assert FriendScore.objects.get(answer=answer, criterion=pay).value == 3


def test_a_friend_answers_with_javascript_off(live_server, browser, asked, criteria):
    invitation, token, role, stay = asked
    values_fit, pay = criteria[0], criteria[1]
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + page_url(token))
        expect(page.locator("[data-friend-range]").first).to_be_hidden()
        expect(page.locator("[data-friend-clear]").first).to_be_hidden()
        value = page.get_by_label("Values fit rating (0–10, empty for not rated)").first
        value.fill("7")
        page.locator(f"#id_o{role.pk}-c{pay.pk}-value").fill("4")
        page.locator(f"#id_o{role.pk}-c{pay.pk}-cant_say").check()  # both: a mistake
        page.locator(f"#id_o{stay.pk}-gut_2").check()  # "No" for staying
        page.locator(f"#id_o{stay.pk}-gut_reason").fill("You have outgrown it.")
        page.get_by_role("button", name="Send my answer").click()

        summary = page.get_by_test_id("error-summary")
        expect(summary).to_contain_text("Nothing was sent yet")
        expect(summary).to_contain_text("keep one of them")
        assert focused_id(page) == "error-summary"
        expect(value).to_have_value("7")
        expect(page.locator(f"#id_o{stay.pk}-gut_reason")).to_have_value("You have outgrown it.")
        expect(page.locator(f"#id_o{stay.pk}-gut_2")).to_be_checked()
        assert not FriendAnswer.objects.exists()

        summary.get_by_role("link").first.click()
        page.locator(f"#id_o{role.pk}-c{pay.pk}-value").fill("")
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_test_id("thanks")).to_contain_text("your answer was sent")
        on_role = FriendAnswer.objects.get(invitation=invitation, opportunity=role)
        ratings = {s.criterion_id: s for s in FriendScore.objects.filter(answer=on_role)}
        assert ratings[values_fit.pk].value == 7
        assert (ratings[pay.pk].value, ratings[pay.pk].cant_say) == (None, True)
        on_stay = FriendAnswer.objects.get(invitation=invitation, opportunity=stay)
        assert (on_stay.gut, on_stay.gut_reason) == ("no", "You have outgrown it.")
    finally:
        context.close()
