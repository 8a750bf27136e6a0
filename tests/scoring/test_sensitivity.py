"""Comparing options under the same weights: flips, nudges, disagreements, changes."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.scoring.core import (
    CLOSE_CALL_POINTS,
    Change,
    Rated,
    ScoreNudge,
    WeightFlip,
    biggest_changes,
    compute_decision_score,
    contributions,
    explain_disagreement,
    is_close_call,
    score_nudges,
    score_option,
    weight_flips,
)

TIE = 1e-9
GRID = [step / 10 for step in range(101)]  # weights 0.0, 0.1, ..., 10.0


def value_with_weight(scores: dict, weights: dict, criterion, weight: float) -> float | None:
    """Recompute an option's decision score with one weight replaced (possibly by a float)."""
    return compute_decision_score(
        Rated(key, weight if key == criterion else w, scores.get(key)) for key, w in weights.items()
    ).value


def gap_with_weight(leader: dict, runner_up: dict, weights: dict, criterion, weight: float):
    a = value_with_weight(leader, weights, criterion, weight)
    b = value_with_weight(runner_up, weights, criterion, weight)
    return None if a is None or b is None else a - b


@st.composite
def matchups(draw, *, same_scored_sets: bool = False, max_criteria: int = 4):
    """(leader, runner_up, weights) over criteria 0..n-1; leader is never behind."""
    size = draw(st.integers(min_value=1, max_value=max_criteria))
    score = st.integers(min_value=0, max_value=10)
    weights = {key: draw(st.integers(min_value=0, max_value=10)) for key in range(size)}
    if same_scored_sets:
        scored = [key for key in range(size) if draw(st.booleans())]
        first = {key: draw(score) for key in scored}
        second = {key: draw(score) for key in scored}
    else:
        first = {key: draw(score) for key in range(size) if draw(st.booleans())}
        second = {key: draw(score) for key in range(size) if draw(st.booleans())}
    a, b = score_option(first, weights).value, score_option(second, weights).value
    if (a is None and b is not None) or (a is not None and b is not None and b > a):
        first, second = second, first
    return first, second, weights


# --- Weight flips: worked examples -----------------------------------------------------------


def test_flip_weights_by_hand_when_both_options_scored_the_same_criteria():
    # Option (8, 4) scores 100*(5*8 + 5*4)/(10*10) = 60 and (5, 9) scores 70, so (5, 9) leads.
    leader, runner_up, weights = {0: 5, 1: 9}, {0: 8, 1: 4}, {0: 5, 1: 5}
    d = {0: 5 - 8, 1: 9 - 4}
    big_d = 5 * d[0] + 5 * d[1]
    assert big_d == 10
    delta_0 = -big_d / d[0]  # +10/3: raise the criterion where the runner-up is stronger
    delta_1 = -big_d / d[1]  # -2: lower the criterion where the leader is stronger

    flips = weight_flips(leader, runner_up, weights)

    assert flips == [
        WeightFlip(criterion=1, current_weight=5, flip_weight=pytest.approx(5 + delta_1)),
        WeightFlip(criterion=0, current_weight=5, flip_weight=pytest.approx(5 + delta_0)),
    ]
    assert flips[0].flip_weight == pytest.approx(3.0)
    assert flips[0].direction == "lower"
    assert flips[0].change == pytest.approx(-2.0)
    assert flips[1].flip_weight == pytest.approx(25 / 3)
    assert flips[1].direction == "raise"
    # At (5, 3) both score 100*(25 + 27)/(10*8) = 100*(40 + 12)/(10*8) = 65.
    assert score_option(leader, {0: 5, 1: 3}).value == pytest.approx(65.0)
    assert score_option(runner_up, {0: 5, 1: 3}).value == pytest.approx(65.0)


def test_flip_order_does_not_depend_on_which_option_is_called_leader():
    leader, runner_up, weights = {0: 5, 1: 9}, {0: 8, 1: 4}, {0: 5, 1: 5}

    assert [f.flip_weight for f in weight_flips(runner_up, leader, weights)] == [
        f.flip_weight for f in weight_flips(leader, runner_up, weights)
    ]


