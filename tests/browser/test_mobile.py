"""Every main page at phone width (375 px) and desktop width (1280 px): nothing may
overflow sideways, and each page is photographed.

Screenshots go to ``test-results/screenshots/<width>/`` (ignored by git). The README's
pictures are four of them: ``make screenshots`` runs this module with
``CROSSROADS_README_SCREENSHOTS=1``, which also writes those to ``docs/screenshots/``, so
they are retaken from the current pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opportunities.models import FriendInvitation
from tests.browser.scenes import Scene, build_scene
from tests.friends.test_friend_page import make_link, page_url

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path("test-results/screenshots")
README_SCREENSHOTS = Path("docs/screenshots")
# The pictures in the README: eight pages, each at desktop width and on a phone.
README_PAGES = (
    "dashboard",
    "scoring",
    "compare",
    "journal",
    "story",
    "person",
    "friends-round",
    "friend-page",
)
README_SHOTS = {(width, name) for width in (1280, 375) for name in README_PAGES}


def main_pages(scene: Scene) -> dict[str, str]:
    strategist = scene.strategist.pk
    return {
        "dashboard": "/",
        "scoring": f"/opportunities/{strategist}/",
        "status-quo": f"/opportunities/{scene.status_quo.pk}/",
        "add-opportunity": "/opportunities/new/",
        "edit-opportunity": f"/opportunities/{strategist}/edit/",
        "pay": f"/opportunities/{strategist}/pay/",
        "pay-settings": "/settings/pay/",
        "compare": f"/compare/?ids={scene.ids}",
        "compare-empty": "/compare/",
        "criteria": "/criteria/",
        "criteria-edit": f"/criteria/?edit={scene.commute.pk}",
        "swing": f"/weights/swing/?ids={scene.ids}",
        "pay-curve": f"/criteria/{scene.pay_criterion.pk}/curve/",
        "commute-curve": f"/criteria/{scene.commute.pk}/curve/",
        "journal": "/journal/",
        "decision": f"/journal/{scene.decision.pk}/",
        "record-decision": f"/opportunities/{strategist}/decide/",
        "outcome": f"/journal/{scene.decision.pk}/outcome/",
        "commit-step": f"/journal/{scene.decision.pk}/commit/",
        "check-in": f"/journal/{scene.decision.pk}/check-ins/{scene.check_in.pk}/",
        "checkpoint": f"/opportunities/{strategist}/checkpoints/{scene.checkpoint.pk}/",
        "priorities": "/journal/priorities/",
        "judgement": "/journal/judgement/",
        "story": f"/opportunities/{strategist}/story/",
        "add-to-story": f"/opportunities/{strategist}/story/add/",
        "edit-story-entry": f"/opportunities/{strategist}/story/{scene.entry.pk}/edit/",
        "delete-story-entry": f"/opportunities/{strategist}/story/{scene.entry.pk}/delete/",
        "answer-question": f"/opportunities/{strategist}/questions/{scene.question.pk}/answer/",
        "delete-question": f"/opportunities/{strategist}/questions/{scene.question.pk}/delete/",
        "people": "/people/",
        "person": f"/people/{scene.person.pk}/",
        "add-person": "/people/new/",
        "friends": "/friends/",
        "ask-friends": f"/friends/new/?opportunity={strategist}",
        "friends-round": f"/friends/{scene.friend_round.pk}/",
        "delete-friends-round": f"/friends/{scene.friend_round.pk}/delete/",
        "account": "/account/",
        "calendar-settings": "/settings/calendar/",
        "help": "/help/",
    }


def assert_fits(page: Page, name: str) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{name} overflows sideways: {widths[0]}px in {widths[1]}px"


def shoot(page: Page, width: int, name: str) -> Path:
    folder = SCREENSHOTS / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    if (width, name) in README_SHOTS and os.environ.get("CROSSROADS_README_SCREENSHOTS") == "1":
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(README_SCREENSHOTS / f"{name}-{width}.png"),
            full_page=width < 1000,
            animations="disabled",
        )
    return path


@pytest.fixture
def scene(db) -> Scene:
    return build_scene()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_every_main_page_fits_the_screen(live_server, page, login, scene, viewport, capsys):
    page.set_viewport_size(viewport)
    login(scene.user)
    pages = main_pages(scene)
    for name, path in pages.items():
        page.goto(live_server.url + path)
        expect(page.locator("main h1").first).to_be_visible()
        assert_fits(page, name)
        shoot(page, viewport["width"], name)
    with capsys.disabled():
        print(
            f"\n{viewport['width']}px: {len(pages)} logged-in pages fit, "
            f"screenshots in {SCREENSHOTS / str(viewport['width'])}/"
        )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_logged_out_pages_fit_the_screen(live_server, page, viewport):
    page.set_viewport_size(viewport)
    for name, path in {"login": "/accounts/login/", "signup": "/accounts/signup/"}.items():
        page.goto(live_server.url + path)
        assert_fits(page, name)
        shoot(page, viewport["width"], name)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_the_friends_page_fits_the_screen_in_every_state(live_server, page, scene, viewport):
    """A friend's link, opened with no account: the page, the thank-you state with the
    owner's scores, and a withdrawn link's page (in a second tab, as its 410 status is a
    console error); on a phone every control of a rating row is thumb-sized."""
    page.set_viewport_size(viewport)
    _, token = make_link(
        scene.user,
        scene.strategist,
        scene.status_quo,
        message="Which would you pick?",
        share_pay=True,
        share_scores=True,
    )
    page.goto(live_server.url + page_url(token))
    expect(page.locator("main h1")).to_be_visible()
    assert_fits(page, "friend-page")
    shoot(page, viewport["width"], "friend-page")
    if viewport is PHONE:
        row = page.get_by_test_id("friend-row").first
        for control in (
            row.locator("[data-friend-range]"),
            row.locator("[data-friend-number]"),
            row.locator("[data-friend-clear]"),
            row.get_by_label("I can't say"),
        ):
            box = control.bounding_box()
            assert max(box["height"], box["width"]) >= 24, control
        assert row.locator("[data-friend-number]").bounding_box()["height"] >= 44
    page.locator("[data-friend-number]").first.fill("7")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_test_id("owner-score").first).to_be_visible()
    assert_fits(page, "friend-page-answered")
    shoot(page, viewport["width"], "friend-page-answered")

    withdrawn, withdrawn_token = make_link(scene.user, scene.strategist, name="Ana")
    FriendInvitation.objects.filter(pk=withdrawn.pk).update(revoked_at=timezone.now())
    other = page.context.new_page()
    try:
        other.set_viewport_size(viewport)
        other.goto(live_server.url + page_url(withdrawn_token))
        expect(other.get_by_role("heading", name="This link was withdrawn")).to_be_visible()
        assert_fits(other, "friend-link-withdrawn")
        shoot(other, viewport["width"], "friend-link-withdrawn")
    finally:
        other.close()


def test_on_a_phone_the_matrix_scrolls_in_its_own_box_and_sliders_are_thumb_sized(
    live_server, page, login, scene
):
    page.set_viewport_size(PHONE)
    login(scene.user)
    page.goto(f"{live_server.url}/compare/?ids={scene.ids}")
    box = page.locator(".compare-scroll")
    expect(box).to_be_visible()
    sizes = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1], "the matrix should scroll inside its box at 375 px"
    assert_fits(page, "compare")

    page.goto(f"{live_server.url}/opportunities/{scene.strategist.pk}/")
    slider = page.get_by_label("Values fit score, 0 to 10")
    number = page.get_by_label("Values fit score (0–10, empty for not scored)")
    for control in (slider, number, page.get_by_role("button", name="Clear the Values fit score")):
        assert control.bounding_box()["height"] >= 44
    # A phone shows at least two whole scoring rows on one screen.
    rows = page.locator(".score-row")
    assert rows.nth(0).bounding_box()["height"] * 2 < PHONE["height"]


def test_on_a_phone_the_dashboard_shows_each_opportunity_as_a_card_with_its_score(
    live_server, page, login, scene
):
    """Nothing scrolls sideways, not even inside a box: each opportunity's title, decision
    score, coverage, must-haves and comparable pay are on screen, whole."""
    page.set_viewport_size(PHONE)
    login(scene.user)
    page.goto(f"{live_server.url}/")
    assert_fits(page, "dashboard")
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll("main *")]
            .filter(el => el.scrollWidth > el.clientWidth + 1
                && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
            .map(el => el.className)"""
    )
    assert scrolling == [], f"these scroll sideways at 375 px: {scrolling}"
    cards = page.get_by_test_id("opportunity-card")
    expect(cards).to_have_count(3)
    for index in range(3):
        card = cards.nth(index)
        for part in (
            "opportunity-title",
            "decision-score",
            "coverage",
            "must-haves",
            "dashboard-pay",
        ):
            shown = card.get_by_test_id(part)
            expect(shown).to_be_visible()
            box = shown.bounding_box()
            assert box["x"] >= 0, part
            assert box["x"] + box["width"] <= PHONE["width"], f"{part} runs off the screen"
            assert shown.evaluate("el => el.scrollWidth <= el.clientWidth"), f"{part} is cut"
    labels = cards.first.get_by_test_id("decision-score").evaluate(
        "el => getComputedStyle(el, '::before').content"
    )
    assert labels == '"Decision score"'
    # The column headings are only for screen readers: each card labels its own figures.
    assert page.locator(".opportunity-table thead").bounding_box()["height"] <= 1

    page.set_viewport_size(DESKTOP)  # a table again, with its column headings
    expect(page.get_by_role("columnheader", name="Decision score")).to_be_visible()
