"""Weights in money and hours (weights.core): the exchange rate, worth, leads, the net and
rounding, with property tests for what makes the figure honest — linear in the score
differences, zero between equal options, the same number seen from either side."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.weights.core import (
    Exchange,
    NoExchange,
    PayScale,
    exchange,
    leads,
    net_worth,
    round_money,
)

CRITERIA = ["pay", "growth", "life", "values"]
SCALE = PayScale(
    pay_criterion="pay",
    floor=Decimal(40_000),
    target=Decimal(80_000),
    currency="USD",
    full_time_hours=Decimal(40),
)

weights_st = st.fixed_dictionaries(
    {"pay": st.integers(1, 10), **{c: st.integers(0, 10) for c in CRITERIA[1:]}}
)
differences_st = st.fixed_dictionaries({c: st.integers(-10, 10) for c in CRITERIA})
scores_st = st.fixed_dictionaries({c: st.one_of(st.none(), st.integers(0, 10)) for c in CRITERIA})
scales_st = st.builds(
    PayScale,
    pay_criterion=st.just("pay"),
    floor=st.integers(0, 200_000).map(Decimal),
    target=st.integers(200_001, 500_000).map(Decimal),
    currency=st.just("EUR"),
    full_time_hours=st.integers(1, 60).map(Decimal),
)


def rates(weights, scale=SCALE) -> Exchange:
    found = exchange(weights, scale)
    assert isinstance(found, Exchange)
    return found


def close(x: Decimal, y: Decimal) -> bool:
    """Equal but for the last digits of Decimal's 28-digit arithmetic."""
    return abs(x - y) <= Decimal("1e-12") * max(Decimal(1), abs(x), abs(y))


# --- Linear in the score differences ----------------------------------------------------------


@settings(max_examples=200)
@given(weights=weights_st, a=differences_st, b=differences_st, scale=scales_st)
def test_worth_is_additive(weights, a, b, scale):
    r = rates(weights, scale)
    together = {c: a[c] + b[c] for c in CRITERIA}
    assert close(r.worth(together), r.worth(a) + r.worth(b))


@settings(max_examples=200)
@given(weights=weights_st, d=differences_st, k=st.integers(-5, 5))
def test_worth_scales_with_the_difference(weights, d, k):
    r = rates(weights)
    assert close(r.worth({c: k * d[c] for c in CRITERIA}), k * r.worth(d))


@given(weights=weights_st)
def test_no_difference_is_worth_nothing(weights):
    assert rates(weights).worth(dict.fromkeys(CRITERIA, 0)) == 0


@settings(max_examples=200)
@given(weights=weights_st, scores=scores_st)
def test_net_worth_of_equal_options_is_zero(weights, scores):
    assert net_worth(scores, scores, rates(weights)) == 0


@settings(max_examples=200)
@given(weights=weights_st, a=scores_st, b=scores_st)
def test_net_worth_is_antisymmetric(weights, a, b):
    r = rates(weights)
    assert close(net_worth(a, b, r), -net_worth(b, a, r))


@settings(max_examples=200)
@given(weights=weights_st, a=scores_st, b=scores_st)
def test_net_worth_is_the_sum_of_the_leads_either_way(weights, a, b):
    r = rates(weights)
    found = leads(("A", a), ("B", b), r)
    signed = sum((lead.amount if lead.ahead == "A" else -lead.amount for lead in found), Decimal(0))
    assert close(net_worth(a, b, r), signed)


# --- The exchange rate ---------------------------------------------------------------------------


@given(pay_weight=st.integers(1, 10), scale=scales_st)
def test_a_point_of_pay_is_a_tenth_of_the_floor_to_target_range(pay_weight, scale):
    r = rates({"pay": pay_weight, "growth": 3}, scale)
    assert close(r.per_point["pay"], (scale.target - scale.floor) / 10)


