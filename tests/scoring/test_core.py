"""The decision score, contributions, weight shares and ranking (pure functions, no Django)."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.scoring.core import (
    NO_VALUE,
    DecisionScore,
    Rated,
    compute_decision_score,
    contributions,
    rank,
    rate,
    score_option,
    weight_shares,
)

EN_DASH = "\N{EN DASH}"

weights = st.integers(min_value=0, max_value=10)
scores = st.none() | st.integers(min_value=0, max_value=10)


@st.composite
def rated_lists(draw, *, min_size: int = 0, max_size: int = 8, weight=weights) -> list[Rated]:
    """Criteria keyed 0..n-1 with any weight, score (or none) and must-have minimum."""
    size = draw(st.integers(min_value=min_size, max_value=max_size))
    return [
        Rated(
            criterion=key,
            weight=draw(weight),
            score=draw(scores),
            minimum=draw(st.none() | st.integers(min_value=0, max_value=10)),
        )
        for key in range(size)
    ]


def with_score(rated: list[Rated], index: int, score: int) -> list[Rated]:
    item = rated[index]
    changed = Rated(item.criterion, item.weight, score, item.minimum)
    return [*rated[:index], changed, *rated[index + 1 :]]


# --- Worked examples -------------------------------------------------------------------------


def test_weighted_average_of_scored_criteria():
    result = compute_decision_score([Rated("pay", 5, 8), Rated("growth", 3, 4)])

    expected = 100 * (5 * 8 + 3 * 4) / (10 * (5 + 3))
    assert result.value == pytest.approx(expected)
    assert result.value == pytest.approx(65.0)
    assert (result.scored, result.total) == (2, 2)
    assert result.complete
    assert result.coverage_label == "2 of 2 scored"
    assert result.display == "65.0"
    assert result.failures == ()
    assert not result.failed


def test_unscored_criteria_are_excluded_from_both_sums():
    result = compute_decision_score(
        [Rated("pay", 5, 8), Rated("values", 9, None), Rated("growth", 3, 4), Rated("gut", 7, None)]
    )

    expected = 100 * (5 * 8 + 3 * 4) / (10 * (5 + 3))
    assert result.value == pytest.approx(expected)
    assert (result.scored, result.total) == (2, 4)
    assert not result.complete
    assert result.coverage_label == "2 of 4 scored"


def test_three_criteria_by_hand():
    result = compute_decision_score([Rated(1, 10, 7), Rated(2, 4, 10), Rated(3, 1, 0)])

    expected = 100 * (10 * 7 + 4 * 10 + 1 * 0) / (10 * (10 + 4 + 1))
    assert result.value == pytest.approx(expected)
    assert result.display == "73.3"


def test_single_criterion_scales_its_score_to_100():
    assert compute_decision_score([Rated("pay", 3, 7)]).value == pytest.approx(70.0)


def test_extremes():
    assert compute_decision_score([Rated(1, 4, 10), Rated(2, 9, 10)]).value == 100.0
    assert compute_decision_score([Rated(1, 4, 0), Rated(2, 9, 0)]).value == 0.0


def test_zero_weight_criterion_does_not_move_the_score():
    result = compute_decision_score([Rated("pay", 0, 1), Rated("growth", 6, 9)])

    expected = 100 * (0 * 1 + 6 * 9) / (10 * (0 + 6))
    assert result.value == pytest.approx(expected)
    assert (result.scored, result.total) == (2, 2)


def test_all_scored_weights_zero_gives_no_value():
    result = compute_decision_score(
        [Rated("pay", 0, 8), Rated("growth", 0, 3), Rated("gut", 9, None)]
    )

    assert result.value is None
    assert result.display == NO_VALUE == EN_DASH
    assert result.coverage_label == "2 of 3 scored"


def test_nothing_scored_gives_no_value():
    result = compute_decision_score([Rated("pay", 5, None), Rated("growth", 3, None)])

    assert result.value is None
    assert result.coverage_label == "0 of 2 scored"
    assert not result.complete


def test_empty_input():
    result = compute_decision_score([])

    assert result == DecisionScore(value=None, scored=0, total=0, failures=())
    assert result.coverage_label == "0 of 0 scored"
    assert result.complete
    assert result.display == EN_DASH
    assert not result.failed


def test_accepts_any_iterable_once():
    result = compute_decision_score(Rated(key, 5, 6) for key in range(3))

    assert result.value == pytest.approx(60.0)
    assert result.total == 3


def test_float_weights_are_accepted():
    result = compute_decision_score([Rated("pay", 2.5, 8), Rated("growth", 5, 2)])

    assert result.value == pytest.approx(100 * (2.5 * 8 + 5 * 2) / (10 * (2.5 + 5)))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(65.0, "65.0"), (200 / 3, "66.7"), (100.0, "100.0"), (0.0, "0.0"), (None, EN_DASH)],
)
def test_display_rounds_to_one_decimal(value, shown):
    assert DecisionScore(value=value, scored=1, total=1, failures=()).display == shown


# --- Must-have minimums ----------------------------------------------------------------------


def test_score_below_minimum_fails():
    result = compute_decision_score([Rated("pay", 8, 3, minimum=4), Rated("growth", 2, 10)])

    assert result.failures == ("pay",)
    assert result.failed
    expected = 100 * (8 * 3 + 2 * 10) / (10 * (8 + 2))
    assert result.value == pytest.approx(expected), "a failure does not change the total"


def test_score_equal_to_minimum_passes():
    result = compute_decision_score([Rated("pay", 8, 4, minimum=4)])

    assert result.failures == ()
    assert not result.failed


def test_unscored_criterion_never_fails_its_minimum():
    result = compute_decision_score([Rated("pay", 8, None, minimum=10), Rated("growth", 2, 5)])

    assert result.failures == ()


def test_zero_weight_criterion_still_fails_its_minimum():
    result = compute_decision_score([Rated("pay", 0, 1, minimum=2), Rated("growth", 2, 5)])

    assert result.failures == ("pay",)


def test_failures_are_reported_in_input_order():
    result = compute_decision_score(
        [
            Rated("values", 5, 2, minimum=5),
            Rated("pay", 8, 9, minimum=5),
            Rated("commute", 3, 0, minimum=1),
        ]
    )

    assert result.failures == ("values", "commute")


def test_rated_reports_its_own_failure():
    assert Rated("pay", 5, 3, minimum=4).fails_minimum
    assert not Rated("pay", 5, 4, minimum=4).fails_minimum
    assert not Rated("pay", 5, None, minimum=4).fails_minimum
    assert not Rated("pay", 5, 0).fails_minimum


# --- Bad input fails loudly ------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weight": 11, "score": 5},
        {"weight": -1, "score": 5},
        {"weight": math.nan, "score": 5},
        {"weight": 5, "score": 11},
        {"weight": 5, "score": -1},
        {"weight": 5, "score": 5, "minimum": 11},
        {"weight": 5, "score": 5, "minimum": -1},
    ],
)
def test_out_of_range_values_are_rejected(kwargs):
    with pytest.raises(ValueError, match="must be within 0-10"):
        Rated(criterion="pay", **kwargs)


def test_duplicate_criteria_are_rejected():
    with pytest.raises(ValueError, match="more than once"):
        compute_decision_score([Rated("pay", 5, 5), Rated("pay", 3, 2)])
    with pytest.raises(ValueError, match="more than once"):
        contributions([Rated("pay", 5, 5), Rated("pay", 3, 2)])


# --- Contributions ---------------------------------------------------------------------------


def test_contributions_by_hand():
    rated = [Rated("pay", 5, 8), Rated("values", 9, None), Rated("growth", 3, 4)]

    assert contributions(rated) == {
        "pay": pytest.approx(100 * 5 * 8 / (10 * (5 + 3))),
        "values": None,
        "growth": pytest.approx(100 * 3 * 4 / (10 * (5 + 3))),
    }
    points = [p for p in contributions(rated).values() if p is not None]
    assert sum(points) == pytest.approx(compute_decision_score(rated).value)


def test_zero_weight_scored_criterion_contributes_nothing():
    assert contributions([Rated("pay", 0, 9), Rated("growth", 4, 5)]) == {
        "pay": 0.0,
        "growth": pytest.approx(50.0),
    }


def test_contributions_are_undefined_when_the_total_is():
    assert contributions([Rated("pay", 0, 9), Rated("growth", 4, None)]) == {
        "pay": None,
        "growth": None,
    }
    assert contributions([]) == {}


# --- Weight shares ---------------------------------------------------------------------------


def test_weight_shares_by_hand():
    assert weight_shares({"pay": 5, "growth": 3, "gut": 2, "commute": 0}) == {
        "pay": pytest.approx(100 * 5 / (5 + 3 + 2)),
        "growth": pytest.approx(100 * 3 / (5 + 3 + 2)),
        "gut": pytest.approx(100 * 2 / (5 + 3 + 2)),
        "commute": 0.0,
    }


def test_weight_shares_all_zero():
    assert weight_shares({"pay": 0, "growth": 0}) == {"pay": 0.0, "growth": 0.0}
    assert weight_shares({}) == {}


def test_weight_shares_reject_out_of_range():
    with pytest.raises(ValueError, match="must be within 0-10"):
        weight_shares({"pay": 12})


# --- Ranking ---------------------------------------------------------------------------------


def test_competition_ranking_highest_first():
    assert rank({"a": 70.0, "b": 80.0, "c": 70.0, "d": 60.0}) == {"a": 2, "b": 1, "c": 2, "d": 4}


def test_unvalued_options_share_the_last_rank():
    ranks = rank({"stay": None, "startup": 64.0, "agency": 71.5, "blank": None})

    assert ranks == {"stay": 3, "startup": 2, "agency": 1, "blank": 3}
    assert list(ranks) == ["stay", "startup", "agency", "blank"], "input order is kept"


def test_rank_edge_cases():
    assert rank({}) == {}
    assert rank({"a": None, "b": None}) == {"a": 1, "b": 1}
    assert rank({"a": 50.0, "b": 50.0}) == {"a": 1, "b": 1}
    assert rank({"a": math.nan, "b": 10.0}) == {"a": 2, "b": 1}


# --- Helpers for comparisons -----------------------------------------------------------------


def test_rate_pairs_scores_with_the_shared_weights():
    rated = rate({1: 7, 3: 2, 99: 10}, {1: 5, 2: 4, 3: 1}, minimums={3: 3})

    assert rated == [Rated(1, 5, 7), Rated(2, 4, None), Rated(3, 1, 2, minimum=3)]
    result = score_option({1: 7, 3: 2, 99: 10}, {1: 5, 2: 4, 3: 1})
    assert result.value == pytest.approx(100 * (5 * 7 + 1 * 2) / (10 * (5 + 1)))
    assert result.coverage_label == "2 of 3 scored"


# --- Properties ------------------------------------------------------------------------------


@settings(max_examples=150)
@given(rated_lists())
def test_value_is_within_0_and_100_or_none(rated):
    result = compute_decision_score(rated)
    scored_weight = sum(r.weight for r in rated if r.score is not None)

    if scored_weight == 0:
        assert result.value is None
    else:
        assert result.value is not None
        assert 0.0 <= result.value <= 100.0
    assert result.scored == sum(1 for r in rated if r.score is not None)
    assert result.total == len(rated)
    assert result.complete == (result.scored == result.total)
    assert result.coverage_label == f"{result.scored} of {result.total} scored"


@settings(max_examples=100)
@given(rated_lists(min_size=1), st.data())
def test_value_never_decreases_when_a_score_rises(rated, data):
    index = data.draw(st.integers(min_value=0, max_value=len(rated) - 1))
    values = [compute_decision_score(with_score(rated, index, score)).value for score in range(11)]

    if values[0] is None:
        assert all(value is None for value in values)
    else:
        assert all(lower <= higher for lower, higher in itertools.pairwise(values))


@settings(max_examples=100)
@given(rated_lists(weight=st.integers(min_value=0, max_value=5)))
def test_scaling_every_weight_leaves_the_value_unchanged(rated):
    doubled = [Rated(r.criterion, r.weight * 2, r.score, r.minimum) for r in rated]

    assert compute_decision_score(doubled) == compute_decision_score(rated)


@settings(max_examples=100)
@given(rated_lists(), weights)
def test_adding_an_unscored_criterion_leaves_the_value_unchanged(rated, weight):
    extended = [*rated, Rated("new", weight, None, minimum=10)]

    before = compute_decision_score(rated)
    after = compute_decision_score(extended)
    assert after.value == before.value
    assert after.failures == before.failures
    assert (after.scored, after.total) == (before.scored, before.total + 1)


@settings(max_examples=50)
@given(rated_lists(weight=st.just(0)))
def test_zero_total_weight_has_no_value(rated):
    assert compute_decision_score(rated).value is None


@settings(max_examples=100)
@given(rated_lists())
def test_order_of_criteria_does_not_matter(rated):
    assert compute_decision_score(reversed(rated)).value == compute_decision_score(rated).value


@settings(max_examples=100)
@given(rated_lists())
def test_failures_are_exactly_the_scored_criteria_below_their_minimum(rated):
    expected = tuple(
        r.criterion
        for r in rated
        if r.score is not None and r.minimum is not None and r.score < r.minimum
    )
    assert compute_decision_score(rated).failures == expected


@settings(max_examples=150)
@given(rated_lists())
def test_contributions_sum_to_the_value(rated):
    value = compute_decision_score(rated).value
    points = contributions(rated)

    assert list(points) == [r.criterion for r in rated]
    if value is None:
        assert all(p is None for p in points.values())
    else:
        assert {k for k, p in points.items() if p is None} == {
            r.criterion for r in rated if r.score is None
        }
        assert math.fsum(p for p in points.values() if p is not None) == pytest.approx(value)
        assert all(p >= 0 for p in points.values() if p is not None)


@settings(max_examples=150)
@given(st.dictionaries(st.integers(0, 20), weights, max_size=8))
def test_weight_shares_sum_to_100_or_are_all_zero(weight_map):
    shares = weight_shares(weight_map)

    assert list(shares) == list(weight_map)
    if sum(weight_map.values()) == 0:
        assert all(share == 0.0 for share in shares.values())
    else:
        assert math.fsum(shares.values()) == pytest.approx(100.0)
        for a in weight_map:
            for b in weight_map:
                if weight_map[a] >= weight_map[b]:
                    assert shares[a] >= shares[b]


values = st.none() | st.sampled_from([0.0, 12.5, 50.0, 64.3, 64.3, 80.0, 100.0])


@settings(max_examples=150)
@given(st.dictionaries(st.integers(0, 20), values, max_size=8))
def test_rank_is_one_plus_the_number_of_options_strictly_ahead(value_map):
    ranks = rank(value_map)

    def ahead(a: float | None, b: float | None) -> bool:
        """Whether b is strictly ahead of a (no value is behind every value)."""
        if b is None:
            return False
        return a is None or b > a

    assert list(ranks) == list(value_map)
    for key, value in value_map.items():
        assert ranks[key] == 1 + sum(1 for other in value_map.values() if ahead(value, other))
    valued = [ranks[k] for k, v in value_map.items() if v is not None]
    unvalued = [ranks[k] for k, v in value_map.items() if v is None]
    assert all(r == len(valued) + 1 for r in unvalued)
    if valued:
        assert min(valued) == 1
        assert all(r < u for r in valued for u in unvalued)


@settings(max_examples=100)
@given(rated_lists())
def test_display_matches_the_value(rated):
    result = compute_decision_score(rated)

    if result.value is None:
        assert result.display == EN_DASH
    else:
        assert result.display == f"{result.value:.1f}"
        assert float(result.display) == pytest.approx(result.value, abs=0.05 + 1e-9)
