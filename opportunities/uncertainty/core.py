"""Unsure scores: how likely each option is to come out on top, and what to find out next.

Pure, like ``scoring``: plain values in, plain values out, no Django, no ORM. numpy
does the sampling so that a comparison with ranges can be recomputed on every move
of a what-if slider.

**The distribution.** A score with a range ("6, but could be anywhere from 4 to 9")
is read as *most likely 6*, *no lower than 4*, *no higher than 9*. The natural
reading is a PERT-style one: the score is the mode, and the ends are limits ("could
be as low as"), not values as likely as the score. A uniform draw over the range
ignores the score altogether, and a triangular one gives the ends too much weight
(straight lines down to them): with a range of 4-9 around a 6 it puts 10 % of the
cases below 5, so it overstates how often the unlikely end happens and makes every
decision look shakier than the person thinks it is.

The classic PERT (a beta with α = 1 + 4·(score - low)/(high - low), β likewise)
has the right spirit but a flaw that matters here: it is *not* monotone in its
ends. Widening the high end of a 9 in 8-9 to 8-10 turns a steep beta(5, 1) into a
symmetric beta(3, 3) and moves plausible cases *down* (below 8.5: 3 % before, 10 %
after), so saying "it could be even better" would lower that option's chance of
coming out on top, which no one would accept (and the property tests forbid).

So each case draws the score from the **two-sided power distribution** (van Dorp &
Kotz, 2002, proposed as a PERT alternative) with the score as its mode and
``POWER`` n = 3: density ∝ ((x - low)/(score - low))² below the score and
((high - x)/(high - score))² above it. It keeps PERT's intent (cases pile up near
the score: 4-9 around a 6 puts 5 % below 5, half the triangular's share; the mean
is (low + 2·score + high)/4, leaning towards the score), it has a closed-form
quantile function, and it is monotone: the share of cases below the score is
(score - low)/(high - low), and each side only stretches when its end moves, so
widening the high end moves every case up or leaves it. Scores are whole points on
the sliders, but the draws are continuous: a plausible case can be 6.4, and that
is fine, since the total is an average anyway.

**What is computed.** For every plausible case (a *draw*) each option's decision
score is the weighted average over its *scored* criteria, exactly like
``scoring.core``: an unscored criterion stays out, and a score without a range is
the same in every draw. A draw in which an option's score falls below a must-have
minimum means the option fails that draw: it cannot come out on top while another
option passes (it is ranked after every option that passes). Ties in a draw split
the draw evenly. From the draws: the share of cases each option comes out on top,
the share in which it beats the status quo, and its 10th-90th percentile band.

**What to find out next** (``Simulation.find_out_next``): a tested proxy for the
value of information. Of the cases in which the winner differs from the winner on
the scores as given (the order changes), the share that hinge on one unsure score:
putting that score alone back to the value given restores the given winner. Scores
that cannot flip the order on their own score 0 and are not suggested; when the
winner changes in fewer than ``MIN_CHANGED`` of the cases, nothing is.

**Reproducible.** The random generator is seeded from a SHA-256 of the inputs
(scores, ranges, weights, minimums, keys, number of draws): the same data gives
the same figures on every reload, and any change to the data gives another seed.

**Bounded.** At most ``MAX_OPTIONS`` options and ``MAX_CRITERIA`` criteria; the
number of draws is scaled down so that draws × options × criteria stays within
``CELL_BUDGET`` (``Simulation.reduced`` says when, so the page can say so), and never
below ``MIN_DRAWS``. Memory is therefore bounded whatever the input.

**Speed.** Evaluating powers per draw is too slow for a slider. The quantile
function is tabulated once per shape (a shape depends only on where
the score sits in its range, so whole-point scores give few shapes) at
``QUANTILES`` equally likely points, and each draw picks one entry at random: one
call for the random bits, one gather per unsure score, one weighted sum per option
for the totals (no BLAS: its threads' idle spinning would be charged as CPU time).
10 options × 15 criteria × 10,000 draws, every score unsure, take about 13-18 ms of
CPU here (``bench.uncertainty.simulate_cpu``; the budget is 30 ms). With
``QUANTILES`` = 4096 the discretisation is far below what a 0-100 total displays.
Drawing through the quantile function also gives *common random numbers*: with the
same seed, widening a range moves every draw in the same direction, which is what
makes "a wider high end never lowers the chance of coming out on top" exactly true.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from opportunities.uncertainty.sampling import (
    CELL_BUDGET,
    DRAWS,
    FAIL_PENALTY,
    MAX_CRITERIA,
    MAX_DRAWS,
    MAX_OPTIONS,
    MIN_DRAWS,
    POWER,
    TIE,
    Model,
    OptionInput,
    Uncertain,
    build_model,
    draws_for,
    first_shares,
    point_winner,
    quantiles,
    ranking_keys,
    sample,
    seed_for,
    totals_of,
    winners,
)

__all__ = [
    "CELL_BUDGET",
    "DRAWS",
    "MAX_CRITERIA",
    "MAX_DRAWS",
    "MAX_OPTIONS",
    "MIN_DRAWS",
    "POWER",
    "Band",
    "OptionInput",
    "OptionOdds",
    "Simulation",
    "Suggestion",
    "Uncertain",
    "decision_band",
    "draws_for",
    "percent",
    "quantiles",
    "simulate",
]

MIN_CHANGED = 0.01
"""Below this share of cases in which the winner changes, nothing is worth finding out."""

CLEAR_SHARE = 0.9
"""A close call (on the scores as given) whose favourite wins at least this share of the
plausible cases is one "the ranges make clear": the unsure scores all but settle it."""

SHAKY_SHARE = 0.6
"""A clear lead whose leader wins less than this share of the plausible cases is one
"the ranges make shaky": in 2 cases out of 5 or more, something else comes out on top."""

BAND_LOW = 10.0
BAND_HIGH = 90.0
"""The percentiles of the band shown for each option ("likely 58-70")."""


@dataclass(frozen=True, slots=True)
class Band:
    """The 10th-90th percentile of a decision score over the plausible cases."""

    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An unsure score worth finding out about, and the share of order changes hinging on it."""

    option_key: Hashable
    criterion_key: Hashable
    share: float
    sentence: str


