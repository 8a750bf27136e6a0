"""How much one account holds: each limit is refused with its number, and the pages of
an account at its limits still take a fixed handful of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Decision, Evaluation, Opportunity
from opportunities.models.limits import (
    MAX_CHECKPOINTS,
    MAX_CRITERIA,
    MAX_DECISIONS,
    MAX_OPPORTUNITIES,
)
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _fill_opportunities(user, count: int) -> None:
    made = Opportunity.objects.bulk_create(
        Opportunity(owner=user, title=f"Role {n}") for n in range(count)
    )
    Evaluation.objects.bulk_create(Evaluation(owner=user, opportunity=o) for o in made)


def _fill_criteria(user, count: int) -> None:
    start = Criterion.objects.for_user(user).count()
    Criterion.objects.bulk_create(
        Criterion(owner=user, name=f"Criterion {n}", weight=5, position=n)
        for n in range(start, count)
    )


def _fill_checkpoints(opportunity, count: int) -> None:
    now = timezone.now()
    Evaluation.objects.bulk_create(
        Evaluation(owner=opportunity.owner, opportunity=opportunity, label=f"#{n}", frozen_at=now)
        for n in range(count)
    )


def test_an_account_at_its_opportunity_limit_is_told_so_and_the_form_kept(client_in, user):
    _fill_opportunities(user, MAX_OPPORTUNITIES)
    response = client_in.post(reverse("opportunities:opportunity_create"), {"title": "One more"})
    assert response.status_code == 200
    assert "holds at most 2,000 opportunities" in response.text
    assert 'value="One more"' in response.text
    assert Opportunity.objects.for_user(user).count() == MAX_OPPORTUNITIES


def test_an_account_at_its_criteria_limit_is_told_so(client_in, user):
    _fill_criteria(user, MAX_CRITERIA)
    response = client_in.post(
        reverse("opportunities:criterion_add"),
        {"name": "One more", "weight": "5", "low_meaning": "bad", "high_meaning": "good"},
    )
    assert response.status_code == 200
    assert "holds at most 100 criteria" in response.text
    assert Criterion.objects.for_user(user).count() == MAX_CRITERIA


@pytest.mark.parametrize("htmx", [False, True])
def test_an_opportunity_at_its_checkpoint_limit_is_told_so(client_in, user, opportunity, htmx):
    save_score(opportunity=opportunity, criterion=active_criteria(user)[0], value=5)
    _fill_checkpoints(opportunity, MAX_CHECKPOINTS)
    response = client_in.post(
        reverse("opportunities:checkpoint_create", args=[opportunity.pk]),
        {"label": "One more"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200
    assert "holds at most 500 checkpoints" in response.text
    assert Evaluation.objects.filter(opportunity=opportunity).count() == MAX_CHECKPOINTS + 1


def test_an_opportunity_at_its_decision_limit_is_told_so(client_in, user, opportunity):
    _fill_checkpoints(opportunity, 1)
    frozen = Evaluation.objects.filter(opportunity=opportunity, frozen_at__isnull=False).get()
    Decision.objects.bulk_create(
        Decision(
            owner=user, opportunity=opportunity, evaluation=frozen, choice="pursue", confidence=50
        )
        for _ in range(MAX_DECISIONS)
    )
    response = client_in.post(
        reverse("opportunities:decision_create", args=[opportunity.pk]),
        {
            "choice": "pursue",
            "decided_on": timezone.localdate().isoformat(),
            "confidence": "60",
            "gut_check": "yes",
        },
    )
    assert response.status_code == 200
    assert "holds at most 200 decisions" in response.text
    assert Decision.objects.filter(opportunity=opportunity).count() == MAX_DECISIONS


def test_the_criteria_page_at_the_limit_takes_a_fixed_number_of_queries(
    client_in, user, django_assert_max_num_queries
):
    _fill_criteria(user, MAX_CRITERIA)
    # session, user, criteria; the pay settings (weights in money), the gut rankings, the
    # latest swing answers
    with django_assert_max_num_queries(6):
        assert client_in.get(reverse("opportunities:criteria")).status_code == 200


def test_an_opportunity_at_the_limits_takes_a_fixed_number_of_queries(
    client_in, user, django_assert_max_num_queries
):
    _fill_criteria(user, MAX_CRITERIA)
    opportunity = OpportunityFactory(owner=user)
    for criterion in active_criteria(user)[:10]:
        save_score(opportunity=opportunity, criterion=criterion, value=6)
    _fill_checkpoints(opportunity, MAX_CHECKPOINTS)
    with django_assert_max_num_queries(18):  # 16, the rounds of asking friends, the questions
        response = client_in.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk]))
    assert response.status_code == 200


def test_the_dashboard_at_the_limit_takes_a_fixed_number_of_queries(
    client_in, user, django_assert_max_num_queries
):
    _fill_opportunities(user, MAX_OPPORTUNITIES)
    # 9 when some arose from others (people.queries), and one for the check-ins due
    with django_assert_max_num_queries(9):
        assert client_in.get(reverse("opportunities:dashboard")).status_code == 200


def test_the_help_page_states_the_limits(client):
    response = client.get(reverse("opportunities:help"))
    lines = (
        "2,000 opportunities",
        "100 criteria",
        "500 checkpoints, 200 decisions and 1,000 timeline entries",
        "2,000 people",
        "50 open questions per opportunity",
    )
    for line in lines:
        assert line in response.text


def test_the_help_page_explains_asking_friends_with_the_links_real_lifetime(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="friends"' in response.text
    assert "lasts 14 days unless you choose otherwise (up to 90)" in response.text
    assert "never shown before they have answered" in response.text


def test_the_help_page_explains_unsure_scores(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="unsure"' in response.text
    assert "What to find out next" in response.text


def test_the_help_page_explains_how_well_i_judge_and_the_minimum_sample(client):
    from opportunities.learning.core import MIN_RESCORES, MIN_SAMPLE

    response = client.get(reverse("opportunities:help"))
    assert 'id="judgement"' in response.text
    assert "How well I judge" in response.text
    assert f"from <strong>{MIN_SAMPLE} cases</strong> on" in response.text
    assert f"{MIN_RESCORES} re-scores" in response.text
    assert reverse("opportunities:judgement") in response.text


def test_the_help_page_explains_check_ins(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="check-ins"' in response.text
    assert "Check-ins</h2>" in response.text
    assert "check-ins 3, 6 and 12 months on" in response.text
    assert "can't tell yet" in response.text
    assert "You said you would reconsider if" in response.text


def test_the_help_page_explains_criteria_measured_as_a_number(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="numbers"' in response.text
    assert "Criteria measured as a number" in response.text
    assert "35 minutes a day → 7" in response.text


def test_the_help_page_explains_value_curves(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="curves"' in response.text
    assert "Value curves" in response.text
    assert "levels off" in response.text
    assert "Enough or not" in response.text
    assert "it gives exactly the same scores" in response.text
    assert "Pay was scored on a curve that levels off, from USD 50,000 (0)" in response.text


def test_the_help_page_explains_setting_weights_from_your_options(client):
    response = client.get(reverse("opportunities:help"))
    assert "Setting weights from your options" in response.text
    assert reverse("opportunities:swing") in response.text
    assert "carries no weight in this choice" in response.text
    assert "Keep my weights, remember my answers" in response.text


def test_the_help_page_explains_your_weights_in_money(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="money"' in response.text
    assert "Your weights in money" in response.text
    assert "your weights trade 1 point of Personal growth for USD 3,400 a year" in response.text
    assert reverse("opportunities:pay_settings") in response.text
    assert "fits if Daily &amp; weekly life weighed 4 rather than 8" in response.text


def test_the_help_page_explains_the_commit_step(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="commit-step"' in response.text
    assert "The commit step</h2>" in response.text
    assert "Weakest: the information that matters" in response.text
    assert "what you expected is kept as you wrote it" in response.text


def test_the_help_page_explains_the_calendar_feed(client):
    response = client.get(reverse("opportunities:help"))
    assert 'id="calendar"' in response.text
    assert "Your dates in your calendar</h2>" in response.text
    assert "anyone who has it can read those dates and titles" in response.text
    assert reverse("opportunities:calendar_settings") in response.text