def test_no_flip_when_the_tie_weight_is_outside_0_to_10():
    # d = (8, 7), D = 5*8 + 5*7 = 75: the ties sit at 5 - 75/8 and 5 - 75/7, both below 0.
    assert weight_flips({0: 9, 1: 9}, {0: 1, 1: 2}, {0: 5, 1: 5}) == []


def test_criterion_without_difference_never_flips():
    leader, runner_up, weights = {0: 7, 1: 6, 2: 9}, {0: 7, 1: 8, 2: 3}, {0: 5, 1: 5, 2: 5}
    big_d = 5 * (7 - 7) + 5 * (6 - 8) + 5 * (9 - 3)
    # Criterion 0: d = 0, no weight helps. Criterion 1: 5 - D/(-2) = 15, out of range.

    assert weight_flips(leader, runner_up, weights) == [
        WeightFlip(2, 5, pytest.approx(5 - big_d / (9 - 3)))
    ]


def test_options_already_tied_report_no_flip():
    # D = 5*(6 - 4) + 5*(4 - 6) = 0: every tie weight is the current weight.
    assert weight_flips({0: 6, 1: 4}, {0: 4, 1: 6}, {0: 5, 1: 5}) == []
    assert weight_flips({0: 6, 1: 4}, {0: 6, 1: 4}, {0: 5, 1: 5}) == []


def test_degenerate_inputs_never_divide_by_zero():
    assert weight_flips({}, {}, {}) == []
    assert weight_flips({0: 3}, {0: 7}, {0: 0, 1: 0}) == []
    assert weight_flips({0: None}, {1: None}, {0: 4, 1: 4}) == []
    assert weight_flips({0: 5}, {1: 5}, {0: 0, 1: 0}) == []


def test_flip_when_scored_sets_differ_by_hand():
    leader, runner_up, weights = {0: 8, 1: 6}, {0: 4, 2: 9}, {0: 5, 1: 5, 2: 5}
    assert score_option(leader, weights).value == pytest.approx(100 * (40 + 30) / (10 * 10))
    assert score_option(runner_up, weights).value == pytest.approx(100 * (20 + 45) / (10 * 10))
    # w0 = t: 10*(30 + 8t)/(5 + t) = 10*(45 + 4t)/(5 + t)  =>  4t = 15.
    # w1 = t (leader only): 10*(40 + 6t)/(5 + t) = 65  =>  400 + 60t = 325 + 65t  =>  t = 15.
    # w2 = t (runner-up only): 70 = 10*(20 + 9t)/(5 + t)  =>  350 + 70t = 200 + 90t  =>  t = 7.5.

    assert weight_flips(leader, runner_up, weights) == [
        WeightFlip(0, 5, pytest.approx(15 / 4)),
        WeightFlip(2, 5, pytest.approx(7.5)),
    ]


def test_flip_solves_the_quadratic_when_scored_sets_differ():
    leader, runner_up, weights = {0: 4, 2: 9}, {0: 8, 1: 2}, {0: 4, 1: 2, 2: 6}
    assert score_option(leader, weights).value == pytest.approx(10 * (16 + 54) / 10)
    assert score_option(runner_up, weights).value == pytest.approx(10 * (32 + 4) / 6)
    # w0 = t: (54 + 4t)/(6 + t) = (4 + 8t)/(2 + t)
    #   (54 + 4t)(2 + t) - (4 + 8t)(6 + t) = -4t² + 10t + 84 = 0  =>  t = (5 ± 19)/4 = 6 or -3.5
    flip_0 = next(f for f in weight_flips(leader, runner_up, weights) if f.criterion == 0)

    assert flip_0.flip_weight == pytest.approx(6.0)
    assert flip_0.direction == "raise"
    assert value_with_weight(leader, weights, 0, 6.0) == pytest.approx(65.0)
    assert value_with_weight(runner_up, weights, 0, 6.0) == pytest.approx(65.0)


