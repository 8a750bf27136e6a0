"""Looking back: the read side of the decision journal.

The query functions fetch what a page about the past needs in a fixed number of
queries, never one per checkpoint or decision. The shaping functions
(``frozen_matrix``, ``score_now``, ``describe_change``, ``priority_rows``...) work
on rows already fetched and do no queries, so a past decision shows the same
numbers wherever it appears. All arithmetic is ``scoring``'s.

Two numbers are shown for every past decision:

* the score *then*: its frozen scores under the weights captured with them,
  stored on the checkpoint and always equal to a recomputation from its rows;
* the score *now*: the same frozen scores under today's active criteria and
  weights. A criterion archived since drops out, one added since counts as not
  scored, so the coverage beside it says how comparable the two numbers are.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from opportunities import services
from opportunities.models import Criterion, Decision, Evaluation, Opportunity, Score, StageChange
from opportunities.scoring.core import (
    Change,
    DecisionScore,
    Rated,
    biggest_changes,
    compute_decision_score,
    contributions,
    weight_shares,
)

CHANGES_NAMED = 3
"""How many criteria "what changed most" names between two points in time."""


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\N{MINUS SIGN}")


# --- A frozen matrix, beside today's criteria --------------------------------------------------


def frozen_scores(evaluation: Evaluation) -> QuerySet[Score]:
    """The rows a checkpoint was scored on (those that captured a weight), in criteria order."""
    return Score.objects.filter(evaluation=evaluation, weight__isnull=False).order_by(
        "criterion__position", "criterion_id"
    )


def _counted(scores: Iterable[Score]) -> list[Score]:
    return [score for score in scores if score.weight is not None]


def score_now(scores: Iterable[Score], criteria: Sequence[Criterion]) -> DecisionScore:
    """A checkpoint's frozen scores under today's active ``criteria`` and their weights."""
    return compute_decision_score(services.rated_live(criteria, _counted(scores)))


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
    today: Criterion | None

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
    added_since: list[Criterion]

    @property
    def shift(self) -> float | None:
        """How far today's weights move the score (now minus then)."""
        if self.result.value is None or self.now.value is None:
            return None
        return self.now.value - self.result.value

    @property
    def shift_display(self) -> str:
        return "" if self.shift is None else _signed(self.shift)


def frozen_matrix(scores: Iterable[Score], criteria: Sequence[Criterion]) -> FrozenMatrix:
    """A checkpoint's matrix exactly as it was, beside today's active ``criteria``."""
    counted = _counted(scores)
    rated = services.rated_frozen(counted)
    result = compute_decision_score(rated)
    points = contributions(rated)
    shares = weight_shares({item.criterion: item.weight for item in rated})
    failures = set(result.failures)
    today = {criterion.id: criterion for criterion in criteria}
    rows = [
        FrozenRow(
            criterion_id=score.criterion_id,
            name=score.criterion_name,
            weight=score.weight,
            minimum=score.minimum,
            score=score.value,
            note=score.note,
            points=points[score.criterion_id],
            share=shares[score.criterion_id],
            fails=score.criterion_id in failures,
            today=today.get(score.criterion_id),
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


# --- An opportunity's history: stages, checkpoints, decisions, score over time --------------


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
    checkpoint: Evaluation | None = None
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
class CheckpointRow:
    checkpoint: Evaluation
    decision: Decision | None


def opportunity_history(opportunity: Opportunity) -> dict:
    """The journal's sections of an opportunity's page, in five queries."""
    stage_changes = list(StageChange.objects.filter(opportunity=opportunity))
    evaluations = list(
        Evaluation.objects.filter(opportunity=opportunity).prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("criterion__position", "id"))
        )
    )
    criteria = list(services.active_criteria(opportunity.owner_id))
    decisions = list(Decision.objects.filter(opportunity=opportunity).select_related("evaluation"))

    checkpoints = sorted(
        (e for e in evaluations if e.frozen_at is not None), key=lambda e: (e.frozen_at, e.id)
    )
    live = next((e for e in evaluations if e.frozen_at is None), None)
    decision_by_checkpoint = {decision.evaluation_id: decision for decision in decisions}

    points = [
        HistoryPoint(
            label=checkpoint.label,
            value=checkpoint.decision_score,
            rated=tuple(services.rated_frozen(checkpoint.scores.all())),
            names={s.criterion_id: s.criterion_name for s in _counted(checkpoint.scores.all())},
            checkpoint=checkpoint,
            at=checkpoint.frozen_at,
        )
        for checkpoint in checkpoints
    ]
    if points:
        rated_now = services.rated_live(criteria, live.scores.all() if live else [])
        points.append(
            HistoryPoint(
                label="Now",
                value=compute_decision_score(rated_now).value,
                rated=tuple(rated_now),
                names={criterion.id: criterion.name for criterion in criteria},
            )
        )
    return {
        "stage_changes": stage_changes,
        "checkpoints": [
            CheckpointRow(checkpoint, decision_by_checkpoint.get(checkpoint.id))
            for checkpoint in reversed(checkpoints)
        ],
        "decisions": decisions,
        "history_steps": history_steps(points),
        "score_chart": {
            "labels": [point.label for point in points],
            "dates": [
                date_format(timezone.localtime(point.at), "j M Y") if point.at else ""
                for point in points
            ],
            "values": [point.value for point in points],
        },
    }