def test_a_point_of_another_criterion_is_priced_by_its_weight_against_pay():
    r = rates({"pay": 7, "growth": 6, "life": 0})
    # A point of Pay is USD 4,000; growth weighs 6/7 of it.
    assert r.per_point["pay"] == Decimal(4000)
    assert close(r.per_point["growth"], Decimal(4000) * 6 / 7)
    assert r.per_point["life"] == 0
    assert round_money(r.per_point["growth"]) == Decimal(3400)


@pytest.mark.parametrize(
    ("weights", "scale", "reason"),
    [
        ({"growth": 5}, SCALE, "no-pay"),
        ({"pay": 5, "growth": 5}, None, "no-pay"),
        ({"pay": 0, "growth": 5}, SCALE, "no-weight"),
        (
            {"pay": 5},
            PayScale("pay", floor=Decimal(80_000), target=Decimal(80_000), currency="USD"),
            "no-scale",
        ),
        (
            {"pay": 5},
            PayScale("pay", floor=Decimal(90_000), target=Decimal(50_000), currency="USD"),
            "no-scale",
        ),
    ],
)
def test_no_exchange_says_why(weights, scale, reason):
    assert exchange(weights, scale) == NoExchange(reason)


def test_hours_a_week_are_at_the_targets_hourly_value():
    r = rates({"pay": 5, "growth": 5})
    # USD 80,000 a year for 40 hours a week: USD 2,000 a year is one hour of every week.
    assert r.hours_a_week(Decimal(2000)) == 1
    assert r.hours_a_week(Decimal(6200)) == Decimal("3.1")
    short_week = PayScale("pay", Decimal(40_000), Decimal(80_000), "USD", Decimal(20))
    assert rates({"pay": 5}, short_week).hours_a_week(Decimal(4000)) == 1


@given(weights=weights_st, d=differences_st)
def test_hours_are_linear_in_the_amount(weights, d):
    r = rates(weights)
    amount = r.worth(d)
    assert close(r.hours_a_week(2 * amount), 2 * r.hours_a_week(amount))


# --- Rounding and leads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("6171.43", "6200"),
        ("6150", "6200"),
        ("6149.99", "6100"),
        ("999.4", "1000"),
        ("994", "990"),
        ("995", "1000"),
        ("12.5", "10"),
        ("15", "20"),
        ("0", "0"),
        ("-3149", "-3100"),
        ("-3150", "-3200"),
        ("1234567", "1234600"),
    ],
)
def test_round_money_rounds_as_a_sentence_says_it(amount, rounded):
    assert round_money(Decimal(amount)) == Decimal(rounded)


def test_leads_are_largest_first_and_leave_out_levels_and_unscored():
    r = rates({"pay": 7, "growth": 6, "life": 8, "values": 2})
    a = {"pay": 5, "growth": 9, "life": 4, "values": None}
    b = {"pay": 5, "growth": 6, "life": 8, "values": 9}
    found = leads(("A", a), ("B", b), r)
    assert [(lead.criterion, lead.ahead, lead.points) for lead in found] == [
        ("life", "B", 4),  # 8/7 · 4,000 · 4 = 18,286
        ("growth", "A", 3),  # 6/7 · 4,000 · 3 = 10,286
    ]
    assert [round_money(lead.amount) for lead in found] == [Decimal(18_300), Decimal(10_300)]
    amounts = [lead.amount for lead in found]
    assert amounts == sorted(amounts, reverse=True)


def test_a_criterion_weighing_zero_leads_nowhere():
    r = rates({"pay": 7, "growth": 0})
    assert leads(("A", {"growth": 9}), ("B", {"growth": 1}), r) == []


@given(weights=weights_st, a=scores_st, b=scores_st)
def test_leads_are_sorted_by_amount(weights, a, b):
    found = leads(("A", a), ("B", b), rates(weights))
    assert all(x.amount >= y.amount for x, y in itertools.pairwise(found))
    assert all(lead.points > 0 for lead in found)
