"""Looking back, the pure part: how a past decision is shown beside today.

The functions here (``frozen_matrix``, ``score_now``, ``describe_change``,
``history_steps``, ``priority_rows``...) work on rows already fetched by
``journal.queries`` and never touch the database, so a past decision shows the same
numbers wherever it appears. All arithmetic is ``scoring.core``'s.

Two numbers are shown for every past decision:

* the score *then*: its frozen scores under the weights captured with them,
  stored on the checkpoint and always equal to a recomputation from its rows;
* the score *now*: the same frozen scores under today's active criteria and
  weights. A criterion archived since drops out, one added since counts as not
  scored, so the coverage beside it says how comparable the two numbers are.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any, Protocol

from opportunities.scoring.core import (
    Change,
    DecisionScore,
    Rated,
    StoredScore,
    WeighedCriterion,
    biggest_changes,
    compute_decision_score,
    contributions,
    rated_frozen,
    rated_live,
    weight_shares,
)

EARLIEST_DAY = date(2000, 1, 1)
"""No decision or outcome in the journal is dated before this, whether typed or
imported. Crossroads records job decisions as they are taken, or recalled from recent
years; a date from the last century is almost always a typo, and would sort the
journal nonsensically."""

REVISIT_YEARS_AHEAD = 5
"""How far ahead a revisit date may be set: long enough for a look back after years in
a role, short enough to catch a mistyped year."""


def years_after(day: date, years: int) -> date:
    """``day`` moved ``years`` years on; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class CapturedScore(StoredScore, Protocol):
    """A score row of a checkpoint: its value and note, and the criterion's name, weight
    and minimum as they were when it was frozen."""

    @property
    def evaluation_id(self) -> int: ...
    @property
    def criterion_name(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def low(self) -> int | None: ...
    @property
    def high(self) -> int | None: ...


class CriterionToday(WeighedCriterion, Protocol):
    """An active criterion as it is today."""

    @property
    def name(self) -> str: ...


class FrozenDecision(Protocol):
    """A decision, through the checkpoint it froze, on the day it was made."""

    @property
    def evaluation_id(self) -> int: ...
    @property
    def decided_on(self) -> date: ...


CHANGES_NAMED = 3
"""How many criteria "what changed most" names between two points in time."""

DECIDED_TO: dict[str, str] = {
    "pursue": "pursue",
    "accept": "accept",
    "decline": "decline",
    "withdraw": "withdraw from",
}
"""What a decision's choice reads as before the opportunity's name: "you decided to
withdraw from “X”". The choices' labels ("Pursue it") are headings, not sentences."""


def decided_to(choice: str) -> str:
    """The verb of "you decided to … “X”" for a decision's ``choice``."""
    return DECIDED_TO[choice]


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\N{MINUS SIGN}")


def _counted(scores: Iterable[CapturedScore]) -> list[CapturedScore]:
    return [score for score in scores if score.weight is not None]


def score_now(scores: Iterable[CapturedScore], criteria: Sequence[CriterionToday]) -> DecisionScore:
    """A checkpoint's frozen scores under today's active ``criteria`` and their weights."""
    return compute_decision_score(rated_live(criteria, _counted(scores)))


@dataclass(frozen=True, slots=True)
class FrozenRow:
    """One criterion of a checkpoint as it was, with the same criterion today."""

    criterion_id: int
    name: str
    weight: int
    minimum: int | None
    score: int | None
    note: str
    points: float | None
    share: float
    fails: bool
    today: CriterionToday | None
    low: int | None = None
    high: int | None = None
    """The "I'm unsure" range frozen with the score, if it had one."""

    @property
    def score_display(self) -> str:
        """The score as shown: "7", or "7 (5–8)" with its range; "" when not scored."""
        if self.score is None:
            return ""
        if self.low is None or self.high is None:
            return str(self.score)
        return f"{self.score} ({self.low}–{self.high})"

    @property
    def renamed(self) -> bool:
        return self.today is not None and self.today.name != self.name

    @property
    def archived_since(self) -> bool:
        return self.today is None

    @property
    def reweighted(self) -> bool:
        return self.today is not None and self.today.weight != self.weight


@dataclass(frozen=True, slots=True)
class FrozenMatrix:
    rows: list[FrozenRow]
    result: DecisionScore
    now: DecisionScore
    added_since: list[CriterionToday]

    @property
    def shift(self) -> float | None:
        """How far today's weights move the score (now minus then)."""
        if self.result.value is None or self.now.value is None:
            return None
        return self.now.value - self.result.value

    @property
    def shift_display(self) -> str:
        return "" if self.shift is None else _signed(self.shift)


def frozen_matrix(
    scores: Iterable[CapturedScore], criteria: Sequence[CriterionToday]
) -> FrozenMatrix:
    """A checkpoint's matrix exactly as it was, beside today's active ``criteria``."""
    counted = _counted(scores)
    rated = rated_frozen(counted)
    result = compute_decision_score(rated)
    points = contributions(rated)
    shares = weight_shares({item.criterion: item.weight for item in rated})
    failures = set(result.failures)
    today = {criterion.id: criterion for criterion in criteria}
    rows = [
        FrozenRow(
            criterion_id=score.criterion_id,
            name=score.criterion_name,
            weight=score.weight or 0,  # counted: never None
            minimum=score.minimum,
            score=score.value,
            note=score.note,
            points=points[score.criterion_id],
            share=shares[score.criterion_id],
            fails=score.criterion_id in failures,
            today=today.get(score.criterion_id),
            low=score.low,
            high=score.high,
        )
        for score in counted
    ]
    captured = {score.criterion_id for score in counted}
    return FrozenMatrix(
        rows=rows,
        result=result,
        now=score_now(counted, criteria),
        added_since=[criterion for criterion in criteria if criterion.id not in captured],
    )


@dataclass(frozen=True, slots=True)
class ChangeInWords:
    name: str
    points: float
    detail: str

    @property
    def points_display(self) -> str:
        return _signed(self.points)


def _score_text(score: int | None) -> str:
    return "not scored" if score is None else str(score)


def describe_change(change: Change, *, counted_before: bool, counted_after: bool) -> str:
    """Why one criterion's part of the total moved, in a few words."""
    if not counted_before:
        scored = "" if change.after is None else f", scored {change.after}"
        return f"added since{scored}"
    if not counted_after:
        return "no longer counted (archived)"
    parts = []
    if change.before != change.after:
        parts.append(f"score {_score_text(change.before)} → {_score_text(change.after)}")
    if change.weight_before != change.weight_after:
        parts.append(f"weight {change.weight_before} → {change.weight_after}")
    return ", ".join(parts) or "same score and weight; its share moved with the other weights"


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """The decision score at one point in time: a checkpoint, or now."""

    label: str
    value: float | None
    rated: tuple[Rated, ...]
    names: dict[Hashable, str]
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class HistoryStep:
    before: HistoryPoint
    after: HistoryPoint
    changes: list[ChangeInWords]

    @property
    def delta(self) -> float | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def delta_display(self) -> str:
        return "" if self.delta is None else _signed(self.delta)


def history_steps(
    points: Sequence[HistoryPoint], *, limit: int = CHANGES_NAMED
) -> list[HistoryStep]:
    """What changed most between each pair of consecutive points, in words."""
    steps = []
    for before, after in pairwise(points):
        counted_before = {item.criterion for item in before.rated}
        counted_after = {item.criterion for item in after.rated}
        changes = [
            ChangeInWords(
                name=after.names.get(change.criterion) or before.names.get(change.criterion, "?"),
                points=change.points,
                detail=describe_change(
                    change,
                    counted_before=change.criterion in counted_before,
                    counted_after=change.criterion in counted_after,
                ),
            )
            for change in biggest_changes(before.rated, after.rated, limit=limit)
        ]
        steps.append(HistoryStep(before=before, after=after, changes=changes))
    return steps


@dataclass(frozen=True, slots=True)
class PriorityRow:
    """One criterion's weight as captured with each decision and set with each version of
    the weights (``priority_columns``, oldest first), and today."""

    criterion_id: int
    name: str
    earlier_names: tuple[str, ...]
    weights: tuple[int | None, ...]
    today: int | None

    @property
    def changed(self) -> bool:
        seen = {w for w in (*self.weights, self.today) if w is not None}
        return len(seen) > 1


@dataclass(frozen=True, slots=True)
class WeightsSet:
    """A version of the weights put in force (by the sliders, a swing weighting, a
    comparison's what-if weights) on ``day``: each criterion's weight and name then."""

    day: date
    label: str
    weights: Mapping[int, int]
    names: Mapping[int, str]


@dataclass(frozen=True, slots=True)
class PriorityColumn:
    """A column of priorities over time: a decision (the row given, for the page to link
    to), or a version of the weights."""

    day: date
    decision: Any = None
    weights_set: WeightsSet | None = None


def priority_columns(
    decisions: Sequence[FrozenDecision], versions: Sequence[WeightsSet] = ()
) -> list[PriorityColumn]:
    """Decisions and versions of the weights in date order (each in the order given within
    a day; on the same day, weights set come before the decisions made under them)."""
    columns: list[PriorityColumn] = [
        PriorityColumn(day=version.day, weights_set=version) for version in versions
    ]
    columns += [
        PriorityColumn(day=decision.decided_on, decision=decision) for decision in decisions
    ]
    return sorted(columns, key=lambda column: (column.day, column.decision is not None))


def priority_rows(
    decisions: Sequence[FrozenDecision],
    scores: Iterable[CapturedScore],
    criteria: Sequence[CriterionToday],
    *,
    versions: Sequence[WeightsSet] = (),
) -> list[PriorityRow]:
    """Each criterion's weight across ``priority_columns(decisions, versions)``: captured
    with each decision, or as set in each version of the weights (oldest first).

    Rows follow today's criteria order; criteria archived since come after, in the
    order they first appeared. A criterion keeps one row through renames: it is
    named as it is today (or as last captured), with its earlier names beside it.
    """
    captured: dict[int, dict[int, CapturedScore]] = {}
    order: list[int] = [criterion.id for criterion in criteria]
    for score in scores:
        captured.setdefault(score.evaluation_id, {})[score.criterion_id] = score
    columns = priority_columns(decisions, versions)
    names: dict[int, list[str]] = {}

    def seen(criterion_id: int, name: str) -> None:
        history = names.setdefault(criterion_id, [])
        if name not in history:
            history.append(name)
        if criterion_id not in order:
            order.append(criterion_id)

    for column in columns:
        if column.decision is not None:
            for criterion_id, score in captured.get(column.decision.evaluation_id, {}).items():
                seen(criterion_id, score.criterion_name)
        elif column.weights_set is not None:
            for criterion_id in column.weights_set.weights:
                seen(criterion_id, column.weights_set.names.get(criterion_id, "?"))
    today = {criterion.id: criterion for criterion in criteria}

    def weight_of(column: PriorityColumn, criterion_id: int) -> int | None:
        if column.weights_set is not None:
            return column.weights_set.weights.get(criterion_id)
        assert column.decision is not None
        score = captured.get(column.decision.evaluation_id, {}).get(criterion_id)
        return None if score is None else score.weight

    rows = []
    for criterion_id in order:
        current = today.get(criterion_id)
        name = current.name if current else names[criterion_id][-1]
        rows.append(
            PriorityRow(
                criterion_id=criterion_id,
                name=name,
                earlier_names=tuple(n for n in names.get(criterion_id, []) if n != name),
                weights=tuple(weight_of(column, criterion_id) for column in columns),
                today=current.weight if current else None,
            )
        )
    return rows


# --- What a decision was weighed against --------------------------------------------------------

ALTERNATIVE_LABEL = "Alternative to the decision on "
LABEL_LENGTH = 120
"""The longest checkpoint label (``Evaluation.label``)."""


def alternative_label(title: str) -> str:
    """The label of the checkpoint frozen for an option a decision on ``title`` was
    weighed against, cut to fit a checkpoint label."""
    label = f"{ALTERNATIVE_LABEL}{title.strip()}"
    if len(label) <= LABEL_LENGTH:
        return label
    return label[: LABEL_LENGTH - 1].rstrip() + "…"


def _total(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class WeighedOption:
    """An option of a decision, with the total frozen with it."""

    title: str
    total: float | None
    is_status_quo: bool = False
    opportunity_id: int | None = None
    checkpoint_id: int | None = None
    """Where its frozen scores can be read, when its opportunity still exists."""

    @property
    def name(self) -> str:
        """How a sentence names it: the status quo is "staying as you are"."""
        return "staying as you are" if self.is_status_quo else f"“{self.title}”"

    @property
    def total_display(self) -> str:
        return _total(self.total)


@dataclass(frozen=True, slots=True)
class Gap:
    """The decided-on option beside one alternative: how far ahead or behind it was."""

    option: WeighedOption
    points: float | None
    """The decided-on option's total minus this one's, to one decimal; None when
    either was not scored."""

    @property
    def display(self) -> str:
        if self.points is None:
            return ""
        if self.points > 0:
            return f"ahead by {self.points:.1f}"
        if self.points < 0:
            return f"{-self.points:.1f} behind"
        return "level"


CHOSE: dict[str, tuple[str, str]] = {
    "pursue": ("Chose", "over"),
    "accept": ("Chose", "over"),
    "decline": ("Declined", "weighed against"),
    "withdraw": ("Withdrew from", "weighed against"),
}
"""How a sentence reads for each choice: "Chose “X” … over …", "Declined “X” …
weighed against …"."""


@dataclass(frozen=True, slots=True)
class WeighedAgainst:
    """What a decision chose over what, by how much, and whether the gut agreed."""

    choice: str
    decided: WeighedOption
    gaps: tuple[Gap, ...]
    gut_place: int | None = None
    """Where the decided-on option came in the user's gut ranking of exactly these
    options (1 = first), when there was one by the time of the decision."""
    gut_first: WeighedOption | None = None
    """The option the gut ranking put first."""

    @property
    def summary(self) -> str:
        """ "Chose “Part-time strategist” (62.0) over staying as you are (67.0): 5.0
        behind", one clause per alternative."""
        verb, link = CHOSE[self.choice]
        clauses = "; ".join(
            f"{gap.option.name} ({gap.option.total_display})"
            + (f": {gap.display}" if gap.display else "")
            for gap in self.gaps
        )
        return f"{verb} {self.decided.name} ({self.decided.total_display}) {link} {clauses}"

    @property
    def top_by_matrix(self) -> bool | None:
        """Whether the decided-on option scored at least as well as every alternative;
        None when a total is missing."""
        if any(gap.points is None for gap in self.gaps):
            return None
        return all(gap.points is not None and gap.points >= 0 for gap in self.gaps)

    @property
    def first_by_feel(self) -> bool | None:
        return None if self.gut_place is None else self.gut_place == 1

    @property
    def gut_display(self) -> str:
        """What the gut ranking said of the decided-on option, or empty without one."""
        if self.gut_place is None:
            return ""
        if self.gut_place == 1:
            return "first by feel in your gut ranking of these options"
        first = self.gut_first.name if self.gut_first else "another option"
        return (
            f"{_ordinal(self.gut_place)} of {len(self.gaps) + 1} by feel: your gut ranking "
            f"put {first} first"
        )


def _ordinal(place: int) -> str:
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def gap_between(decided: float | None, alternative: float | None) -> float | None:
    """``decided`` minus ``alternative``, to the one decimal shown beside them."""
    if decided is None or alternative is None:
        return None
    return round(round(decided, 1) - round(alternative, 1), 1)


def gut_place(order: Sequence[object], decided: object, options: Iterable[object]) -> int | None:
    """Where ``decided`` comes (1 = first) in a gut ``order`` of exactly ``options``
    (``decided`` among them); None when the order ranks another set."""
    wanted = set(options)
    if decided not in wanted or len(order) != len(wanted) or set(order) != wanted:
        return None
    return list(order).index(decided) + 1


def weighed_against(
    *,
    choice: str,
    decided: WeighedOption,
    alternatives: Sequence[WeighedOption],
    gut_place: int | None = None,
    gut_first: WeighedOption | None = None,
) -> WeighedAgainst | None:
    """The decision beside the alternatives frozen with it; None when it had none."""
    if not alternatives:
        return None
    return WeighedAgainst(
        choice=choice,
        decided=decided,
        gaps=tuple(
            Gap(option, gap_between(decided.total, option.total)) for option in alternatives
        ),
        gut_place=gut_place,
        gut_first=gut_first,
    )
