"""Pay scored through its curve: the default (a straight line) gives every stored pay
exactly the score ``pay_score`` gave, the demo's and varied factories' alike; another
curve moves the scores, says so in the reason, and is threaded without extra queries."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from opportunities.criteria.queries import active_criteria
from opportunities.curves.queries import curve_of
from opportunities.curves.services import save_curve
from opportunities.models import Criterion, CriterionKind, Opportunity, Score
from opportunities.pay.core import pay_score
from opportunities.pay.queries import (
    comparable_pay,
    derivations,
    derive_pay_score,
    opportunity_pay,
    pay_profile,
)
from opportunities.pay.services import refresh_derived_scores, save_pay_settings
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

FLOOR, TARGET = Decimal(50_000), Decimal(80_000)

OFFERS = (
    [
        {"arrangement": "employee", "pay_basis": "annual", "pay_amount": Decimal(amount)}
        for amount in (0, 30_000, 49_999, 50_000, 52_500, 57_692, 61_538, 65_000, 80_000, 250_000)
    ]
    + [
        {"arrangement": "contractor", "pay_basis": "hourly", "pay_amount": Decimal(rate)}
        for rate in ("20", "35.50", "41", "55", "70", "120")
    ]
    + [
        {
            "arrangement": "freelance",
            "pay_basis": "daily",
            "pay_amount": Decimal(rate),
            "schedule": "part_time",
            "hours_per_week": Decimal(20),
        }
        for rate in ("180", "400", "650")
    ]
    + [
        {"arrangement": "employee", "pay_basis": "monthly", "pay_amount": Decimal(4_321)},
        {
            "arrangement": "contractor",
            "pay_basis": "project",
            "pay_amount": Decimal(12_000),
            "project_weeks": Decimal(8),
        },
    ]
)


def salary(amount) -> dict:
    """An employee's salary; benefits of 30% assumed: comparable is 1.3 times it."""
    return {"arrangement": "employee", "pay_basis": "annual", "pay_amount": Decimal(amount)}


MIDDLE = salary(46_000)  # 59,800 comparable: 3 on the straight line, 6 levelling off at 5


def settle(user, floor=FLOOR, target=TARGET):
    profile = pay_profile(user)
    profile.pay_floor, profile.pay_target = floor, target
    save_pay_settings(profile=profile)
    return profile


def pay_of(user) -> Criterion:
    return Criterion.objects.get(owner=user, kind=CriterionKind.PAY)


def stored(opportunity, criterion):
    return Score.objects.get(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    )


@pytest.mark.parametrize(
    ("floor", "target"),
    [
        (FLOOR, TARGET),
        (Decimal(0), Decimal(1)),
        (Decimal(61_000), Decimal(61_000)),
        (Decimal(90_000), Decimal(40_000)),
        (Decimal("33333.33"), Decimal("97777.77")),
    ],
)
def test_the_default_curve_gives_every_factory_pay_exactly_pay_score(user, floor, target):
    opportunities = [OpportunityFactory(owner=user, **offer) for offer in OFFERS]
    profile = settle(user, floor, target)
    criterion = pay_of(user)
    assert criterion.curve == "linear"
    for opportunity in opportunities:
        annual = comparable_pay(opportunity, profile).breakdown.annual
        expected = pay_score(annual, floor=floor, target=target)
        assert (
            derive_pay_score(
                comparable_pay(opportunity, profile), profile, criterion=criterion
            ).value
            == expected
        )
        assert curve_of(criterion, profile).score(annual) == expected
        assert stored(opportunity, criterion).value == expected


def test_the_default_curve_gives_every_demo_pay_exactly_pay_score():
    call_command("load_demo", stdout=io.StringIO())
    demo = get_user_model().objects.get(username="demo")
    profile = pay_profile(demo)
    assert profile.pay_floor is not None
    assert profile.pay_target is not None
    criterion = pay_of(demo)
    checked = 0
    for opportunity in Opportunity.objects.for_user(demo):
        pay = comparable_pay(opportunity, profile)
        if pay.breakdown is None:
            continue
        expected = pay_score(
            pay.breakdown.annual, floor=profile.pay_floor, target=profile.pay_target
        )
        assert derivations(opportunity, profile, pay_criterion=criterion)["pay"].value == expected
        checked += 1
    assert checked >= 3
    # and re-deriving every score with the curves changes none of them
    assert refresh_derived_scores(demo) == 0


