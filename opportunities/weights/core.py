"""Weights that mean something, as plain functions over plain values.

Three things a bare "Growth 6, Pay 7" cannot tell a person, worked out here:

Swing weighting (SMART/SWING)
    A weight only means something against a range. Among the options actually on the
    table, each criterion *swings* from its worst score to its best. The person ranks
    those swings ("which improvement would you want most?"), rates the top one 100 and
    every other one relative to it, and the ratings become 0-10 weights:
    ``weight = 10 · rating / top rating``, rounded half up, and at least 1 for any
    rating above 0 (a swing someone says matters a little must not vanish). A
    criterion on which the options do not differ has no swing, so it carries no
    weight *in this choice*: that is the point of the method. The weights order the
    criteria as the ratings did (ties in a rating give ties in the weight) and do not
    change when every rating is multiplied by the same number. Computed in exact
    fractions, so the scaling invariance is exact, not a floating-point accident.

Weights in money and hours
    The decision score is a weighted average, so one point of criterion *k* is worth
    ``w_k / w_pay`` points of Pay. A point of Pay is a tenth of the way from the pay
    floor to the target on the Pay scale. So one point of *k* is worth
    ``w_k / w_pay · (target − floor) / 10`` a year, and a weighted difference between
    two options ``Σ w_k · d_k / w_pay · (target − floor) / 10``: linear in the score
    differences and zero when the options are equal. Hours of a week are that amount
    at the target's hourly value over a full-time week: ``amount · hours a week /
    target``. Without a weight on Pay, or without a floor below a target, there is no
    exchange rate, and :class:`NoExchange` says which is missing rather than inventing
    one. The floor-to-target scale is the average rate: a curve other than the
    straight line makes money worth more at one end and less at the other
    (``curved`` is set so the page can say so).

Reconciling weights with the gut, and with the swing answers
    Never forcing: these only name the single weight change that would make two views
    agree, and leave the choice to the person.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations
from typing import Final, Literal

from opportunities.scoring.core import WEIGHT_MAX, Weight, Weights, score_option

RATING_MAX: Final = 100
"""The top swing's rating; the others are rated relative to it."""

STRONG_DISAGREEMENT: Final = 3
"""Points of weight (0-10) between a swing answer's weight and the saved weight from which
the two are said to disagree: less is the ordinary wobble of setting a slider by feel."""


# --- Swing weighting -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Swing:
    """A criterion's worst and best score among the options on the table."""

    criterion: Hashable
    worst: int | None
    best: int | None

    @property
    def differs(self) -> bool:
        """Whether the options differ on it: only then is there a swing to weigh."""
        return self.worst is not None and self.best is not None and self.best > self.worst

    @property
    def size(self) -> int:
        return 0 if not self.differs else self.best - self.worst  # type: ignore[operator]


def swings(
    options: Iterable[Mapping[Hashable, int | None]], criteria: Sequence[Hashable]
) -> list[Swing]:
    """Each criterion's swing over ``options`` (in the criteria's order). A criterion no
    option has scored has neither end; one scored once has both ends equal."""
    options = list(options)
    result = []
    for criterion in criteria:
        values = [value for o in options if (value := o.get(criterion)) is not None]
        result.append(Swing(criterion, min(values, default=None), max(values, default=None)))
    return result


def _rounded(value: Fraction) -> int:
    """Half up, exactly."""
    return math.floor(value + Fraction(1, 2))


def swing_weights(ratings: Mapping[Hashable, int | float | None]) -> dict[Hashable, int]:
    """0-10 weights from swing ratings (the top swing rated highest, the others relative).

    A rating of None or 0 (no swing, or a swing that does not matter) gives weight 0.
    Raises ValueError on a negative or non-finite rating; all ratings 0 give all 0.
    """
    exact: dict[Hashable, Fraction] = {}
    for criterion, rating in ratings.items():
        if rating is None:
            exact[criterion] = Fraction(0)
            continue
        if isinstance(rating, bool) or not math.isfinite(rating) or rating < 0:
            raise ValueError(f"a swing rating must be a number of 0 or more, got {rating!r}")
        exact[criterion] = Fraction(rating)
    top = max(exact.values(), default=Fraction(0))
    if top == 0:
        return dict.fromkeys(exact, 0)
    return {
        criterion: 0 if rating == 0 else max(1, _rounded(WEIGHT_MAX * rating / top))
        for criterion, rating in exact.items()
    }


