"""What a person sees while the app works: a progress bar on slow requests, buttons that
cannot be pressed twice, toasts that come and go, and a clear message with a retry when the
server cannot be reached."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from opportunities.models import Opportunity, Score

pytestmark = pytest.mark.django_db(transaction=True)


class HeldRequests:
    """Requests caught by ``page.route`` and held until the test lets them go."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def __call__(self, route: Route) -> None:
        self.routes.append(route)

    def release(self) -> None:
        while self.routes:
            self.routes.pop(0).continue_()


def test_slow_slider_save_shows_progress_and_a_failed_one_offers_a_retry(
    live_server, page, login, user, opportunity
):
    login(user)
    # A failed request is logged by Chromium as a console error, which the suite treats as
    # a failure: this test drives a second tab of the same session, where failing is the point.
    tab: Page = page.context.new_page()
    tab.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    saves = re.compile(r".*/opportunities/\d+/scores/\d+/$")

    held = HeldRequests()
    tab.route(saves, held)
    tab.get_by_label("Values fit score, 0 to 10").fill("7")
    expect(tab.locator("#request-progress")).to_be_visible()
    held.release()
    expect(tab.locator("#request-progress")).to_be_hidden()
    expect(tab.get_by_test_id("coverage")).to_have_text("1 of 7 scored")
    tab.unroute(saves)

    tab.route(saves, lambda route: route.abort("connectionrefused"))
    tab.get_by_label("Gut feeling score, 0 to 10").fill("3")
    banner = tab.locator("#connection-error")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Could not reach Crossroads")
    expect(tab.get_by_label("Gut feeling score (0–10, empty for not scored)")).to_have_value("3")
    assert not Score.objects.filter(criterion__name="Gut feeling", value=3).exists()

    tab.unroute(saves)
    banner.get_by_role("button", name="Retry").click()
    expect(banner).to_be_hidden()
    expect(tab.get_by_test_id("coverage")).to_have_text("2 of 7 scored")
    assert Score.objects.filter(criterion__name="Gut feeling", value=3).exists()
    tab.close()


def test_a_plain_form_cannot_be_sent_twice_and_its_toast_fades(live_server, page, login, user):
    login(user)
    page.goto(f"{live_server.url}/opportunities/new/")
    # A 204 answer leaves the browser on the page, as a slow server would for a while.
    create = re.compile(r".*/opportunities/new/$")
    page.route(
        create,
        lambda route: (
            route.fulfill(status=204) if route.request.method == "POST" else route.continue_()
        ),
    )
    page.get_by_label("Title or role").fill("Studio lead")
    button = page.get_by_role("button", name="Add opportunity")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-busy", "true")
    page.unroute(create)

    # The page's own clock, installed before the page that shows the toast loads, so its
    # six seconds pass at once instead of in real time.
    page.clock.install()
    page.reload()
    page.get_by_label("Title or role").fill("Studio lead")
    page.get_by_role("button", name="Add opportunity").click()
    toast = page.locator("#toasts .alert-success")
    expect(toast).to_contain_text("“Studio lead” added")
    page.wait_for_load_state("domcontentloaded")  # the page's script has timed the toast
    page.clock.run_for(5_000)
    expect(toast).to_be_visible()
    page.clock.run_for(1_000)
    expect(toast).to_be_hidden()
    assert Opportunity.objects.filter(owner=user, title="Studio lead").count() == 1


def test_error_toasts_stay_until_dismissed(live_server, page, login, user, opportunity):
    login(user)
    page.clock.install()
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    page.evaluate(
        """() => {
          for (const [kind, text] of [["danger", "Something needs your attention"],
                                      ["success", "Saved"]]) {
            const toast = document.createElement("div");
            toast.className = `alert alert-${kind} alert-dismissible`;
            toast.textContent = text;
            document.getElementById("toasts").append(toast);
          }
          document.dispatchEvent(new Event("htmx:afterSettle"));
        }"""
    )
    page.clock.run_for(7_000)
    # The confirmation beside it is gone, so the seven seconds did pass on the page.
    expect(page.locator("#toasts .alert-success")).to_have_count(0)
    expect(page.locator("#toasts .alert-danger")).to_be_visible()
