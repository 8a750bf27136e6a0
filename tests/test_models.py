"""The database itself enforces the rules, whatever code writes to it."""

import pytest
from django.db import IntegrityError, transaction

from opportunities.models import Criterion, Evaluation, Opportunity, Score
from tests.factories import CriterionFactory, OpportunityFactory, ScoreFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weight", [11, 100])
def test_criterion_weight_above_ten_is_rejected_by_the_database(weight):
    criterion = CriterionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(pk=criterion.pk).update(weight=weight)


def test_negative_weight_is_rejected_by_the_database():
    criterion = CriterionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(pk=criterion.pk).update(weight=-1)


@pytest.mark.parametrize("value", [-1, 11])
def test_score_out_of_range_is_rejected_by_the_database(value):
    score = ScoreFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(value=value)


def test_minimum_above_ten_is_rejected_by_the_database():
    criterion = CriterionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.filter(pk=criterion.pk).update(minimum=11)


def test_one_score_per_evaluation_and_criterion():
    score = ScoreFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            owner_id=score.owner_id,
            evaluation_id=score.evaluation_id,
            criterion_id=score.criterion_id,
            value=3,
        )


def test_only_one_status_quo_per_user_but_each_user_may_have_one():
    owner = UserFactory()
    OpportunityFactory(owner=owner, is_status_quo=True)
    OpportunityFactory(is_status_quo=True)  # someone else's
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.create(owner=owner, title="Second", is_status_quo=True)
    assert Opportunity.objects.filter(is_status_quo=True).count() == 2


def test_only_one_live_evaluation_per_opportunity():
    opportunity = OpportunityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(owner_id=opportunity.owner_id, opportunity=opportunity)


def test_hours_per_week_out_of_range_is_rejected_by_the_database():
    opportunity = OpportunityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(hours_per_week=200)


def test_for_user_returns_only_the_owners_rows():
    mine = OpportunityFactory()
    OpportunityFactory()
    assert list(Opportunity.objects.for_user(mine.owner)) == [mine]