def test_the_nearest_of_two_tie_weights_is_reported():
    leader, runner_up, weights = {0: 1, 2: 9}, {0: 0, 1: 6, 2: 8}, {0: 10, 1: 2, 2: 1}
    # w0 = t: (9 + t)(3 + t) - 20(1 + t) = t² - 8t + 7 = (t - 1)(t - 7).
    # Lowering w0 from 10, the order first flips at 7 (and flips back at 1).
    flip_0 = next(f for f in weight_flips(leader, runner_up, weights) if f.criterion == 0)

    assert flip_0.flip_weight == pytest.approx(7.0)
    assert flip_0.direction == "lower"
    assert value_with_weight(leader, weights, 0, 1.0) == pytest.approx(50.0)
    assert value_with_weight(runner_up, weights, 0, 1.0) == pytest.approx(50.0)


def test_a_weight_where_one_score_is_undefined_is_not_a_tie():
    leader, runner_up, weights = {0: 4, 2: 8}, {0: 6, 1: 1, 2: 6}, {0: 1, 1: 2, 2: 0}
    # w0 = t: 4t(2 + t) - (2 + 6t)t = -2t(t - 3). At t = 0 the leader has no weighted score,
    # so that root (nearer to the current weight 1) is no tie; t = 3 is: both score 40.
    flip_0 = next(f for f in weight_flips(leader, runner_up, weights) if f.criterion == 0)

    assert flip_0.flip_weight == pytest.approx(3.0)
    assert value_with_weight(leader, weights, 0, 0.0) is None
    assert value_with_weight(leader, weights, 0, 3.0) == pytest.approx(40.0)
    assert value_with_weight(runner_up, weights, 0, 3.0) == pytest.approx(40.0)


def test_float_weights_are_accepted():
    flips = weight_flips({0: 5, 1: 9}, {0: 8, 1: 4}, {0: 5.5, 1: 5})

    assert flips
    for flip in flips:
        gap = gap_with_weight(
            {0: 5, 1: 9}, {0: 8, 1: 4}, {0: 5.5, 1: 5}, flip.criterion, flip.flip_weight
        )
        assert gap == pytest.approx(0.0, abs=TIE)


def test_out_of_range_scores_are_rejected():
    with pytest.raises(ValueError, match="must be within 0-10"):
        weight_flips({0: 11}, {0: 5}, {0: 5})


# --- Weight flips: properties ----------------------------------------------------------------


@settings(max_examples=150)
@given(matchups())
def test_each_reported_flip_is_a_tie_inside_the_slider(matchup):
    leader, runner_up, weights = matchup
    flips = weight_flips(leader, runner_up, weights)

    assert len({f.criterion for f in flips}) == len(flips), "at most one flip per criterion"
    assert [abs(f.change) for f in flips] == sorted(abs(f.change) for f in flips)
    for flip in flips:
        assert flip.current_weight == weights[flip.criterion]
        assert 0.0 <= flip.flip_weight <= 10.0
        assert flip.flip_weight != flip.current_weight
        assert flip.direction == ("raise" if flip.change > 0 else "lower")
        a = value_with_weight(leader, weights, flip.criterion, flip.flip_weight)
        b = value_with_weight(runner_up, weights, flip.criterion, flip.flip_weight)
        assert a is not None
        assert b is not None
        assert abs(a - b) <= TIE


@settings(max_examples=100)
@given(matchups(same_scored_sets=True))
def test_same_scored_sets_follow_the_closed_form(matchup):
    leader, runner_up, weights = matchup
    d = {key: leader[key] - runner_up[key] for key in leader}
    big_d = sum(weights[key] * d[key] for key in d)
    expected = {}
    for key, d_k in d.items():
        if d_k == 0:
            continue
        flip = weights[key] - big_d / d_k
        others = sum(weights[k] for k in d if k != key)
        if 0 <= flip <= 10 and flip != weights[key] and others + flip > 0:
            expected[key] = flip

    flips = weight_flips(leader, runner_up, weights)

    assert {f.criterion: f.flip_weight for f in flips} == pytest.approx(expected)


