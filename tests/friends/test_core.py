"""The pure core of asking friends: tokens, the median and spread, and what friends'
scores would change — exhaustively, and with hypothesis where a property says more than
examples."""

from __future__ import annotations

import os
import statistics
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.compare.core import ComparedCriterion, Option, build_comparison
from opportunities.friends import core
from opportunities.friends.core import LinkState, ShiftKind

# --- Tokens ---


def test_a_token_carries_256_random_bits_and_has_the_shape_the_url_takes():
    tokens = {core.new_token() for _ in range(2_000)}
    assert len(tokens) == 2_000
    for token in tokens:
        assert len(token) == 43  # 32 bytes in URL-safe base64, unpadded
        assert core.looks_like_token(token)


def test_only_the_sha256_of_a_token_is_what_is_stored():
    token = core.new_token()
    stored = core.hash_token(token)
    assert len(stored) == 64
    assert token not in stored
    assert stored == core.hash_token(token)
    assert stored != core.hash_token(core.new_token())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "short",
        "a" * 42,
        "a" * 44,
        "a" * 42 + "=",
        "a" * 42 + "/",
        "a" * 42 + "\n",
        "../../" + "a" * 37,
        "<script>alert(1)</script>" + "a" * 18,
        "ａ" * 43,  # full-width letters are not URL-safe base64
    ],
)
def test_anything_without_a_tokens_shape_is_refused_before_a_lookup(text):
    assert not core.looks_like_token(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_sealing_a_token_for_the_queue_hides_it_and_unseals_to_it(text):
    key = b"a site secret"
    nonce = os.urandom(16)
    token = core.new_token()
    sealed = core.seal(token, key=key, nonce=nonce)
    assert token not in sealed
    assert core.unseal(sealed, key=key, nonce=nonce) == token
    # Any text survives the round trip (the seal is not specific to tokens' alphabet).
    assert core.unseal(core.seal(text, key=key, nonce=nonce), key=key, nonce=nonce) == text


def test_a_sealed_token_does_not_open_with_another_key_or_nonce():
    token = core.new_token()
    nonce = os.urandom(16)
    sealed = core.seal(token, key=b"one", nonce=nonce)
    for key, other_nonce in ((b"two", nonce), (b"one", os.urandom(16))):
        try:
            opened = core.unseal(sealed, key=key, nonce=other_nonce)
        except UnicodeDecodeError:  # keystream garbage is rarely even valid UTF-8
            opened = None
        assert opened != token
    assert core.seal(token, key=b"one", nonce=os.urandom(16)) != sealed


NOW = datetime(2026, 4, 10, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expires", "revoked", "closed", "state"),
    [
        (NOW + timedelta(seconds=1), None, None, LinkState.OPEN),
        (NOW, None, None, LinkState.EXPIRED),
        (NOW - timedelta(days=1), None, None, LinkState.EXPIRED),
        (NOW + timedelta(days=1), NOW, None, LinkState.REVOKED),
        (NOW - timedelta(days=1), NOW, None, LinkState.REVOKED),
        (NOW + timedelta(days=1), None, NOW, LinkState.CLOSED),
        (NOW - timedelta(days=1), None, NOW, LinkState.CLOSED),
        (NOW + timedelta(days=1), NOW, NOW, LinkState.REVOKED),
    ],
)
def test_a_link_is_open_until_it_expires_is_revoked_or_its_round_closes(
    expires, revoked, closed, state
):
    assert (
        core.link_state(now=NOW, expires_at=expires, revoked_at=revoked, closed_at=closed) == state
    )


@pytest.mark.parametrize(
    ("days", "ok"), [(0, False), (1, True), (14, True), (90, True), (91, False)]
)
def test_a_link_lasts_one_to_ninety_days(days, ok):
    assert (core.expiry_problem(days) is None) is ok
    if ok:
        assert core.expires_at(NOW, days) - NOW == timedelta(days=days)


# --- The median and the spread ---

scores = st.integers(min_value=0, max_value=10)


@pytest.mark.parametrize(
    ("values", "median"),
    [
        ([5], 5),
        ([4, 7], 6),
        ([4, 5], 5),
        ([5, 6], 6),
        ([0, 10], 5),
        ([3, 4, 9], 4),
        ([1, 2, 3, 4], 3),
    ],
)
def test_the_friends_score_is_the_median_rounded_half_up(values, median):
    assert core.whole_median(values) == median


@given(st.lists(scores, min_size=1, max_size=30))
def test_the_whole_median_is_the_median_to_the_nearest_point_halves_up(values):
    exact = statistics.median(values)
    median = core.whole_median(values)
    assert isinstance(median, int)
    assert median - 0.5 <= exact < median + 0.5
    assert min(values) <= median <= max(values)


def test_the_median_of_nothing_is_refused():
    with pytest.raises(ValueError, match="undefined"):
        core.whole_median([])


@given(st.lists(st.one_of(st.none(), scores), max_size=30), st.integers(0, 5))
def test_the_spread_counts_scores_only_and_brackets_the_median(ratings, cant_say):
    result = core.spread(ratings, cant_say=cant_say)
    given_scores = [value for value in ratings if value is not None]
    assert result.count == len(given_scores)
    assert result.cant_say == cant_say
    if given_scores:
        assert result.low == min(given_scores)
        assert result.high == max(given_scores)
        assert result.low <= result.median <= result.high
    else:
        assert result.median is result.low is result.high is None
        assert result.display == "no scores yet"


def test_the_spread_reads_like_the_results_page():
    assert core.spread([4, 5, 7]).display == "5 (4–7), 3 answers"
    assert core.spread([6]).display == "6, 1 answer"
    assert core.spread([6, 6]).display == "6, 2 answers"


@pytest.mark.parametrize("value", [-1, 11])
def test_a_score_outside_the_scale_is_refused(value):
    with pytest.raises(ValueError, match="0-10"):
        core.spread([5, value])


@pytest.mark.parametrize(
    ("own", "ratings", "flagged"),
    [
        (8, [4, 5, 7], True),
        (3, [4, 5, 7], True),
        (4, [4, 5, 7], False),
        (7, [4, 5, 7], False),
        (9, [5], False),  # one friend is an opinion, not a range
        (None, [4, 5, 7], False),
        (5, [], False),
    ],
)
def test_the_owner_is_flagged_outside_the_friends_range(own, ratings, flagged):
    assert core.outside_range(own, core.spread(ratings)) is flagged


# --- What friends' scores would change ---

GROWTH, PAY, LIFE = 1, 2, 3
CRITERIA = [
    ComparedCriterion(key=GROWTH, name="Growth", weight=8, saved_weight=8),
    ComparedCriterion(key=PAY, name="Pay", weight=5, saved_weight=5),
    ComparedCriterion(key=LIFE, name="Daily life", weight=4, saved_weight=4),
]
AGENCY = Option(key=10, title="Agency role", scores={GROWTH: 9, PAY: 6, LIFE: 5})
STAY = Option(
    key=20, title="Staying as you are", scores={GROWTH: 4, PAY: 6, LIFE: 7}, is_status_quo=True
)
STARTUP = Option(key=30, title="Start-up", scores={GROWTH: 6, PAY: 4, LIFE: 6})


def test_friends_growth_scores_put_the_agency_below_staying_as_you_are():
    # Agency 9·8+6·5+5·4 = 122 over 17 → 71.8; staying 32+30+28 = 90 → 52.9.
    # With friends' Growth 2 the agency has 16+30+20 = 66 → 38.8, below staying.
    result = core.what_it_would_change([AGENCY, STAY], CRITERIA, {AGENCY.key: {GROWTH: 2}})
    assert [change.sentence for change in result.changes] == [
        "With your friends' Growth scores, Agency role falls below Staying as you are."
    ]
    assert result.all_at_once.shift is not None
    assert core.order(result.friends) == (STAY.key, AGENCY.key)
    assert core.order(result.owners) == (AGENCY.key, STAY.key)


def test_a_new_leader_is_named_with_the_one_it_displaced():
    # Friends' Growth 10 for the start-up: 80+20+24 = 124 → 72.9, past the agency's 71.8.
    result = core.what_it_would_change(
        [AGENCY, STAY, STARTUP], CRITERIA, {STARTUP.key: {GROWTH: 10}}
    )
    assert result.all_at_once.sentence == (
        "With your friends' scores, Start-up comes out on top instead of Agency role."
    )


def test_falling_below_the_status_quo_is_said_when_the_leader_stays():
    # Start-up 6·8+4·5+6·4 = 92 → 54.1 sits above staying (52.9) until friends rate its
    # daily life 3: 48+20+12 = 80 → 47.1. The agency still leads.
    result = core.what_it_would_change([AGENCY, STAY, STARTUP], CRITERIA, {STARTUP.key: {LIFE: 3}})
    (change,) = result.changes
    assert change.shift.kind is ShiftKind.BELOW_STATUS_QUO
    assert (
        change.sentence
        == "With your friends' Daily life scores, Start-up falls below Staying as you are."
    )


def test_friends_who_agree_change_nothing_and_say_so():
    result = core.what_it_would_change([AGENCY, STAY], CRITERIA, {AGENCY.key: {GROWTH: 9}})
    assert result.by_criterion == ()  # nothing differs, so nothing to try
    assert not result.any_change
    assert result.all_at_once.sentence == "With your friends' scores, the order stays as it is."


def test_a_difference_that_moves_nothing_is_tried_but_not_a_change():
    result = core.what_it_would_change([AGENCY, STAY], CRITERIA, {AGENCY.key: {GROWTH: 8}})
    assert [change.criterion.name for change in result.by_criterion] == ["Growth"]
    assert result.changes == ()


def test_a_criterion_the_owner_left_unscored_takes_the_friends_score():
    unscored = Option(key=40, title="Unknown", scores={GROWTH: None, PAY: 5, LIFE: 5})
    moved = core.with_friends([unscored], {40: {GROWTH: 7}})
    assert moved[0].scores == {GROWTH: 7, PAY: 5, LIFE: 5}
    assert unscored.scores[GROWTH] is None  # the owner's own option is not touched


options = st.lists(
    st.fixed_dictionaries({GROWTH: st.one_of(st.none(), scores), PAY: scores, LIFE: scores}),
    min_size=2,
    max_size=5,
)
weights = st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10))
medians = st.dictionaries(st.sampled_from([GROWTH, PAY, LIFE]), scores, max_size=3)


