"""Where "derived from the offer" (Pay, the arrangement) used to mean "any kind but by
hand": what a number criterion does in each of those places."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opportunities.criteria.services import set_archived
from opportunities.friends.services import adopt_friends_score
from opportunities.models import CriterionKind, EntryKind, Score, TimelineEntry
from opportunities.pay.services import refresh_derived_scores, use_derived_score
from opportunities.scoring.amounts import save_amount
from opportunities.scoring.services import save_checkpoint, save_score
from tests.factories import OpportunityFactory
from tests.friends.owner_helpers import answer, make_link, make_round, url

pytestmark = pytest.mark.django_db


def live(opportunity, criterion) -> Score:
    return Score.objects.get(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    )


def test_refreshing_derived_scores_passes_number_criteria_by(user, commute):
    """pay.services.refresh_derived_scores: only Pay and the arrangement follow the offer;
    a number criterion follows its amount (and raised KeyError before)."""
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    Score.objects.filter(criterion=commute).update(value=1)

    refresh_derived_scores(user)

    assert live(opportunity, commute).value == 1


def test_use_the_derived_score_is_refused_for_a_number_criterion(client_in, user, commute):
    """pay.services.use_derived_score / pay.views: a number criterion has no derived score
    to go back to (a new amount is how); the endpoint is a 404."""
    opportunity = OpportunityFactory(owner=user)
    with pytest.raises(ValueError, match="not derived from the offer"):
        use_derived_score(opportunity=opportunity, criterion=commute)
    address = reverse("opportunities:use_derived_score", args=[opportunity.pk, commute.pk])
    assert client_in.post(address).status_code == 404


def test_the_pay_page_lists_only_the_scores_derived_from_the_offer(client_in, user, commute):
    """pay.views._compensation_context: the derived rows are Pay and the arrangement."""
    opportunity = OpportunityFactory(owner=user)
    address = reverse("opportunities:compensation", args=[opportunity.pk])
    data = {"arrangement": "employee", "pay_basis": "annual", "pay_amount": "50000"}
    response = client_in.post(address, data | {"preview": "1"})
    assert response.status_code == 200
    assert 'data-testid="derived-number"' not in response.text


def test_a_hand_score_on_a_number_criterion_is_set_by_hand(user, commute):
    """scoring.services.save_live_score: a value typed over the amount's score is set by
    hand (so rescoring leaves it), and says so; the page has no "use the derived score"."""
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    saved = save_score(opportunity=opportunity, criterion=commute, value=9)
    assert saved.set_by_hand_now
    assert (live(opportunity, commute).value, live(opportunity, commute).overridden) == (9, True)


def test_the_opportunity_page_has_no_derivation_line_for_a_number(client_in, user, commute):
    """scoring.views: derivations (and "Use the derived score") only for Pay and the
    arrangement."""
    opportunity = OpportunityFactory(owner=user)
    body = client_in.get(opportunity.get_absolute_url()).text
    assert f'id="score-derivation-{commute.pk}"' not in body
    assert f'id="derive-{commute.pk}"' not in body


def test_a_slider_save_on_a_number_criterion_answers_without_a_derivation(client_in, user, commute):
    """scoring.views.score_save: set by hand now on a number criterion does not look for a
    derivation (a KeyError before)."""
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    response = client_in.post(
        reverse("opportunities:score_save", args=[opportunity.pk, commute.pk]),
        {f"{commute.pk}-value": "9"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "score-derivation" not in response.text


def test_adopting_a_friends_score_on_a_number_sets_it_by_hand_and_the_story_says_so(
    client_in, user, commute
):
    """friends.services.adoption: the friends' median replaces the amount's score, set by
    hand until a new number is typed."""
    agency = OpportunityFactory(owner=user, title="Agency role")
    save_amount(opportunity=agency, criterion=commute, amount=Decimal(50))
    friend_round = make_round(user, agency)
    link, _ = make_link(friend_round, "Ana")
    answer(link, agency, {commute: 2})
    page = client_in.get(url("friends_round", friend_round.pk)).text
    assert "Commute is scored from its number; taking their score sets it by hand" in page

    adopted = adopt_friends_score(
        user=user, round_id=friend_round.pk, opportunity_id=agency.pk, criterion_id=commute.pk
    )

    assert (live(agency, commute).value, live(agency, commute).overridden) == (2, True)
    assert not adopted.set_by_hand  # the page's "use the derived score" hint is not for it
    entry = TimelineEntry.objects.get(kind=EntryKind.FRIENDS)
    assert "Commute is now set by hand, no longer scored from its number" in entry.body
    save_amount(opportunity=agency, criterion=commute, amount=Decimal(10))
    assert (live(agency, commute).value, live(agency, commute).overridden) == (10, False)


def test_restoring_a_number_criterion_rescores_it_and_not_the_offer(user, commute):
    """criteria.services.set_archived: a restored number criterion is rescored from its
    amounts; Pay and the arrangement are refreshed only for themselves."""
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(50))
    set_archived(criterion=commute, archived=True)
    Score.objects.filter(criterion=commute).update(value=0)
    set_archived(criterion=commute, archived=False)
    assert live(opportunity, commute).value == 5


def test_a_checkpoint_keeps_the_amount_and_carries_it_on(user, commute):
    """scoring.services.save_checkpoint: the amount is part of the score, frozen and
    carried on like the value."""
    opportunity = OpportunityFactory(owner=user)
    save_amount(opportunity=opportunity, criterion=commute, amount=Decimal(35))
    checkpoint = save_checkpoint(opportunity=opportunity, label="After the interview")
    frozen = Score.objects.get(evaluation=checkpoint, criterion=commute)
    assert (frozen.amount, frozen.value) == (Decimal(35), 7)
    assert (live(opportunity, commute).amount, live(opportunity, commute).value) == (
        Decimal(35),
        7,
    )


def test_the_kinds_derived_from_the_offer(commute):
    assert commute.is_number
    assert not commute.derived_from_offer
    assert CriterionKind.NUMBER not in (CriterionKind.PAY, CriterionKind.ARRANGEMENT)
