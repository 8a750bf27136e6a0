"""Adding an opportunity in Chromium: sending the form again (Back, then submit) adds
nothing twice, and a schedule that contradicts its hours is refused with the form kept."""

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity

pytestmark = pytest.mark.django_db(transaction=True)


def test_back_and_submit_again_does_not_add_the_opportunity_twice(live_server, page, login, user):
    login(user)
    page.goto(f"{live_server.url}/opportunities/new/")
    page.get_by_label("Title or role").fill("Part-time content strategist")
    page.locator("#id_schedule").select_option(label="Part-time")
    page.get_by_label("Hours per week").fill("24")
    page.get_by_role("button", name="Add opportunity").click()
    expect(page.locator("main h1")).to_contain_text("Part-time content strategist")
    first = Opportunity.objects.get(owner=user)

    page.go_back()
    expect(page.get_by_label("Title or role")).to_have_value("Part-time content strategist")
    page.get_by_role("button", name="Add opportunity").click()
    page.wait_for_url(f"{live_server.url}/opportunities/{first.pk}/")
    expect(page.get_by_text("was already saved from this form")).to_be_visible()
    assert Opportunity.objects.filter(owner=user).count() == 1


def test_full_time_at_20_hours_asks_whether_it_is_part_time(live_server, page, login, user):
    login(user)
    page.goto(f"{live_server.url}/opportunities/new/")
    page.get_by_label("Title or role").fill("Return to freelancing")
    page.get_by_label("Hours per week").fill("20")
    page.get_by_role("button", name="Add opportunity").click()

    expect(page.get_by_text("Full-time at 20 h a week? Did you mean part-time?")).to_be_visible()
    expect(page.get_by_label("Title or role")).to_have_value("Return to freelancing")
    expect(page.get_by_label("Hours per week")).to_have_value("20")
    assert not Opportunity.objects.exists()

    page.locator("#id_schedule").select_option(label="Part-time")
    page.get_by_role("button", name="Add opportunity").click()
    expect(page.locator("main h1")).to_contain_text("Return to freelancing")
    assert Opportunity.objects.get().schedule == "part_time"