def _options(raw: list[dict]) -> list[Option]:
    return [
        Option(key=index + 1, title=f"Option {index + 1}", scores=values, is_status_quo=index == 0)
        for index, values in enumerate(raw)
    ]


def _criteria(triple: tuple[int, int, int]) -> list[ComparedCriterion]:
    return [
        ComparedCriterion(key=key, name=name, weight=weight, saved_weight=weight)
        for key, name, weight in zip(
            (GROWTH, PAY, LIFE), ("Growth", "Pay", "Daily life"), triple, strict=True
        )
    ]


@given(options, weights, st.lists(medians, min_size=2, max_size=5))
def test_adopting_every_friends_score_reproduces_the_friends_ranking_exactly(raw, triple, said):
    compared = _options(raw)
    criteria = _criteria(triple)
    friends = {option.key: said[index % len(said)] for index, option in enumerate(compared)}
    result = core.what_it_would_change(compared, criteria, friends)
    # What the owner would have after pressing "Use friends' score" on every criterion.
    adopted = [
        Option(
            key=option.key,
            title=option.title,
            scores={**option.scores, **friends[option.key]},
            is_status_quo=option.is_status_quo,
        )
        for option in compared
    ]
    after = build_comparison(adopted, criteria)
    assert [(c.option.key, c.rank, c.result) for c in after.ranking] == [
        (c.option.key, c.rank, c.result) for c in result.friends.ranking
    ]