# --- The journal ------------------------------------------------------------------------------


def journal_decisions(user) -> QuerySet[Decision]:
    """Every decision of ``user``, newest first, with what its journal entry shows."""
    return (
        Decision.objects.for_user(user)
        .select_related("opportunity", "evaluation")
        .prefetch_related(
            Prefetch(
                "evaluation__scores",
                queryset=Score.objects.filter(weight__isnull=False),
                to_attr="frozen_scores",
            )
        )
    )


PENDING_OUTCOME = "pending"


def filter_decisions(
    decisions: QuerySet[Decision],
    *,
    year: int | None = None,
    choice: str = "",
    outcome: str = "",
) -> QuerySet[Decision]:
    """Narrow the journal; ``outcome=PENDING_OUTCOME`` keeps decisions with no outcome yet."""
    if year is not None:
        decisions = decisions.filter(decided_on__year=year)
    if choice:
        decisions = decisions.filter(choice=choice)
    if outcome:
        decisions = decisions.filter(outcome="" if outcome == PENDING_OUTCOME else outcome)
    return decisions


def decision_years(user) -> list[int]:
    return [day.year for day in Decision.objects.for_user(user).dates("decided_on", "year", "DESC")]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    decision: Decision
    now: DecisionScore

    @property
    def then(self) -> float | None:
        return self.decision.evaluation.decision_score

    @property
    def shift(self) -> float | None:
        if self.then is None or self.now.value is None:
            return None
        return self.now.value - self.then

    @property
    def shift_display(self) -> str:
        return "" if self.shift is None else _signed(self.shift)


def journal_entries(
    decisions: Iterable[Decision], criteria: Sequence[Criterion]
) -> list[JournalEntry]:
    """Journal entries for decisions fetched by ``journal_decisions``."""
    return [
        JournalEntry(decision, score_now(decision.evaluation.frozen_scores, criteria))
        for decision in decisions
    ]


def due_for_revisit(user, *, today: date | None = None) -> list[Decision]:
    """Decisions whose revisit date has come. Saving the outcome form clears it."""
    today = today or timezone.localdate()
    return list(
        Decision.objects.for_user(user)
        .filter(revisit_on__lte=today)
        .select_related("opportunity")
        .order_by("revisit_on", "pk")
    )


def archived_opportunities(user) -> list[Opportunity]:
    return list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=False)
        .order_by("-archived_at", "-pk")
    )


# --- Priorities over time ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriorityRow:
    """One criterion's weight as captured with each decision (oldest first) and today."""

    criterion_id: int
    name: str
    earlier_names: tuple[str, ...]
    weights: tuple[int | None, ...]
    today: int | None

    @property
    def changed(self) -> bool:
        seen = {w for w in (*self.weights, self.today) if w is not None}
        return len(seen) > 1


def priority_rows(
    decisions: Sequence[Decision], scores: Iterable[Score], criteria: Sequence[Criterion]
) -> list[PriorityRow]:
    """Each criterion's captured weight across ``decisions`` (oldest first).

    Rows follow today's criteria order; criteria archived since come after, in the
    order they first appeared. A criterion keeps one row through renames: it is
    named as it is today (or as last captured), with its earlier names beside it.
    """
    captured: dict[int, dict[int, Score]] = {}
    order: list[int] = [criterion.id for criterion in criteria]
    for score in scores:
        captured.setdefault(score.evaluation_id, {})[score.criterion_id] = score
    names: dict[int, list[str]] = {}
    for decision in decisions:
        for criterion_id, score in captured.get(decision.evaluation_id, {}).items():
            history = names.setdefault(criterion_id, [])
            if score.criterion_name not in history:
                history.append(score.criterion_name)
            if criterion_id not in order:
                order.append(criterion_id)
    today = {criterion.id: criterion for criterion in criteria}

    def weight_of(evaluation_id: int, criterion_id: int) -> int | None:
        score = captured.get(evaluation_id, {}).get(criterion_id)
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
                weights=tuple(
                    weight_of(decision.evaluation_id, criterion_id) for decision in decisions
                ),
                today=current.weight if current else None,
            )
        )
    return rows


def priorities(user) -> dict:
    """Priorities over time, in three queries."""
    decisions = list(
        Decision.objects.for_user(user).select_related("opportunity").order_by("decided_on", "pk")
    )
    scores = Score.objects.for_user(user).filter(
        weight__isnull=False, evaluation_id__in=[decision.evaluation_id for decision in decisions]
    )
    criteria = list(services.active_criteria(user))
    rows = priority_rows(decisions, scores, criteria) if decisions else []
    return {
        "decisions": decisions,
        "rows": rows,
        "priorities_chart": {
            "labels": [
                f"{date_format(decision.decided_on, 'j M Y')} · {decision.opportunity.title}"
                for decision in decisions
            ]
            + ["Today"],
            "series": [{"name": row.name, "weights": [*row.weights, row.today]} for row in rows],
        },
    }
