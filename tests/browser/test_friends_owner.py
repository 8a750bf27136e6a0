"""The owner's side of asking friends in a real browser: from the opportunity's page to a
round and a personal link copied with one click (or selected by hand without
JavaScript), "Use friends' 3" swapping its row in place, and the pages on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from opportunities.models import FriendInvitation, Score
from opportunities.scoring.services import save_score
from tests.factories import CriterionFactory, OpportunityFactory, UserFactory
from tests.friends.owner_helpers import answer, make_link, make_round

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}


def no_sideways_overflow(page: Page, what: str) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{what} overflows sideways: {widths[0]}px in {widths[1]}px"


def test_from_the_opportunity_to_a_link_copied_with_one_click(live_server, page, login, user):
    role = OpportunityFactory(owner=user, title="Agency role")
    login(user)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}{role.get_absolute_url()}")
    page.get_by_role("link", name="Ask friends").click()
    expect(page.get_by_role("heading", name="Ask friends")).to_be_visible()
    expect(page.get_by_label("The pay")).not_to_be_checked()
    expect(page.get_by_label("My own scores, once they have answered")).not_to_be_checked()
    page.get_by_label("A note to your friends (optional)").fill("Which would you take?")
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_text("Round started.")).to_be_visible()

    page.get_by_label("Their name").fill("Ana")
    page.get_by_role("button", name="Make the link").click()
    field = page.get_by_test_id("issued-link")
    expect(field).to_be_visible()
    link = field.input_value()
    assert link.startswith("http://127.0.0.1:8000/f/")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    assert FriendInvitation.objects.get().name == "Ana"


def test_without_javascript_the_link_is_there_to_select(live_server, browser, user, password):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    friend_round = make_round(user, OpportunityFactory(owner=user))
    page.goto(f"{live_server.url}/friends/{friend_round.pk}/")
    page.get_by_label("Their name").fill("Ben")
    page.get_by_label("Works for (days)").fill("3")
    page.get_by_role("button", name="Make the link").click()
    field = page.get_by_test_id("issued-link")
    expect(field).to_be_visible()
    expect(page.get_by_role("button", name="Copy")).to_be_hidden()
    assert "/f/" in field.input_value()
    context.close()


@pytest.fixture
def answered(db):
    """A round whose three friends scored the agency role's Growth 2, 3 and 4 (the owner
    gave 9), with a status quo it then falls below."""
    owner = UserFactory()
    growth = CriterionFactory(owner=owner, name="Growth", weight=8)
    agency = OpportunityFactory(owner=owner, title="Agency role")
    stay = OpportunityFactory(owner=owner, title="Stay as I am", is_status_quo=True)
    save_score(opportunity=agency, criterion=growth, value=9)
    save_score(opportunity=stay, criterion=growth, value=5)
    friend_round = make_round(owner, agency)
    for name, value in (("Ana", 2), ("Ben", 3), ("Cleo", 4)):
        link, _ = make_link(friend_round, name)
        answer(link, agency, {growth: value}, comments={growth: f"{name} thinks so"})
    return owner, friend_round, agency, growth


def test_use_friends_score_swaps_its_row_in_place(live_server, page, login, answered):
    owner, friend_round, agency, growth = answered
    login(owner)
    page.goto(f"{live_server.url}/friends/{friend_round.pk}/")
    row = page.locator(f"#result-{agency.pk}-{growth.pk}")
    expect(row).to_contain_text("You 9 · friends 3 (2–4), 3 answers")
    expect(row.get_by_test_id("outside-range")).to_be_visible()
    change = page.get_by_test_id("all-at-once")
    expect(change).to_have_text("With your friends' scores, Agency role falls below Stay as I am.")
    page.evaluate("() => { window.notReloaded = true; }")
    row.get_by_role("button", name="Use friends' 3").click()
    expect(row).to_contain_text("You 3 · friends 3 (2–4), 3 answers")
    expect(row).to_contain_text("✓ Yours is theirs")
    expect(change).to_have_text("With your friends' scores, the order stays as it is.")
    expect(page.locator("#toasts")).to_contain_text("Growth is now 3, your friends' score")
    assert page.evaluate("() => window.notReloaded") is True
    score = Score.objects.get(evaluation__opportunity=agency, evaluation__frozen_at=None)
    assert score.value == 3


def test_the_owners_pages_fit_a_phone_and_the_menu_has_friends(live_server, page, login, answered):
    owner, friend_round, agency, _ = answered
    page.set_viewport_size(PHONE)
    login(owner)
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Show navigation").click()
    page.get_by_role("link", name="Friends", exact=True).click()
    expect(page.get_by_role("heading", name="Friends' view")).to_be_visible()
    no_sideways_overflow(page, "the list of rounds")
    for path, what in (
        (f"/friends/{friend_round.pk}/", "a round"),
        (f"/friends/new/?opportunity={agency.pk}", "a new round"),
        ("/friends/new/", "choosing what to ask about"),
        (f"/friends/{friend_round.pk}/delete/", "deleting a round"),
        (agency.get_absolute_url(), "the opportunity with its friends' view"),
    ):
        page.goto(f"{live_server.url}{path}")
        no_sideways_overflow(page, what)
    page.goto(f"{live_server.url}/friends/{friend_round.pk}/")
    page.get_by_label("Their name").fill("A" * 120)
    page.get_by_label("Their email (optional)").fill("someone.with.a.long.address@example.org")
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_test_id("issued-link")).to_be_visible()
    no_sideways_overflow(page, "a round with a link just made")


@pytest.mark.parametrize("width", [768, 991, 992, 1280])
def test_the_menu_with_friends_fits_folded_or_on_one_line(live_server, page, login, user, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(user)
    if width < 992:
        page.get_by_role("button", name="Show navigation").click()
        expect(page.get_by_role("link", name="Friends", exact=True)).to_be_visible()
        no_sideways_overflow(page, f"the dashboard at {width}px")
        return
    nav = page.locator("#nav-links")
    tops = nav.locator(".nav-link").evaluate_all(
        "links => links.map(link => Math.round(link.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, f"the menu wraps at {width}px: {tops}"
    no_sideways_overflow(page, f"the dashboard at {width}px")
