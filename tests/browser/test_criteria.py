"""The criteria page in Chromium (issue 14, items 11 and 15): "Add a criterion" is at the
top and asks what 0 and 10 mean, the scale shows on the page and beside the slider, and
a card's Save button shows only where it is needed."""

import pytest
from playwright.sync_api import expect

from opportunities.models import Criterion, CriterionKind
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_a_criterion_is_at_the_top_and_asks_for_its_scale(live_server, page, login, user):
    login(user)
    page.goto(f"{live_server.url}/criteria/")

    # In view on arrival, above every criterion, without scrolling.
    add = page.get_by_text("+ Add a criterion")
    expect(add).to_be_in_viewport()
    first_card = page.get_by_role("heading", name="Values fit")
    assert add.bounding_box()["y"] < first_card.bounding_box()["y"]

    add.click()
    form = page.locator("#add-criterion")
    form.get_by_label("Name").fill("Commute")
    form.get_by_role("button", name="Add criterion").click()
    # Refused with what is missing said, the form open and what was typed kept.
    form = page.locator("#add-criterion")
    expect(form.get_by_text("Say what a score of 0 means for this criterion")).to_be_visible()
    expect(form.get_by_text("Say what a score of 10 means for this criterion")).to_be_visible()
    expect(form.get_by_label("Name")).to_have_value("Commute")

    form.get_by_label("What a 0 means").fill("over an hour each way")
    form.get_by_label("What a 10 means").fill("a short walk")
    form.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_text("“Commute” added.")).to_be_visible()
    commute = Criterion.objects.get(owner=user, name="Commute")
    scale = page.locator(f"section:has(#criterion-title-{commute.pk})").get_by_test_id(
        "criterion-scale"
    )
    expect(scale).to_contain_text("0 = over an hour each way")
    expect(scale).to_contain_text("10 = a short walk")

    # The same scale beside the Commute slider on an opportunity.
    opportunity = OpportunityFactory(owner=user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    meanings = page.locator(f"#meaning-{commute.pk}")
    expect(meanings).to_contain_text("0 = over an hour each way")
    expect(meanings).to_contain_text("10 = a short walk")


def test_with_javascript_a_card_shows_save_only_for_what_the_slider_does_not_save(
    live_server, page, login, user
):
    login(user)
    page.goto(f"{live_server.url}/criteria/")
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Save Values fit")).to_have_count(0)
    expect(page.get_by_role("button", name="Save Gut feeling")).to_have_count(0)

    # The weight saves as the slider moves, with no button.
    card = page.locator("section", has=page.get_by_role("heading", name="Values fit"))
    card.get_by_label("Weight").fill("3")
    expect(page.locator("#weight-summary")).to_contain_text("Total weight 41")

    # Renaming and the scale are saved with the button inside their details.
    # (its fields are fetched as the details open: the page does not draw every card's)
    card.get_by_text("Rename, describe, set the scale or a must-have minimum").click()
    expect(card.get_by_label("Name")).to_have_value("Values fit")
    card.get_by_label("What a 10 means").fill("exactly what I stand for")
    save = card.get_by_role("button", name="Save Values fit")
    expect(save).to_have_count(1)
    save.click()
    expect(page.get_by_text("“Values fit” saved.")).to_be_visible()
    values_fit = Criterion.objects.get(owner=user, name="Values fit")
    assert (values_fit.weight, values_fit.high_meaning) == (3, "10 = exactly what I stand for")


def test_without_javascript_each_card_keeps_its_save_button(live_server, browser, user, password):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/criteria/")

        card = page.locator("section", has=page.get_by_role("heading", name="Gut feeling"))
        save = card.get_by_role("button", name="Save Gut feeling")
        expect(save).to_have_count(1)
        expect(save).to_be_visible()
        card.get_by_label("Weight").fill("2")
        save.click()
        expect(page.get_by_text("“Gut feeling” saved.")).to_be_visible()
        assert Criterion.objects.get(owner=user, name="Gut feeling").weight == 2

        # A card's other fields are a link away: the page drawn with that card open.
        card.get_by_text("Rename, describe, set the scale or a must-have minimum").click()
        card.get_by_role("link", name="Open the form for Gut feeling").click()
        card = page.locator("section", has=page.get_by_role("heading", name="Gut feeling"))
        expect(card.get_by_label("Name")).to_be_visible()
        card.get_by_label("Name").fill("Instinct")
        card.get_by_role("button", name="Save Gut feeling").first.click()
        expect(page.get_by_text("“Instinct” saved.")).to_be_visible()
        assert Criterion.objects.get(owner=user, name="Instinct").weight == 2

        # The add form opens at the top without JavaScript too.
        page.get_by_text("+ Add a criterion").click()
        expect(page.locator("#add-criterion").get_by_label("What a 0 means")).to_be_visible()
    finally:
        context.close()


def test_a_number_criterions_fields_arrive_showing_its_scale(live_server, page, login, user):
    """The fields fetched as a card opens behave as the add form's: the number's boxes
    show while "as a number" is chosen, and hide for "by hand" (criteria.js)."""
    commute = Criterion.objects.create(
        owner=user,
        name="Commute",
        low_meaning="0 = two hours",
        high_meaning="10 = a walk",
        weight=4,
        position=99,
        kind=CriterionKind.NUMBER,
        unit="minutes a day",
        worst=90,
        best=10,
    )
    login(user)
    page.goto(f"{live_server.url}/criteria/")
    card = page.locator(f"section:has(#criterion-title-{commute.pk})")
    summary = card.get_by_text("Rename, describe, set the scale or a must-have minimum")
    summary.focus()
    page.keyboard.press("Enter")  # a summary opens from the keyboard as by a click
    expect(card.get_by_label("Measured in")).to_have_value("minutes a day")
    card.get_by_label("By hand").check()
    expect(card.get_by_label("Measured in")).to_be_hidden()
    card.get_by_label("As a number").check()
    expect(card.get_by_label("Measured in")).to_be_visible()
    # Closed and opened again, the fields are not fetched a second time.
    summary.click()
    summary.click()
    expect(card.get_by_label("Name")).to_have_count(1)
    expect(card.get_by_label("As a number")).to_be_checked()
