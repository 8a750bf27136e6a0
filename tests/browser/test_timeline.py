"""The story of an opportunity in Chromium: added to in place without a reload, refused
in place with what was typed kept, by keyboard alone, without JavaScript, read in full
on its own page and in order on a decision's page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities.journal.services import record_decision
from opportunities.models import Decision, DecisionChoice, Person, TimelineEntry
from opportunities.scoring.services import save_score
from opportunities.timeline.services import add_entry
from tests.browser.test_accessibility import Scan

pytestmark = pytest.mark.django_db(transaction=True)


def _story(page):
    return page.locator("#story-entries")


def test_an_entry_is_added_in_place_and_a_bad_day_is_refused_in_place(
    live_server, page, login, user, opportunity
):
    ana = Person.objects.create(owner=user, name="Ana Ribeiro")
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    expect(_story(page).get_by_test_id("story-entry")).to_have_count(1)  # "Added as lead"

    page.get_by_role("link", name="Add to the story").click()
    form = page.locator("form#story-add")
    expect(form).to_be_visible()
    form.get_by_label("What it was").select_option(label="Conversation")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form.get_by_label("When").fill(tomorrow.isoformat())
    form.get_by_label("In a few words").fill("Informational interview with Ana")
    form.get_by_label("With whom").select_option(label="Ana Ribeiro")
    form.get_by_label("More about it").fill("A part-time role might open in spring.")
    form.get_by_role("button", name="Add to the story").click()

    # Refused in place, everything typed still there.
    expect(form.get_by_text("That day is still to come")).to_be_visible()
    expect(form.get_by_label("In a few words")).to_have_value("Informational interview with Ana")
    expect(form.get_by_label("With whom")).to_have_value(str(ana.pk))
    # htmx wires up swapped-in content as it settles; a click before that would send the
    # form without htmx (a full page, which works, but not what this test is about).
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-added')")
    form.get_by_label("When").fill("2025-11-12")
    form.get_by_role("button", name="Add to the story").click()

    # In the story, without a reload; the button is back in place of the form.
    expect(page.get_by_text("“Informational interview with Ana” is in the story.")).to_be_visible()
    entries = _story(page).get_by_test_id("story-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(1)).to_contain_text("12 Nov 2025")
    expect(entries.nth(1)).to_contain_text("Informational interview with Ana with Ana Ribeiro")
    expect(page.locator("form#story-add")).to_have_count(0)
    expect(page.get_by_role("link", name="Add to the story")).to_be_visible()
    assert page.evaluate("() => window.stillTheSamePage") is True
    entry = TimelineEntry.objects.get(kind="conversation")
    assert (entry.happened_on, entry.person_id) == (dt.date(2025, 11, 12), ana.pk)

    # Today's note goes on top, newest first.
    page.get_by_role("link", name="Add to the story").click()
    page.locator("form#story-add").get_by_label("In a few words").fill("The mention")
    page.locator("form#story-add").get_by_role("button", name="Add to the story").click()
    expect(entries).to_have_count(3)
    expect(entries.first).to_contain_text("The mention")


def test_the_story_is_added_to_with_the_keyboard_alone(live_server, page, login, user, opportunity):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    add = page.get_by_role("link", name="Add to the story")
    add.focus()
    page.keyboard.press("Enter")
    kind = page.locator("form#story-add").get_by_label("What it was")
    expect(kind).to_be_focused()  # the form takes the focus it opened with
    title = page.locator("form#story-add").get_by_label("In a few words")
    for _ in range(6):  # the date input takes a Tab per part (day, month, year)
        page.keyboard.press("Tab")
        if title.evaluate("(element) => element === document.activeElement"):
            break
    expect(title).to_be_focused()
    page.keyboard.type("Thought it over on a walk")
    page.keyboard.press("Enter")
    expect(_story(page).get_by_test_id("story-entry").first).to_contain_text(
        "Thought it over on a walk"
    )
    # The focus is back on the button, ready for the next one.
    expect(page.get_by_role("link", name="Add to the story")).to_be_focused()


def test_the_open_form_and_the_story_pass_axe(live_server, page, login, user, opportunity):
    add_entry(
        opportunity=opportunity,
        entry=TimelineEntry(kind="meeting", title="The interview", body="Went well. " * 60),
    )
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    page.get_by_role("link", name="Add to the story").click()
    expect(page.locator("form#story-add")).to_be_visible()
    # A long entry reads in full on demand.
    more = _story(page).locator("details.story-more")
    expect(more.get_by_text("Show less")).to_be_hidden()
    more.get_by_text("Read all").click()
    expect(more.locator(".story-body")).to_be_visible()
    scan = Scan(page)
    scan.check("opportunity page with the story form open")
    assert scan.violations == [], scan.violations


def test_the_story_works_without_javascript(live_server, browser, user, opportunity, password):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
        page.get_by_role("link", name="Add to the story").click()
        expect(page).to_have_url(re.compile(r"/story/add/$"))
        page.get_by_label("What it was").select_option(label="Meeting or interview")
        page.get_by_label("When").fill("2026-01-20")
        page.get_by_label("In a few words").fill("The interview")
        page.get_by_role("button", name="Add to the story").click()
        expect(page).to_have_url(re.compile(rf"/opportunities/{opportunity.pk}/(#story)?$"))
        expect(page.locator("#story-entries")).to_contain_text("The interview")

        # Edit it, then delete it after confirming.
        page.get_by_role("link", name="Edit “The interview”").click()
        page.get_by_label("In a few words").fill("The interview, second round")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#story-entries")).to_contain_text("The interview, second round")
        page.get_by_role("link", name="Delete “The interview, second round”").click()
        expect(page.get_by_role("heading", name=re.compile("Delete"))).to_be_visible()
        page.get_by_role("button", name="Delete it").click()
        expect(page.locator("#story-entries")).not_to_contain_text("second round")
    finally:
        context.close()


def test_a_decision_reads_its_story_in_order(live_server, page, login, user, opportunity, criteria):
    save_score(opportunity=opportunity, criterion=criteria[0], value=8)
    for day, kind, title in [
        (dt.date(2025, 11, 12), "conversation", "Informational interview"),
        (dt.date(2026, 2, 10), "message", "Invited to interview"),
        (dt.date(2026, 3, 2), "reflection", "What I learned"),
    ]:
        add_entry(
            opportunity=opportunity,
            entry=TimelineEntry(kind=kind, happened_on=day, title=title),
        )
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice=DecisionChoice.ACCEPT, decided_on=dt.date(2026, 2, 24)),
    )
    login(user)
    page.goto(f"{live_server.url}/journal/{decision.pk}/")
    story = page.get_by_test_id("decision-story")
    before = story.get_by_test_id("story-before").get_by_test_id("story-entry")
    expect(before).to_have_text(
        [
            re.compile("Informational interview"),
            re.compile("Invited to interview"),
            re.compile("Decided to accept"),
            re.compile("Moved to accepted"),
        ]
    )
    expect(before.nth(2)).to_contain_text("This decision")
    after = story.get_by_test_id("story-after").get_by_test_id("story-entry")
    expect(after.first).to_contain_text("What I learned")
