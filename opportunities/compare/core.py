"""Several options side by side under one set of weights: the comparison page's model.

Pure, like ``scoring``: it is built from plain values (ids, titles, scores, weights)
and never touches the ORM or a request. ``scoring`` does the arithmetic; this module
arranges it into what the comparison page, its chart and its CSV export show, and
turns the sensitivity analysis into statements a person can act on ("Freelancing
would overtake the marketing role if Pay weighed 8 instead of 5").

The selection of options lives in the URL (``?ids=3,7,9``), so parsing it is here
too: whatever a link says, the page gets a clean, bounded list of ids and a list of
the parts it could not read.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from opportunities.pay.core import ComparablePay
from opportunities.scoring import core as scoring
from opportunities.scoring.core import DecisionScore, Weight

MAX_SELECTION = 100
"""The most options one comparison takes; more ids in a link are left out (and said so)."""

GUT_RANKING_MAX = 10
"""The most options the gut ranking is offered for: ordering more by feel is guesswork."""

_MAX_ID = 2**63 - 1  # Anything larger cannot be a primary key (and would overflow a query).


# --- The selection, as it travels in the URL -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    """The ids a comparison link asks for, in the order asked, without repeats."""

    ids: tuple[int, ...]
    malformed: tuple[str, ...] = ()
    dropped: int = 0
    """How many ids beyond ``MAX_SELECTION`` were left out."""

    @property
    def param(self) -> str:
        return selection_param(self.ids)


def parse_selection(values: Iterable[str]) -> Selection:
    """Read ``ids`` query values: each a comma-separated list ("3,7,9"), possibly repeated.

    Repeated values are what a form of checkboxes sends (``ids=3&ids=7``); a
    comma-separated one is what a shared link holds. Tokens that are not a
    positive whole number are reported back rather than guessed at.
    """
    ids: list[int] = []
    malformed: list[str] = []
    seen: set[int] = set()
    for value in values:
        for raw in value.split(","):
            token = raw.strip()
            if not token:
                continue
            # Length first: int() refuses a string of thousands of digits outright.
            if (
                not (token.isascii() and token.isdigit())
                or len(token) > len(str(_MAX_ID))
                or not 0 < int(token) <= _MAX_ID
            ):
                malformed.append(token[:40])
                continue
            number = int(token)
            if number not in seen:
                seen.add(number)
                ids.append(number)
    return Selection(
        ids=tuple(ids[:MAX_SELECTION]),
        malformed=tuple(malformed),
        dropped=max(0, len(ids) - MAX_SELECTION),
    )


def selection_param(ids: Iterable[int]) -> str:
    """The ``ids`` query value for a selection, in its order: "3,7,9"."""
    return ",".join(str(key) for key in ids)


def selection_key(ids: Iterable[int]) -> str:
    """What identifies a set of options whatever their order: sorted ids joined by "-"."""
    return "-".join(str(key) for key in sorted(set(ids)))


# --- The matrix ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    """One opportunity being compared, with its live scores by criterion key and, once
    loaded, its comparable pay."""

    key: int
    title: str
    scores: Mapping[Hashable, int | None]
    subtitle: str = ""
    is_status_quo: bool = False
    pay: ComparablePay | None = None


@dataclass(frozen=True, slots=True)
class ComparedCriterion:
    """A criterion with the weight the comparison uses and the weight saved for it."""

    key: int
    name: str
    weight: int
    saved_weight: int
    minimum: int | None = None

    @property
    def changed(self) -> bool:
        return self.weight != self.saved_weight


@dataclass(frozen=True, slots=True)
class Cell:
    """One option's score on one criterion and the points it brings to its total."""

    score: int | None
    points: float | None
    best: bool = False
    fails_minimum: bool = False

    @property
    def points_display(self) -> str:
        return scoring.NO_VALUE if self.points is None else f"{self.points:.1f}"


