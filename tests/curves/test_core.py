"""Value curves, pure: the default reproduces today's Pay score for every pay, a curve that
levels off is monotone and bounded, a threshold steps, a curve survives being frozen, and
a frozen copy that is not one is refused."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.curves.core import (
    BEND_MAX,
    BEND_MIN,
    LINEAR,
    SATURATING,
    SCALE_LIMIT,
    THRESHOLD,
    Curve,
    CurveError,
    check_scale,
    freeze_entry,
    pay_curve,
    read_frozen_curves,
    thaw,
)
from opportunities.pay.core import pay_score

money = st.decimals(min_value=Decimal(0), max_value=Decimal(10_000_000), places=2, allow_nan=False)
numbers = st.decimals(
    min_value=Decimal(-100_000), max_value=Decimal(100_000), places=2, allow_nan=False
)
bends = st.integers(min_value=BEND_MIN, max_value=BEND_MAX)


@settings(max_examples=500)
@given(floor=money, target=money, annual=money)
def test_the_default_curve_is_exactly_pay_score(floor, target, annual):
    curve = pay_curve(floor=floor, target=target)
    assert curve.score(annual) == pay_score(annual, floor=floor, target=target)


@settings(max_examples=300)
@given(floor=money, target=money, annual=money, bend=bends)
def test_the_bend_does_not_matter_to_a_straight_line(floor, target, annual, bend):
    curve = pay_curve(floor=floor, target=target, shape=LINEAR, bend=bend)
    assert curve.score(annual) == pay_score(annual, floor=floor, target=target)


@settings(max_examples=300)
@given(worst=numbers, best=numbers, a=numbers, b=numbers, bend=bends)
def test_a_curve_that_levels_off_is_monotone_and_bounded(worst, best, a, b, bend):
    curve = Curve(worst=worst, best=best, shape=SATURATING, bend=bend)
    low, high = sorted((a, b))
    for raw in (low, high):
        assert 0 <= curve.score(raw) <= 10
        assert 0.0 <= curve.value(raw) <= 10.0
    if best >= worst:  # higher is better: non-decreasing
        assert curve.score(low) <= curve.score(high)
        assert curve.value(low) <= curve.value(high) + 1e-9
    else:  # fewer is better (a commute): non-increasing
        assert curve.score(low) >= curve.score(high)
        assert curve.value(low) + 1e-9 >= curve.value(high)


@settings(max_examples=200)
@given(
    worst=st.decimals(min_value=0, max_value=1000, places=0),
    span=st.decimals(min_value=10, max_value=1000, places=0),
    bend=bends,
)
def test_levelling_off_scores_at_least_the_straight_line_between_the_ends(worst, span, bend):
    best = worst + span
    bent = Curve(worst=worst, best=best, shape=SATURATING, bend=bend)
    straight = Curve(worst=worst, best=best)
    for step in range(11):
        raw = worst + span * step / 10
        assert bent.value(raw) + 1e-9 >= straight.value(raw)
    assert bent.score(worst) == 0
    assert bent.score(best) == 10


def test_a_higher_bend_levels_off_sooner():
    values = [
        Curve(Decimal(0), Decimal(100), SATURATING, bend).value(Decimal(25)) for bend in (1, 5, 9)
    ]
    assert values == sorted(values)
    assert values[0] < values[-1]


@given(
    worst=numbers, span=st.decimals(min_value=1, max_value=1000, places=2), share=st.floats(0, 1)
)
def test_a_threshold_steps_from_0_to_10_at_its_number(worst, span, share):
    best = worst + span
    threshold = (worst + span * Decimal(str(round(share, 4)))).quantize(Decimal("0.01"))
    curve = Curve(worst=worst, best=best, shape=THRESHOLD, threshold=threshold)
    assert curve.score(threshold) == 10
    assert curve.score(best) == 10
    if threshold > worst:
        assert curve.score(worst) == 0
        assert curve.score(threshold - Decimal("0.01")) == 0


def test_a_threshold_without_a_number_sits_at_the_best():
    curve = Curve(Decimal(90), Decimal(10), THRESHOLD)
    assert curve.score(Decimal(10)) == 10
    assert curve.score(Decimal(11)) == 0


@given(at=numbers, raw=numbers, shape=st.sampled_from([LINEAR, SATURATING, THRESHOLD]))
def test_a_degenerate_scale_is_a_single_threshold(at, raw, shape):
    curve = Curve(worst=at, best=at, shape=shape)
    assert curve.degenerate
    assert curve.score(raw) == (10 if raw >= at else 0)
    assert len(curve.points(5)) == 2


@given(floor=money, target=money, raw=money)
def test_a_pay_floor_at_or_above_the_target_acts_as_pay_score_does(floor, target, raw):
    curve = pay_curve(floor=max(floor, target), target=min(floor, target), shape=SATURATING)
    assert curve.score(raw) == pay_score(raw, floor=max(floor, target), target=min(floor, target))


@given(
    worst=numbers,
    best=numbers,
    shape=st.sampled_from([LINEAR, SATURATING, THRESHOLD]),
    bend=bends,
    threshold=st.none() | numbers,
)
def test_thaw_of_freeze_round_trips(worst, best, shape, bend, threshold):
    curve = Curve(worst=worst, best=best, shape=shape, bend=bend, threshold=threshold)
    assert thaw(curve.freeze()) == curve
    entry = freeze_entry(curve, name="Commute", kind="number", unit="minutes", amount=worst)
    [(key, frozen)] = read_frozen_curves({"7": entry}).items()
    assert key == "7"
    assert frozen.curve == curve
    assert (frozen.name, frozen.unit, frozen.amount) == ("Commute", "minutes", worst)


@pytest.mark.parametrize(
    "junk",
    [
        {},
        {"worst": "1"},
        {"worst": "x", "best": "2"},
        {"worst": "NaN", "best": "2"},
        {"worst": "1", "best": "Infinity"},
        {"worst": "1", "best": "2", "shape": "wavy"},
        {"worst": "1", "best": "2", "bend": 99},
        {"worst": "1", "best": "2", "bend": "lots"},
        {"worst": "1", "best": "2", "threshold": "sNaN"},
        {"worst": [1], "best": "2"},
    ],
)
def test_thaw_refuses_junk(junk):
    with pytest.raises(CurveError):
        thaw(junk)


GOOD = freeze_entry(
    Curve(Decimal(50_000), Decimal(80_000), SATURATING),
    name="Pay",
    kind="pay",
    unit="USD",
    amount=Decimal(62_000),
)


@pytest.mark.parametrize(
    "junk",
    [
        [],
        "curves",
        None,
        {"pay": GOOD},
        {"1": "not an object"},
        {"1": GOOD | {"bend": 99}},
        {"1": GOOD | {"bend": 3.5}},
        {"1": GOOD | {"bend": True}},
        {"1": GOOD | {"threshold": "NaN"}},
        {"1": GOOD | {"worst": "1e400"}},
        {"1": GOOD | {"worst": True}},
        {"1": GOOD | {"shape": "wavy"}},
        {"1": GOOD | {"name": ""}},
        {"1": GOOD | {"name": "x" * 81}},
        {"1": GOOD | {"name": 7}},
        {"1": GOOD | {"unit": ["USD"]}},
        {"1": GOOD | {"kind": "gut"}},
        {"1": GOOD | {"amount": "Infinity"}},
        {"1": GOOD | {"amount": {"a": 1}}},
        {str(n): GOOD for n in range(101)},
    ],
)
def test_reading_frozen_curves_refuses_junk(junk):
    with pytest.raises(CurveError):
        read_frozen_curves(junk)


def test_reading_frozen_curves_keeps_a_good_copy():
    [frozen] = read_frozen_curves({"12": GOOD}).values()
    assert frozen.kind == "pay"
    assert frozen.curve.shape == SATURATING
    assert frozen.amount == Decimal(62_000)


@pytest.mark.parametrize(
    ("worst", "best", "problem"),
    [
        (None, Decimal(1), "Say which number"),
        (Decimal(1), None, "Say which number"),
        (Decimal(5), Decimal(5), "must differ"),
        (Decimal(0), SCALE_LIMIT + 1, "Use numbers between"),
        (Decimal("NaN"), Decimal(1), "Use numbers between"),
        (Decimal(90), Decimal(10), None),
        (Decimal(0), Decimal(10), None),
    ],
)
def test_check_scale(worst, best, problem):
    said = check_scale(worst, best)
    if problem is None:
        assert said is None
    else:
        assert problem in said