@dataclass(frozen=True, slots=True)
class OptionOdds:
    """What the plausible cases say about one option."""

    key: Hashable
    title: str
    p_first: float
    p_beats_status_quo: float | None
    band: Band | None
    point: float | None

    @property
    def p_first_display(self) -> str:
        return percent(self.p_first)

    @property
    def p_beats_display(self) -> str:
        return "" if self.p_beats_status_quo is None else percent(self.p_beats_status_quo)


# --- Figures and sentences ----------------------------------------------------------------------


def percent(share: float) -> str:
    """A share as the page says it: "78 %", never "0 %" or "100 %" unless it is exactly so."""
    value = 100 * share
    if 0 < value < 1:
        return "under 1 %"
    if 99 < value < 100:
        return "over 99 %"
    return f"{round(value)} %"


class _Draws(NamedTuple):
    """The plausible cases themselves, kept for what to find out next."""

    values: npt.NDArray[np.float32]
    totals: npt.NDArray[np.float64]
    failures: npt.NDArray[np.int32]
    keys: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Simulation:
    """The plausible cases of one comparison, summarised."""

    options: tuple[OptionOdds, ...]
    draws: int
    asked: int
    status_quo: Hashable | None
    uncertain: int
    """How many scores have a range."""
    _model: Model = field(repr=False)
    _draws: _Draws = field(repr=False, compare=False)
    _names: Mapping[Hashable, str] = field(repr=False)

    @property
    def draws_display(self) -> str:
        return f"{self.draws:,}"

    @property
    def reduced(self) -> bool:
        """Whether fewer draws were made than asked, to keep within the memory budget."""
        return self.draws < self.asked

    @property
    def by_key(self) -> dict[Hashable, OptionOdds]:
        return {odds.key: odds for odds in self.options}

    @property
    def leader(self) -> OptionOdds | None:
        """The option most often on top (first in input order on a tie)."""
        ranked = [odds for odds in self.options if odds.p_first > 0]
        return max(ranked, key=lambda odds: odds.p_first) if ranked else None

    @property
    def sentence(self) -> str:
        """ "A comes out on top in 78 % of the plausible cases; B in 22 %." (top three named)."""
        ranked = sorted(
            (odds for odds in self.options if odds.p_first > 0),
            key=lambda odds: -odds.p_first,
        )
        if not ranked:
            return ""
        first = ranked[0]
        if first.p_first >= 1 - TIE:
            return f"{first.title} comes out on top in every plausible case."
        parts = [
            f"{first.title} comes out on top in {percent(first.p_first)} of the plausible cases"
        ]
        parts += [f"{odds.title} in {percent(odds.p_first)}" for odds in ranked[1:3]]
        rest = math.fsum(odds.p_first for odds in ranked[3:])
        if rest > 0:
            parts.append(f"the others together in {percent(rest)}")
        return "; ".join(parts) + "."

    def close_call_note(self, leader: Hashable, *, close_call: bool) -> str:
        """What the ranges say about the close-call flag of the scores as given.

        "A close call the ranges make clear: A wins in 97 % of the plausible cases" when
        the top two are close but one option wins at least ``CLEAR_SHARE`` of the cases;
        "A clear lead the ranges make shaky: B wins in only 38 % ..." when ``leader``
        leads clearly but wins less than ``SHAKY_SHARE`` of them; otherwise nothing.
        """
        if not self.uncertain:
            return ""
        favourite = self.leader
        if close_call and favourite is not None and favourite.p_first >= CLEAR_SHARE:
            return (
                f"A close call the ranges make clear: {favourite.title} wins in "
                f"{percent(favourite.p_first)} of the plausible cases."
            )
        odds = self.by_key.get(leader)
        if not close_call and odds is not None and odds.p_first < SHAKY_SHARE:
            return (
                f"A clear lead the ranges make shaky: {odds.title} wins in only "
                f"{percent(odds.p_first)} of the plausible cases."
            )
        return ""

    @functools.cached_property
    def _find_out_next(self) -> list[Suggestion]:
        return _find_out_next(self._model, self._draws, self._names)

    def find_out_next(self) -> list[Suggestion]:
        """The unsure scores the order hinges on, most decisive first (share > 0 only)."""
        return list(self._find_out_next)