@dataclass(frozen=True, slots=True)
class Row:
    criterion: ComparedCriterion
    share: float
    cells: tuple[Cell, ...]

    @property
    def share_display(self) -> str:
        return f"{self.share:.0f}%"


@dataclass(frozen=True, slots=True)
class Column:
    """One option's totals: decision score, coverage, rank, must-haves, gap to status quo."""

    option: Option
    result: DecisionScore
    rank: int
    failing: tuple[ComparedCriterion, ...]
    vs_status_quo: float | None = None
    shares_rank: bool = False

    @property
    def vs_status_quo_display(self) -> str:
        return scoring.NO_VALUE if self.vs_status_quo is None else f"{self.vs_status_quo:+.1f}"


@dataclass(frozen=True, slots=True)
class WeightFlipStatement:
    """ "``runner_up`` would overtake ``leader`` if ``criterion`` weighed ``weight``."

    ``tie_weight`` is where the two totals are exactly level. ``slider_weight`` is
    the first whole weight (what the slider can be set to) past it at which the
    runner-up is strictly ahead; ``None`` when, within 0-10, they only draw level.
    """

    criterion: ComparedCriterion
    tie_weight: float
    slider_weight: int | None

    @property
    def overtakes(self) -> bool:
        return self.slider_weight is not None

    @property
    def raise_weight(self) -> bool:
        return self.tie_weight > self.criterion.weight


@dataclass(frozen=True, slots=True)
class ScoreNudgeStatement:
    """A single one-point change of one score that would overturn the top two."""

    option: Option
    criterion: ComparedCriterion
    from_score: int
    to_score: int


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How fragile the order of the top two is."""

    leader: Column
    runner_up: Column
    close_call: bool
    flips: tuple[WeightFlipStatement, ...]
    """Nearest first (the smallest change of weight)."""
    nudges: tuple[ScoreNudgeStatement, ...]
    """Heaviest criterion first."""

    @property
    def gap(self) -> float:
        assert self.leader.result.value is not None
        assert self.runner_up.result.value is not None
        return self.leader.result.value - self.runner_up.result.value

    @property
    def tied(self) -> bool:
        return self.leader.rank == self.runner_up.rank


@dataclass(frozen=True, slots=True)
class Comparison:
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    """In the order the options were given (the order of the matrix)."""
    ranking: tuple[Column, ...]
    """Best first; options without a score last, in the order given."""
    status_quo: Column | None
    sensitivity: Sensitivity | None

    @property
    def criteria(self) -> tuple[ComparedCriterion, ...]:
        return tuple(row.criterion for row in self.rows)

    @property
    def weights(self) -> dict[Hashable, int]:
        return {row.criterion.key: row.criterion.weight for row in self.rows}

    @property
    def changed_criteria(self) -> tuple[ComparedCriterion, ...]:
        return tuple(row.criterion for row in self.rows if row.criterion.changed)

    @property
    def total_weight(self) -> int:
        return sum(self.weights.values())

    def column(self, key: int) -> Column:
        return next(column for column in self.columns if column.option.key == key)

    def chart_data(self) -> dict[str, Any]:
        """A stacked bar per option, one segment per criterion's points (JSON-ready), each
        criterion in a colour of its own (``chart_colours``)."""
        colours = chart_colours(len(self.rows))
        return {
            "labels": [column.option.title for column in self.columns],
            "totals": [_rounded(column.result.value) for column in self.columns],
            "datasets": [
                {
                    "label": row.criterion.name,
                    "colour": colour,
                    "data": [_rounded(cell.points) or 0 for cell in row.cells],
                }
                for row, colour in zip(self.rows, colours, strict=True)
            ],
        }


CHART_PALETTE: tuple[str, ...] = (
    "#2F5D62",  # the app's teal
    "#E0A458",  # the app's warm gold
    "#33BBEE",  # sky blue
    "#EE3377",  # magenta
    "#882255",  # wine
    "#332288",  # indigo
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#D55E00",  # vermilion
    "#0077BB",  # blue
    "#8D6E63",  # brown
    "#AA4499",  # purple
)
"""The chart's colours, one per criterion in the order of the criteria.

