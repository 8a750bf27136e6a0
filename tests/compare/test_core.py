"""The comparison page's pure model: selections, the matrix, sensitivity statements,
the gut ranking beside the matrix, and the CSV table."""

import colorsys
import math
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.compare.core import (
    CHART_PALETTE,
    MAX_SELECTION,
    ComparedCriterion,
    Option,
    build_comparison,
    chart_colours,
    compare_with_gut,
    matrix_table,
    parse_selection,
    selection_key,
    spreadsheet_safe,
)
from opportunities.scoring.core import CLOSE_CALL_POINTS, score_option

# --- Selections in the URL -------------------------------------------------------------------


def test_selection_reads_comma_separated_and_repeated_ids_in_order_without_repeats():
    selection = parse_selection(["9,3", "7", " 3 , 12,,"])
    assert selection.ids == (9, 3, 7, 12)
    assert selection.malformed == ()
    assert selection.param == "9,3,7,12"


@pytest.mark.parametrize(
    "token", ["abc", "-4", "0", "3.5", "1e3", "٣", "99999999999999999999999", "<b>"]
)
def test_selection_reports_what_is_not_an_id(token):
    selection = parse_selection([f"5,{token},6"])
    assert selection.ids == (5, 6)
    assert selection.malformed == (token,)


def test_selection_is_bounded_and_says_how_many_it_left_out():
    selection = parse_selection([",".join(str(n) for n in range(1, MAX_SELECTION + 8))])
    assert len(selection.ids) == MAX_SELECTION
    assert selection.dropped == 7


def test_empty_selection():
    assert parse_selection([]) == parse_selection(["", " , "])
    assert parse_selection([]).ids == ()


def test_selection_key_ignores_order_and_repeats():
    assert selection_key([12, 3, 7]) == selection_key([7, 12, 3, 3]) == "3-7-12"


# --- The matrix ------------------------------------------------------------------------------

GROWTH = ComparedCriterion(key=1, name="Growth", weight=5, saved_weight=5)
PAY = ComparedCriterion(key=2, name="Pay", weight=5, saved_weight=5)


def option(key: int, scores: dict, **extra) -> Option:
    return Option(key=key, title=f"Option {key}", scores=scores, **extra)


def test_matrix_by_hand():
    # Growth and Pay weigh 5 each. X: (8, 4) -> 60. Y: (5, 9) -> 70. Z: only Pay, 2 -> 20.
    x = option(10, {1: 8, 2: 4}, is_status_quo=True)
    y = option(11, {1: 5, 2: 9})
    z = option(12, {2: 2})

    comparison = build_comparison([x, y, z], [GROWTH, PAY])

    assert [c.result.value for c in comparison.columns] == [60.0, 70.0, 20.0]
    assert [c.rank for c in comparison.columns] == [2, 1, 3]
    assert [c.option.key for c in comparison.ranking] == [11, 10, 12]
    growth, pay = comparison.rows
    assert growth.share == pay.share == 50.0
    # Points add up to each total: X gets 10·5·8/10 = 40 from Growth and 20 from Pay.
    assert [cell.points for cell in growth.cells] == [40.0, 25.0, None]
    assert [cell.points for cell in pay.cells] == [20.0, 45.0, 20.0]
    assert [cell.score for cell in growth.cells] == [8, 5, None]  # unscored is None, not 0
    assert [cell.best for cell in growth.cells] == [True, False, False]
    assert [cell.best for cell in pay.cells] == [False, True, False]
    assert comparison.status_quo is comparison.columns[0]
    assert [c.vs_status_quo for c in comparison.columns] == [None, 10.0, -40.0]
    assert [c.vs_status_quo_display for c in comparison.columns] == ["–", "+10.0", "-40.0"]
    assert [c.result.coverage_label for c in comparison.columns] == [
        "2 of 2 scored",
        "2 of 2 scored",
        "1 of 2 scored",
    ]