@given(options, weights, st.lists(medians, min_size=2, max_size=5))
def test_a_shift_is_reported_exactly_when_the_ranks_change(raw, triple, said):
    compared = _options(raw)
    criteria = _criteria(triple)
    friends = {option.key: said[index % len(said)] for index, option in enumerate(compared)}
    result = core.what_it_would_change(compared, criteria, friends)
    before = {c.option.key: c.rank for c in result.owners.columns}
    after = {c.option.key: c.rank for c in result.friends.columns}
    if before == after:
        assert result.all_at_once.shift is None
    elif result.all_at_once.shift is None:
        # Ranks moved only by ties forming or breaking: nobody passed anybody.
        assert not any(
            before[a] < before[b] and after[a] > after[b] for a in before for b in before
        )
    # Every criterion tried is one where friends differ from the owner.
    for change in result.by_criterion:
        key = change.criterion.key
        assert any(
            key in friends[o.key] and friends[o.key][key] != o.scores.get(key) for o in compared
        )


@given(options, weights)
def test_no_friends_scores_change_nothing(raw, triple):
    compared = _options(raw)
    result = core.what_it_would_change(compared, _criteria(triple), {})
    assert result.by_criterion == ()
    assert result.all_at_once.shift is None
    assert core.order(result.friends) == core.order(result.owners)


# --- Frozen with a checkpoint ---


def test_the_snapshot_keeps_what_friends_said_as_plain_json():
    said = [core.SaidAbout("Growth", core.spread([4, 5, 7], cant_say=1), (("Sam", "Slow place"),))]
    frozen = core.snapshot(said, [("Sam", "no", "Not for you"), ("Priya", "yes", "")])
    assert frozen == {
        "criteria": [
            {
                "criterion": "Growth",
                "median": 5,
                "low": 4,
                "high": 7,
                "count": 3,
                "cant_say": 1,
                "comments": [["Sam", "Slow place"]],
            }
        ],
        "guts": [["Sam", "no", "Not for you"], ["Priya", "yes", ""]],
    }
    assert core.snapshot([], []) == {}
