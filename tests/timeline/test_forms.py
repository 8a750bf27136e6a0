"""The entry form: a day that happened, a kind written by hand, one's own people, and
words within their limits, with every refusal said and the input kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.models import EntryKind, Person, TimelineEntry
from opportunities.scoring.forms import CheckpointForm
from opportunities.timeline.forms import EntryForm
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def data(**overrides) -> dict:
    return {
        "kind": "note",
        "happened_on": timezone.localdate().isoformat(),
        "title": "The mention on social media",
        "person": "",
        "body": "",
    } | overrides


def test_a_valid_entry(user):
    form = EntryForm(data(), owner=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["happened_on"] == timezone.localdate()


def test_an_empty_day_is_today_and_the_picker_offers_only_days_that_happened(user):
    form = EntryForm(data(happened_on=""), owner=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["happened_on"] == timezone.localdate()
    widget = EntryForm(owner=user)["happened_on"]
    html = str(widget)
    assert f'max="{timezone.localdate().isoformat()}"' in html
    assert 'min="2000-01-01"' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (lambda: (timezone.localdate() + timedelta(days=1)).isoformat(), "still to come"),
        ("1999-12-31", "Check the year"),
        ("0202-03-04", "Check the year"),
        ("2026-13-45", "Give the day as a date"),
        ("yesterday", "Give the day as a date"),
    ],
)
def test_days_that_did_not_happen_are_refused_with_a_clear_message(user, day, message):
    day = day() if callable(day) else day  # tomorrow as of the run, which can cross midnight
    form = EntryForm(data(happened_on=day), owner=user)
    assert not form.is_valid()
    assert message in form.errors["happened_on"][0]


def test_only_the_kinds_written_by_hand_are_offered(user):
    kinds = [value for value, _ in EntryForm(owner=user).fields["kind"].choices]
    assert kinds == ["note", "conversation", "meeting", "message", "reflection"]
    form = EntryForm(data(kind="decision"), owner=user)
    assert not form.is_valid()
    assert form.errors["kind"] == ["Choose one of the kinds in the list."]


def test_only_ones_own_people_can_be_named(user):
    mine = Person.objects.create(owner=user, name="Ana")
    theirs = Person.objects.create(owner=UserFactory(), name="Someone else's")
    assert EntryForm(data(kind="conversation", person=mine.pk), owner=user).is_valid()
    form = EntryForm(data(kind="conversation", person=theirs.pk), owner=user)
    assert not form.is_valid()
    assert form.errors["person"] == ["Choose one of your people from the list."]
    assert "Someone else" not in str(EntryForm(owner=user)["person"])


def test_a_title_is_needed_and_words_are_counted_not_cut(user):
    form = EntryForm(data(title="", body="x" * 5001), owner=user)
    assert not form.is_valid()
    assert form.errors["title"] == ["Say in a few words what happened."]
    assert "Keep this to 5000 characters; it has 5001" in form.errors["body"][0]
    assert form["body"].value() == "x" * 5001
    assert "data-maxlength" in str(form["body"])


def test_control_characters_are_refused(user):
    form = EntryForm(data(title="A\x00B", body="line\nbreak\tand tab\x07"), owner=user)
    assert not form.is_valid()
    assert "control character" in form.errors["title"][0]
    assert "control character" in form.errors["body"][0]


def test_a_story_at_its_limit_takes_no_more(user):
    form = EntryForm(data(), owner=user, full=True)
    assert not form.is_valid()
    assert "holds at most 1,000 entries in its story" in form.non_field_errors()[0]


def test_an_entry_the_app_wrote_keeps_its_kind(user, opportunity):
    stage_entry = TimelineEntry.objects.get(opportunity=opportunity, kind=EntryKind.STAGE)
    form = EntryForm(instance=stage_entry, owner=user)
    assert list(form.fields) == ["happened_on", "title", "body", "loaded_version"]


def test_an_entry_changed_elsewhere_is_not_overwritten(user, opportunity):
    entry = TimelineEntry.objects.get(opportunity=opportunity)
    loaded = EntryForm(instance=entry, owner=user).initial["loaded_version"]
    TimelineEntry.objects.filter(pk=entry.pk).update(
        updated_at=timezone.now() + timedelta(seconds=5)
    )
    entry.refresh_from_db()
    form = EntryForm(
        {"happened_on": "", "title": "Mine", "body": "", "loaded_version": loaded},
        instance=entry,
        owner=user,
    )
    assert not form.is_valid()
    assert "changed in another tab" in form.non_field_errors()[0]


def test_a_checkpoint_can_be_back_dated_and_not_forward_dated():
    yesterday = timezone.localdate() - timedelta(days=1)
    form = CheckpointForm({"label": "after the interview", "happened_on": yesterday.isoformat()})
    assert form.is_valid()
    assert form.cleaned_data["happened_on"] == yesterday
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = CheckpointForm({"label": "x", "happened_on": tomorrow.isoformat()})
    assert not form.is_valid()
    assert "still to come" in form.errors["happened_on"][0]