def test_a_curve_that_levels_off_raises_the_middle_and_says_so(user):
    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    profile = settle(user)
    criterion = pay_of(user)
    before = stored(opportunity, criterion).value
    changed = save_curve(criterion, shape="saturating", bend=5, threshold=None)
    after = stored(opportunity, criterion).value
    assert changed == 1
    assert (before, after) == (3, 6)
    derivation = opportunity_pay(opportunity).derived["pay"]
    assert derivation.value == after
    assert "on your “levels off” curve" in derivation.reason
    # back to the straight line: back to exactly pay_score
    save_curve(criterion, shape="linear", bend=5, threshold=None)
    assert stored(opportunity, criterion).value == before
    assert "curve" not in opportunity_pay(opportunity).derived["pay"].reason
    assert profile.pay_floor == FLOOR


def test_a_threshold_is_all_or_nothing_and_named(user):
    low = OpportunityFactory(owner=user, **salary(52_500))  # 68,250
    high = OpportunityFactory(owner=user, **salary(60_000))  # 78,000
    settle(user)
    criterion = pay_of(user)
    save_curve(criterion, shape="threshold", bend=3, threshold=Decimal(75_000))
    assert stored(low, criterion).value == 0
    assert stored(high, criterion).value == 10
    reason = opportunity_pay(high).derived["pay"].reason
    assert "“enough or not” curve, enough from USD 75,000" in reason


def test_a_score_set_by_hand_stays_when_the_curve_changes(user):
    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    settle(user)
    criterion = pay_of(user)
    Score.objects.filter(criterion=criterion).update(value=2, overridden=True)
    assert save_curve(criterion, shape="saturating", bend=9, threshold=None) == 0
    assert stored(opportunity, criterion).value == 2


def test_the_opportunity_page_threads_the_curve_without_a_query_more(
    client_in, user, django_assert_max_num_queries
):
    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    settle(user)
    url = opportunity.get_absolute_url()
    with django_assert_max_num_queries(60) as straight:
        client_in.get(url)
    save_curve(pay_of(user), shape="saturating", bend=5, threshold=None)
    with django_assert_max_num_queries(len(straight.captured_queries)):
        response = client_in.get(url)
    assert "levels off" in response.content.decode()


def test_opportunity_pay_without_the_criteria_looks_the_curve_up(user):
    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    settle(user)
    criterion = pay_of(user)
    save_curve(criterion, shape="saturating", bend=5, threshold=None)
    criteria = list(active_criteria(user))
    assert (
        opportunity_pay(opportunity).derived["pay"]
        == opportunity_pay(opportunity, criteria=criteria).derived["pay"]
    )
    assert stored(opportunity, criterion).value == opportunity_pay(opportunity).derived["pay"].value


def test_an_odd_stored_shape_falls_back_to_the_straight_line(user):
    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    profile = settle(user)
    Criterion.objects.filter(owner=user, kind="pay").update(curve="wavy")
    criterion = pay_of(user)
    pay = comparable_pay(opportunity, profile)
    expected = pay_score(pay.breakdown.annual, floor=FLOOR, target=TARGET)
    assert derive_pay_score(pay, profile, criterion=criterion).value == expected


def test_the_line_under_pays_slider_names_the_curve_without_a_query_more(
    client_in, user, htmx_headers, django_assert_num_queries
):
    from django.urls import reverse

    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    settle(user)
    criterion = pay_of(user)
    save_curve(criterion, shape="saturating", bend=5, threshold=None)
    url = reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk])
    # the save's 9 queries, then the opportunity, and Pay's curve with the pay settings
    with django_assert_num_queries(11):
        response = client_in.post(url, {f"{criterion.pk}-value": "2"}, headers=htmx_headers())
    assert "Set by hand; from its inputs it would be 6." in response.text


def test_the_line_under_pays_slider_without_pay_settings(client_in, user, htmx_headers):
    from django.urls import reverse

    opportunity = OpportunityFactory(owner=user, **MIDDLE)
    criterion = pay_of(user)
    url = reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk])
    response = client_in.post(url, {f"{criterion.pk}-value": "2"}, headers=htmx_headers())
    assert response.status_code == 200
    assert "Use the derived score" in response.text
