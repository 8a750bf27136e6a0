"""People and lineage in Chromium: someone added, named on an opportunity as where it came
from and one of its people, the link shown both ways and as a chain on the dashboard; a
follow-up that came due checked off the dashboard with the keyboard."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities.models import Opportunity, Person
from tests.factories import OpportunityFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_role_that_came_through_ana_reads_back_both_ways(live_server, page, login, user):
    interview = OpportunityFactory(owner=user, title="Informational interview", stage="lead")
    login(user)

    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_text("No one here yet")).to_be_visible()
    page.get_by_role("link", name="Add the first person").click()
    page.get_by_label("Name").fill("Ana Ribeiro")
    page.get_by_label("Relationship").select_option(label="Contact at a company")
    page.get_by_label("Notes (optional)").fill("Founder of Northwind; met in November.")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("main h1")).to_have_text("Ana Ribeiro")
    ana = Person.objects.get(owner=user)

    page.goto(f"{live_server.url}/opportunities/{interview.pk}/edit/")
    page.get_by_label("Arose from a person").select_option(label="Ana Ribeiro")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_test_id("arose-from")).to_contain_text("Ana Ribeiro")

    page.goto(f"{live_server.url}/opportunities/new/")
    page.get_by_label("Title or role").fill("Part-time content strategist")
    page.locator("#id_schedule").select_option(label="Part-time")
    page.get_by_label("Hours per week").fill("24")
    page.get_by_label("Ana Ribeiro").check()
    page.get_by_label("Arose from another opportunity").select_option(label=str(interview))
    page.get_by_role("button", name="Add opportunity").click()
    expect(page.locator("main h1")).to_contain_text("Part-time content strategist")
    role = Opportunity.objects.get(owner=user, title="Part-time content strategist")
    assert list(role.contacts.all()) == [ana]

    lineage = page.get_by_test_id("lineage")
    expect(lineage.get_by_test_id("contacts")).to_contain_text("Ana Ribeiro")
    lineage.get_by_test_id("arose-from").get_by_role("link", name=str(interview)).click()
    expect(page.locator("main h1")).to_contain_text("Informational interview")
    expect(page.get_by_test_id("led-to")).to_contain_text("Part-time content strategist")

    page.get_by_test_id("arose-from").get_by_role("link", name="Ana Ribeiro").click()
    expect(page.locator("main h1")).to_have_text("Ana Ribeiro")
    expect(page.get_by_test_id("person-led-to")).to_contain_text("Informational interview")
    listed = page.get_by_test_id("person-opportunities")
    expect(listed.get_by_role("listitem").filter(has_text="Part-time")).to_contain_text("a contact")
    expect(listed.get_by_role("listitem").filter(has_text="Informational")).to_contain_text(
        "it arose from them"
    )

    page.goto(f"{live_server.url}/")
    card = page.get_by_test_id("opportunity-card").filter(has_text="Part-time content strategist")
    origin = card.get_by_test_id("origin")
    expect(origin).to_contain_text("from Informational interview")
    expect(origin.get_by_role("link", name="Ana Ribeiro")).to_be_visible()


def test_a_due_follow_up_is_checked_off_the_dashboard_with_the_keyboard(
    live_server, page, login, user
):
    today = timezone.localdate()
    PersonFactory(owner=user, name="Ana", follow_up_on=today - dt.timedelta(days=1))
    OpportunityFactory(owner=user, title="Studio role", follow_up_on=today)
    login(user)

    follow_ups = page.get_by_test_id("follow-up")
    expect(follow_ups).to_have_count(2)
    expect(follow_ups.first).to_contain_text("Check in with Ana")
    done = page.get_by_role("button", name="Done: checked in with Ana")
    done.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Checked in with Ana: the follow-up is done.")).to_be_visible()
    expect(follow_ups).to_have_count(1)
    expect(follow_ups.first).to_contain_text("Follow up on Studio role")
    assert Person.objects.get(owner=user).follow_up_on is None

    page.reload()
    expect(page.get_by_test_id("follow-up")).to_have_count(1)
