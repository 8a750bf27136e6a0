"""Unsure scores: the distribution, the simulation and what to find out next (pure, no Django)."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opportunities.scoring.core import score_option
from opportunities.uncertainty import sampling
from opportunities.uncertainty.core import (
    CELL_BUDGET,
    CLEAR_SHARE,
    MAX_OPTIONS,
    MIN_DRAWS,
    SHAKY_SHARE,
    Band,
    OptionInput,
    Uncertain,
    decision_band,
    draws_for,
    percent,
    quantiles,
    simulate,
)

DRAWS = 2000
SAMPLING = 4 / math.sqrt(DRAWS)  # Four standard errors of a share at worst (p = ½).


def option(key, scores, title=None):
    return OptionInput(key=key, title=title or f"Option {key}", scores=scores)


def certain(**scores):
    return {name: Uncertain(value) for name, value in scores.items()}


@st.composite
def uncertain_scores(draw, *, ranges=True):
    score = draw(st.integers(0, 10))
    if not ranges or draw(st.booleans()):
        return Uncertain(score)
    low = draw(st.integers(0, score))
    high = draw(st.integers(score, 10))
    return Uncertain(score, low, high)


@st.composite
def comparisons(draw, *, ranges=True, minimums=False):
    n_criteria = draw(st.integers(1, 4))
    criteria = [f"c{i}" for i in range(n_criteria)]
    weights = {c: draw(st.integers(0, 10)) for c in criteria}
    mins = {c: (draw(st.none() | st.integers(0, 10)) if minimums else None) for c in criteria}
    n_options = draw(st.integers(1, 4))
    options = []
    for o in range(n_options):
        scores = {}
        for c in criteria:
            if draw(st.integers(0, 5)) > 0:
                scores[c] = draw(uncertain_scores(ranges=ranges))
        options.append(option(o, scores))
    return options, weights, mins


# --- The distribution ---------------------------------------------------------------------------


def test_uncertain_refuses_a_range_that_does_not_hold_the_score():
    with pytest.raises(ValueError, match="must contain"):
        Uncertain(5, 6, 8)
    with pytest.raises(ValueError, match="both"):
        Uncertain(5, 4, None)
    with pytest.raises(ValueError, match="needs a score"):
        Uncertain(None, 4, 6)
    with pytest.raises(ValueError, match="within"):
        Uncertain(5, 4, 11)
    assert not Uncertain(5, 5, 5).is_uncertain
    assert not Uncertain(None).is_uncertain
    assert Uncertain(5, 4, 5).is_uncertain


def test_quantiles_stay_in_the_range_and_lean_towards_the_score():
    values = quantiles(4, 6, 9)
    assert values.min() >= 4
    assert values.max() <= 9
    assert np.all(np.diff(values) >= 0)
    # The two-sided power distribution with n = 3: mean (low + 2·score + high)/4 …
    assert values.mean() == pytest.approx((4 + 2 * 6 + 9) / 4, abs=1e-3)
    # … the share below the score is where it sits in its range, and only 5 % below 5
    # (a triangular puts 10 % there).
    assert (values < 6).mean() == pytest.approx(0.4, abs=1e-3)
    assert (values < 5).mean() == pytest.approx(0.05, abs=1e-3)


def test_quantiles_at_an_end_of_the_range():
    assert quantiles(3, 3, 7).min() >= 3
    assert (quantiles(3, 3, 7) < 3.5).mean() > 0.3
    assert (quantiles(3, 7, 7) > 6.5).mean() > 0.3


def test_widening_either_end_moves_every_quantile_outwards():
    """Pointwise, for every whole-point range: what makes the monotone properties exact."""
    for low in range(11):
        for score in range(low, 11):
            for high in range(max(score, low + 1), 10):
                assert np.all(quantiles(low, score, high + 1) >= quantiles(low, score, high))
            for wider in range(low):
                high = max(score, low + 1)
                if high <= 10:
                    assert np.all(quantiles(wider, score, high) <= quantiles(low, score, high))


# --- Probabilities ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(comparisons(ranges=False))
def test_without_ranges_the_point_winner_gets_every_case(case):
    options, weights, mins = case
    result = simulate(options, weights, mins, status_quo=None, draws=DRAWS)
    values = {
        o.key: score_option({k: v.score for k, v in o.scores.items()}, weights).value
        for o in options
    }
    valued = {k: v for k, v in values.items() if v is not None}
    if not valued:
        assert all(odds.p_first == 0 for odds in result.options)
        return
    best = max(valued.values())
    winners = [k for k, v in valued.items() if v >= best - 1e-9]
    for odds in result.options:
        expected = 1 / len(winners) if odds.key in winners else 0.0
        assert odds.p_first == pytest.approx(expected)
        assert odds.band is None
    assert result.uncertain == 0


@settings(max_examples=60, deadline=None)
@given(comparisons(minimums=True))
def test_the_shares_of_coming_out_on_top_sum_to_one(case):
    options, weights, mins = case
    result = simulate(options, weights, mins, status_quo=0, draws=DRAWS)
    total = sum(odds.p_first for odds in result.options)
    anyone = any(odds.point is not None for odds in result.options)
    assert total == pytest.approx(1.0 if anyone else 0.0)
    for odds in result.options:
        assert 0 <= odds.p_first <= 1
        if odds.band is not None:
            assert 0 <= odds.band.low <= odds.band.high <= 100


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons(minimums=True), st.data())
def test_widening_the_high_end_never_lowers_the_chance_of_coming_out_on_top(case, data):
    options, weights, mins = case
    target = data.draw(st.sampled_from(options))
    ranged = [k for k, v in target.scores.items() if v.is_uncertain and v.high < 10]
    if not ranged:
        return
    criterion = data.draw(st.sampled_from(ranged))
    before = target.scores[criterion]
    wider = Uncertain(before.score, before.low, data.draw(st.integers(before.high + 1, 10)))
    widened = [option(o.key, {**o.scores, criterion: wider}) if o is target else o for o in options]
    seed = data.draw(st.integers(0, 2**64))
    # Common random numbers: the same seed draws the same index for every case.
    narrow = simulate(options, weights, mins, status_quo=None, draws=DRAWS, seed=seed)
    wide = simulate(widened, weights, mins, status_quo=None, draws=DRAWS, seed=seed)
    assert wide.by_key[target.key].p_first >= narrow.by_key[target.key].p_first - 1e-12


def test_identical_options_get_equal_chances_within_sampling_error():
    scores = {"pay": Uncertain(6, 3, 9), "growth": Uncertain(5, 2, 8), "commute": Uncertain(7)}
    options = [option(1, scores), option(2, dict(scores)), option(3, certain(pay=2, growth=2))]
    result = simulate(options, {"pay": 5, "growth": 3, "commute": 2}, {}, status_quo=None)
    a, b = result.by_key[1].p_first, result.by_key[2].p_first
    assert a + b == pytest.approx(1.0)
    assert abs(a - b) < 4 / math.sqrt(result.draws)
    assert result.by_key[1].band == result.by_key[2].band or result.by_key[1].band is not None


def test_a_must_have_failed_in_every_case_never_comes_out_on_top():
    # Pay is 3 (could be 2-4) against a minimum of 5: every case fails, whatever the total.
    failing = option(1, {"pay": Uncertain(3, 2, 4), "growth": Uncertain(10, 8, 10)})
    passing = option(2, {"pay": Uncertain(6, 5, 7), "growth": Uncertain(1, 0, 3)})
    result = simulate(
        [failing, passing], {"pay": 1, "growth": 10}, {"pay": 5}, status_quo=2, draws=DRAWS
    )
    assert result.by_key[1].p_first == 0
    assert result.by_key[2].p_first == 1
    assert result.by_key[1].p_beats_status_quo == 0
    assert result.by_key[2].p_beats_status_quo is None


def test_a_range_reaching_below_a_minimum_fails_only_those_cases():
    risky = option(1, {"pay": Uncertain(6, 3, 8)})
    safe = option(2, {"pay": Uncertain(5)})
    result = simulate([risky, safe], {"pay": 5}, {"pay": 5}, status_quo=None, draws=DRAWS)
    below = (quantiles(3, 6, 8) < 5).mean()
    assert result.by_key[2].p_first == pytest.approx(below, abs=SAMPLING)
    assert 0 < result.by_key[2].p_first < 0.5


def test_an_unscored_criterion_stays_out_of_every_case():
    weights = {"pay": 5, "growth": 5}
    half = option(1, {"pay": Uncertain(8, 6, 10)})
    full = option(2, {"pay": Uncertain(8, 6, 10), "growth": Uncertain(0)})
    result = simulate([half, full], weights, {}, status_quo=None, draws=DRAWS)
    assert result.by_key[1].point == 80
    assert result.by_key[2].point == 40
    assert result.by_key[1].p_first == 1
    assert result.by_key[1].band.low > 60


def test_beating_the_status_quo():
    stay = option(1, {"pay": Uncertain(5)}, "Staying as you are")
    move = option(2, {"pay": Uncertain(6, 2, 8)}, "Part-time role")
    result = simulate([stay, move], {"pay": 5}, {}, status_quo=1, draws=DRAWS)
    assert result.by_key[1].p_beats_status_quo is None
    beats = (quantiles(2, 6, 8) > 5).mean()
    assert result.by_key[2].p_beats_status_quo == pytest.approx(beats, abs=SAMPLING)
    assert result.by_key[2].p_first == pytest.approx(beats, abs=SAMPLING)


# --- Reproducibility and bounds -----------------------------------------------------------------


def _two():
    return [
        option(1, {"pay": Uncertain(6, 3, 9), "growth": Uncertain(5)}, "Agency"),
        option(2, {"pay": Uncertain(5, 4, 8), "growth": Uncertain(6, 2, 7)}, "Part-time role"),
    ]


def test_the_same_inputs_give_the_same_figures():
    weights = {"pay": 5, "growth": 4}
    first = simulate(_two(), weights, {}, status_quo=1)
    again = simulate(_two(), weights, {}, status_quo=1)
    assert first.options == again.options
    assert first.find_out_next() == again.find_out_next()


def test_different_inputs_give_a_different_seed():
    weights = {"pay": 5, "growth": 4}
    seed = sampling.seed_for(_two(), weights, {}, 1000)
    assert seed == sampling.seed_for(_two(), dict(weights), {}, 1000)
    changed = [_two()[0], option(2, {**_two()[1].scores, "pay": Uncertain(5, 4, 9)})]
    assert seed != sampling.seed_for(changed, weights, {}, 1000)
    assert seed != sampling.seed_for(_two(), {"pay": 5, "growth": 3}, {}, 1000)
    assert seed != sampling.seed_for(_two(), weights, {"pay": 3}, 1000)
    assert seed != sampling.seed_for(_two(), weights, {}, 999)
    assert seed != sampling.seed_for(list(reversed(_two())), weights, {}, 1000)


def test_draws_are_reduced_to_keep_memory_bounded():
    assert draws_for(10, 15) == 10_000
    assert draws_for(100, 100) == MIN_DRAWS
    assert draws_for(100, 100) * 100 * 100 <= CELL_BUDGET
    assert draws_for(50, 15) * 50 * 15 <= CELL_BUDGET
    assert draws_for(2, 2, asked=10**9) == sampling.MAX_DRAWS
    weights = {f"c{i}": 5 for i in range(30)}
    options = [option(o, {"c0": Uncertain(5, 4, 6)}) for o in range(MAX_OPTIONS)]
    result = simulate(options, weights, {}, status_quo=None)
    assert result.reduced
    assert result.draws * MAX_OPTIONS * 30 <= CELL_BUDGET
    assert not simulate(_two(), {"pay": 5, "growth": 4}, {}, status_quo=None).reduced
    with pytest.raises(ValueError, match="at most"):
        simulate([*options, option(-1, {})], weights, {}, status_quo=None)


def test_an_option_listed_twice_is_refused():
    with pytest.raises(ValueError, match="more than once"):
        simulate([option(1, {}), option(1, {})], {"pay": 5}, {}, status_quo=None)


# --- The decision score's own band --------------------------------------------------------------


def test_decision_band_without_ranges_is_none():
    assert decision_band([("pay", 5, Uncertain(6), None)]) is None
    assert decision_band([("pay", 5, Uncertain(None), None)]) is None
    assert decision_band([("pay", 0, Uncertain(6, 4, 8), None)]) is None
    assert decision_band([]) is None


def test_decision_band_surrounds_the_score_and_is_reproducible():
    items = [("pay", 5, Uncertain(6, 4, 9), None), ("growth", 5, Uncertain(7), 3)]
    band = decision_band(items)
    assert isinstance(band, Band)
    assert 50 <= band.low < 65 < band.high <= 80
    assert decision_band(list(items)) == band
    narrower = decision_band([("pay", 5, Uncertain(6, 5, 7), None), items[1]])
    assert band.low <= narrower.low <= narrower.high <= band.high


# --- Sentences ----------------------------------------------------------------------------------


def test_percent_never_rounds_to_all_or_nothing():
    assert percent(0.78) == "78 %"
    assert percent(0.001) == "under 1 %"
    assert percent(0.9991) == "over 99 %"
    assert percent(0) == "0 %"
    assert percent(1) == "100 %"


def test_the_leading_sentence_names_the_top_three():
    result = simulate(_two(), {"pay": 5, "growth": 4}, {}, status_quo=None)
    shares = {odds.title: percent(odds.p_first) for odds in result.options}
    first, second = sorted(result.options, key=lambda odds: -odds.p_first)
    assert result.sentence == (
        f"{first.title} comes out on top in {shares[first.title]} of the plausible cases; "
        f"{second.title} in {shares[second.title]}."
    )
    options = [option(o, {"pay": Uncertain(5, 0, 10)}, f"Job {o}") for o in range(5)]
    five = simulate(options, {"pay": 5}, {}, status_quo=None)
    assert five.sentence.count(" in ") == 4
    assert "the others together in" in five.sentence


def test_every_plausible_case():
    sure = [option(1, certain(pay=9)), option(2, {"pay": Uncertain(3, 1, 5)})]
    assert (
        simulate(sure, {"pay": 5}, {}, status_quo=None).sentence
        == "Option 1 comes out on top in every plausible case."
    )


def test_close_call_notes():
    close = [
        option(1, {"pay": Uncertain(6, 6, 7)}, "A"),
        option(2, {"pay": Uncertain(6, 3, 6)}, "B"),
    ]
    result = simulate(close, {"pay": 5}, {}, status_quo=None)
    assert result.by_key[1].p_first >= CLEAR_SHARE
    assert result.close_call_note(1, close_call=True) == (
        f"A close call the ranges make clear: A wins in {percent(result.by_key[1].p_first)} "
        "of the plausible cases."
    )
    shaky = [
        option(1, {"pay": Uncertain(8, 2, 9)}, "A"),
        option(2, {"pay": Uncertain(7, 6, 8)}, "B"),
    ]
    result = simulate(shaky, {"pay": 5}, {}, status_quo=None)
    assert result.by_key[1].p_first < SHAKY_SHARE
    assert result.close_call_note(1, close_call=False).startswith(
        "A clear lead the ranges make shaky: A wins in only"
    )
    assert result.close_call_note(1, close_call=True) == ""
    plain = simulate(
        [option(1, certain(pay=8)), option(2, certain(pay=7))], {"pay": 5}, {}, status_quo=None
    )
    assert plain.close_call_note(1, close_call=True) == ""


# --- What to find out next ----------------------------------------------------------------------


def test_find_out_next_names_the_score_that_can_flip_the_order_first():
    weights = {"pay": 5, "growth": 5, "commute": 5}
    agency = option(
        1,
        {"pay": Uncertain(6, 5, 7), "growth": Uncertain(6, 0, 10), "commute": Uncertain(6, 5, 7)},
        "the agency",
    )
    part_time = option(2, {**certain(pay=6, growth=5, commute=6)}, "Part-time role")
    result = simulate([agency, part_time], weights, {}, status_quo=None, names={"growth": "Growth"})
    suggestions = result.find_out_next()
    assert suggestions[0].option_key == 1
    assert suggestions[0].criterion_key == "growth"
    assert suggestions[0].share > 0.9
    # Pay and commute move the agency by at most a third of a point each: never enough on
    # their own to flip what growth decided.
    assert all(s.criterion_key == "growth" or s.share < suggestions[0].share for s in suggestions)
    assert suggestions[0].sentence.startswith(
        "Finding out about Growth at the agency would settle most of it \N{EM DASH} "
    )
    assert "where the order changes" in suggestions[0].sentence


def test_scores_that_cannot_flip_the_order_are_not_suggested():
    weights = {"pay": 5, "growth": 5}
    leader = option(1, {"pay": Uncertain(8, 7, 9), "growth": Uncertain(8)})
    flipper = option(2, {"pay": Uncertain(8), "growth": Uncertain(7, 3, 10)})
    far_behind = option(3, {"pay": Uncertain(2, 1, 3), "growth": Uncertain(2, 1, 3)})
    result = simulate([leader, flipper, far_behind], weights, {}, status_quo=None)
    suggestions = result.find_out_next()
    assert (suggestions[0].option_key, suggestions[0].criterion_key) == (2, "growth")
    assert suggestions[0].share > 0.5
    suggested = {(s.option_key, s.criterion_key) for s in suggestions}
    assert (3, "pay") not in suggested
    assert (3, "growth") not in suggested
    assert all(s.share > 0 for s in suggestions)


def test_nothing_to_find_out_when_the_order_never_changes():
    sure = [option(1, certain(pay=9)), option(2, {"pay": Uncertain(3, 1, 5)})]
    assert simulate(sure, {"pay": 5}, {}, status_quo=None).find_out_next() == []
    assert (
        simulate([option(1, certain(pay=9))], {"pay": 5}, {}, status_quo=None).find_out_next() == []
    )


@settings(max_examples=40, deadline=None)
@given(comparisons(minimums=True))
def test_find_out_next_shares_are_proportions(case):
    options, weights, mins = case
    result = simulate(options, weights, mins, status_quo=None, draws=500)
    suggestions = result.find_out_next()
    shares = [s.share for s in suggestions]
    assert shares == sorted(shares, reverse=True)
    assert all(0 < share <= 1 for share in shares)


# --- The same draws, however they are gathered ---------------------------------------------------


def _sample_cell_by_cell(model, draws, seed):
    """The sampling as it was first written, one gather per cell: the oracle of ``sample``."""
    n_cells = len(model.cells)
    deviations = np.empty((n_cells, draws), dtype=np.float32)
    if n_cells == 0:
        return deviations
    rng = np.random.default_rng(seed)
    bits = np.frombuffer(rng.bytes(2 * draws * n_cells), dtype=np.uint16).reshape(n_cells, draws)
    index = np.empty(draws, dtype=np.intp)
    for u in range(n_cells):
        np.bitwise_and(bits[u], sampling.QUANTILES - 1, out=index, casting="unsafe")
        start = int(model.cell_offsets[u])
        model.table[start : start + sampling.QUANTILES].take(index, out=deviations[u])
    return deviations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons(minimums=True), st.integers(0, 2**32), st.integers(1, 300))
def test_sampling_all_cells_at_once_draws_exactly_what_cell_by_cell_did(case, seed, draws):
    options, weights, mins = case
    model = sampling.build_model(options, weights, mins)
    np.testing.assert_array_equal(
        sampling.sample(model, draws, seed), _sample_cell_by_cell(model, draws, seed)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons(minimums=True))
def test_the_bands_are_the_percentiles_of_each_options_totals(case):
    options, weights, mins = case
    result = simulate(options, weights, mins, status_quo=None, draws=DRAWS)
    totals = result._draws.totals
    for o, odds in enumerate(result.options):
        if odds.band is not None:
            low, high = np.percentile(totals[:, o], [10.0, 90.0])
            assert (odds.band.low, odds.band.high) == (float(low), float(high))


def _hinge_shares_by_replay(result):
    """What to find out next as it was first written, replaying every case with one score
    put back (a copy of every option's keys per unsure score): the oracle of the shares."""
    from opportunities.uncertainty.core import MIN_CHANGED

    model = result._model
    values, totals, failures, keys = result._draws
    given = sampling.point_winner(model)
    if not model.cells or given < 0:
        return []
    changed = sampling.winners(keys) != given
    if changed.mean() < MIN_CHANGED:
        return []
    keys, totals, failures = keys[changed], totals[changed], failures[changed]
    deviations = values[:, changed]
    involved = {given, *np.unique(sampling.winners(keys)).tolist()}
    shares = []
    for u, (o, c) in enumerate(model.cells):
        if o not in involved:
            continue
        total = totals[:, o] - model.cell_weights[u] * deviations[u]
        np.clip(total, 0.0, 100.0, out=total)
        margin = model.cell_minimums[u] - model.cell_scores[u]
        fails = failures[:, o] - (deviations[u] < margin)
        fails += model.cell_scores[u] < model.cell_minimums[u]
        key = total - sampling.FAIL_PENALTY * ((fails > 0) | model.fixed_failure[o])
        trial = keys.copy()
        trial[:, o] = key if model.valued[o] else -np.inf
        share = float((sampling.winners(trial) == given).mean())
        if share > 0:
            shares.append((model.keys[o], model.criteria[c], share))
    return sorted(shares, key=lambda item: -item[2])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(comparisons(minimums=True), st.integers(0, 2**32))
def test_find_out_next_finds_what_replaying_every_case_finds(case, seed):
    options, weights, mins = case
    result = simulate(options, weights, mins, status_quo=None, draws=DRAWS, seed=seed)
    found = [(s.option_key, s.criterion_key, s.share) for s in result.find_out_next()]
    assert found == _hinge_shares_by_replay(result)
