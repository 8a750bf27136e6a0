"""rescore_numbers: a number criterion's amounts scored through its curve on every live
evaluation, with the stored totals that follow."""

from decimal import Decimal

import pytest

from opportunities.models import CriterionKind, CurveShape, Evaluation, Score
from opportunities.scoring.amounts import rescore_numbers
from opportunities.scoring.services import live_evaluation, save_checkpoint
from tests.factories import CriterionFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def commute(user, **fields):
    values = {
        "name": "Commute",
        "kind": CriterionKind.NUMBER,
        "unit": "minutes a day",
        "worst": Decimal(90),
        "best": Decimal(10),
        "weight": 5,
    } | fields
    return CriterionFactory(owner=user, **values)


def amount_on(opportunity, criterion, amount, **fields) -> Score:
    return Score.objects.create(
        owner=opportunity.owner,
        evaluation=live_evaluation(opportunity),
        criterion=criterion,
        amount=amount,
        **fields,
    )


def live(opportunity) -> Evaluation:
    return Evaluation.objects.get(opportunity=opportunity, frozen_at=None)


def test_scores_each_amount_through_the_curve_and_stores_the_totals(user):
    criterion = commute(user)
    near, far = OpportunityFactory(owner=user), OpportunityFactory(owner=user)
    amount_on(near, criterion, Decimal(35))  # (90 - 35) / 80 = 0.6875 -> 7
    amount_on(far, criterion, Decimal(120))

    assert rescore_numbers(user) == 2

    assert Score.objects.get(evaluation=live(near), criterion=criterion).value == 7
    assert Score.objects.get(evaluation=live(far), criterion=criterion).value == 0
    assert live(near).scored_count == 1
    assert live(near).decision_score == Decimal(70)
    assert rescore_numbers(user) == 0  # nothing left to change


def test_a_curve_changed_moves_the_scores(user):
    criterion = commute(user)
    opportunity = OpportunityFactory(owner=user)
    amount_on(opportunity, criterion, Decimal(50))
    rescore_numbers(user)
    assert Score.objects.get(criterion=criterion).value == 5

    criterion.curve = CurveShape.THRESHOLD
    criterion.curve_threshold = Decimal(60)
    criterion.save()

    assert rescore_numbers(user, criteria=[criterion]) == 1
    assert Score.objects.get(criterion=criterion).value == 10
    assert live(opportunity).decision_score == Decimal(100)


def test_leaves_overridden_scores_missing_amounts_and_unsound_scales(user):
    criterion = commute(user)
    unsound = commute(user, name="Hours", worst=Decimal(40), best=Decimal(40))
    unset = commute(user, name="Desk days", worst=None, best=None)
    opportunity = OpportunityFactory(owner=user)
    amount_on(opportunity, criterion, Decimal(10), value=3, overridden=True)
    amount_on(opportunity, unsound, Decimal(45), value=4)
    amount_on(opportunity, unset, Decimal(2), value=None)
    other = OpportunityFactory(owner=user)
    amount_on(other, criterion, None, value=6)

    assert rescore_numbers(user) == 0
    values = dict(
        Score.objects.values_list("criterion__name", "value").filter(amount__isnull=False)
    )
    assert values == {"Commute": 3, "Hours": 4, "Desk days": None}
    assert Score.objects.get(evaluation=live(other)).value == 6


def test_a_range_goes_when_it_no_longer_holds_the_value_and_stays_when_it_does(user):
    criterion = commute(user)
    kept, dropped = OpportunityFactory(owner=user), OpportunityFactory(owner=user)
    amount_on(kept, criterion, Decimal(50), value=4, low=3, high=7)  # now 5: still inside
    amount_on(dropped, criterion, Decimal(10), value=4, low=3, high=7)  # now 10: outside

    assert rescore_numbers(user) == 2

    kept_score = Score.objects.get(evaluation=live(kept))
    assert (kept_score.value, kept_score.low, kept_score.high) == (5, 3, 7)
    dropped_score = Score.objects.get(evaluation=live(dropped))
    assert (dropped_score.value, dropped_score.low, dropped_score.high) == (10, None, None)


def test_only_the_criteria_given_and_only_active_number_ones(user, criteria):
    criterion = commute(user)
    other = commute(user, name="Hours a week", worst=Decimal(50), best=Decimal(30))
    opportunity = OpportunityFactory(owner=user)
    amount_on(opportunity, criterion, Decimal(10))
    amount_on(opportunity, other, Decimal(30))
    manual = criteria[0]  # an amount on a criterion scored by hand is not looked at

    assert rescore_numbers(user, criteria=[other, manual]) == 1
    assert Score.objects.get(criterion=criterion).value is None
    assert Score.objects.get(criterion=other).value == 10


def test_checkpoints_and_other_users_are_left_alone(user, other_user):
    criterion = commute(user)
    opportunity = OpportunityFactory(owner=user)
    amount_on(opportunity, criterion, Decimal(10), value=2)
    checkpoint = save_checkpoint(opportunity=opportunity, label="Before")
    theirs = commute(other_user)
    amount_on(OpportunityFactory(owner=other_user), theirs, Decimal(10), value=2)

    rescore_numbers(user)

    assert Score.objects.get(evaluation=checkpoint, criterion=criterion).value == 2
    assert Score.objects.get(criterion=theirs).value == 2
    carried_on = Score.objects.get(evaluation=live(opportunity), criterion=criterion)
    assert (carried_on.amount, carried_on.value) == (Decimal(10), 10)


@pytest.mark.parametrize("count", [1, 8])
def test_a_fixed_number_of_queries_however_many_opportunities(
    user, count, django_assert_max_num_queries
):
    criterion = commute(user)
    for index in range(count):
        amount_on(OpportunityFactory(owner=user), criterion, Decimal(10 + index))
    # the criteria, the live evaluations (locked), their scores, the scores and the
    # totals updated, and the savepoint taken and released
    with django_assert_max_num_queries(7):
        assert rescore_numbers(user) == count
