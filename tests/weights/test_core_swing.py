"""Swing weighting, the pure part: swings over the options on the table, ratings to 0-10
weights (ordered as the ratings, invariant to scaling them), and back."""

from hypothesis import given
from hypothesis import strategies as st

from opportunities.weights.core import (
    RATING_MAX,
    Swing,
    order_by_rating,
    rated_out_of_order,
    ratings_from_weights,
    swing_weights,
    swings,
)

ratings_st = st.dictionaries(
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=0, max_value=RATING_MAX),
    max_size=12,
)


@given(ratings_st)
def test_swing_weights_order_the_criteria_as_the_ratings_did(ratings):
    weights = swing_weights(ratings)
    for a in ratings:
        for b in ratings:
            if ratings[a] > ratings[b]:
                assert weights[a] >= weights[b]
            if ratings[a] == ratings[b]:
                assert weights[a] == weights[b]


@given(ratings_st, st.integers(min_value=1, max_value=1000))
def test_swing_weights_do_not_change_when_every_rating_is_multiplied(ratings, factor):
    assert swing_weights(ratings) == swing_weights({k: v * factor for k, v in ratings.items()})


@given(ratings_st)
def test_a_zero_rating_weighs_zero_and_the_top_rating_weighs_ten(ratings):
    weights = swing_weights(ratings)
    assert set(weights) == set(ratings)
    assert all(0 <= weight <= 10 for weight in weights.values())
    for criterion, rating in ratings.items():
        if rating == 0:
            assert weights[criterion] == 0
        else:
            assert weights[criterion] >= 1
    if ratings and max(ratings.values()) > 0:
        top = max(ratings.values())
        assert all(weights[c] == 10 for c, r in ratings.items() if r == top)


def test_a_criterion_without_a_swing_weighs_zero():
    assert swing_weights({"growth": 100, "pay": 50, "gut": None}) == {
        "growth": 10,
        "pay": 5,
        "gut": 0,
    }
    assert swing_weights({"a": 0, "b": None}) == {"a": 0, "b": 0}
    assert swing_weights({"a": 100, "b": 1}) == {"a": 10, "b": 1}  # never rounded away


def test_swings_over_constructed_options():
    options = [
        {"growth": 3, "pay": 7, "gut": None},
        {"growth": 9, "pay": 7, "gut": 5},
        {"growth": 5, "pay": 7},
    ]
    found = swings(options, ["growth", "pay", "gut", "values"])
    assert found == [
        Swing("growth", 3, 9),
        Swing("pay", 7, 7),
        Swing("gut", 5, 5),
        Swing("values", None, None),
    ]
    assert [s.differs for s in found] == [True, False, False, False]
    assert [s.size for s in found] == [6, 0, 0, 0]


@given(st.dictionaries(st.integers(min_value=1, max_value=30), st.integers(0, 10), max_size=10))
def test_ratings_from_weights_round_trip_keeps_the_order(weights):
    ratings = ratings_from_weights(weights)
    assert set(ratings) == set(weights)
    if weights and max(weights.values()) > 0:
        assert max(ratings.values()) == RATING_MAX
    back = swing_weights(ratings)
    for a in weights:
        for b in weights:
            if weights[a] > weights[b]:
                assert ratings[a] >= ratings[b]
                assert back[a] >= back[b]
    if weights and max(weights.values()) == 10:
        assert back == weights  # proportions to a top of 10 come back exactly


@given(ratings_st)
def test_the_order_ratings_imply_is_never_out_of_order(ratings):
    order = order_by_rating(ratings, sorted(ratings))
    assert sorted(order) == sorted(ratings)
    assert rated_out_of_order(order, ratings) == []


def test_a_swing_rated_above_one_put_before_it_is_out_of_order():
    ratings = {"a": 100, "b": 50, "c": 80, "d": 40, "e": 60}
    assert rated_out_of_order(["a", "b", "c", "d", "e"], ratings) == ["c", "e"]
    assert rated_out_of_order(["a", "c", "e", "b", "d"], ratings) == []
    assert rated_out_of_order(["a", "x", "b"], {"a": 100, "b": 20}) == []  # unrated skipped
    assert order_by_rating({"a": 50, "b": 50, "c": 90}, ["a", "b", "c", "z"]) == ["c", "a", "b"]
