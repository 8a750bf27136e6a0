"""The weight that reconciles the matrix with the gut (weights.core.reconcile_with_gut and
gut_disagreements): constructed cases where one weight change is known to reconcile,
agreement, ties, and several rankings at once."""

from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.scoring.core import score_option
from opportunities.weights.core import Reconciliation, gut_disagreements, reconcile_with_gut

# Growth and life pull two options apart; pay is level.
OPTIONS = {
    "agency": {"growth": 9, "life": 3, "pay": 5},
    "stay": {"growth": 3, "life": 9, "pay": 5},
}


def test_one_weight_change_that_makes_the_gut_fit_is_named():
    # Weights 6 vs 4: the matrix puts the agency first (9·6+3·4 > 3·6+9·4); the gut says stay.
    weights = {"growth": 6, "life": 4, "pay": 5}
    found = reconcile_with_gut([["stay", "agency"]], OPTIONS, weights)
    assert found is not None
    assert found.fits
    assert (found.disagreements_before, found.disagreements_after, found.pairs) == (1, 0, 1)
    # The smallest change: growth 4 or life 6 (two points each) bring them level, and a
    # matrix that ties no longer contradicts the gut; growth comes first in the order.
    assert (found.criterion, found.was, found.weight) == ("growth", 6, 4)
    after = {**weights, found.criterion: found.weight}
    assert (
        score_option(OPTIONS["stay"], after).value >= score_option(OPTIONS["agency"], after).value
    )


def test_the_smallest_change_is_preferred():
    weights = {"growth": 7, "life": 3, "pay": 5}
    found = reconcile_with_gut([["stay", "agency"]], OPTIONS, weights)
    assert found is not None
    assert found.fits
    # growth 3 or life 7 (four points either way); nothing nearer brings them level.
    assert abs(found.weight - found.was) == 4
    assert (found.criterion, found.weight) == ("growth", 3)
    for nearer in (4, 5, 6):
        assert gut_disagreements([["stay", "agency"]], OPTIONS, {**weights, "growth": nearer})[0]


def test_nothing_to_reconcile_when_the_gut_and_the_matrix_agree():
    weights = {"growth": 6, "life": 4, "pay": 5}
    assert reconcile_with_gut([["agency", "stay"]], OPTIONS, weights) is None
    assert gut_disagreements([["agency", "stay"]], OPTIONS, weights) == (0, 1)


def test_a_tie_in_the_matrix_is_not_a_disagreement():
    weights = {"growth": 5, "life": 5, "pay": 5}
    assert gut_disagreements([["stay", "agency"]], OPTIONS, weights) == (0, 1)
    assert reconcile_with_gut([["stay", "agency"]], OPTIONS, weights) is None


def test_no_weight_helps_when_the_options_differ_only_where_the_gut_disagrees():
    # The gut prefers b, which is worse on every criterion it differs on: taking growth to
    # 0 leaves them level on pay (a tie, which no longer contradicts the gut), and nothing
    # puts b ahead.
    options = {"a": {"pay": 5, "growth": 9}, "b": {"pay": 5, "growth": 3}}
    weights = {"pay": 5, "growth": 1}
    assert gut_disagreements([["b", "a"]], options, weights) == (1, 1)
    found = reconcile_with_gut([["b", "a"]], options, weights)
    assert found is not None
    assert (found.criterion, found.weight) == ("growth", 0)
    worse_everywhere = {"a": {"pay": 6, "growth": 9}, "b": {"pay": 5, "growth": 3}}
    assert reconcile_with_gut([["b", "a"]], worse_everywhere, weights) is None


def test_unscored_options_are_left_out_of_the_pairs():
    options = {**OPTIONS, "new": {"growth": None, "life": None, "pay": None}}
    weights = {"growth": 6, "life": 4, "pay": 5}
    assert gut_disagreements([["new", "stay", "agency"]], options, weights) == (1, 1)