def _sign(gap: float) -> int:
    return 0 if abs(gap) <= TIE else (1 if gap > 0 else -1)


@settings(max_examples=60)
@given(matchups())
def test_grid_scan_finds_no_tie_that_was_not_reported(matchup):
    leader, runner_up, weights = matchup
    reported = {f.criterion: f.flip_weight for f in weight_flips(leader, runner_up, weights)}

    for criterion, current in weights.items():
        points = [
            (weight, _sign(gap))
            for weight in GRID
            if (gap := gap_with_weight(leader, runner_up, weights, criterion, weight)) is not None
        ]
        if all(sign == 0 for _, sign in points):
            assert criterion not in reported, "tied at every weight: there is nothing to flip"
        elif criterion not in reported:
            # No tie anywhere on the slider but (possibly) where it is now...
            assert all(sign != 0 for weight, sign in points if weight != current)
            # ...so the order can only change sides across the current weight.
            nonzero = [(weight, sign) for weight, sign in points if sign != 0]
            for (left, s1), (right, s2) in itertools.pairwise(nonzero):
                if s1 != s2:
                    assert left < current < right
        else:
            # Nothing ties between the current weight and the reported (nearest) flip.
            low, high = sorted((current, reported[criterion]))
            inside = [sign for weight, sign in points if low + 1e-6 < weight < high - 1e-6]
            assert 0 not in inside
            assert len(set(inside)) <= 1


# --- Score nudges ----------------------------------------------------------------------------


def test_score_nudges_by_hand():
    # Leader 100*(5*8 + 5*7)/(10*10) = 75, runner-up 60: one point moves either by 5 only.
    assert score_nudges({0: 8, 1: 7}, {0: 6, 1: 6}, {0: 5, 1: 5}) == []

    # Leader 100*(8*7 + 1*6)/(10*9) = 68.9, runner-up 100*(8*6 + 1*9)/(10*9) = 63.3.
    leader, runner_up, weights = {0: 7, 1: 6}, {0: 6, 1: 9}, {0: 8, 1: 1}
    assert score_nudges(leader, runner_up, weights) == [
        ScoreNudge("leader", 0, 7, 6),  # leader 100*(8*6 + 1*6)/90 = 60.0 <= 63.3
        ScoreNudge("runner_up", 0, 6, 7),  # runner-up 100*(8*7 + 1*9)/90 = 72.2 >= 68.9
    ]
    # Criterion 1 moves either score by 100*1/90 = 1.1 points only: not enough.


def test_score_nudges_count_a_tie_as_overturned():
    # Leader 100*(5*6 + 5*6)/100 = 60, runner-up 55; lowering the leader's 6 gives 55 too.
    assert ScoreNudge("leader", 0, 6, 5) in score_nudges({0: 6, 1: 6}, {0: 5, 1: 6}, {0: 5, 1: 5})


def test_score_nudges_stay_within_range_and_skip_unscored():
    leader = {0: 0, 1: 10, 2: None, 3: 10}
    runner_up = {0: 0, 1: 9, 2: None, 3: 10}
    weights = {0: 5, 1: 5, 2: 5, 3: 5}
    # Leader 100*(0 + 50 + 50)/(10*15) = 66.7, runner-up 100*(0 + 45 + 50)/(10*15) = 63.3,
    # and every possible one-point move closes the 3.3-point gap exactly. But the leader's 0
    # cannot go lower, the runner-up's 10 cannot go higher and nobody scored criterion 2.

    assert score_nudges(leader, runner_up, weights) == [
        ScoreNudge("runner_up", 0, 0, 1),
        ScoreNudge("leader", 1, 10, 9),
        ScoreNudge("runner_up", 1, 9, 10),
        ScoreNudge("leader", 3, 10, 9),
    ]