def ratings_from_weights(weights: Mapping[Hashable, Weight]) -> dict[Hashable, int]:
    """The ratings (top = 100) that a set of weights amounts to: where the swing page
    starts from, so that saving it unchanged keeps the weights' proportions."""
    top = max(weights.values(), default=0)
    if top <= 0:
        return dict.fromkeys(weights, 0)
    return {
        criterion: _rounded(Fraction(RATING_MAX) * Fraction(weight) / Fraction(top))
        for criterion, weight in weights.items()
    }


def order_by_rating[K: Hashable](ratings: Mapping[K, int], criteria: Sequence[K]) -> list[K]:
    """The criteria of ``ratings`` as a swing order: the highest rating first, ties (and
    criteria in ``criteria`` order). Criteria without a rating are left out."""
    position = {criterion: index for index, criterion in enumerate(criteria)}
    return sorted(
        (criterion for criterion in criteria if criterion in ratings),
        key=lambda criterion: (-ratings[criterion], position[criterion]),
    )


def rated_out_of_order[K: Hashable](order: Sequence[K], ratings: Mapping[K, int]) -> list[K]:
    """The swings (in ``order``, most wanted first) rated higher than one put before them:
    an order and ratings that contradict each other. Unrated swings are skipped."""
    lowest: int | None = None
    result = []
    for criterion in order:
        rating = ratings.get(criterion)
        if rating is None:
            continue
        if lowest is not None and rating > lowest:
            result.append(criterion)
        else:
            lowest = rating if lowest is None else min(lowest, rating)
    return result


def ranking(
    options: Mapping[Hashable, Mapping[Hashable, int | None]], weights: Weights
) -> list[Hashable]:
    """Option keys best first under ``weights`` (unscored last, ties in the given order)."""
    return ranking_of({key: score_option(scores, weights).value for key, scores in options.items()})


def ranking_of[K: Hashable](totals: Mapping[K, float | None]) -> list[K]:
    """The keys of ``totals`` best first (no total last, ties in the given order)."""
    position = {key: index for index, key in enumerate(totals)}
    return sorted(
        totals,
        key=lambda key: (totals[key] is None, -(totals[key] or 0.0), position[key]),
    )


# --- Weights in money and hours --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PayScale:
    """What turns points into money: Pay's weight and its floor-to-target scale."""

    pay_criterion: Hashable
    floor: Decimal
    target: Decimal
    currency: str
    full_time_hours: Decimal = Decimal(40)
    curved: bool = False
    """Pay is scored on a curve other than the straight line: the rate is an average."""


@dataclass(frozen=True, slots=True)
class NoExchange:
    """Why weights cannot be put in money: ``"no-pay"`` (no Pay criterion), ``"no-weight"``
    (Pay weighs 0) or ``"no-scale"`` (no pay floor below a target)."""

    reason: Literal["no-pay", "no-weight", "no-scale"]


@dataclass(frozen=True, slots=True)
class Exchange:
    """How much a year one point of each criterion is worth by the user's weights."""

    scale: PayScale
    pay_weight: Weight
    per_point: Mapping[Hashable, Decimal]

    def worth(self, differences: Mapping[Hashable, float]) -> Decimal:
        """A year's comparable pay equal to these score differences (points by criterion;
        a criterion without a rate, or unscored, contributes nothing)."""
        return sum(
            (
                self.per_point[criterion] * Decimal(repr(float(points)))
                for criterion, points in differences.items()
                if criterion in self.per_point
            ),
            Decimal(0),
        )

    def hours_a_week(self, amount: Decimal) -> Decimal:
        """``amount`` a year as hours of a full-time week at the target's hourly value."""
        return amount * self.scale.full_time_hours / self.scale.target


