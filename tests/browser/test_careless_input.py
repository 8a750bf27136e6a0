"""Careless input on the scoring panel and in number boxes: nothing is lost, and it says why."""

import base64
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opportunities.models import Criterion, Opportunity, Score
from opportunities.scoring.services import save_score

pytestmark = pytest.mark.django_db(transaction=True)

NUMBER = "{name} score (0–10, empty for not scored)"


# Counts the pixels of a PNG close to the slider thumb's colour (--cr-accent, #2f5d62), in
# the page itself: the thumb is a pseudo-element that getComputedStyle cannot see.
ACCENT_PIXELS = """async (b64) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (Math.abs(r - 47) < 25 && Math.abs(g - 93) < 25 && Math.abs(b - 98) < 25) count++;
  }
  return count;
}"""


def _thumb_pixels(page, slider) -> int:
    page.mouse.move(0, 0)
    png = base64.b64encode(slider.screenshot()).decode()
    return page.evaluate(ACCENT_PIXELS, png)


def _score(opportunity, name):
    return Score.objects.get(evaluation__opportunity=opportunity, criterion__name=name)


def test_letters_over_a_score_keep_the_score_and_say_it_is_not_a_number(
    live_server, page, login, user, opportunity
):
    growth = Criterion.objects.get(owner=user, name="Personal growth")
    save_score(opportunity=opportunity, criterion=growth, value=7, note="")
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.method == "POST" else None)

    number = page.get_by_label(NUMBER.format(name="Personal growth"))
    number.select_text()
    number.press_sequentially("abc")
    number.press("Tab")

    row = page.locator(".score-row", has=number)
    expect(row.get_by_role("alert")).to_contain_text("“c” is not a number, so it was not typed")
    expect(number).to_have_value("7")
    expect(number).to_have_attribute("aria-invalid", "true")
    expect(row.get_by_text("✓ Saved")).to_have_count(0)
    expect(page.get_by_test_id("decision-score")).not_to_contain_text("–")
    page.wait_for_timeout(400)  # longer than any save's debounce
    assert requests == []
    assert _score(opportunity, "Personal growth").value == 7

    # Where a browser does let an unreadable number in (other browsers, an input method:
    # text inserted without key presses), it reads as empty: that is not a cleared score
    # either, and nothing is sent.
    number.select_text()
    page.keyboard.insert_text("7e")
    number.press("Tab")
    expect(row.get_by_role("alert")).to_contain_text("That is not a number")
    page.wait_for_timeout(400)
    assert requests == []
    assert _score(opportunity, "Personal growth").value == 7

    number.fill("8")  # corrected: the message goes and the score saves
    expect(row.get_by_text("✓ Saved")).to_be_visible()
    expect(row.get_by_role("alert")).to_have_count(0)
    assert _score(opportunity, "Personal growth").value == 8

    page.reload()
    expect(page.get_by_label(NUMBER.format(name="Personal growth"))).to_have_value("8")


def test_letters_in_a_plain_forms_number_box_stop_it_from_clearing_the_field(
    live_server, page, login, user
):
    opportunity = Opportunity.objects.create(
        owner=user, title="Part-time strategist", schedule="part_time", hours_per_week=20
    )
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/edit/")
    hours = page.get_by_label("Hours per week")
    hours.select_text()
    hours.press_sequentially("twenty")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("That is not a number")).to_be_visible()
    assert page.url.endswith("/edit/")
    opportunity.refresh_from_db()
    assert opportunity.hours_per_week == 20


def test_a_pasted_note_over_the_limit_is_counted_refused_and_kept(
    live_server, page, login, user, opportunity
):
    growth = Criterion.objects.get(owner=user, name="Personal growth")
    save_score(opportunity=opportunity, criterion=growth, value=6, note="before")
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    row = page.locator(".score-row", has=page.get_by_label(NUMBER.format(name="Personal growth")))
    note = row.get_by_label("Note")
    text = ("a thought worth keeping " * 22)[:519]
    note.fill(text)
    note.press("Tab")

    expect(row.locator(".char-count")).to_contain_text("519 / 500 characters: 19 too many")
    expect(row.get_by_role("alert")).to_contain_text("Not saved: Keep the note to 500 characters")
    expect(note).to_have_value(text)
    assert _score(opportunity, "Personal growth").note == "before"

    note.fill(text[:480])
    expect(row.get_by_text("✓ Saved")).to_be_visible()
    expect(row.locator(".char-count")).to_have_text("480 / 500 characters")
    assert _score(opportunity, "Personal growth").note == text[:480].strip()


def test_an_unscored_slider_says_not_scored_and_hides_its_thumb(
    live_server, page, login, user, opportunity
):
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    slider = page.get_by_label("Personal growth score, 0 to 10")
    row = page.locator(".score-row", has=slider)
    expect(row.get_by_test_id("not-scored")).to_be_visible()
    expect(slider).to_have_attribute("aria-valuetext", "not scored")
    assert _thumb_pixels(page, slider) == 0

    slider.fill("5")  # a real 5 now: the thumb shows and the words go
    expect(row.get_by_text("✓ Saved")).to_be_visible()
    expect(row.get_by_test_id("not-scored")).to_be_hidden()
    page.locator("h1").click()  # away from the slider, so focus does not show the thumb
    assert _thumb_pixels(page, slider) > 50
    expect(slider).to_have_attribute("aria-valuetext", "5 of 10")

    row.get_by_role("button", name="Clear the Personal growth score").click()
    expect(row.get_by_test_id("not-scored")).to_be_visible()
    expect(slider).to_have_attribute("aria-valuetext", "not scored")


def test_without_javascript_the_panel_speaks_of_typing_and_saving_all(
    live_server, browser, user, opportunity, password
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")

    expect(page.get_by_text("Save all scores at the bottom when you are done.")).to_be_visible()
    expect(page.get_by_text("Each change is saved as soon as you make it.")).to_be_hidden()
    expect(page.get_by_text("Move a slider to start scoring.")).to_be_hidden()
    expect(page.get_by_test_id("not-scored").first).to_be_visible()
    context.close()


def test_a_score_cards_title_sits_inside_its_border(live_server, page, login, user, opportunity):
    """A fieldset draws its top border through a "rendered legend" (one that does not
    float), which broke the card's border behind every criterion's name."""
    login(user)
    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    legend = page.locator(".score-row legend").first
    assert legend.evaluate("el => getComputedStyle(el).float") == "left"
    row_box = page.locator(".score-row").first.bounding_box()
    legend_box = legend.bounding_box()
    assert legend_box["y"] > row_box["y"] + 8  # below the border and padding, not on it


def test_a_date_typed_halfway_does_not_clear_the_date_saved(live_server, page, login, user):
    from opportunities.journal.services import record_decision
    from opportunities.models import Decision
    from tests.factories import OpportunityFactory

    opportunity = OpportunityFactory(owner=user)
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice="pursue", decided_on=timezone.localdate(), confidence=60),
    )
    revisit = timezone.localdate() + dt.timedelta(days=30)
    Decision.objects.filter(pk=decision.pk).update(revisit_on=revisit)
    login(user)
    page.goto(f"{live_server.url}/journal/{decision.pk}/outcome/")
    box = page.get_by_label("Revisit on")
    box.click()
    page.keyboard.press("Backspace")  # one part of the date gone: the browser reads it as empty
    assert box.evaluate("el => el.validity.badInput")
    page.get_by_role("button", name="Save to the journal").click()

    expect(page.get_by_text("That is not a whole date")).to_be_visible()
    decision.refresh_from_db()
    assert decision.revisit_on == revisit