def test_no_nudges_without_a_leader():
    assert score_nudges({0: 5}, {0: 5}, {0: 5}) == []
    assert score_nudges({0: 4}, {0: 5}, {0: 5}) == []
    assert score_nudges({0: None}, {0: 5}, {0: 5}) == []
    assert score_nudges({0: 5}, {}, {0: 5}) == []


def brute_force_nudges(leader: dict, runner_up: dict, weights: dict) -> list[ScoreNudge]:
    lead = score_option(leader, weights).value
    trail = score_option(runner_up, weights).value
    if lead is None or trail is None or not trail < lead:
        return []
    found = []
    for criterion in weights:
        for option, step in (("leader", -1), ("runner_up", +1)):
            scores = leader if option == "leader" else runner_up
            current = scores.get(criterion)
            if current is None or not 0 <= current + step <= 10:
                continue
            changed = {**scores, criterion: current + step}
            a = score_option(changed if option == "leader" else leader, weights).value
            b = score_option(changed if option == "runner_up" else runner_up, weights).value
            if a is not None and b is not None and b >= a:
                found.append(ScoreNudge(option, criterion, current, current + step))
    return found


@settings(max_examples=150)
@given(matchups(max_criteria=5))
def test_score_nudges_match_brute_force(matchup):
    leader, runner_up, weights = matchup

    assert score_nudges(leader, runner_up, weights) == brute_force_nudges(
        leader, runner_up, weights
    )


# --- Explaining a gut/matrix disagreement ----------------------------------------------------


def test_explain_disagreement_by_hand():
    weights = {"pay": 8, "growth": 5, "values": 3, "gut": 10, "commute": 2}
    gut_favourite = {"pay": 4, "growth": 9, "values": 5, "gut": 9, "commute": None}
    matrix_favourite = {"pay": 9, "growth": 6, "values": 7, "gut": 9, "commute": 10}
    # Weighted differences (matrix favourite minus gut favourite):
    # pay 8*(9-4) = 40, growth 5*(6-9) = -15, values 3*(7-5) = 6, gut 0, commute unscored.

    assert explain_disagreement(gut_favourite, matrix_favourite, weights) == ["pay", "values"]


def test_explain_disagreement_orders_by_weighted_not_raw_difference():
    weights = {"a": 1, "b": 9}
    # a: 1*(10-0) = 10, b: 9*(5-3) = 18.
    assert explain_disagreement({"a": 0, "b": 3}, {"a": 10, "b": 5}, weights) == ["b", "a"]


def test_explain_disagreement_ignores_zero_weight_and_ties():
    weights = {"a": 0, "b": 5}
    assert explain_disagreement({"a": 0, "b": 5}, {"a": 10, "b": 5}, weights) == []
    assert explain_disagreement({}, {}, {}) == []


@settings(max_examples=100)
@given(matchups(max_criteria=6))
def test_explain_disagreement_lists_every_weighted_advantage_largest_first(matchup):
    higher, lower, weights = matchup
    explained = explain_disagreement(higher, lower, weights)

    def gap(key):
        return weights[key] * (lower[key] - higher[key])

    both = [k for k in weights if higher.get(k) is not None and lower.get(k) is not None]
    assert set(explained) == {k for k in both if gap(k) > 0}
    assert [gap(k) for k in explained] == sorted((gap(k) for k in explained), reverse=True)


# --- Biggest changes between checkpoints -----------------------------------------------------


def test_biggest_changes_by_hand():
    before = [Rated("pay", 5, 6), Rated("growth", 5, 4), Rated("gut", 5, 7)]
    after = [Rated("pay", 5, 6), Rated("growth", 5, 8), Rated("gut", 5, 6)]
    # Contributions are 100*5*s/(10*15): growth 40/3 -> 80/3, gut 70/3 -> 60/3, pay unchanged.

    assert biggest_changes(before, after) == [
        Change("growth", 4, 8, 5, 5, pytest.approx(100 * 5 * (8 - 4) / (10 * 15))),
        Change("gut", 7, 6, 5, 5, pytest.approx(100 * 5 * (6 - 7) / (10 * 15))),
    ]


