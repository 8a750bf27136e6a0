"""Text is never cut to fit: limits are counted and refused, with the text kept."""

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from opportunities.models import Opportunity, Score
from opportunities.scoring.forms import CheckpointForm, ScoreForm
from opportunities.web.forms import CountedBoundField
from tests.security.endpoints import ENDPOINTS, PUBLIC, build_world

pytestmark = pytest.mark.django_db

PAGES = [e for e in ENDPOINTS if "GET" in e.methods and not e.destructive]


class Sample(forms.Form):
    title = forms.CharField(max_length=10)
    secret = forms.CharField(max_length=10, widget=forms.HiddenInput, required=False)
    body = forms.CharField(required=False, widget=forms.Textarea)


def test_a_limit_is_handed_to_the_counter_not_to_the_browser():
    html = str(Sample()["title"])
    assert " maxlength" not in html
    assert 'data-maxlength="10"' in html
    assert "data-maxlength" not in str(Sample()["body"])
    assert "data-maxlength" not in str(Sample()["secret"])
    assert isinstance(Sample()["title"], CountedBoundField)


def test_over_long_text_is_refused_whole_with_a_message_that_says_nothing_was_cut():
    form = Sample({"title": "x" * 13})
    assert not form.is_valid()
    assert form.errors["title"] == [
        "Keep this to 10 characters; it has 13. Nothing was cut: shorten it and save again."
    ]
    assert f'value="{"x" * 13}"' in str(form["title"])


def test_a_forms_own_wording_for_too_long_wins():
    form = CheckpointForm({"label": "x" * 121})
    assert not form.is_valid()
    assert form.errors["label"] == ["Keep the label to 120 characters (it has 121)."]
    note = ScoreForm({"1-note": "y" * 519}, prefix="1")
    assert not note.is_valid()
    assert "Keep the note to 500 characters; it has 519" in note.errors["note"][0]


@pytest.mark.parametrize("endpoint", PAGES, ids=lambda e: e.name)
def test_no_page_lets_the_browser_cut_what_is_typed(endpoint):
    world = build_world()
    client = Client()
    if endpoint.name not in PUBLIC:
        client.force_login(world.user)
    url = reverse(endpoint.name, kwargs=endpoint.kwargs(world))
    response = client.get(url, endpoint.query(world))
    assert response.status_code in (200, 302)
    assert b"maxlength=" not in response.content.replace(b"data-maxlength=", b"")


def test_a_519_character_score_note_is_refused_and_the_note_before_it_kept(
    client_in, opportunity, criteria, htmx_headers
):
    criterion = criteria[0]
    url = reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk])
    client_in.post(url, {f"{criterion.pk}-value": "7", f"{criterion.pk}-note": "short"})
    long_note = ("word " * 104).strip()[:519]
    response = client_in.post(
        url,
        {f"{criterion.pk}-value": "8", f"{criterion.pk}-note": long_note},
        headers=htmx_headers(),
    )
    assert response.status_code == 200
    assert "Not saved: Keep the note to 500 characters; it has 519" in response.text
    score = Score.objects.get(criterion=criterion, evaluation__opportunity=opportunity)
    assert (score.value, score.note) == (7, "short")


def test_an_over_long_title_comes_back_in_full_with_the_form(client_in):
    title = "A" * 250
    response = client_in.post(reverse("opportunities:opportunity_create"), {"title": title})
    assert response.status_code == 200
    assert f'value="{title}"' in response.text
    assert "Nothing was cut" in response.text
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [("a\x00b", "0000"), ("ding\x07", "0007"), ("esc\x1b[31m", "001B"), ("del\x7f", "007F")],
)
def test_every_form_refuses_control_characters_in_text(text, code):
    form = Sample({"title": text})
    assert not form.is_valid()
    assert form.errors["title"] == [
        f"It holds an invisible control character (U+{code}), which Crossroads does not "
        "keep: retype the text, or paste it as plain text."
    ]


def test_tabs_and_line_breaks_are_text():
    assert Sample({"title": "a\tb", "body": "one\r\ntwo"}).is_valid()


def test_a_score_note_with_a_control_character_is_refused_beside_its_slider(
    client_in, opportunity, criteria, htmx_headers
):
    criterion = criteria[0]
    response = client_in.post(
        reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk]),
        {f"{criterion.pk}-value": "7", f"{criterion.pk}-note": "bell\x07"},
        headers=htmx_headers(),
    )
    assert response.status_code == 200
    assert "Not saved: It holds an invisible control character (U+0007)" in response.text
    assert not Score.objects.filter(criterion=criterion).exists()