def simulate(
    options: Sequence[OptionInput],
    weights: Mapping[Hashable, float],
    minimums: Mapping[Hashable, int | None],
    *,
    status_quo: Hashable | None,
    draws: int = DRAWS,
    names: Mapping[Hashable, str] | None = None,
    seed: int | None = None,
) -> Simulation:
    """Draw the plausible cases and summarise them per option.

    ``names`` gives the criteria's names for the "find out next" sentences. ``seed``
    overrides the seed derived from the inputs (tests use it for common random numbers).
    """
    model = build_model(options, weights, minimums)
    made = draws_for(len(options), len(weights), draws)
    seed = seed_for(options, weights, minimums, made) if seed is None else seed
    values = sample(model, made, seed)
    totals, failures = totals_of(model, values)
    keys = ranking_keys(model, totals, failures)
    shares = first_shares(keys)
    sq = model.keys.index(status_quo) if status_quo in model.keys else None
    sq_valued = sq is not None and bool(model.valued[sq])
    banded = {o for o, _ in model.cells}  # The options with an unsure score.
    if model.cells:
        # Along the draws of each option's own row (``totals`` is their transpose): the
        # same percentiles, read from contiguous memory.
        bands = np.percentile(totals.T, [BAND_LOW, BAND_HIGH], axis=1)
    odds: list[OptionOdds] = []
    for o, key in enumerate(model.keys):
        valued = bool(model.valued[o])
        beats: float | None = None
        if sq_valued and o != sq and valued:
            beats = float(np.mean(keys[:, o] > keys[:, sq] + TIE))
        elif sq_valued and o != sq:
            beats = 0.0
        band = None
        if valued and o in banded:
            band = Band(float(bands[0, o]), float(bands[1, o]))
        odds.append(
            OptionOdds(
                key=key,
                title=model.titles[o],
                p_first=float(shares[o]),
                p_beats_status_quo=beats,
                band=band,
                point=None if not valued else float(model.point[o]),
            )
        )
    return Simulation(
        options=tuple(odds),
        draws=made,
        asked=max(MIN_DRAWS, min(draws, MAX_DRAWS)),
        status_quo=status_quo if sq is not None else None,
        uncertain=len(model.cells),
        _model=model,
        _draws=_Draws(values, totals, failures, keys),
        _names=dict(names or {}),
    )


def decision_band(
    items: Sequence[tuple[Hashable, float, Uncertain, int | None]], *, draws: int = 2000
) -> Band | None:
    """One option's decision score, 10th-90th percentile over the plausible cases.

    ``items`` are (criterion key, weight, score with its range, must-have minimum).
    None when no scored criterion has a range, or when the option has no value.
    """
    weights = {key: weight for key, weight, _, _ in items}
    if len(weights) != len(items):
        raise ValueError("a criterion appears more than once")
    minimums = {key: minimum for key, _, _, minimum in items}
    option = OptionInput(key=0, title="", scores={key: value for key, _, value, _ in items})
    result = simulate([option], weights, minimums, status_quo=None, draws=draws)
    return result.options[0].band


# --- What to find out next ---------------------------------------------------------------------