def exchange(weights: Weights, scale: PayScale | None) -> Exchange | NoExchange:
    """The exchange rate of every criterion's points into money, or why there is none."""
    if scale is None or scale.pay_criterion not in weights:
        return NoExchange("no-pay")
    pay_weight = weights[scale.pay_criterion]
    if pay_weight <= 0:
        return NoExchange("no-weight")
    if scale.target <= scale.floor:
        return NoExchange("no-scale")
    pay_point = (scale.target - scale.floor) / 10
    per_point = {
        criterion: Decimal(repr(float(weight))) / Decimal(repr(float(pay_weight))) * pay_point
        for criterion, weight in weights.items()
    }
    return Exchange(scale=scale, pay_weight=pay_weight, per_point=per_point)


@dataclass(frozen=True, slots=True)
class Lead:
    """``ahead`` scores ``points`` more than the other option on ``criterion``, worth
    ``amount`` a year by the weights."""

    criterion: Hashable
    ahead: Hashable
    points: int
    amount: Decimal


def leads(
    first: tuple[Hashable, Mapping[Hashable, int | None]],
    second: tuple[Hashable, Mapping[Hashable, int | None]],
    rates: Exchange,
) -> list[Lead]:
    """Where each of two options leads the other, largest amount first. Criteria either
    option has not scored, or on which they are level, are left out."""
    (a, a_scores), (b, b_scores) = first, second
    result = []
    for criterion, rate in rates.per_point.items():
        x, y = a_scores.get(criterion), b_scores.get(criterion)
        if x is None or y is None or x == y or rate == 0:
            continue
        ahead, points = (a, x - y) if x > y else (b, y - x)
        result.append(Lead(criterion, ahead, points, rate * points))
    return sorted(result, key=lambda lead: -lead.amount)


def net_worth(
    first: Mapping[Hashable, int | None], second: Mapping[Hashable, int | None], rates: Exchange
) -> Decimal:
    """How much a year ``first``'s scores are worth over ``second``'s (negative when behind)
    on the criteria both have scored: linear in the differences, 0 when equal."""
    return rates.worth(
        {
            criterion: x - y
            for criterion in rates.per_point
            if (x := first.get(criterion)) is not None and (y := second.get(criterion)) is not None
        }
    )


def round_money(amount: Decimal) -> Decimal:
    """Money as a sentence says it: to the nearest 100 (10 under 1,000)."""
    step = Decimal(100) if abs(amount) >= 1000 else Decimal(10)
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


# --- Disagreements, and the weight that would reconcile them -----------------------------------


@dataclass(frozen=True, slots=True)
class WeightGap:
    """The swing answers imply ``implied`` for ``criterion``; it is saved at ``saved``."""

    criterion: Hashable
    implied: int
    saved: int

    @property
    def gap(self) -> int:
        return self.implied - self.saved


def weight_gaps(
    implied: Mapping[Hashable, int],
    saved: Mapping[Hashable, int],
    *,
    threshold: int = STRONG_DISAGREEMENT,
) -> list[WeightGap]:
    """Criteria whose implied and saved weights are ``threshold`` or more apart, widest
    first. Criteria only one side knows are left out."""
    gaps = [
        WeightGap(criterion, implied[criterion], saved[criterion])
        for criterion in implied
        if criterion in saved and abs(implied[criterion] - saved[criterion]) >= threshold
    ]
    return sorted(gaps, key=lambda gap: -abs(gap.gap))


type Options = Mapping[Hashable, Mapping[Hashable, int | None]]


def _discordant(
    gut: Sequence[Sequence[Hashable]], options: Options, weights: Weights
) -> tuple[int, int]:
    """(pairs the matrix puts the other way round from the gut, pairs it can rank)."""
    totals = {key: score_option(scores, weights).value for key, scores in options.items()}
    against = ranked = 0
    for order in gut:
        for higher, lower in combinations(order, 2):
            x, y = totals.get(higher), totals.get(lower)
            if x is None or y is None:
                continue
            ranked += 1
            if y > x:
                against += 1
    return against, ranked