def test_no_best_is_marked_when_everyone_scored_the_same_or_only_one_scored():
    comparison = build_comparison(
        [option(1, {1: 7, 2: 3}), option(2, {1: 7}), option(3, {1: 7})], [GROWTH, PAY]
    )
    growth, pay = comparison.rows
    assert not any(cell.best for cell in growth.cells)
    assert not any(cell.best for cell in pay.cells)


def test_tied_best_scores_are_all_marked():
    comparison = build_comparison(
        [option(1, {1: 9}), option(2, {1: 9}), option(3, {1: 4})], [GROWTH]
    )
    assert [cell.best for cell in comparison.rows[0].cells] == [True, True, False]


def test_must_have_failures_show_in_the_cell_and_the_column():
    pay = ComparedCriterion(key=2, name="Pay", weight=5, saved_weight=5, minimum=5)
    comparison = build_comparison([option(1, {1: 9, 2: 3}), option(2, {1: 4, 2: 6})], [GROWTH, pay])
    assert comparison.columns[0].failing == (pay,)
    assert comparison.columns[1].failing == ()
    assert [cell.fails_minimum for cell in comparison.rows[1].cells] == [True, False]


def test_shared_ranks_and_unscored_options_come_last():
    comparison = build_comparison(
        [option(1, {}), option(2, {1: 6}), option(3, {1: 6})], [GROWTH, PAY]
    )
    assert [(c.rank, c.shares_rank) for c in comparison.columns] == [
        (3, False),
        (1, True),
        (1, True),
    ]
    assert [c.option.key for c in comparison.ranking] == [2, 3, 1]


def test_what_if_weights_are_used_and_reported_as_changed():
    pay = ComparedCriterion(key=2, name="Pay", weight=9, saved_weight=5)
    comparison = build_comparison([option(1, {1: 8, 2: 4}), option(2, {1: 5, 2: 9})], [GROWTH, pay])
    assert comparison.changed_criteria == (pay,)
    assert comparison.weights == {1: 5, 2: 9}
    # (5·5 + 9·9) / 14 = 75.71...
    assert comparison.columns[1].result.value == pytest.approx(1060 / 14)


def test_chart_data_stacks_points_per_criterion_with_zero_for_unscored():
    comparison = build_comparison([option(1, {1: 8, 2: 4}), option(2, {2: 2})], [GROWTH, PAY])
    assert comparison.chart_data() == {
        "labels": ["Option 1", "Option 2"],
        "totals": [60.0, 20.0],
        "datasets": [
            {"label": "Growth", "colour": CHART_PALETTE[0], "data": [40.0, 0]},
            {"label": "Pay", "colour": CHART_PALETTE[1], "data": [20.0, 20.0]},
        ],
    }


