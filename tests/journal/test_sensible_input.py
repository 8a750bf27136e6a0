"""Issue 14, items 3 and 14: journal dates within a sensible range, checkpoints and
decisions with nothing scored, and the outcome page in plain English."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.journal.core import (
    DECIDED_TO,
    EARLIEST_DAY,
    REVISIT_YEARS_AHEAD,
    decided_to,
    years_after,
)
from opportunities.journal.services import record_decision
from opportunities.models import Criterion, Decision, DecisionChoice, Evaluation
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def score_values_fit(opportunity, user, value: int = 7) -> None:
    criterion = Criterion.objects.get(owner=user, name="Values fit")
    save_score(opportunity=opportunity, criterion=criterion, value=value)


def decision_post(**overrides) -> dict:
    """The form's fields; an override may be a callable, evaluated now (a date the test
    computes when it runs, not when pytest collected it: a run can cross midnight)."""
    overrides = {name: value() if callable(value) else value for name, value in overrides.items()}
    return {
        "choice": "pursue",
        "decided_on": timezone.localdate().isoformat(),
        "confidence": "75",
        "rationale": "Values fit and growth outweigh the pay.",
        "gut_check": "yes",
        "gut_check_reason": "",
        "revisit_on": "",
    } | overrides


def in_years(years: int, days: int = 0) -> str:
    return (years_after(timezone.localdate(), years) + timedelta(days=days)).isoformat()


# --- Dates in a sensible range (item 3) ---------------------------------------------------------


def test_years_after_moves_29_february_to_the_28th():
    assert years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert years_after(date(2026, 3, 14), 5) == date(2031, 3, 14)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decided_on": "1900-01-01"}, "Check the year: the journal goes back to 1 January 2000"),
        ({"decided_on": "1999-12-31"}, "Check the year: the journal goes back to 1 January 2000"),
        ({"decided_on": "0202-03-14"}, "Check the year"),
        ({"decided_on": ""}, "Give the day you decided."),
        ({"revisit_on": lambda: in_years(REVISIT_YEARS_AHEAD, days=1)}, "within the next 5 years"),
        ({"revisit_on": "9999-12-31"}, "within the next 5 years"),
    ],
)
def test_a_decision_dated_out_of_any_sense_is_refused_and_the_form_kept(
    client_in, user, opportunity, overrides, message
):
    response = client_in.post(url("decision_create", opportunity.pk), decision_post(**overrides))
    assert response.status_code == 200
    assert message in response.text
    assert "Values fit and growth outweigh the pay." in response.text  # the form is kept
    assert not Decision.objects.exists()
    assert not Evaluation.objects.checkpoints().exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"decided_on": EARLIEST_DAY.isoformat()},
        {"revisit_on": lambda: in_years(REVISIT_YEARS_AHEAD)},
        {"revisit_on": lambda: (timezone.localdate() + timedelta(days=1)).isoformat()},
    ],
)
def test_the_edges_of_the_range_are_accepted(client_in, opportunity, overrides):
    response = client_in.post(url("decision_create", opportunity.pk), decision_post(**overrides))
    assert response.status_code == 302
    assert Decision.objects.count() == 1


def test_the_date_pickers_offer_only_days_the_forms_accept(client_in, opportunity):
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    page = client_in.get(url("decision_create", opportunity.pk)).text
    assert f'min="2000-01-01" max="{today.isoformat()}"' in page  # decided on
    assert f'min="{tomorrow}" max="{in_years(REVISIT_YEARS_AHEAD)}"' in page  # revisit on

    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice="pursue", decided_on=today - timedelta(days=3)),
    )
    page = client_in.get(url("outcome_edit", decision.pk)).text
    earliest = (today - timedelta(days=3)).isoformat()
    assert f'min="{earliest}" max="{today.isoformat()}"' in page  # outcome on
    assert f'min="{tomorrow}" max="{in_years(REVISIT_YEARS_AHEAD)}"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "offer", "outcome_on": "1900-01-01"}, "Check the year"),
        ({"outcome": "offer", "revisit_on": "2999-01-01"}, "within the next 5 years"),
    ],
)
def test_an_outcome_dated_out_of_any_sense_is_refused(client_in, opportunity, data, message):
    # A decision recorded before dates were checked, dated in 1900.
    decision = record_decision(
        opportunity=opportunity, decision=Decision(choice="pursue", decided_on=date(1900, 1, 1))
    )
    response = client_in.post(url("outcome_edit", decision.pk), data | {"reflection": "Kept."})
    assert response.status_code == 200
    assert message in response.text
    assert "Kept." in response.text
    decision.refresh_from_db()
    assert (decision.outcome, decision.reflection) == ("", "")


# --- Nothing scored (item 3) --------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [True, False])
def test_a_checkpoint_with_nothing_scored_is_refused_with_the_label_kept(
    client_in, opportunity, htmx_headers, htmx
):
    headers = htmx_headers("checkpoint-form") if htmx else {}
    response = client_in.post(
        url("checkpoint_create", opportunity.pk), {"label": "After the call"}, headers=headers
    )
    assert response.status_code == 200
    assert ("<html" in response.text) is not htmx  # in place over htmx, a page without
    assert 'id="checkpoint-form"' in response.text
    assert "Nothing is scored yet, so this checkpoint would freeze nothing." in response.text
    assert 'value="After the call"' in response.text
    assert not Evaluation.objects.checkpoints().exists()


def test_a_checkpoint_needs_only_one_score(client_in, user, opportunity):
    score_values_fit(opportunity, user)
    response = client_in.post(url("checkpoint_create", opportunity.pk), {"label": "Early"})
    assert response.status_code == 302
    assert Evaluation.objects.checkpoints().get().scored_count == 1


def test_the_checkpoint_form_says_it_needs_a_score(client_in, opportunity):
    page = client_in.get(url("opportunity_detail", opportunity.pk)).text
    assert "It needs at least one score." in page


def test_the_decision_form_says_no_scores_will_be_frozen_when_nothing_is_scored(
    client_in, opportunity
):
    page = client_in.get(url("decision_create", opportunity.pk)).text
    assert "no scores will be frozen with this decision" in page
    assert 'data-testid="nothing-scored"' in page
    # Before the button, so it is read before submitting, also on a phone.
    assert page.index('data-testid="nothing-scored"') < page.index("Record the decision</button>")


def test_the_decision_form_says_what_happens_to_unscored_criteria(client_in, user, opportunity):
    score_values_fit(opportunity, user)
    page = client_in.get(url("decision_create", opportunity.pk)).text
    assert 'data-testid="nothing-scored"' not in page
    assert "1 of 7 criteria are scored; the rest are frozen with it as “not scored”." in page


def test_a_decision_with_nothing_scored_is_still_recorded(client_in, opportunity):
    response = client_in.post(
        url("decision_create", opportunity.pk),
        decision_post(choice="decline", rationale="I'm staying as I am."),
    )
    decision = Decision.objects.select_related("evaluation").get()
    assert response["Location"] == url("commit_step", decision.pk)
    assert decision.evaluation.scored_count == 0
    assert decision.evaluation.decision_score is None
    entry = client_in.get(url("journal")).text.split('data-testid="entry-then">')[1]
    assert entry.startswith("–")


# --- The outcome page in plain English (item 14) -------------------------------------------------


def test_every_choice_has_its_words():
    assert set(DECIDED_TO) == set(DecisionChoice.values)


@pytest.mark.parametrize(
    ("choice", "words"),
    [
        ("pursue", "you decided to pursue “Designer at Acme”"),
        ("accept", "you decided to accept “Designer at Acme”"),
        ("decline", "you decided to decline “Designer at Acme”"),
        ("withdraw", "you decided to withdraw from “Designer at Acme”"),
    ],
)
def test_the_outcome_page_says_what_was_decided_in_plain_english(client_in, user, choice, words):
    opportunity = OpportunityFactory(owner=user, title="Designer", organisation="Acme")
    decision = record_decision(opportunity=opportunity, decision=Decision(choice=choice))
    page = client_in.get(url("outcome_edit", decision.pk)).text
    assert words in page
    assert decided_to(choice) in words
    assert "pursue it “" not in page


def test_the_decision_form_says_where_the_revisit_reminder_goes(client, user, opportunity):
    client.force_login(user)
    url = reverse("opportunities:decision_create", args=[opportunity.pk])
    assert "Give an email address on your account page" in client.get(url).text
    user.email = "me@example.org"
    user.save()
    assert "An email goes to me@example.org too." in client.get(url).text
