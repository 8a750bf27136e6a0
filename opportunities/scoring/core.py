"""The decision arithmetic behind Crossroads, as plain functions over plain values.

Nothing here knows about Django, the ORM or a request: views fetch scores and
weights, call these functions and render the result. Keeping the maths pure is
what lets it be tested exhaustively (including property-based tests) and lets
every page (live scoring, comparison, history) agree on the same number.

Conventions shared by every function:

* A criterion is identified by any hashable key (the views use criterion ids).
* Weights are 0-10 and scores are 0-10; a score of ``None`` means "not scored
  yet", which is *not* the same as a zero. An unscored criterion is left out of
  the decision score entirely, so the score is the weighted average of what the
  user has actually judged, and the coverage ("5 of 7 scored") shown beside it
  says how much of the picture that is.
* Weights may also be floats: the sensitivity analysis asks "at what weight
  would these two options tie?", and the answer is rarely a whole number.
* An option, for comparisons, is a ``Mapping[criterion, score | None]``. The
  criteria being compared are the keys of the shared ``weights`` mapping; a
  criterion missing from an option's mapping counts as unscored and a score for
  a criterion that is not in ``weights`` is ignored.
"""

import bisect
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

SCORE_MIN = 0
SCORE_MAX = 10
WEIGHT_MAX = 10

type Weight = int | float
type Scores = Mapping[Hashable, int | None]
type Weights = Mapping[Hashable, Weight]

CLOSE_CALL_POINTS: float = 5.0
"""Gap (on the 0-100 decision scale) below which two options are a close call.

Five points on the 0-100 scale is half a point on the 0-10 scale of each
criterion on average. Nobody places a slider more precisely than that: the
difference between a 6 and a 7 on "personal growth" is a judgement call, so two
options that far apart are within the noise of how the sliders were set, and
the comparison page should say "too close to call" rather than crown a winner.
"""

_TIE_TOLERANCE = 1e-7
"""How far apart two recomputed scores may be and still count as a tie.

Only used to confirm candidate tie weights found algebraically; genuine ties
agree to ~1e-12, spurious candidates (where a normalising sum vanishes) miss
by whole points.
"""

_NEGLIGIBLE = 1e-9

NO_VALUE = "\N{EN DASH}"
"""What a decision score without a value displays as."""