def _find_out_next(model: Model, drawn: _Draws, names: Mapping[Hashable, str]) -> list[Suggestion]:
    """Rank the unsure scores by the share of order changes that hinge on each.

    The proxy for the value of finding out: take the draws whose winner differs from
    the winner at the scores as given (the *order changes*). For one unsure score,
    count the order changes that disappear when that score alone is put back to the
    value given (everything else as drawn): those hinge on it. If knowing a score
    would settle it, that share is high; a score that cannot flip the order on its
    own hinges nothing and is not suggested.
    """
    if not model.cells:
        return []
    values, totals, failures, keys = drawn
    given_winner = point_winner(model)
    if given_winner < 0:
        return []
    changed = winners(keys) != given_winner
    if changed.mean() < MIN_CHANGED:
        return []
    keys, totals, failures = keys[changed], totals[changed], failures[changed]
    deviations = values[:, changed]
    failed_elsewhere = model.fixed_failure
    # Putting back one option's score only moves that option: it can give the win back to
    # the given winner only if it is the given winner's or the case's winner's own score.
    involved = {given_winner, *np.unique(winners(keys)).tolist()}
    rivals = _Rivals(keys, given_winner)
    shares: list[tuple[float, int]] = []
    for u, (o, _) in enumerate(model.cells):
        if o not in involved:
            shares.append((0.0, u))
            continue
        total = totals[:, o] - model.cell_weights[u] * deviations[u]
        np.clip(total, 0.0, 100.0, out=total)
        margin = model.cell_minimums[u] - model.cell_scores[u]
        fails = failures[:, o] - (deviations[u] < margin)
        fails += model.cell_scores[u] < model.cell_minimums[u]
        key = total - FAIL_PENALTY * ((fails > 0) | failed_elsewhere[o])
        if not model.valued[o]:
            key = np.full_like(key, -np.inf)
        shares.append((float(rivals.given_wins(o, key).mean()), u))
    shares.sort(key=lambda pair: -pair[0])
    suggestions = []
    for share, u in shares:
        if share <= 0:
            continue
        o, c = model.cells[u]
        criterion = model.criteria[c]
        name = names.get(criterion, str(criterion))
        suggestions.append(
            Suggestion(
                option_key=model.keys[o],
                criterion_key=criterion,
                share=share,
                sentence=_suggestion_sentence(model.titles[o], name, share),
            )
        )
    return suggestions


class _Rivals:
    """Whether the given winner wins each case once option ``o``'s key is replaced, without
    copying every option's keys for each unsure score.

    ``winners`` picks the first option within ``TIE`` of the best: the given winner ``g``
    wins a case exactly when the case's best is finite, ``g``'s key is at least the best
    less ``TIE`` and every option before ``g`` is below that. Replacing one column ``o``
    changes only ``o``'s part of those maxima, so the best of the *other* options (and
    of the other options before ``g``) is worked out once per option: the same
    comparisons on the same numbers, hence the same cases.
    """

    def __init__(self, keys: npt.NDArray[np.float64], given: int) -> None:
        self.keys = keys
        self.given = given
        self._others: dict[int, npt.NDArray[np.float64]] = {}
        self._before: dict[int, npt.NDArray[np.float64]] = {}

    def _best(self, columns: list[int]) -> npt.NDArray[np.float64]:
        if not columns:
            return np.full(self.keys.shape[0], -np.inf)
        best: npt.NDArray[np.float64] = self.keys[:, columns].max(axis=1)
        return best

    def given_wins(self, o: int, key: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        if o not in self._others:
            n = self.keys.shape[1]
            self._others[o] = self._best([i for i in range(n) if i != o])
            self._before[o] = self._best([i for i in range(self.given) if i != o])
        top = np.maximum(self._others[o], key)
        threshold = top - TIE
        own = key if o == self.given else self.keys[:, self.given]
        before = np.maximum(self._before[o], key) if o < self.given else self._before[o]
        wins: npt.NDArray[np.bool_] = np.isfinite(top) & (own >= threshold) & (before < threshold)
        return wins


def _suggestion_sentence(title: str, criterion: str, share: float) -> str:
    """ "Finding out about Growth at the agency would settle most of it — 9 of every 10 ..."."""
    tenths = round(10 * share)
    if share >= 1 - TIE:
        how_many = "every case where the order changes hinges on it"
    elif tenths == 0:
        how_many = "fewer than 1 in 10 cases where the order changes hinge on it"
    elif tenths == 10:
        how_many = "nearly every case where the order changes hinges on it"
    else:
        how_many = f"{tenths} of every 10 cases where the order changes hinge on it"
    amount = "most of it" if share >= 0.5 else "some of it"
    return f"Finding out about {criterion} at {title} would settle {amount} \N{EM DASH} {how_many}."