def _oklab(hex_colour: str) -> tuple[float, float, float]:
    """A colour in OKLab (Björn Ottosson, 2020), where distance follows what the eye sees."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    l_, m, s = (
        (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3),
        (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3),
        (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3),
    )
    return (
        0.2104542553 * l_ + 0.7936177850 * m - 0.0040720468 * s,
        1.9779984951 * l_ - 2.4285922050 * m + 0.4505937099 * s,
        0.0259040371 * l_ + 0.7827717662 * m - 0.8086757660 * s,
    )


def _hsl_to_hex(hue: float, saturation: float, lightness: float) -> str:
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return "#" + "".join(f"{round(channel * 255):02X}" for channel in (red, green, blue))


def _closest_pair(colours: list[str]) -> float:
    return min(math.dist(_oklab(a), _oklab(b)) for a, b in combinations(colours, 2))


def test_the_chart_palette_has_no_two_colours_alike():
    # The colours before issue 14 (hues a golden angle apart at one saturation and lightness)
    # put Pay (the 2nd default criterion) and Gut feeling (the 7th) 0.084 apart: too close.
    before = [_hsl_to_hex(round((190 + i * 137.508) % 360), 0.45, 0.52) for i in range(7)]
    assert math.dist(_oklab(before[1]), _oklab(before[6])) < 0.09
    assert _closest_pair(before) < 0.12
    assert _closest_pair(list(CHART_PALETTE)) >= 0.12
    assert len(CHART_PALETTE) >= 12  # the seven default criteria, and room for more


@pytest.mark.parametrize("count", [0, 1, 7, 12, 13, 40, 300])
def test_chart_colours_never_repeat_within_a_chart(count):
    colours = chart_colours(count)
    assert len(colours) == count
    assert len(set(colours)) == count
    assert colours[:12] == list(CHART_PALETTE[:count])


def test_each_criterion_in_the_chart_has_a_colour_of_its_own():
    criteria = [ComparedCriterion(key=k, name=f"C{k}", weight=5, saved_weight=5) for k in range(15)]
    comparison = build_comparison([option(1, {0: 5}), option(2, {1: 6})], criteria)
    colours = [dataset["colour"] for dataset in comparison.chart_data()["datasets"]]
    assert len(set(colours)) == 15
    assert colours == chart_colours(15)


def test_no_criteria_gives_an_empty_matrix_without_scores():
    comparison = build_comparison([option(1, {}), option(2, {})], [])
    assert comparison.rows == ()
    assert [c.result.value for c in comparison.columns] == [None, None]
    assert comparison.sensitivity is None


# --- Sensitivity, in statements --------------------------------------------------------------


def test_sensitivity_statements_by_hand():
    # Y (5, 9) = 70 leads X (8, 4) = 60. D = 5·(5-8) + 5·(9-4) = 10.
    # Pay: the tie is at 5 - 10/5 = 3, so X overtakes at 2: (25+18)/7 < (40+8)/7.
    # Growth: the tie is at 5 + 10/3 = 8.33, so X overtakes at 9: 90/14 < 92/14.
    x, y = option(1, {1: 8, 2: 4}), option(2, {1: 5, 2: 9})
    sensitivity = build_comparison([x, y], [GROWTH, PAY]).sensitivity

    assert sensitivity.leader.option == y
    assert sensitivity.runner_up.option == x
    assert sensitivity.gap == 10.0
    assert not sensitivity.tied
    assert not sensitivity.close_call
    pay_flip, growth_flip = sensitivity.flips
    assert (pay_flip.criterion, pay_flip.slider_weight, pay_flip.raise_weight) == (PAY, 2, False)
    assert pay_flip.tie_weight == pytest.approx(3.0)
    assert (growth_flip.criterion, growth_flip.slider_weight) == (GROWTH, 9)
    assert growth_flip.tie_weight == pytest.approx(25 / 3)
    assert growth_flip.raise_weight
    assert growth_flip.overtakes
    # A one-point nudge cannot close a 10-point gap here.
    assert sensitivity.nudges == ()


def test_an_exact_whole_tie_weight_overtakes_one_step_further():
    # Y (7, 0) = 35 vs X (0, 5) = 25 at weights 5/5: D = 35 - 25 = 10 and d_pay = -5, so
    # Pay ties them at exactly 5 + 10/5 = 7; at 7 they are level, and X leads only from 8.
    x, y = option(1, {1: 0, 2: 5}), option(2, {1: 7, 2: 0})
    sensitivity = build_comparison([x, y], [GROWTH, PAY]).sensitivity
    pay_flip = next(flip for flip in sensitivity.flips if flip.criterion == PAY)
    assert pay_flip.tie_weight == pytest.approx(7.0)
    assert pay_flip.slider_weight == 8


def test_a_tie_only_reachable_at_the_end_of_the_slider_draws_level():
    # Y (10, 0) vs X (0, 10) with Growth 10, Pay 5: Y = 66.7, X = 33.3. Pay ties at 10.
    growth = ComparedCriterion(key=1, name="Growth", weight=10, saved_weight=10)
    x, y = option(1, {1: 0, 2: 10}), option(2, {1: 10, 2: 0})
    sensitivity = build_comparison([x, y], [growth, PAY]).sensitivity
    pay_flip = next(flip for flip in sensitivity.flips if flip.criterion == PAY)
    assert pay_flip.tie_weight == pytest.approx(10.0)
    assert pay_flip.slider_weight is None
    assert not pay_flip.overtakes


def test_close_call_and_one_point_nudges():
    # 64 vs 62 (Growth 5, Pay 5): within CLOSE_CALL_POINTS, and one point on either flips it.
    x, y = option(1, {1: 6, 2: 6}), option(2, {1: 7, 2: 6})
    assert CLOSE_CALL_POINTS >= 5
    sensitivity = build_comparison([x, y], [GROWTH, PAY]).sensitivity
    assert sensitivity.close_call
    assert sensitivity.leader.option == y
    nudged = {(n.option.key, n.criterion.key, n.from_score, n.to_score) for n in sensitivity.nudges}
    assert (2, 1, 7, 6) in nudged  # the leader's Growth one lower ties them
    assert (1, 1, 6, 7) in nudged  # the runner-up's Growth one higher ties them


def test_nudges_come_heaviest_criterion_first():
    # Y 90/16 = 56.25 leads X 85/16 = 53.1 under Growth 5, Pay 3, Values 8. A point on Growth
    # (3.1) or Values (5.0) either way closes the gap; Pay (1.9) cannot. The page shows the
    # first three, so the ones on the heaviest criterion lead the list.
    values = ComparedCriterion(key=3, name="Values", weight=8, saved_weight=8)
    pay = ComparedCriterion(key=2, name="Pay", weight=3, saved_weight=3)
    x, y = option(1, {1: 6, 2: 5, 3: 5}), option(2, {1: 6, 2: 4, 3: 6})
    sensitivity = build_comparison([x, y], [GROWTH, pay, values]).sensitivity
    weights = [nudge.criterion.weight for nudge in sensitivity.nudges]
    assert len(weights) > 3
    assert weights == sorted(weights, reverse=True)
    assert sensitivity.nudges[0].criterion == values


def test_tied_leaders_report_no_flips_and_no_nudges():
    sensitivity = build_comparison(
        [option(1, {1: 6, 2: 8}), option(2, {1: 8, 2: 6})], [GROWTH, PAY]
    ).sensitivity
    assert sensitivity.tied
    assert sensitivity.gap == 0
    assert sensitivity.close_call
    assert sensitivity.flips == ()
    assert sensitivity.nudges == ()


def test_no_sensitivity_until_two_options_have_a_score():
    comparison = build_comparison([option(1, {1: 6}), option(2, {}), option(3, {})], [GROWTH])
    assert comparison.sensitivity is None


@st.composite
def matchups(draw):
    size = draw(st.integers(min_value=1, max_value=4))
    criteria = [
        ComparedCriterion(key=k, name=f"C{k}", weight=w, saved_weight=w)
        for k in range(size)
        for w in [draw(st.integers(min_value=0, max_value=10))]
    ]
    score = st.one_of(st.none(), st.integers(min_value=0, max_value=10))
    first = {k: draw(score) for k in range(size)}
    second = {k: draw(score) for k in range(size)}
    return [option(1, first), option(2, second)], criteria


def whole_weight_values(comparison, criterion, weight):
    weights = comparison.weights | {criterion.key: weight}
    leader = score_option(comparison.sensitivity.leader.option.scores, weights).value
    runner_up = score_option(comparison.sensitivity.runner_up.option.scores, weights).value
    return leader, runner_up


@settings(max_examples=200, deadline=None)
@given(matchups())
def test_the_reported_slider_weight_is_the_first_whole_weight_that_overtakes(matchup):
    comparison = build_comparison(*matchup)
    if comparison.sensitivity is None or comparison.sensitivity.tied:
        return
    for flip in comparison.sensitivity.flips:
        current = flip.criterion.weight
        assert 0 <= flip.tie_weight <= 10
        if flip.slider_weight is None:
            continue
        leader, runner_up = whole_weight_values(comparison, flip.criterion, flip.slider_weight)
        assert runner_up > leader
        step = 1 if flip.slider_weight > current else -1
        for weight in range(current + step, flip.slider_weight, step):
            leader, runner_up = whole_weight_values(comparison, flip.criterion, weight)
            assert runner_up is None or leader is None or runner_up <= leader


@settings(max_examples=200, deadline=None)
@given(matchups())
def test_whenever_a_whole_weight_overtakes_a_flip_is_reported(matchup):
    comparison = build_comparison(*matchup)
    if comparison.sensitivity is None or comparison.sensitivity.tied:
        return
    flipped = {flip.criterion.key for flip in comparison.sensitivity.flips}
    for criterion in comparison.criteria:
        overtakes = False
        for weight in range(11):
            leader, runner_up = whole_weight_values(comparison, criterion, weight)
            overtakes |= leader is not None and runner_up is not None and runner_up > leader
        if overtakes:
            assert criterion.key in flipped


# --- The gut ranking beside the matrix -------------------------------------------------------


def test_gut_disagreement_names_the_criteria_that_explain_it():
    # The gut says X first; the matrix puts Y (70) ahead of X (60) because of Pay.
    x, y = option(1, {1: 8, 2: 4}), option(2, {1: 5, 2: 9})
    comparison = build_comparison([x, y], [GROWTH, PAY])

    gut = compare_with_gut(comparison, [1, 2])

    assert not gut.agrees
    (disagreement,) = gut.disagreements
    assert disagreement.gut_higher.option == x
    assert disagreement.gut_lower.option == y
    assert disagreement.criteria == (PAY,)
    assert [c.option.key for c in gut.gut_order] == [1, 2]


def test_gut_that_agrees_with_the_matrix():
    comparison = build_comparison([option(1, {1: 8}), option(2, {1: 5})], [GROWTH])
    assert compare_with_gut(comparison, [1, 2]).agrees


def test_every_pair_the_gut_orders_the_other_way_is_a_disagreement_but_ties_are_not():
    comparison = build_comparison(
        [option(1, {1: 2}), option(2, {1: 5}), option(3, {1: 9}), option(4, {1: 9})], [GROWTH]
    )
    gut = compare_with_gut(comparison, [1, 2, 3, 4])
    pairs = [(d.gut_higher.option.key, d.gut_lower.option.key) for d in gut.disagreements]
    assert pairs == [(1, 2), (1, 3), (1, 4), (2, 3), (2, 4)]  # 3 and 4 tie: no disagreement


def test_a_gut_order_of_other_options_is_not_compared():
    comparison = build_comparison([option(1, {1: 8}), option(2, {1: 5})], [GROWTH])
    assert compare_with_gut(comparison, [1, 3]) is None
    assert compare_with_gut(comparison, [1]) is None
    assert compare_with_gut(comparison, [1, 2, 2]) is None


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("Plain title", "Plain title"),
        (-3.5, -3.5),
        (7, 7),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_matrix_table_by_hand():
    x = Option(key=1, title="=cmd()", scores={1: 8, 2: 4}, is_status_quo=True)
    y = Option(key=2, title="Freelance", scores={2: 9})
    table = list(matrix_table(build_comparison([x, y], [GROWTH, PAY])))
    assert table == [
        [
            "Criterion",
            "Weight",
            "Saved weight",
            "Share of weight (%)",
            "'=cmd(): score",
            "'=cmd(): points",
            "Freelance: score",
            "Freelance: points",
        ],
        ["Growth", 5, 5, 50.0, 8, 40.0, "", ""],
        ["Pay", 5, 5, 50.0, 4, 20.0, 9, 90.0],
        ["Decision score (0-100)", "", "", "", 60.0, "", 90.0, ""],
        ["Coverage", "", "", "", "2 of 2 scored", "", "1 of 2 scored", ""],
        ["Rank", "", "", "", 2, "", 1, ""],
        ["Must-haves failed", "", "", "", "", "", "", ""],
        ["Difference from the status quo", "", "", "", "status quo", "", 30.0, ""],
    ]
