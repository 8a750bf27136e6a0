"""Comparable pay worked out once per process (``pay.queries.remembered_breakdown``):
the dashboard and the comparison ask for every open opportunity's on every draw. What is
remembered must be what would be worked out, for any offer under any settings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings

from opportunities.pay.core import (
    PayAssumptions,
    PayInputError,
    PayInputs,
    comparable_annual_pay,
)
from opportunities.pay.queries import _breakdown, remembered_breakdown
from tests.pay.test_core import assumption_sets, offers


@given(offer=offers(), assumptions=assumption_sets())
@settings(max_examples=200)
def test_what_is_remembered_is_what_would_be_worked_out(offer, assumptions):
    try:
        fresh = comparable_annual_pay(offer, assumptions=assumptions)
    except PayInputError:
        with pytest.raises(PayInputError):
            remembered_breakdown(offer, assumptions)
        return
    assert remembered_breakdown(offer, assumptions) == fresh
    assert remembered_breakdown(offer, assumptions) == fresh  # and again, remembered


def test_the_same_offer_is_worked_out_once():
    _breakdown.cache_clear()
    offer = PayInputs(arrangement="employee", basis="annual", amount=Decimal(61000))
    first = remembered_breakdown(offer, PayAssumptions())
    again = remembered_breakdown(
        PayInputs(arrangement="employee", basis="annual", amount=Decimal(61000)), PayAssumptions()
    )
    assert again is first
    assert _breakdown.cache_info().hits == 1


def test_other_settings_or_another_way_of_writing_a_number_are_worked_out_anew():
    offer = PayInputs(
        arrangement="employee", basis="hourly", amount=Decimal(40), hours_per_week=Decimal("37.5")
    )
    mine = remembered_breakdown(offer, PayAssumptions())
    theirs = remembered_breakdown(offer, PayAssumptions(employee_benefits_share=Decimal("0.1")))
    assert theirs.annual < mine.annual
    written_otherwise = PayInputs(
        arrangement="employee", basis="hourly", amount=Decimal(40), hours_per_week=Decimal("37.50")
    )
    assert written_otherwise == offer  # equal as values...
    assert remembered_breakdown(written_otherwise, PayAssumptions()) is not mine  # kept apart


def test_a_refused_offer_is_refused_every_time():
    absurd = PayInputs(arrangement="employee", basis="annual", amount=Decimal(-1))
    for _ in range(2):
        with pytest.raises(PayInputError):
            remembered_breakdown(absurd, PayAssumptions())
