"""The status quo is its own kind (issue 16, item 6): no stage or source is asked for it,
it is "Now" everywhere and never a lead, it has no pipeline to move along, and "in
transition / between things" is an arrangement whose pay may be zero or left out."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from opportunities.journal.services import record_decision
from opportunities.models import Criterion, Decision, Opportunity, Score, StageChange
from opportunities.pay.core import PayInputs, arrangement_score, comparable_annual_pay
from opportunities.pay.queries import comparable_pay, derivations, pay_profile
from opportunities.pay.services import save_compensation, save_pay_settings
from opportunities.pipeline.core import stage_for
from opportunities.pipeline.forms import OpportunityForm, StageForm
from opportunities.pipeline.services import move_stage
from opportunities.scoring.services import live_evaluation
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("opportunities:opportunity_create")
DASHBOARD = reverse("opportunities:dashboard")

STATUS_QUO = {
    "title": "Stay as I am",
    "organisation": "Freelancing",
    "arrangement": "freelance",
    "schedule": "part_time",
    "hours_per_week": "30",
    "is_status_quo": "on",
}
ROLE = {
    "title": "Part-time strategist",
    "source": "referral",
    "arrangement": "employee",
    "schedule": "full_time",
    "stage": "applied",
}


def edit(opportunity) -> str:
    return reverse("opportunities:opportunity_edit", args=[opportunity.pk])


def stage_move(opportunity) -> str:
    return reverse("opportunities:stage_move", args=[opportunity.pk])


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "is_status_quo", "stored"),
    [
        ("lead", True, "now"),
        ("offer", True, "now"),
        ("", True, "now"),
        ("now", False, "lead"),
        ("", False, "lead"),
        ("offer", False, "offer"),
    ],
)
def test_the_status_quo_is_always_now_and_nothing_else_ever_is(stage, is_status_quo, stored):
    assert stage_for(stage, is_status_quo=is_status_quo) == stored


# --- its form -------------------------------------------------------------------------------


def test_the_status_quo_form_asks_for_no_stage_or_source(client_in):
    html = client_in.get(CREATE, {"status_quo": "1"}).text
    assert 'name="stage"' not in html
    assert 'name="source"' not in html
    assert 'name="is_status_quo"' in html


def test_a_status_quo_is_saved_at_now_without_a_stage_or_source(client_in, user):
    response = client_in.post(CREATE, STATUS_QUO)
    status_quo = Opportunity.objects.get(owner=user)
    assert response["Location"] == status_quo.get_absolute_url()
    assert (status_quo.is_status_quo, status_quo.stage, status_quo.source) == (
        True,
        "now",
        "other",
    )
    assert list(StageChange.objects.values_list("from_stage", "to_stage")) == [("", "now")]


def test_a_stage_sent_for_the_status_quo_is_ignored(client_in, user):
    client_in.post(CREATE, STATUS_QUO | {"stage": "offer", "source": "referral"})
    assert Opportunity.objects.get(owner=user).stage == "now"


def test_now_is_offered_to_nothing_but_the_status_quo(client_in, user):
    html = client_in.get(CREATE).text
    assert '<option value="now"' not in html
    assert '<option value="lead"' in html
    response = client_in.post(CREATE, ROLE | {"stage": "now"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert 'value="Part-time strategist"' in response.text  # what was typed is kept
    assert not Opportunity.objects.exists()
    assert not StageForm({"stage": "now"}).is_valid()
    assert "now" not in dict(OpportunityForm(owner=user).fields["stage"].choices)


def test_editing_the_status_quo_asks_for_no_stage_and_keeps_it_now(client_in, user):
    status_quo = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    html = client_in.get(edit(status_quo)).text
    assert 'name="stage"' not in html
    assert 'name="source"' not in html
    form = client_in.get(edit(status_quo)).context["form"]
    data = STATUS_QUO | {"loaded_version": form["loaded_version"].value(), "title": "As I am"}
    client_in.post(edit(status_quo), data)
    status_quo.refresh_from_db()
    assert (status_quo.title, status_quo.stage) == ("As I am", "now")
    assert StageChange.objects.filter(opportunity=status_quo).count() == 1


def test_unticked_the_status_quo_starts_again_as_a_lead(client_in, user):
    status_quo = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    form = client_in.get(edit(status_quo)).context["form"]
    data = {k: v for k, v in STATUS_QUO.items() if k != "is_status_quo"}
    client_in.post(edit(status_quo), data | {"loaded_version": form["loaded_version"].value()})
    status_quo.refresh_from_db()
    assert (status_quo.is_status_quo, status_quo.stage, status_quo.source) == (
        False,
        "lead",
        "other",
    )


def test_ticked_on_an_opportunity_it_becomes_the_status_quo_at_now(client_in, user):
    role = OpportunityFactory(owner=user, stage="applied")
    form = client_in.get(edit(role)).context["form"]
    data = ROLE | {"is_status_quo": "on", "loaded_version": form["loaded_version"].value()}
    client_in.post(edit(role), data)
    role.refresh_from_db()
    assert (role.is_status_quo, role.stage) == (True, "now")


# --- "Now" everywhere, and no pipeline ------------------------------------------------------


def test_the_status_quo_shows_as_now_never_lead(client_in, user):
    status_quo = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    OpportunityFactory(owner=user, title="A role", stage="applied")
    dashboard = client_in.get(DASHBOARD).text
    assert '<td class="stage-cell" data-label="Stage">Now</td>' in dashboard
    assert ">Lead<" not in dashboard
    page = client_in.get(status_quo.get_absolute_url()).text
    assert "Example Organisation · Now · Employee" in page
    assert "Lead" not in page.split('id="pipeline"')[0]
    assert 'data-testid="status-quo-no-stages"' in page
    assert f'action="{stage_move(status_quo)}"' not in page
    assert "How it arose" not in page


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_the_status_quo_cannot_be_moved_along_a_pipeline(client_in, user, htmx):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_in.post(stage_move(status_quo), {"stage": "offer"}, headers=headers)
    assert response.status_code == (200 if htmx else 302)
    assert (response["HX-Redirect"] if htmx else response["Location"]) == (
        status_quo.get_absolute_url()
    )
    status_quo.refresh_from_db()
    assert status_quo.stage == "now"
    assert StageChange.objects.filter(opportunity=status_quo).count() == 1
    page = client_in.get(status_quo.get_absolute_url()).text
    assert "it has no stages to move through" in page


def test_moving_the_status_quo_records_nothing_and_now_is_refused_for_others(user):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    assert move_stage(opportunity=status_quo, stage="accepted") is None
    status_quo.refresh_from_db()
    assert status_quo.stage == "now"
    role = OpportunityFactory(owner=user)
    with pytest.raises(ValueError, match="only the status quo"):
        move_stage(opportunity=role, stage="now")
    role.refresh_from_db()
    assert role.stage == "lead"


def test_deciding_to_stay_as_i_am_leaves_the_status_quo_at_now(user):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    decision = Decision(
        choice="accept", decided_on=dt.date(2026, 3, 1), confidence=80, gut_check="yes"
    )
    record_decision(opportunity=status_quo, decision=decision)
    status_quo.refresh_from_db()
    assert status_quo.stage == "now"


def test_a_stage_move_names_now_as_not_in_the_list(client_in, user):
    role = OpportunityFactory(owner=user)
    response = client_in.post(stage_move(role), {"stage": "now"}, follow=True)
    assert "Choose one of the stages in the list." in response.text
    role.refresh_from_db()
    assert role.stage == "lead"


# --- in transition / between things ---------------------------------------------------------

TRANSITION_PAY = {
    "arrangement": "transition",
    "schedule": "full_time",
    "pay_basis": "monthly",
    "pay_amount": "1500",
}


def compensation(opportunity) -> str:
    return reverse("opportunities:compensation", args=[opportunity.pk])


def test_in_transition_pay_is_taken_as_stated_with_nothing_added_or_taken_off():
    monthly = comparable_annual_pay(
        PayInputs(arrangement="transition", basis="monthly", amount=Decimal(1500))
    )
    assert monthly.annual == Decimal("18000.00")
    assert monthly.hours_worked_per_year == Decimal(40 * 52)
    assert [line.kind for line in monthly.lines].count("add") == 1
    assert all(line.amount == 0 for line in monthly.lines if line.kind == "add")
    hourly = comparable_annual_pay(
        PayInputs(
            arrangement="transition", basis="hourly", amount=Decimal(20), hours_per_week=Decimal(10)
        )
    )
    assert hourly.annual == Decimal(20 * 10 * 52)
    nothing = comparable_annual_pay(
        PayInputs(arrangement="transition", basis="monthly", amount=Decimal(0))
    )
    assert (nothing.annual, nothing.hourly, nothing.full_time_salary) == (0, 0, 0)


def test_no_preference_is_kept_for_being_in_transition():
    assert arrangement_score("transition", preferences={"employee": 4, "contractor": 9}) is None


def test_an_opportunity_in_transition_is_added_and_scored_without_an_error(client_in, user):
    profile = pay_profile(user)
    profile.employee_preference = 5
    save_pay_settings(profile=profile)
    response = client_in.post(CREATE, STATUS_QUO | {"arrangement": "transition"})
    status_quo = Opportunity.objects.get(owner=user)
    assert response["Location"] == status_quo.get_absolute_url()
    page = client_in.get(status_quo.get_absolute_url()).text
    assert "In transition / between things" in page
    assert "there is no preference for being in transition to derive it from" in page
    assert "score it by hand." in page
    arrangement = Criterion.objects.get(owner=user, kind="arrangement")
    assert not Score.objects.filter(
        evaluation=live_evaluation(status_quo), criterion=arrangement
    ).exists()


@pytest.mark.parametrize("amount", ["0", "1500"])
def test_in_transition_pay_may_be_zero(client_in, user, amount):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    form = client_in.get(compensation(status_quo)).context["form"]
    data = TRANSITION_PAY | {
        "pay_amount": amount,
        "benefits_percent": "30",  # an employee's field: it does not apply, so it is dropped
        "overhead_share": "25",  # a contractor's: the same
        "loaded_version": form["loaded_version"].value(),
    }
    response = client_in.post(compensation(status_quo), data)
    assert response.status_code == 302, response.text[:500]
    status_quo.refresh_from_db()
    assert (status_quo.arrangement, status_quo.pay_amount) == ("transition", Decimal(amount))
    assert (status_quo.benefits_percent, status_quo.overhead_share) == (None, None)
    pay = comparable_pay(status_quo, pay_profile(user))
    assert pay.breakdown.annual == Decimal(amount) * 12
    dashboard = client_in.get(DASHBOARD).text
    assert "In transition / between things" in dashboard


def test_in_transition_pay_may_be_left_out_and_is_then_not_compared(client_in, user):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True, arrangement="transition")
    profile = pay_profile(user)
    profile.pay_floor, profile.pay_target = Decimal(20_000), Decimal(60_000)
    save_pay_settings(profile=profile)
    derived = derivations(status_quo, profile)
    assert derived["pay"].value is None
    assert derived["pay"].missing == "pay"
    save_compensation(opportunity=status_quo)
    status_quo.arrangement, status_quo.pay_basis, status_quo.pay_amount = (
        "transition",
        "monthly",
        Decimal(0),
    )
    save_compensation(opportunity=status_quo)
    pay = Criterion.objects.get(owner=user, kind="pay")
    score = Score.objects.get(evaluation=live_evaluation(status_quo), criterion=pay)
    assert score.value == 0  # nothing coming in scores at the floor


def test_the_pay_page_explains_in_transition(client_in, user):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True, arrangement="transition")
    html = client_in.get(compensation(status_quo)).text
    assert 'data-testid="transition-note"' in html
    assert "0 if nothing comes in" in html