def test_several_rankings_count_every_pair_and_can_come_only_closer():
    options = {
        "agency": {"growth": 9, "life": 3},
        "stay": {"growth": 3, "life": 9},
        "startup": {"growth": 10, "life": 1},
        "corp": {"growth": 5, "life": 6},
    }
    weights = {"growth": 6, "life": 4}
    # Matrix: agency 66, startup 64, stay 54, corp 54 (out of 100 · 10). Rankings that want
    # life heavier (stay and corp above agency) and one that wants growth heavier.
    gut = [["stay", "corp", "agency"], ["startup", "agency"]]
    before, pairs = gut_disagreements(gut, options, weights)
    assert (before, pairs) == (3, 4)
    found = reconcile_with_gut(gut, options, weights)
    assert found is not None
    assert not found.fits
    assert (found.criterion, found.was, found.weight) == ("growth", 6, 3)
    assert (found.disagreements_before, found.disagreements_after, found.pairs) == (3, 1, 4)


def test_several_rankings_that_one_change_fits():
    options = {
        "agency": {"growth": 9, "life": 3},
        "stay": {"growth": 3, "life": 9},
        "corp": {"growth": 5, "life": 6},
        "startup": {"growth": 10, "life": 1},
    }
    weights = {"growth": 6, "life": 4}
    gut = [["stay", "agency"], ["startup", "corp"]]
    found = reconcile_with_gut(gut, options, weights)
    assert found is not None
    assert found.fits
    assert (found.disagreements_before, found.pairs) == (1, 2)
    assert (found.criterion, found.weight) == ("growth", 4)


scores = st.integers(0, 10)
option_st = st.fixed_dictionaries({"x": scores, "y": scores, "z": scores})


@settings(max_examples=150)
@given(
    a=option_st,
    b=option_st,
    c=option_st,
    weights=st.fixed_dictionaries({"x": scores, "y": scores, "z": scores}),
    order=st.permutations(["a", "b", "c"]),
)
def test_a_reconciliation_always_lowers_the_disagreements_it_reports(a, b, c, weights, order):
    options = {"a": a, "b": b, "c": c}
    before, pairs = gut_disagreements([order], options, weights)
    found = reconcile_with_gut([order], options, weights)
    if before == 0:
        assert found is None
        return
    if found is None:
        return
    assert found.disagreements_before == before
    assert found.pairs == pairs
    changed = {**weights, found.criterion: found.weight}
    assert gut_disagreements([order], options, changed)[0] == found.disagreements_after < before
    assert 0 <= found.weight <= 10
    assert found.weight != found.was


def _reconcile_by_rescoring_everyone(gut, options, weights):
    """The straightforward reconciliation (as it was written first): rescore every option
    under each of the 11 whole weights of each criterion. The oracle for the closed form."""
    before, pairs = gut_disagreements(gut, options, weights)
    if before == 0:
        return None
    best = found = None
    for position, (criterion, was) in enumerate(weights.items()):
        for weight in range(11):
            if weight == was:
                continue
            after, _ = gut_disagreements(gut, options, {**weights, criterion: weight})
            key = (after, abs(weight - was), position)
            if after < before and (best is None or key < best):
                best = key
                found = Reconciliation(criterion, was, weight, before, after, pairs)
    return found


criteria_names = ["p", "q", "r", "s"]
maybe_score = st.none() | st.integers(0, 10)
option_keys = ["a", "b", "c", "d", "e", "f"]


@settings(max_examples=300)
@given(
    weights=st.dictionaries(st.sampled_from(criteria_names), st.integers(0, 10), min_size=1),
    options=st.dictionaries(
        st.sampled_from(option_keys[:5]),
        st.dictionaries(st.sampled_from(criteria_names), maybe_score),
    ),
    gut=st.lists(
        st.lists(st.sampled_from(option_keys), min_size=2, max_size=5, unique=True),
        max_size=4,
    ),
)
def test_the_closed_form_finds_what_rescoring_everyone_finds(weights, options, gut):
    # Options missing from ``options`` ("f", and any not drawn), unscored criteria, weights
    # of 0 and options whose total is undefined all come up.
    assert reconcile_with_gut(gut, options, weights) == _reconcile_by_rescoring_everyone(
        gut, options, weights
    )


def test_weights_that_are_not_whole_are_reconciled_by_rescoring():
    weights = {"growth": 6.5, "life": 4, "pay": 5}
    found = reconcile_with_gut([["stay", "agency"]], OPTIONS, weights)
    assert found == _reconcile_by_rescoring_everyone([["stay", "agency"]], OPTIONS, weights)
    assert found is not None
    assert found.fits
