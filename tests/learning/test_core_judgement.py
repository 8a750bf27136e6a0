"""How well I judge, the arithmetic (pure, no Django): the Brier score and the calibration
bands on known examples, the minimum-sample rule and its Wilson interval, Spearman's rank
correlation, the predictors held against outcomes and the tendencies to over- or
under-score."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.learning.core import (
    BANDS,
    MIN_RESCORES,
    MIN_SAMPLE,
    Case,
    Rate,
    Rescore,
    Resolved,
    brier_score,
    calibration,
    compare_predictors,
    spearman,
    tendencies,
    wilson_interval,
)

# --- The Brier score ------------------------------------------------------------------------


def test_brier_of_nothing_is_none():
    assert brier_score([]) is None


def test_brier_of_one_forecast():
    assert brier_score([Resolved(80, True)]) == pytest.approx(0.04)
    assert brier_score([Resolved(80, False)]) == pytest.approx(0.64)


def test_brier_known_examples():
    # Always 50 %: a quarter, whatever happens.
    assert brier_score([Resolved(50, True), Resolved(50, False)]) == pytest.approx(0.25)
    # Certain and right is perfect; certain and wrong is the worst.
    assert brier_score([Resolved(100, True), Resolved(0, False)]) == 0
    assert brier_score([Resolved(100, False), Resolved(0, True)]) == 1
    # (0.7-1)² = 0.09, (0.2-0)² = 0.04, (0.9-0)² = 0.81: mean 0.3133…
    assert brier_score(
        [Resolved(70, True), Resolved(20, False), Resolved(90, False)]
    ) == pytest.approx(0.94 / 3)


def test_a_probability_outside_0_100_is_refused():
    for wrong in (-1, 101):
        with pytest.raises(ValueError, match="0-100"):
            Resolved(wrong, True)
    with pytest.raises(ValueError, match="0-100"):
        Resolved(True, True)  # type: ignore[arg-type]


# --- Calibration ----------------------------------------------------------------------------


def test_calibration_of_nothing_is_every_band_empty():
    bands = calibration([])
    assert [(b.low, b.high) for b in bands] == list(BANDS)
    assert all(b.rate.count == 0 and b.mean_stated is None for b in bands)
    assert next(b.label for b in bands) == "0–20 %"


def test_calibration_of_one_forecast():
    bands = calibration([Resolved(65, True)])
    assert [b.rate.count for b in bands] == [0, 0, 0, 1, 0]
    assert bands[3].rate.hits == 1
    assert bands[3].mean_stated == pytest.approx(0.65)
    assert bands[3].rate.value is None  # One is far below the minimum.


def test_calibration_all_in_one_band():
    forecasts = [Resolved(p, p % 2 == 0) for p in (40, 42, 45, 51, 59, 58)]
    bands = calibration(forecasts)
    assert [b.rate.count for b in bands] == [0, 0, 6, 0, 0]
    assert bands[2].rate.hits == 3
    assert bands[2].mean_stated == pytest.approx(sum((40, 42, 45, 51, 59, 58)) / 600)
    assert bands[2].rate.value == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("probability", "band"),
    [(0, 0), (19, 0), (20, 1), (39, 1), (40, 2), (60, 3), (79, 3), (80, 4), (99, 4), (100, 4)],
)
def test_each_band_holds_its_lower_bound_and_the_last_holds_100(probability, band):
    counts = [b.rate.count for b in calibration([Resolved(probability, True)])]
    assert counts[band] == 1
    assert sum(counts) == 1


# --- The minimum sample and the Wilson interval ----------------------------------------------


@pytest.mark.parametrize(
    ("hits", "count", "low", "high"),
    [
        (0, 5, 0.0, 0.4345),
        (5, 10, 0.2366, 0.7634),
        (8, 10, 0.4902, 0.9433),
        (5, 5, 0.5655, 1.0),
        (1, 1, 0.2065, 1.0),
    ],
)
def test_wilson_interval_known_values(hits, count, low, high):
    lower, upper = wilson_interval(hits, count)
    assert lower == pytest.approx(low, abs=1e-4)
    assert upper == pytest.approx(high, abs=1e-4)


def test_wilson_interval_needs_a_case_and_sensible_hits():
    with pytest.raises(ValueError, match="at least one case"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="hits must be within"):
        wilson_interval(3, 2)


def test_a_rate_is_withheld_below_the_minimum_sample():
    rate = Rate(2, MIN_SAMPLE - 1)
    assert not rate.enough
    assert rate.needed == 1
    assert rate.value is None
    assert rate.interval is None
    assert rate.display == f"2 of 4 (4 of {MIN_SAMPLE} needed for a rate)"
    assert "%" not in rate.display


def test_a_rate_is_given_with_its_interval_from_the_minimum_sample():
    rate = Rate(4, MIN_SAMPLE)
    assert rate.enough
    assert rate.needed == 0
    assert rate.value == pytest.approx(0.8)
    low, high = rate.interval
    assert low < 0.8 < high
    assert rate.display == "4 of 5 (80%, likely 38%–96%)"


def test_an_empty_rate_needs_the_whole_sample():
    assert Rate(0, 0).needed == MIN_SAMPLE
    with pytest.raises(ValueError, match="hits must be within"):
        Rate(3, 2)


# --- Spearman -------------------------------------------------------------------------------


def test_spearman_known_values():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1)
    # Any monotone relation is a perfect rank correlation.
    assert spearman([1, 2, 3, 4, 5], [1, 4, 9, 16, 100]) == pytest.approx(1)
    # d = (0, 1, -1, 0, 0): 1 - 6·2/(5·24) = 0.9
    assert spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]) == pytest.approx(0.9)


def test_spearman_ties_take_their_average_rank():
    # Ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): Pearson of the ranks.
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(3 / math.sqrt(10))


def test_spearman_is_undefined_without_two_cases_or_without_variation():
    assert spearman([], []) is None
    assert spearman([1], [1]) is None
    assert spearman([5, 5, 5], [1, 2, 3]) is None
    with pytest.raises(ValueError, match="same number"):
        spearman([1, 2], [1])


# --- Predictors against outcomes ---------------------------------------------------------------


def case(glad, matrix=None, gut=None, friends=None):
    return Case({"matrix": matrix, "gut": gut, "friends": friends}, glad)


def test_the_predictor_known_best_is_named():
    # The gut follows gladness exactly; the matrix half the time; the friends backwards.
    history = [
        case(2, matrix=60, gut=0.0, friends=0.9),
        case(4, matrix=80, gut=0.25, friends=0.8),
        case(5, matrix=50, gut=0.5, friends=0.6),
        case(7, matrix=90, gut=0.75, friends=0.4),
        case(9, matrix=70, gut=1.0, friends=0.2),
        case(10, matrix=95, gut=1.0, friends=0.1),
    ]
    result = compare_predictors(history)
    assert result.best == "gut"
    records = {r.predictor: r for r in result.records}
    assert records["gut"].agreement > records["matrix"].agreement > records["friends"].agreement
    assert records["friends"].agreement == pytest.approx(-1)
    assert all(r.count == 6 and r.needed == 0 for r in result.records)
    assert records["gut"].name == "Your gut"


def test_no_predictor_is_named_with_too_few_cases():
    history = [case(g, matrix=10 * g, gut=g / 10) for g in range(MIN_SAMPLE - 1)]
    result = compare_predictors(history)
    assert result.best is None
    records = {r.predictor: r for r in result.records}
    assert records["matrix"].count == MIN_SAMPLE - 1
    assert records["matrix"].needed == 1
    assert records["matrix"].agreement is None
    assert records["friends"].count == 0
    assert records["friends"].needed == MIN_SAMPLE


def test_a_tie_at_the_top_names_no_predictor():
    history = [case(g, matrix=g * 10, gut=g / 10) for g in (1, 3, 5, 7, 9)]
    result = compare_predictors(history)
    assert result.best is None
    assert {r.predictor: r.agreement for r in result.records}["matrix"] == pytest.approx(1)


def test_only_the_predictors_with_enough_cases_compete():
    history = [case(g, matrix=g, friends=g) for g in range(MIN_SAMPLE)]
    history[0] = case(0, matrix=0)  # The friends said nothing on one of them.
    result = compare_predictors(history)
    assert result.best == "matrix"


def test_nothing_to_compare():
    result = compare_predictors([])
    assert result.best is None
    assert [r.count for r in result.records] == [0, 0, 0]


# --- Over- and under-scoring -------------------------------------------------------------------


def test_a_consistent_overrating_is_a_tendency():
    found = tendencies(
        [Rescore("growth", 8, 6), Rescore("growth", 9, 6), Rescore("growth", 7, 6)]
        + [Rescore("pay", 5, 6)] * MIN_RESCORES
    )
    growth, pay = found
    assert growth.criterion == "growth"
    assert growth.said
    assert growth.direction == "overrate"
    assert growth.points == 2
    assert pay.mean_gap == -1
    assert pay.direction == "underrate"
    assert pay.points == 1


def test_too_few_rescores_or_a_small_gap_is_not_a_tendency():
    few = tendencies([Rescore("a", 9, 2)] * (MIN_RESCORES - 1))
    assert few[0].count == MIN_RESCORES - 1
    assert not few[0].said
    assert few[0].direction == ""
    small = tendencies([Rescore("b", 6, 5), Rescore("b", 5, 5), Rescore("b", 5, 5)])
    assert not small[0].said


def test_a_rescore_outside_0_10_is_refused():
    with pytest.raises(ValueError, match="0-10"):
        tendencies([Rescore("a", 11, 5)])


# --- Properties ---------------------------------------------------------------------------------

resolved = st.builds(Resolved, st.integers(0, 100), st.booleans())


@given(st.lists(resolved, min_size=1, max_size=60))
def test_brier_stays_between_0_and_1(forecasts):
    score = brier_score(forecasts)
    assert 0 <= score <= 1


@given(st.lists(resolved, max_size=60))
def test_calibration_counts_sum_to_the_input(forecasts):
    bands = calibration(forecasts)
    assert sum(b.rate.count for b in bands) == len(forecasts)
    assert sum(b.rate.hits for b in bands) == sum(f.came_true for f in forecasts)


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=2, max_size=30))
def test_spearman_stays_between_minus_1_and_1_and_is_symmetric(pairs):
    xs, ys = [a for a, _ in pairs], [b for _, b in pairs]
    forward, backward = spearman(xs, ys), spearman(ys, xs)
    if forward is None:
        assert backward is None
    else:
        assert -1 - 1e-9 <= forward <= 1 + 1e-9
        assert forward == pytest.approx(backward)


@given(st.integers(0, 60).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_a_rate_is_given_exactly_from_the_minimum_sample(hits_count):
    hits, count = hits_count
    rate = Rate(hits, count)
    assert (rate.value is None) == (count < MIN_SAMPLE)
    if rate.interval is not None:
        low, high = rate.interval
        assert 0 <= low <= hits / count <= high <= 1
