"""The commit step page: after recording a decision, one form, one save; open the day the
decision was recorded, read only afterwards; the decision page shows what was written."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.journal.services import record_decision
from opportunities.models import (
    CheckIn,
    CheckInKind,
    Commitment,
    Criterion,
    Decision,
    Forecast,
    KillCriterion,
    PremortemReason,
)
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


@pytest.fixture
def decision(user, opportunity):
    criterion = Criterion.objects.for_user(user).get(name="Values fit")
    save_score(opportunity=opportunity, criterion=criterion, value=7)
    return record_decision(
        opportunity=opportunity,
        decision=Decision(choice="accept", gut_check="yes", decided_on=timezone.localdate()),
    )


def in_months(months: int) -> str:
    from opportunities.learning.core import months_after

    return months_after(timezone.localdate(), months).isoformat()


def step_post(**overrides) -> dict:
    return {
        "frame": "strong",
        "alternatives": "ok",
        "information": "weak",
        "values": "strong",
        "reasoning": "ok",
        "commitment": "strong",
        "door": "two_way",
        "change_cost": "A notice period of a month",
        "premortem_1_reason": "The team changes and the work with it",
        "premortem_1_mine": "on",
        "premortem_2_reason": "",
        "kill_1_by": in_months(4),
        "kill_1_condition": "I have no project of my own",
        "forecast_1_template": "glad_6m",
        "forecast_1_statement": "",
        "forecast_1_probability": "80",
        "forecast_2_template": "",
        "forecast_2_statement": "I'm home for dinner four days a week",
        "forecast_2_probability": "65",
        "forecast_2_resolves_on": in_months(3),
    } | overrides


# --- Landing on it ------------------------------------------------------------------------------


def test_recording_a_decision_lands_on_its_commit_step(client_in, user, opportunity):
    response = client_in.post(
        url("decision_create", opportunity.pk),
        {
            "choice": "pursue",
            "decided_on": timezone.localdate().isoformat(),
            "confidence": "70",
            "gut_check": "yes",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == url("commit_step", decision.pk)
    page = client_in.get(response["Location"]).text
    assert "Before you act: the commit step" in page
    assert page.count('data-testid="premortem-row"') == 5
    assert page.count('data-testid="kill-row"') == 3
    assert page.count('data-testid="forecast-row"') == 5
    assert "I&#x27;m still glad I did it at 6 months" in page
    assert 'src="/static/js/commit.js"' in page or "js/commit" in page


def test_the_decision_page_invites_the_commit_step_while_it_is_open(client_in, decision):
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert 'data-testid="commit-step"' in page
    assert "Fill in the commit step" in page
    assert url("commit_step", decision.pk) in page
    assert "Your gut: did the result feel right? Yes." in page
    assert "The matrix: 70.0 of 100." in page


# --- Saving it ----------------------------------------------------------------------------------


def test_the_whole_step_is_saved_and_the_weakest_named(client_in, decision):
    response = client_in.post(url("commit_step", decision.pk), step_post(), follow=True)
    assert response.redirect_chain[-1][0] == url("decision_detail", decision.pk) + "#commit-step"
    page = response.text
    assert "Commit step saved. Weakest: the information that matters." in page
    assert 'data-testid="commit-weakest">Weakest: the information that matters<' in page
    assert "A two-way door: I can turn back." in page
    assert "The team changes and the work with it" in page
    assert "mine to control" in page
    assert "I have no project of my own, I reconsider." in page
    assert "80 %</span>: I&#x27;m still glad I did it at 6 months" in page
    assert "65 %</span>: I&#x27;m home for dinner four days a week" in page
    assert "Edit the commit step" in page
    commitment = Commitment.objects.get(decision=decision)
    assert (commitment.information, commitment.door) == ("weak", "two_way")
    forecasts = list(Forecast.objects.values_list("statement", "probability", "template"))
    assert forecasts == [
        ("I'm still glad I did it at 6 months", 80, "glad_6m"),
        ("I'm home for dinner four days a week", 65, ""),
    ]
    kill = KillCriterion.objects.get()
    assert CheckIn.objects.get(kill_criterion=kill).kind == CheckInKind.KILL


def test_every_part_may_be_left_empty(client_in, decision):
    response = client_in.post(url("commit_step", decision.pk), {})
    assert response.status_code == 302
    commitment = Commitment.objects.get(decision=decision)
    assert (commitment.frame, commitment.door, commitment.change_cost) == ("", "", "")
    assert not PremortemReason.objects.exists()
    assert not Forecast.objects.exists()
    assert CheckIn.objects.filter(decision=decision).count() == 3


def test_a_partial_answer_is_enough(client_in, decision):
    response = client_in.post(
        url("commit_step", decision.pk), {"reasoning": "weak", "premortem_3_reason": "Burnout"}
    )
    assert response.status_code == 302
    assert Commitment.objects.get().reasoning == "weak"
    assert list(PremortemReason.objects.values_list("reason", "in_my_control")) == [
        ("Burnout", False)
    ]


def test_the_form_opens_on_what_was_saved(client_in, decision):
    client_in.post(url("commit_step", decision.pk), step_post())
    page = client_in.get(url("commit_step", decision.pk)).text
    assert 'value="The team changes and the work with it"' in page
    assert 'value="80"' in page
    assert 'value="weak" class="form-check-input" id="commit_information_1" checked' in page


def test_saving_again_changes_it(client_in, decision):
    client_in.post(url("commit_step", decision.pk), step_post())
    client_in.post(
        url("commit_step", decision.pk),
        step_post(
            premortem_1_reason="",
            kill_1_by="",
            kill_1_condition="",
            forecast_2_statement="",
            forecast_2_probability="",
            forecast_2_resolves_on="",
            forecast_1_probability="90",
        ),
    )
    assert not PremortemReason.objects.exists()
    assert not KillCriterion.objects.exists()
    assert list(Forecast.objects.values_list("probability", flat=True)) == [90]


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"forecast_1_probability": "500"}, "A probability is a whole number from 0 to 100."),
        ({"forecast_1_probability": "-3"}, "A probability is a whole number from 0 to 100."),
        ({"forecast_1_probability": "1e400"}, "A probability is a whole number from 0 to 100."),
        ({"forecast_1_probability": "NaN"}, "A probability is a whole number from 0 to 100."),
        ({"forecast_1_probability": ""}, "How likely is it, from 0 to 100 %?"),
        ({"forecast_1_template": "", "forecast_1_statement": ""}, "Write the forecast"),
        ({"forecast_1_template": "<script>"}, "Choose one of the suggestions, or none."),
        ({"frame": "excellent"}, "Answer weak, OK or strong, or leave it."),
        ({"door": "revolving"}, "Choose a one-way or a two-way door"),
        ({"kill_1_by": ""}, "Give the day by which it would show"),
        ({"kill_1_condition": ""}, "Say what would make you reconsider"),
        ({"kill_1_by": "1900-01-01"}, "Pick a day after the decision"),
        ({"kill_1_by": "2999-01-01"}, "Pick a day within 5 years of the decision"),
        ({"kill_1_by": "31/02/2027"}, "Give the date as a day"),
        ({"forecast_2_resolves_on": "2000-01-01"}, "Pick a day after the decision"),
        ({"premortem_1_reason": "x" * 301}, "Keep this to 300 characters; it has 301."),
        ({"premortem_1_reason": "a\x00b"}, "control character"),
        ({"change_cost": "y" * 100_000}, "Keep this to 300 characters"),
    ],
)
def test_bad_input_is_refused_with_everything_kept(client_in, decision, overrides, message):
    posted = step_post(**overrides)
    response = client_in.post(url("commit_step", decision.pk), posted)
    assert response.status_code == 200
    assert message in response.text
    assert 'data-testid="commit-errors"' in response.text
    assert "I have no project of my own" in response.text or "kill_1_condition" in overrides
    assert "I&#x27;m home for dinner four days a week" in response.text
    assert not PremortemReason.objects.exists()
    assert not Forecast.objects.exists()
    assert Commitment.objects.get().frame == ""


def test_doubled_and_unknown_fields_do_not_break_it(client_in, decision):
    data = step_post()
    response = client_in.post(
        url("commit_step", decision.pk),
        {**data, "forecast_9_probability": "50", "owner": "1", "premortem_1_reason": ["a", "b"]},
    )
    assert response.status_code == 302
    assert list(PremortemReason.objects.values_list("reason", flat=True)) == ["b"]
    assert Forecast.objects.count() == 2


def test_the_service_has_the_last_word(client_in, decision, monkeypatch):
    from opportunities.learning.services import commit as service

    monkeypatch.setattr(service, "MAX_FORECASTS", 1)
    response = client_in.post(url("commit_step", decision.pk), step_post())
    assert response.status_code == 200
    assert "Keep to 1 forecasts; there are 2." in response.text
    assert not Forecast.objects.exists()


# --- Read only after the day --------------------------------------------------------------------


@pytest.fixture
def tomorrow(monkeypatch):
    later = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)


def test_after_the_day_the_step_is_read_only(client_in, decision, tomorrow):
    client_in.post(url("commit_step", decision.pk), step_post())  # too late: not saved
    assert not Forecast.objects.exists()
    page = client_in.get(url("commit_step", decision.pk)).text
    assert "what you expected is kept as you wrote it" in page
    assert 'data-testid="commit-form"' not in page
    assert "Edit the commit step" not in page
    detail = client_in.get(url("decision_detail", decision.pk)).text
    assert "No commit step was written with this decision." in detail
    assert url("commit_step", decision.pk) not in detail


def test_what_was_written_stays_as_written(client_in, decision, monkeypatch):
    client_in.post(url("commit_step", decision.pk), step_post())
    later = timezone.now() + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client_in.post(
        url("commit_step", decision.pk), step_post(forecast_1_probability="20")
    )
    assert response.status_code == 200
    assert "Nothing you sent was saved" in response.text
    assert " disabled>" in response.text
    assert 'value="20"' in response.text  # what was sent is shown, to copy
    assert list(Forecast.objects.values_list("probability", flat=True)) == [80, 65]
    page = client_in.get(url("commit_step", decision.pk)).text
    assert "80 %</span>: I&#x27;m still glad I did it at 6 months" in page


# --- Access -------------------------------------------------------------------------------------


def test_another_users_decision_is_a_404(client, other_user, decision):
    client.force_login(other_user)
    assert client.get(url("commit_step", decision.pk)).status_code == 404
    assert client.post(url("commit_step", decision.pk), step_post()).status_code == 404
    assert not Forecast.objects.exists()


def test_signed_out_goes_to_log_in(client, decision):
    response = client.get(url("commit_step", decision.pk))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_only_get_and_post(client_in, decision):
    assert client_in.put(url("commit_step", decision.pk)).status_code == 405


def test_csrf_is_enforced(decision, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(url("commit_step", decision.pk), step_post()).status_code == 403


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [0, 5])
def test_the_page_reads_a_fixed_number_of_queries(
    client_in, user, decision, rows, django_assert_max_num_queries
):
    if rows:
        client_in.post(
            url("commit_step", decision.pk),
            step_post(**{f"premortem_{n}_reason": f"Reason {n}" for n in range(1, rows + 1)}),
            follow=True,  # the message shown, the session is left as it was
        )
    # session, user, the decision (with its opportunity, checkpoint and commitment), the
    # premortem, the kill criteria, the forecasts
    with django_assert_max_num_queries(6):
        response = client_in.get(url("commit_step", decision.pk))
    assert response.status_code == 200


def test_saving_takes_a_fixed_number_of_queries(client_in, decision, django_assert_max_num_queries):
    full = step_post(
        **{f"premortem_{n}_reason": f"Reason {n}" for n in range(1, 6)},
        **{f"forecast_{n}_probability": "50" for n in range(3, 6)},
        **{f"forecast_{n}_statement": f"Forecast {n}" for n in range(3, 6)},
    )
    # session, user, the decision, its three lists for the form; then, in savepoints, the
    # commitment (lock, save), each list again under the lock (read, update, insert), the
    # check-ins and kill criteria (read, insert); the page-cache counter (the message goes
    # in its cookie)
    with django_assert_max_num_queries(22):
        assert client_in.post(url("commit_step", decision.pk), full).status_code == 302
    assert PremortemReason.objects.count() == 5
    assert Forecast.objects.count() == 5


@pytest.mark.parametrize("count", [1, 5])
def test_the_decision_page_with_its_commit_step_reads_a_fixed_number(
    client_in, decision, count, django_assert_max_num_queries
):
    client_in.post(
        url("commit_step", decision.pk),
        step_post(**{f"premortem_{n}_reason": f"Reason {n}" for n in range(1, count + 1)}),
        follow=True,
    )
    # session, user, the decision (with its commitment), today's criteria, its frozen
    # scores, its alternatives, its story; the commit step's premortem, kill criteria and
    # forecasts; the check-ins section (learning.queries.checkins: 2)
    with django_assert_max_num_queries(12):
        page = client_in.get(url("decision_detail", decision.pk)).text
    assert page.count("Reason ") == count


def test_another_option_weighed_shows_the_rank(client_in, user, opportunity):
    criterion = Criterion.objects.for_user(user).get(name="Values fit")
    save_score(opportunity=opportunity, criterion=criterion, value=5)
    other = OpportunityFactory(owner=user)
    save_score(opportunity=other, criterion=criterion, value=8, score_range=None)
    decision = record_decision(
        opportunity=opportunity, decision=Decision(choice="pursue"), alternatives=[other]
    )
    page = client_in.get(url("decision_detail", decision.pk)).text
    assert "The matrix: 50.0 of 100, ranked 2 of the 2 options weighed." in page
