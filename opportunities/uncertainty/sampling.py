"""The sampling behind ``uncertainty.core``: the inputs as numpy arrays, tabulated
quantiles, the draws, the totals and the ranking keys of each draw.

Pure (numpy, no Django). ``core`` explains the choices; this module makes them fast.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SCORE_MIN = 0
SCORE_MAX = 10
WEIGHT_MAX = 10

POWER = 3
"""The two-sided power distribution's exponent: 1 is uniform, 2 triangular, 3 (this)
puts half as many cases in the outer fifth of a range as a triangular does."""

DRAWS = 10_000
"""Plausible cases drawn by default: the percentages are good to about ±1 point."""

MAX_DRAWS = 20_000
"""The most draws one simulation takes, whatever it is asked for."""

MIN_DRAWS = 200
"""The fewest draws: below this the percentages are too rough to show."""

MAX_OPTIONS = 100
"""The most options simulated together (the comparison's ``MAX_SELECTION``)."""

MAX_CRITERIA = 100
"""The most criteria simulated together (``opportunities.models.limits.MAX_CRITERIA``)."""

CELL_BUDGET = 2_000_000
"""Draws × options × criteria never exceeds this: draws are reduced to fit.

With ``MAX_OPTIONS`` × ``MAX_CRITERIA`` = 10,000 cells that still leaves ``MIN_DRAWS``
draws, so the budget holds for every input the caps allow (about 16 MB of arrays).
"""

QUANTILES = 4096
TIE = 1e-9
FAIL_PENALTY = 1_000.0  # Larger than any 0-100 total: a failing draw ranks after a passing one.


def check(name: str, value: float, upper: int = SCORE_MAX) -> None:
    if not SCORE_MIN <= value <= upper:  # NaN fails too.
        raise ValueError(f"{name} must be within {SCORE_MIN}-{upper}, got {value!r}")


@dataclass(frozen=True, slots=True)
class Uncertain:
    """A criterion's score with its optional range; no range (or low = high = score) is certain."""

    score: int | None
    low: int | None = None
    high: int | None = None

    def __post_init__(self) -> None:
        if self.score is None:
            if self.low is not None or self.high is not None:
                raise ValueError("a range needs a score")
            return
        check("score", self.score)
        if (self.low is None) != (self.high is None):
            raise ValueError("a range needs both a low and a high end")
        if self.low is not None and self.high is not None:
            check("low", self.low)
            check("high", self.high)
            if not self.low <= self.score <= self.high:
                raise ValueError(
                    f"the range {self.low}-{self.high} must contain the score {self.score}"
                )

    @property
    def is_uncertain(self) -> bool:
        return self.low is not None and self.high is not None and self.low < self.high

    @property
    def lowest(self) -> float:
        return float(self.score if self.low is None else self.low)  # type: ignore[arg-type]

    @property
    def highest(self) -> float:
        return float(self.score if self.high is None else self.high)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class OptionInput:
    """One compared option: its key (the view uses the opportunity id), title and scores."""

    key: Hashable
    title: str
    scores: Mapping[Hashable, Uncertain]


@functools.cache
def _quantile_table(position: int, width: int) -> npt.NDArray[np.float64]:
    """The quantiles on [0, 1] for a score ``position`` points into a range ``width`` wide.

    Entry j is the exact quantile at probability (j + ½)/``QUANTILES`` of the
    two-sided power distribution with mode q = position/width:
    q·(u/q)^(1/n) below q, 1 - (1-q)·((1-u)/(1-q))^(1/n) above it.
    """
    if not 0 <= position <= width or width <= 0:
        raise ValueError(f"a range {width} wide cannot hold a score {position} into it")
    mode = position / width
    u = (np.arange(QUANTILES) + 0.5) / QUANTILES
    with np.errstate(divide="ignore", invalid="ignore"):
        below = mode * (u / mode) ** (1 / POWER)
        above = 1 - (1 - mode) * ((1 - u) / (1 - mode)) ** (1 / POWER)
    table = np.where(u < mode, below, above)
    table.setflags(write=False)
    return table


def quantiles(low: int, score: int, high: int) -> npt.NDArray[np.float64]:
    """The tabulated quantiles of a score with its range, on its own scale (ascending)."""
    return low + (high - low) * _quantile_table(score - low, high - low)


@functools.cache
def _deviations(low: int, score: int, high: int) -> npt.NDArray[np.float32]:
    """The tabulated quantiles as deviations from the score (what a draw adds to it)."""
    table = (quantiles(low, score, high) - score).astype(np.float32)
    table.setflags(write=False)
    return table


# --- The draws ----------------------------------------------------------------------------


def seed_for(
    options: Sequence[OptionInput],
    weights: Mapping[Hashable, float],
    minimums: Mapping[Hashable, int | None],
    draws: int,
    extra: str = "",
) -> int:
    """A seed derived from every input, so the same data always gives the same figures."""
    digest = hashlib.sha256()
    digest.update(f"{draws}|{extra}|".encode())
    for criterion, weight in weights.items():
        digest.update(f"w{criterion!r}={float(weight)!r};m={minimums.get(criterion)!r}|".encode())
    for option in options:
        digest.update(f"o{option.key!r}|".encode())
        for criterion in weights:
            value = option.scores.get(criterion)
            if value is not None:
                digest.update(f"{criterion!r}={value.score},{value.low},{value.high};".encode())
    return int.from_bytes(digest.digest()[:16], "big")


def draws_for(options: int, criteria: int, asked: int = DRAWS) -> int:
    """How many draws fit the budget for this many options and criteria."""
    asked = max(MIN_DRAWS, min(asked, MAX_DRAWS))
    cells = max(1, options * criteria)
    return max(MIN_DRAWS, min(asked, CELL_BUDGET // cells))


@dataclass(frozen=True, slots=True)
class Model:
    """The inputs as arrays: O options, C criteria, U uncertain cells."""

    keys: tuple[Hashable, ...]
    titles: tuple[str, ...]
    criteria: tuple[Hashable, ...]
    point: npt.NDArray[np.float64]  # (O,) point totals (NaN: no value)
    valued: npt.NDArray[np.bool_]  # (O,)
    fixed_failure: npt.NDArray[np.bool_]  # (O,) a certain score below its minimum
    cells: tuple[tuple[int, int], ...]  # (option index, criterion index) of each uncertain cell
    cell_scores: npt.NDArray[np.float64]  # (U,)
    cell_weights: npt.NDArray[np.float64]  # (U,) normalised weight of the cell in its total
    cell_minimums: npt.NDArray[np.float64]  # (U,) -inf when none
    bounds: npt.NDArray[np.intp]  # (O + 1,) option o's cells are cells[bounds[o]:bounds[o + 1]]
    cell_offsets: npt.NDArray[np.intp]  # (U,) where the cell's deviations start in ``table``
    table: npt.NDArray[np.float32]  # the distinct deviation tables, end to end

    @property
    def n_options(self) -> int:
        return len(self.keys)


def build_model(
    options: Sequence[OptionInput],
    weights: Mapping[Hashable, float],
    minimums: Mapping[Hashable, int | None],
) -> Model:
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"at most {MAX_OPTIONS} options can be simulated, got {len(options)}")
    if len(weights) > MAX_CRITERIA:
        raise ValueError(f"at most {MAX_CRITERIA} criteria can be simulated, got {len(weights)}")
    keys = tuple(option.key for option in options)
    if len(set(keys)) != len(keys):
        raise ValueError("an option appears more than once")
    for criterion, weight in weights.items():
        check(f"weight of {criterion!r}", weight, WEIGHT_MAX)
        minimum = minimums.get(criterion)
        if minimum is not None:
            check(f"minimum of {criterion!r}", minimum)
    criteria = tuple(weights)
    point = np.full(len(options), np.nan)
    fixed_failure = np.zeros(len(options), dtype=bool)
    cells: list[tuple[int, int]] = []
    cell_scores: list[float] = []
    cell_weights: list[float] = []
    cell_minimums: list[float] = []
    cell_offsets: list[int] = []
    bounds = [0]
    tables: dict[tuple[int, int, int], int] = {}
    for o, option in enumerate(options):
        if o:
            bounds.append(len(cells))
        scored = [
            (c, criterion, value)
            for c, criterion in enumerate(criteria)
            if (value := option.scores.get(criterion)) is not None and value.score is not None
        ]
        weight_total = math.fsum(weights[criterion] for _, criterion, _ in scored)
        for _, criterion, value in scored:
            minimum = minimums.get(criterion)
            if not value.is_uncertain and minimum is not None and value.score < minimum:  # type: ignore[operator]
                fixed_failure[o] = True
        if weight_total <= 0:
            continue
        point[o] = 10 * math.fsum(weights[k] * v.score for _, k, v in scored) / weight_total  # type: ignore[operator]
        for c, criterion, value in scored:
            if not value.is_uncertain:
                continue
            low, high = int(value.lowest), int(value.highest)
            minimum = minimums.get(criterion)
            cells.append((o, c))
            cell_scores.append(float(value.score))  # type: ignore[arg-type]
            cell_weights.append(10 * weights[criterion] / weight_total)
            cell_minimums.append(-math.inf if minimum is None else float(minimum))
            shape = (low, int(value.score), high)  # type: ignore[arg-type]
            cell_offsets.append(QUANTILES * tables.setdefault(shape, len(tables)))
    return Model(
        keys=keys,
        titles=tuple(option.title for option in options),
        criteria=criteria,
        point=point,
        valued=~np.isnan(point),
        fixed_failure=fixed_failure,
        cells=tuple(cells),
        cell_scores=np.array(cell_scores, dtype=np.float64),
        cell_weights=np.array(cell_weights, dtype=np.float64),
        cell_minimums=np.array(cell_minimums, dtype=np.float64),
        bounds=np.array([*bounds, len(cells)], dtype=np.intp),
        cell_offsets=np.array(cell_offsets, dtype=np.intp),
        table=(
            np.concatenate([_deviations(*shape) for shape in tables])
            if tables
            else np.empty(0, dtype=np.float32)
        ),
    )


def sample(model: Model, draws: int, seed: int) -> npt.NDArray[np.float32]:
    """(U, draws) deviations of the uncertain cells from their scores.

    One call for the random bits (16 per draw, masked to the table's size), then one
    gather for every cell at once, each from its own small table (its offset added to
    its indices): a cell's draws are one contiguous row.
    """
    n_cells = len(model.cells)
    if n_cells == 0:
        return np.empty((n_cells, draws), dtype=np.float32)
    rng = np.random.default_rng(seed)
    bits = np.frombuffer(rng.bytes(2 * draws * n_cells), dtype=np.uint16).reshape(n_cells, draws)
    # uint16 plus intp offsets is intp: one pass, no separate widening copy.
    index = np.add(bits & (QUANTILES - 1), model.cell_offsets[:, None])
    deviations: npt.NDArray[np.float32] = model.table.take(index)
    return deviations


def totals_of(
    model: Model, deviations: npt.NDArray[np.float32]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int32]]:
    """(draws, O) totals and (draws, O) counts of must-have failures among the uncertain cells.

    An option's uncertain cells are contiguous rows, so each option's total moves by one
    weighted sum of its own rows (``einsum``: no BLAS threads, whose idle spinning would
    count as CPU time).
    """
    draws = deviations.shape[1]
    totals = np.empty((model.n_options, draws))
    totals[:] = np.nan_to_num(model.point)[:, None]
    failures = np.zeros((model.n_options, draws), dtype=np.int32)
    weights = model.cell_weights.astype(np.float32)
    margins = (model.cell_minimums - model.cell_scores).astype(np.float32)
    for o in range(model.n_options):
        start, end = int(model.bounds[o]), int(model.bounds[o + 1])
        if start == end:
            continue
        totals[o] += np.einsum("u,ud->d", weights[start:end], deviations[start:end])
        guarded = np.flatnonzero(np.isfinite(model.cell_minimums[start:end])) + start
        if guarded.size:
            failures[o] = (deviations[guarded] < margins[guarded, None]).sum(axis=0)
    np.clip(totals, 0.0, 100.0, out=totals)
    return totals.T, failures.T


def ranking_keys(
    model: Model, totals: npt.NDArray[np.float64], failures: npt.NDArray[np.int32]
) -> npt.NDArray[np.float64]:
    """The ranking key of each option in each draw: failing ranks after passing; no value, last."""
    failed = (failures > 0) | model.fixed_failure
    keys = totals - FAIL_PENALTY * failed
    keys[:, ~model.valued] = -np.inf
    return keys


def first_shares(keys: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Each option's share of the draws it comes out on top of (ties split evenly)."""
    top = keys.max(axis=1, keepdims=True)
    winners = (keys >= top - TIE) & np.isfinite(keys)
    counts = winners.sum(axis=1, keepdims=True)
    shares = np.divide(winners, counts, out=np.zeros(keys.shape), where=counts > 0)
    result: npt.NDArray[np.float64] = shares.mean(axis=0)
    return result


def winners(keys: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """The winning option of each draw (first in input order on a tie); -1 when none has a value."""
    top = keys.max(axis=1, keepdims=True)
    winners = np.argmax(keys >= top - TIE, axis=1)
    return np.where(np.isfinite(top[:, 0]), winners, -1)


def point_winner(model: Model) -> int:
    """The winner at the scores as given (must-haves checked on the given scores too)."""
    failures = np.zeros((1, model.n_options), dtype=np.int32)
    for u, (o, _) in enumerate(model.cells):
        failures[0, o] += model.cell_scores[u] < model.cell_minimums[u]
    point = np.nan_to_num(model.point)[None, :].copy()
    return int(winners(ranking_keys(model, point, failures))[0])