def gut_disagreements(
    gut: Sequence[Sequence[Hashable]], options: Options, weights: Weights
) -> tuple[int, int]:
    """(pairs the matrix puts the other way round from the gut rankings ``gut``, pairs it
    can rank): the count :func:`reconcile_with_gut` starts from, also when no single
    weight change would lower it. Pairs the matrix ties, or cannot rank, do not disagree."""
    return _discordant(gut, options, weights)


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The gut fits better if ``criterion`` weighed ``weight`` rather than ``was``."""

    criterion: Hashable
    was: Weight
    weight: int
    disagreements_before: int
    disagreements_after: int
    pairs: int

    @property
    def fits(self) -> bool:
        """Every pair the gut ranked then agrees with the matrix."""
        return self.disagreements_after == 0


def reconcile_with_gut(
    gut: Sequence[Sequence[Hashable]], options: Options, weights: Weights
) -> Reconciliation | None:
    """The one whole-weight change (a single criterion, 0-10) that best brings the matrix
    in line with the gut rankings ``gut`` (each an order of option keys, best first).

    Best means fewest pairs still the other way round, then the smallest change of
    weight, then the earlier criterion. ``None`` when the gut and the matrix already
    agree, or no single change makes them agree on more pairs.

    Each of the 11 whole weights of each criterion is tried without rescoring anyone:
    an option's total is ``10 · S / W`` (S = Σ wᵢ·sᵢ, W = Σ wᵢ over its scored
    criteria), and weighing criterion k ``w`` instead of ``w_k`` makes them
    ``S + (w − w_k)·s_k`` and ``W + (w − w_k)`` when k is scored. With whole weights and
    scores two totals are compared exactly by cross-multiplying, which orders them as
    the correctly rounded quotients :func:`score_option` compares do. Weights that are
    not whole take the straightforward way (:func:`_reconcile_by_rescoring`).
    """
    before, pairs = _discordant(gut, options, weights)
    if before == 0:
        return None
    if not _whole(weights, options):
        return _reconcile_by_rescoring(gut, options, weights, before, pairs)
    keys = list(options)
    index = {key: position for position, key in enumerate(keys)}
    sums = [_weighted_sums(options[key], weights) for key in keys]
    ordered = [
        (index[higher], index[lower])
        for order in gut
        for higher, lower in combinations(order, 2)
        if higher in index and lower in index
    ]
    best: tuple[int, int, int] | None = None
    found: Reconciliation | None = None
    for position, (criterion, was) in enumerate(weights.items()):
        marks = [options[key].get(criterion) for key in keys]
        for weight in range(WEIGHT_MAX + 1):
            if weight == was:
                continue
            step = weight - int(was)
            moved = [
                (weighted, total) if mark is None else (weighted + step * mark, total + step)
                for (weighted, total), mark in zip(sums, marks, strict=True)
            ]
            after = 0
            for higher, lower in ordered:
                s_high, w_high = moved[higher]
                s_low, w_low = moved[lower]
                if w_high and w_low and s_low * w_high > s_high * w_low:
                    after += 1
            key = (after, abs(step), position)
            if after < before and (best is None or key < best):
                best = key
                found = Reconciliation(criterion, was, weight, before, after, pairs)
    return found


def _whole(weights: Weights, options: Options) -> bool:
    return all(type(weight) is int for weight in weights.values()) and all(
        score is None or type(score) is int
        for scores in options.values()
        for criterion, score in scores.items()
        if criterion in weights
    )


def _weighted_sums(scores: Mapping[Hashable, int | None], weights: Weights) -> tuple[int, int]:
    """(Σ wᵢ·sᵢ, Σ wᵢ) over the criteria of ``weights`` that ``scores`` scores."""
    weighted = total = 0
    for criterion, weight in weights.items():
        score = scores.get(criterion)
        if score is not None:
            weighted += int(weight) * score
            total += int(weight)
    return weighted, total


def _reconcile_by_rescoring(
    gut: Sequence[Sequence[Hashable]], options: Options, weights: Weights, before: int, pairs: int
) -> Reconciliation | None:
    """:func:`reconcile_with_gut` by rescoring every option under each change."""
    best: tuple[int, float, int] | None = None
    found: Reconciliation | None = None
    for position, (criterion, was) in enumerate(weights.items()):
        for weight in range(WEIGHT_MAX + 1):
            if weight == was:
                continue
            after, _ = _discordant(gut, options, {**weights, criterion: weight})
            key = (after, abs(weight - was), position)
            if after < before and (best is None or key < best):
                best = key
                found = Reconciliation(criterion, was, weight, before, after, pairs)
    return found