def test_reweighting_moves_every_share():
    before = [Rated("pay", 5, 10), Rated("growth", 5, 0)]
    after = [Rated("pay", 10, 10), Rated("growth", 5, 0)]
    # Pay's points go from 100*5*10/(10*10) = 50 to 100*10*10/(10*15) = 66.7.

    assert biggest_changes(before, after) == [
        Change("pay", 10, 10, 5, 10, pytest.approx(100 * 10 * 10 / (10 * 15) - 50))
    ]


def test_criteria_on_one_side_count_as_unscored_on_the_other():
    before = [Rated("pay", 5, 6), Rated("commute", 5, 2)]
    after = [Rated("pay", 5, 6), Rated("values", 5, 9)]
    # Before: pay 30, commute 10 (total 40). After: pay 30, values 45 (total 75).

    changes = biggest_changes(before, after)

    assert changes == [
        Change("values", None, 9, 0, 5, pytest.approx(45.0)),
        Change("commute", 2, None, 5, 0, pytest.approx(-10.0)),
    ]


def test_biggest_changes_limit():
    before = [Rated(key, 5, 5) for key in range(6)]
    after = [Rated(key, 5, 5 + key) for key in range(6)]

    assert [c.criterion for c in biggest_changes(before, after)] == [5, 4, 3]
    assert [c.criterion for c in biggest_changes(before, after, limit=1)] == [5]
    assert biggest_changes(before, after, limit=0) == []
    assert biggest_changes(before, before) == []
    with pytest.raises(ValueError, match="limit"):
        biggest_changes(before, after, limit=-1)


checkpoints = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),
        st.integers(min_value=0, max_value=10),
        st.none() | st.integers(min_value=0, max_value=10),
    ),
    max_size=6,
    unique_by=lambda row: row[0],
).map(lambda rows: [Rated(key, weight, score) for key, weight, score in rows])


@settings(max_examples=150)
@given(checkpoints, checkpoints, st.integers(min_value=0, max_value=8))
def test_changes_add_up_to_the_change_in_total(before, after, limit):
    everything = biggest_changes(before, after, limit=100)
    top = biggest_changes(before, after, limit=limit)

    old = compute_decision_score(before).value or 0.0
    new = compute_decision_score(after).value or 0.0
    assert math.fsum(c.points for c in everything) == pytest.approx(new - old, abs=1e-6)
    assert top == everything[:limit]
    assert [abs(c.points) for c in everything] == sorted(
        (abs(c.points) for c in everything), reverse=True
    )
    old_points, new_points = contributions(before), contributions(after)
    for change in everything:
        assert change.points != 0
        assert change.points == pytest.approx(
            (new_points.get(change.criterion) or 0.0) - (old_points.get(change.criterion) or 0.0)
        )


# --- Close calls -----------------------------------------------------------------------------


def test_close_call_threshold_is_five_points():
    assert CLOSE_CALL_POINTS == 5.0


@pytest.mark.parametrize(
    ("first", "second", "close"),
    [
        (60.0, 60.0, True),
        (60.0, 57.5, True),
        (60.0, 55.0, True),  # exactly the threshold counts as close
        (55.0, 60.0, True),
        (67.3, 62.3, True),  # a float gap of 5.000000000000007 is still 5
        (60.0, 54.9, False),
        (54.9, 60.0, False),
        (100.0, 0.0, False),
        (None, 60.0, False),
        (60.0, None, False),
        (None, None, False),
    ],
)
def test_is_close_call_boundaries(first, second, close):
    assert is_close_call(first, second) is close


def test_is_close_call_with_a_custom_threshold():
    assert is_close_call(50.0, 50.0, threshold=0)
    assert not is_close_call(50.0, 50.1, threshold=0)
    assert is_close_call(50.0, 52.0, threshold=2)
    assert not is_close_call(50.0, 52.5, threshold=2)
    with pytest.raises(ValueError, match="threshold"):
        is_close_call(50.0, 52.0, threshold=-1)