def _check_range(name: str, value: float, *, upper: int = SCORE_MAX) -> None:
    # Written so that NaN fails the check too.
    if not SCORE_MIN <= value <= upper:
        raise ValueError(f"{name} must be within {SCORE_MIN}-{upper}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Rated:
    """One criterion as scored for one option.

    ``minimum`` is a must-have threshold: a score strictly below it fails the
    option on that criterion whatever its total, because some things (pay below
    rent, a deal-breaking commute) cannot be compensated by strengths elsewhere.
    """

    criterion: Hashable
    weight: Weight
    score: int | None
    minimum: int | None = None

    def __post_init__(self) -> None:
        _check_range("weight", self.weight, upper=WEIGHT_MAX)
        if self.score is not None:
            _check_range("score", self.score)
        if self.minimum is not None:
            _check_range("minimum", self.minimum)

    @property
    def is_scored(self) -> bool:
        return self.score is not None

    @property
    def fails_minimum(self) -> bool:
        """Whether the score is below the must-have minimum.

        An unscored criterion never fails: "I haven't judged this yet" must not
        be shown as a deal-breaker.
        """
        return self.score is not None and self.minimum is not None and self.score < self.minimum


@dataclass(frozen=True, slots=True)
class DecisionScore:
    """The 0-100 decision score of one option, with what it is based on.

    The value is never shown without its coverage, so a 90 built on two
    criteria is not mistaken for a 90 built on seven.
    """

    value: float | None
    scored: int
    total: int
    failures: tuple[Hashable, ...]

    @property
    def complete(self) -> bool:
        return self.scored == self.total

    @property
    def coverage_label(self) -> str:
        return f"{self.scored} of {self.total} scored"

    @property
    def display(self) -> str:
        return NO_VALUE if self.value is None else f"{self.value:.1f}"

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def _distinct(rated: Iterable[Rated]) -> tuple[Rated, ...]:
    """Materialise ``rated``, refusing a criterion that appears twice.

    A duplicate would silently double its weight in the total and collide in
    the per-criterion mappings, so it is a caller bug worth failing loudly on.
    """
    items = tuple(rated)
    seen: set[Hashable] = set()
    for item in items:
        if item.criterion in seen:
            raise ValueError(f"criterion {item.criterion!r} appears more than once")
        seen.add(item.criterion)
    return items


def _sums(items: Iterable[Rated]) -> tuple[Weight, Weight]:
    """Σ wᵢ·sᵢ and Σ wᵢ over the scored criteria.

    With integer weights both sums stay integers, so the final division is
    correctly rounded: equal ratios give bit-identical floats, and ties between
    options compare equal instead of differing in the last digit.
    """
    weighted: Weight = 0
    weight_total: Weight = 0
    for item in items:
        if item.score is not None:
            weighted += item.weight * item.score
            weight_total += item.weight
    return weighted, weight_total


def _scale(weighted: Weight, weight_total: Weight) -> float:
    """100 · Σ wᵢ·sᵢ / (10 · Σ wᵢ), written as 10 · Σ wᵢ·sᵢ / Σ wᵢ (same exact value).

    Clamped so that float weights cannot push the result a hair outside 0-100.
    """
    return min(100.0, max(0.0, 10 * weighted / weight_total))


def compute_decision_score(rated: Iterable[Rated]) -> DecisionScore:
    """Score one option: 100 · Σ wᵢ·sᵢ / (10 · Σ wᵢ) over the criteria that have a score.

    Unscored criteria are excluded from both sums, so scoring a new criterion
    moves the total by what it says rather than by the zero it would otherwise
    count as. When no scored criterion carries any weight there is nothing to
    average and the value is ``None`` (shown as a dash), not 0.

    Must-have failures are reported independently of weights: a criterion with
    weight 0 and a minimum still fails when scored below it.
    """
    items = _distinct(rated)
    weighted, weight_total = _sums(items)
    return DecisionScore(
        value=None if weight_total == 0 else _scale(weighted, weight_total),
        scored=sum(1 for item in items if item.is_scored),
        total=len(items),
        failures=tuple(item.criterion for item in items if item.fails_minimum),
    )


def contributions(rated: Iterable[Rated]) -> dict[Hashable, float | None]:
    """Each criterion's points toward the 0-100 total; together they sum to the value.

    This is what lets the page say "Pay brings 18 of your 64 points". Unscored
    criteria get ``None``; when the total itself is undefined (no scored weight)
    every criterion gets ``None``, since there are no points to share out.
    """
    items = _distinct(rated)
    _, weight_total = _sums(items)
    if weight_total == 0:
        return {item.criterion: None for item in items}
    return {
        item.criterion: None if item.score is None else 10 * item.weight * item.score / weight_total
        for item in items
    }


def weight_shares(weights: Mapping[Hashable, Weight]) -> dict[Hashable, float]:
    """Each weight as a percentage of the total weight, summing to 100.

    Raw weights are relative ("Pay 8, Growth 4" means pay counts twice as much),
    so the share is what a weight actually buys. All shares are 0.0 when every
    weight is zero.
    """
    for criterion, weight in weights.items():
        _check_range(f"weight of {criterion!r}", weight, upper=WEIGHT_MAX)
    total = sum(weights.values())
    if total == 0:
        return dict.fromkeys(weights, 0.0)
    return {criterion: 100 * weight / total for criterion, weight in weights.items()}


def rank(values: Mapping[Hashable, float | None]) -> dict[Hashable, int]:
    """Competition ranking ("1, 2, 2, 4"), highest value first.

    Equal values share a rank and the next rank skips, so a rank always says
    how many options beat this one. Options without a value (``None`` or NaN)
    cannot be placed, so they all share the last rank, after every valued one.
    The result keeps the input's key order.
    """
    present = sorted(v for v in values.values() if v is not None and not math.isnan(v))
    last = len(present) + 1

    def position(value: float | None) -> int:
        if value is None or math.isnan(value):
            return last
        return 1 + len(present) - bisect.bisect_right(present, value)

    return {key: position(value) for key, value in values.items()}


# --- Comparing options under the same weights -------------------------------------------------


def rate(
    scores: Scores,
    weights: Weights,
    *,
    minimums: Mapping[Hashable, int | None] | None = None,
) -> list[Rated]:
    """Pair one option's scores with the shared weights (in the weights' order)."""
    minimums = minimums or {}
    return [
        Rated(
            criterion=criterion,
            weight=weight,
            score=scores.get(criterion),
            minimum=minimums.get(criterion),
        )
        for criterion, weight in weights.items()
    ]


def score_option(scores: Scores, weights: Weights) -> DecisionScore:
    """The decision score of one option under the shared weights."""
    return compute_decision_score(rate(scores, weights))


def is_close_call(
    first: float | None, second: float | None, *, threshold: float = CLOSE_CALL_POINTS
) -> bool:
    """Whether two decision scores are within ``threshold`` points of each other.

    A gap of exactly the threshold counts as close (a hair of tolerance absorbs
    float noise, so a gap displayed as "5.0" behaves like 5). An option without
    a value cannot be compared, so that is never a close call.
    """
    if threshold < 0:
        raise ValueError(f"threshold must not be negative, got {threshold!r}")
    if first is None or second is None:
        return False
    return abs(first - second) <= threshold + _NEGLIGIBLE


@dataclass(frozen=True, slots=True)
class WeightFlip:
    """The weight at which one criterion would make two options tie.

    ``flip_weight`` is within 0-10; past it (moving away from the current
    weight) the order of the two options reverses.
    """

    criterion: Hashable
    current_weight: Weight
    flip_weight: float

    @property
    def change(self) -> float:
        """How far the weight has to move: positive to raise it, negative to lower it."""
        return self.flip_weight - self.current_weight

    @property
    def direction(self) -> Literal["raise", "lower"]:
        return "raise" if self.flip_weight > self.current_weight else "lower"


def _value_at(scores: Scores, weights: Weights, criterion: Hashable, weight: float) -> float | None:
    """An option's decision score with one criterion's weight replaced, unclamped."""
    weighted: float = 0
    weight_total: float = 0
    for key, current in weights.items():
        score = scores.get(key)
        if score is None:
            continue
        w = weight if key == criterion else current
        weighted += w * score
        weight_total += w
    if weight_total <= 0:
        return None
    return 10 * weighted / weight_total


def _real_roots(c2: float, c1: float, c0: float) -> list[float]:
    """Real roots of c2·t² + c1·t + c0 = 0, never dividing by zero.

    An identically zero polynomial has no *isolated* root and yields none: the
    two options then tie at every weight (or at none), so no weight flips them.
    """
    if c2 == 0:
        return [] if c1 == 0 else [-c0 / c1]
    discriminant = c1 * c1 - 4 * c2 * c0
    if discriminant < 0:
        return []
    # The numerically stable form: never subtract two nearly equal numbers.
    q = -(c1 + math.copysign(math.sqrt(discriminant), c1)) / 2
    if q == 0:
        return [0.0]
    return [q / c2, c0 / q]


def _scored(scores: Scores, weights: Weights) -> dict[Hashable, int]:
    """The option's scores on the compared criteria, leaving out the unscored ones."""
    return {key: score for key in weights if (score := scores.get(key)) is not None}


def _tie_candidates(
    leader: Scores, runner_up: Scores, weights: Weights, k: Hashable
) -> list[float]:
    """Weights for criterion ``k`` at which the two scores may tie (to be verified).

    With both options scored on the same criteria they share the denominator
    Σ wᵢ, so a tie means Σ wᵢ·dᵢ = 0 with dᵢ = aᵢ - bᵢ, and the design's closed
    form applies: moving wₖ by δ = -D / dₖ, where D = Σ wᵢ·dᵢ.

    When the scored sets differ, each score is Nₓ(t) / Wₓ(t) with numerator and
    denominator linear in t = wₖ, and the tie N_a·W_b = N_b·W_a is at most a
    quadratic. Cross-multiplying can add a root where a denominator is zero
    (the score is undefined there, not tied), which the caller filters out.
    """
    a, b = _scored(leader, weights), _scored(runner_up, weights)
    if k not in a and k not in b:
        return []  # wₖ moves neither score.
    if a.keys() == b.keys():
        d_k = a[k] - b[k]
        if d_k == 0:
            return []
        total_difference = sum(weights[key] * (a[key] - b[key]) for key in a)
        return [weights[k] - total_difference / d_k]

    def linear_parts(scored: dict[Hashable, int]) -> tuple[Weight, Weight, int, int]:
        """(n, m, p, q) with N(t) = n + p·t and W(t) = m + q·t."""
        n = sum(weights[key] * score for key, score in scored.items() if key != k)
        m = sum(weights[key] for key in scored if key != k)
        return (n, m, scored[k], 1) if k in scored else (n, m, 0, 0)

    n_a, m_a, p_a, q_a = linear_parts(a)
    n_b, m_b, p_b, q_b = linear_parts(b)
    # (n_a + p_a·t)(m_b + q_b·t) - (n_b + p_b·t)(m_a + q_a·t) = 0
    return _real_roots(
        p_a * q_b - p_b * q_a,
        n_a * q_b + p_a * m_b - n_b * q_a - p_b * m_a,
        n_a * m_b - n_b * m_a,
    )


def _validate_option(scores: Scores, weights: Weights) -> None:
    rate(scores, weights)  # Rated checks every range.


def weight_flips(leader: Scores, runner_up: Scores, weights: Weights) -> list[WeightFlip]:
    """For each criterion, the weight (others fixed) at which the two options would tie.

    This is how fragile the ranking is: "if Pay mattered 3 instead of 5, the
    other job would come out ahead". Only flips reachable on the slider are
    reported (within 0-10 and different from the current weight), at most one
    per criterion: the nearest one, where the order first changes. Criteria
    where no weight in 0-10 makes them tie (including dₖ = 0, or options
    already tied) report nothing. Sorted by how small the change is, so the
    most fragile criterion comes first.
    """
    _validate_option(leader, weights)
    _validate_option(runner_up, weights)
    flips: list[WeightFlip] = []
    for criterion, current in weights.items():
        reachable: list[float] = []
        for candidate in _tie_candidates(leader, runner_up, weights, criterion):
            if not -_NEGLIGIBLE <= candidate <= WEIGHT_MAX + _NEGLIGIBLE:
                continue
            weight = min(float(WEIGHT_MAX), max(0.0, candidate))
            if abs(weight - current) <= _NEGLIGIBLE:
                continue
            a = _value_at(leader, weights, criterion, weight)
            b = _value_at(runner_up, weights, criterion, weight)
            if a is not None and b is not None and abs(a - b) <= _TIE_TOLERANCE:
                reachable.append(weight)
        if reachable:
            nearest = min(reachable, key=lambda weight: abs(weight - current))
            flips.append(WeightFlip(criterion, current, nearest))
    flips.sort(key=lambda flip: abs(flip.change))
    return flips


@dataclass(frozen=True, slots=True)
class ScoreNudge:
    """A single one-point score change that would overturn the order of two options."""

    option: Literal["leader", "runner_up"]
    criterion: Hashable
    from_score: int
    to_score: int


def score_nudges(leader: Scores, runner_up: Scores, weights: Weights) -> list[ScoreNudge]:
    """One-point score changes that would bring ``runner_up`` level with or above ``leader``.

    Weight flips ask "what if I cared differently?"; nudges ask "what if I
    judged slightly differently?". A one-point change is the smallest step on
    a slider, so any nudge listed means the order hangs on a single judgement.
    Only scored criteria are nudged (lowering the leader's score by one or
    raising the runner-up's by one, staying within 0-10). When ``runner_up`` is
    not strictly behind ``leader`` there is no order to overturn, and the
    result is empty. Nudges come in the weights' criterion order, the leader's
    before the runner-up's for the same criterion.
    """
    _validate_option(leader, weights)
    _validate_option(runner_up, weights)
    lead = score_option(leader, weights).value
    trail = score_option(runner_up, weights).value
    if lead is None or trail is None or trail >= lead:
        return []

    def overturns(new_leader: Scores, new_runner_up: Scores) -> bool:
        a = score_option(new_leader, weights).value
        b = score_option(new_runner_up, weights).value
        return a is not None and b is not None and b >= a

    nudges: list[ScoreNudge] = []
    for criterion in weights:
        a_k = leader.get(criterion)
        if (
            a_k is not None
            and a_k > SCORE_MIN
            and overturns({**leader, criterion: a_k - 1}, runner_up)
        ):
            nudges.append(ScoreNudge("leader", criterion, a_k, a_k - 1))
        b_k = runner_up.get(criterion)
        if (
            b_k is not None
            and b_k < SCORE_MAX
            and overturns(leader, {**runner_up, criterion: b_k + 1})
        ):
            nudges.append(ScoreNudge("runner_up", criterion, b_k, b_k + 1))
    return nudges


def explain_disagreement(higher: Scores, lower: Scores, weights: Weights) -> list[Hashable]:
    """The criteria behind a matrix that contradicts the user's gut.

    The user's gut put ``higher`` above ``lower`` but the matrix ranks them the
    other way round. The criteria that explain it are those where ``lower``
    out-scores ``higher`` once weighted (wᵢ·(lᵢ - hᵢ) > 0, over criteria both
    options have scored), largest weighted difference first. Showing them
    invites the question the gut check is for: is a weight wrong, or a score?
    """
    _validate_option(higher, weights)
    _validate_option(lower, weights)
    gaps: list[tuple[float, Hashable]] = []
    for criterion, weight in weights.items():
        h, low = higher.get(criterion), lower.get(criterion)
        if h is None or low is None:
            continue
        gap = weight * (low - h)
        if gap > 0:
            gaps.append((gap, criterion))
    gaps.sort(key=lambda pair: pair[0], reverse=True)
    return [criterion for _, criterion in gaps]


@dataclass(frozen=True, slots=True)
class Change:
    """How one criterion's part in the decision score moved between two checkpoints.

    ``points`` is the change in its contribution to the 0-100 total. A side on
    which the criterion is missing counts as unscored with weight 0.
    """

    criterion: Hashable
    before: int | None
    after: int | None
    weight_before: Weight
    weight_after: Weight
    points: float


def biggest_changes(
    before: Iterable[Rated], after: Iterable[Rated], *, limit: int = 3
) -> list[Change]:
    """The criteria that moved the decision score most between two checkpoints.

    Measured in points of the 0-100 total, so a re-weighting shows up as well
    as a re-scoring (re-weighting one criterion shifts every other criterion's
    share too, and that is reported honestly). Criteria whose contribution did
    not move are left out; the changes of all criteria add up to the change in
    the total. Largest |points| first, ties in input order.
    """
    if limit < 0:
        raise ValueError(f"limit must not be negative, got {limit!r}")
    old = {item.criterion: item for item in _distinct(before)}
    new = {item.criterion: item for item in _distinct(after)}
    old_points = contributions(old.values())
    new_points = contributions(new.values())
    changes: list[Change] = []
    for criterion in old | new:
        was, now = old.get(criterion), new.get(criterion)
        points = (new_points.get(criterion) or 0.0) - (old_points.get(criterion) or 0.0)
        if abs(points) <= _NEGLIGIBLE:
            continue
        changes.append(
            Change(
                criterion=criterion,
                before=None if was is None else was.score,
                after=None if now is None else now.score,
                weight_before=0 if was is None else was.weight,
                weight_after=0 if now is None else now.weight,
                points=points,
            )
        )
    changes.sort(key=lambda change: abs(change.points), reverse=True)
    return changes[:limit]


# --- From stored rows to what is rated -------------------------------------------------------
#
# The rows come from the database (criteria, scores), but these functions only read their
# attributes, so they stay pure: anything shaped like a criterion or a score will do.


class WeighedCriterion(Protocol):
    """A criterion as it stands today: its id, weight and must-have minimum."""

    @property
    def id(self) -> int: ...
    @property
    def weight(self) -> int: ...
    @property
    def minimum(self) -> int | None: ...


class StoredScore(Protocol):
    """A stored score; on a checkpoint it also carries the weight and minimum it was
    frozen with (``weight`` is None on a live evaluation, and on criteria that were
    archived when the checkpoint was taken)."""

    @property
    def criterion_id(self) -> int: ...
    @property
    def value(self) -> int | None: ...
    @property
    def weight(self) -> int | None: ...
    @property
    def minimum(self) -> int | None: ...


def rated_live(criteria: Iterable[WeighedCriterion], scores: Iterable[StoredScore]) -> list[Rated]:
    """Today's criteria and weights applied to a live evaluation's scores."""
    return rated_values(criteria, {score.criterion_id: score.value for score in scores})


def rated_values(
    criteria: Iterable[WeighedCriterion], values: Mapping[int, int | None]
) -> list[Rated]:
    """Today's criteria and weights applied to score values by criterion id."""
    return [
        Rated(
            criterion=criterion.id,
            weight=criterion.weight,
            score=values.get(criterion.id),
            minimum=criterion.minimum,
        )
        for criterion in criteria
    ]


def rated_frozen(scores: Iterable[StoredScore]) -> list[Rated]:
    """A checkpoint as it was: the weights and minimums captured when it was frozen."""
    return [
        Rated(
            criterion=score.criterion_id,
            weight=score.weight,
            score=score.value,
            minimum=score.minimum,
        )
        for score in scores
        if score.weight is not None
    ]