Picked from colour-blind-aware sets (Okabe & Ito, Paul Tol) so that no two are alike: each
pair is at least 0.13 apart in OKLab, where spread hues of one lightness and saturation
(what the chart had before) came as close as 0.08, too close to tell Pay from Gut feeling.
"""

_GOLDEN_ANGLE = 137.508


def chart_colours(count: int) -> list[str]:
    """``count`` colours for one chart, never the same one twice.

    The palette first; past it (a user with more criteria than it holds) hues spread by
    the golden angle, at three lightnesses in turn. Hues ``i`` golden angles apart only
    meet again after 30,000 steps, so no colour repeats within a chart.
    """
    colours = list(CHART_PALETTE[:count])
    for index in range(len(CHART_PALETTE), count):
        hue = (index * _GOLDEN_ANGLE) % 360
        lightness = (40, 55, 68)[index % 3]
        colours.append(f"hsl({hue:.3f}, 55%, {lightness}%)")
    return colours


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def build_comparison(
    options: Sequence[Option],
    criteria: Sequence[ComparedCriterion],
    *,
    with_sensitivity: bool = True,
) -> Comparison:
    """Score every option under the same (possibly what-if) weights and lay out the matrix.

    The best score of each row is marked when the scored options differ on it (a row
    where everyone scored 7 has no best). Unscored cells stay ``None``, never 0. Without
    ``with_sensitivity`` the analysis of how the top two could swap is left out (None):
    a caller that only needs the order (what friends' scores would change) saves most
    of the work.
    """
    weights: dict[Hashable, Weight] = {criterion.key: criterion.weight for criterion in criteria}
    minimums: dict[Hashable, int | None] = {c.key: c.minimum for c in criteria}
    by_key: dict[Hashable, ComparedCriterion] = {c.key: c for c in criteria}
    rated = [scoring.rate(option.scores, weights, minimums=minimums) for option in options]
    results = [scoring.compute_decision_score(items) for items in rated]
    points = [scoring.contributions(items) for items in rated]
    values: dict[Hashable, float | None] = {
        option.key: result.value for option, result in zip(options, results, strict=True)
    }
    ranks = scoring.rank(values)
    status_quo_value = next(
        (r.value for o, r in zip(options, results, strict=True) if o.is_status_quo), None
    )
    rank_counts = Counter(ranks.values())
    columns = tuple(
        Column(
            option=option,
            result=result,
            rank=ranks[option.key],
            shares_rank=rank_counts[ranks[option.key]] > 1,
            failing=tuple(by_key[key] for key in result.failures),
            vs_status_quo=None
            if option.is_status_quo or result.value is None or status_quo_value is None
            else result.value - status_quo_value,
        )
        for option, result in zip(options, results, strict=True)
    )

    shares = scoring.weight_shares(weights)
    rows = []
    for index, criterion in enumerate(criteria):
        row_items = [items[index] for items in rated]
        scored = {item.score for item in row_items if item.score is not None}
        best = max(scored) if len(scored) > 1 else None
        cells = tuple(
            Cell(
                score=item.score,
                points=option_points[criterion.key],
                best=best is not None and item.score == best,
                fails_minimum=item.fails_minimum,
            )
            for item, option_points in zip(row_items, points, strict=True)
        )
        rows.append(Row(criterion=criterion, share=shares[criterion.key], cells=cells))

    ranking = tuple(sorted(columns, key=lambda column: column.rank))
    return Comparison(
        rows=tuple(rows),
        columns=columns,
        ranking=ranking,
        status_quo=next((column for column in columns if column.option.is_status_quo), None),
        sensitivity=_sensitivity(ranking, criteria) if with_sensitivity else None,
    )


# --- Sensitivity, in statements --------------------------------------------------------------


def _sensitivity(
    ranking: Sequence[Column], criteria: Sequence[ComparedCriterion]
) -> Sensitivity | None:
    """How the top two could swap places: by a weight (``scoring.weight_flips``) or by a
    one-point change of a single score (``scoring.score_nudges``). ``None`` until at least
    two options have a decision score."""
    valued = [column for column in ranking if column.result.value is not None]
    if len(valued) < 2:
        return None
    leader, runner_up = valued[0], valued[1]
    weights: dict[Hashable, Weight] = {criterion.key: criterion.weight for criterion in criteria}
    by_key: dict[Hashable, ComparedCriterion] = {c.key: c for c in criteria}
    a, b = leader.option.scores, runner_up.option.scores
    flips: tuple[WeightFlipStatement, ...] = ()
    nudges: tuple[ScoreNudgeStatement, ...] = ()
    if leader.rank != runner_up.rank:  # Tied options have no order to flip.
        flips = tuple(
            WeightFlipStatement(
                criterion=by_key[flip.criterion],
                tie_weight=flip.flip_weight,
                slider_weight=_first_whole_weight_past(flip, a, b, weights),
            )
            for flip in scoring.weight_flips(a, b, weights)
        )
        # The heaviest criteria first: the judgements the order leans on most (the page
        # shows the first few and the rest on demand). Stable, so ties keep their order.
        nudges = tuple(
            sorted(
                (
                    ScoreNudgeStatement(
                        option=leader.option if nudge.option == "leader" else runner_up.option,
                        criterion=by_key[nudge.criterion],
                        from_score=nudge.from_score,
                        to_score=nudge.to_score,
                    )
                    for nudge in scoring.score_nudges(a, b, weights)
                ),
                key=lambda nudge: -nudge.criterion.weight,
            )
        )
    return Sensitivity(
        leader=leader,
        runner_up=runner_up,
        close_call=scoring.is_close_call(leader.result.value, runner_up.result.value),
        flips=flips,
        nudges=nudges,
    )


def _first_whole_weight_past(
    flip: scoring.WeightFlip,
    leader: Mapping[Hashable, int | None],
    runner_up: Mapping[Hashable, int | None],
    weights: Mapping[Hashable, Weight],
) -> int | None:
    """The first whole weight beyond the tie (moving away from today's weight) at which the
    runner-up is strictly ahead, or ``None`` if that lies outside 0-10 or they only tie.

    The tie weight is rounded to 1e-9 first, so 6.9999999999 counts as the tie at 7
    it is, and the answer is 8 rather than the 7 at which the two are merely level.
    """
    tie = round(flip.flip_weight, 9)
    weight = math.floor(tie) + 1 if flip.direction == "raise" else math.ceil(tie) - 1
    if not 0 <= weight <= scoring.WEIGHT_MAX:
        return None
    trial = {**weights, flip.criterion: weight}
    ahead = scoring.score_option(runner_up, trial).value
    behind = scoring.score_option(leader, trial).value
    if ahead is None or behind is None or ahead <= behind:
        return None
    return weight


# --- The gut ranking, beside the computed one ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The gut put ``gut_higher`` first; the matrix puts ``gut_lower`` ahead, because of
    ``criteria`` (where ``gut_lower`` scores better once weighted, largest gap first)."""

    gut_higher: Column
    gut_lower: Column
    criteria: tuple[ComparedCriterion, ...]


@dataclass(frozen=True, slots=True)
class GutComparison:
    gut_order: tuple[Column, ...]
    disagreements: tuple[Disagreement, ...]

    @property
    def agrees(self) -> bool:
        return not self.disagreements


def compare_with_gut(comparison: Comparison, order: Sequence[int]) -> GutComparison | None:
    """Set the user's gut order beside the matrix and name what explains each disagreement.

    Every pair the two orders put the other way round is a disagreement (pairs the
    matrix ties, or cannot rank for lack of scores, are not). ``None`` when ``order``
    is not an ordering of exactly the compared options.
    """
    by_option = {column.option.key: column for column in comparison.columns}
    if len(order) != len(by_option) or set(order) != by_option.keys():
        return None
    gut = tuple(by_option[key] for key in order)
    weights = comparison.weights
    by_criterion: dict[Hashable, ComparedCriterion] = {c.key: c for c in comparison.criteria}
    disagreements = []
    for higher, lower in combinations(gut, 2):
        if higher.result.value is None or lower.result.value is None:
            continue
        if lower.result.value <= higher.result.value:
            continue
        named = scoring.explain_disagreement(higher.option.scores, lower.option.scores, weights)
        disagreements.append(Disagreement(higher, lower, tuple(by_criterion[key] for key in named)))
    return GutComparison(gut_order=gut, disagreements=tuple(disagreements))


# --- The matrix as a table of plain values (CSV export) --------------------------------------

type TableValue = str | int | float | Decimal

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: TableValue) -> TableValue:
    """Defuse text a spreadsheet would run as a formula ("=HYPERLINK(...)" as a title).

    Only text is touched: numbers (including negative differences) stay numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def matrix_table(comparison: Comparison) -> Iterator[list[TableValue]]:
    """The matrix, row by row: a header, one row per criterion, then the totals and,
    when the options' pay is loaded, their comparable pay.

    Each option has two columns, its score and the points it brings; unscored cells
    are empty, not 0. Text is passed through ``spreadsheet_safe``.
    """
    columns = comparison.columns
    yield [
        spreadsheet_safe(value)
        for value in (
            "Criterion",
            "Weight",
            "Saved weight",
            "Share of weight (%)",
            *(
                f"{column.option.title}: {part}"
                for column in columns
                for part in ("score", "points")
            ),
        )
    ]
    for row in comparison.rows:
        yield [
            spreadsheet_safe(row.criterion.name),
            row.criterion.weight,
            row.criterion.saved_weight,
            round(row.share, 1),
            *(
                value
                for cell in row.cells
                for value in (
                    "" if cell.score is None else cell.score,
                    "" if cell.points is None else round(cell.points, 1),
                )
            ),
        ]

    def totals(label: str, values: Iterable[TableValue]) -> list[TableValue]:
        return [label, "", "", "", *(part for value in values for part in (value, ""))]

    yield totals(
        "Decision score (0-100)",
        ("" if c.result.value is None else round(c.result.value, 1) for c in columns),
    )
    yield totals("Coverage", (c.result.coverage_label for c in columns))
    yield totals("Rank", (c.rank for c in columns))
    yield totals(
        "Must-haves failed",
        (spreadsheet_safe("; ".join(f.name for f in c.failing)) for c in columns),
    )
    if comparison.status_quo is not None:
        yield totals(
            "Difference from the status quo",
            (
                "status quo"
                if c.option.is_status_quo
                else ("" if c.vs_status_quo is None else round(c.vs_status_quo, 1))
                for c in columns
            ),
        )
    pays = [column.option.pay for column in columns]
    if all(pay is not None for pay in pays):
        yield from _pay_rows([pay for pay in pays if pay is not None], totals)


def _pay_rows(
    pays: Sequence[ComparablePay], totals: Callable[[str, Iterable[TableValue]], list[TableValue]]
) -> Iterator[list[TableValue]]:
    currency = pays[0].currency if pays else ""
    yield totals(
        f"Comparable pay a year ({currency})",
        (pay.breakdown.annual if pay.breakdown else "" for pay in pays),
    )
    yield totals(
        f"Per hour worked ({currency})",
        (pay.breakdown.hourly if pay.breakdown else "" for pay in pays),
    )
    yield totals("Arrangement", (pay.arrangement for pay in pays))
