"""Looking back: the reads of the decision journal, each in a fixed number of queries,
never one per checkpoint or decision. What they return is shaped by ``journal.core``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.criteria.queries import active_criteria
from opportunities.journal.core import (
    HistoryPoint,
    _counted,
    _signed,
    history_steps,
    priority_rows,
    score_now,
)
from opportunities.models import (
    Criterion,
    Decision,
    Evaluation,
    Opportunity,
    Owner,
    Score,
    StageChange,
)
from opportunities.scoring.core import (
    DecisionScore,
    compute_decision_score,
    rated_frozen,
    rated_live,
)


def frozen_scores(evaluation: Evaluation) -> QuerySet[Score]:
    """The rows a checkpoint was scored on (those that captured a weight), in criteria order."""
    return Score.objects.filter(evaluation=evaluation, weight__isnull=False).order_by(
        "criterion__position", "criterion_id"
    )


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
    criteria = list(active_criteria(opportunity.owner_id))
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
            rated=tuple(rated_frozen(checkpoint.scores.all())),
            names={s.criterion_id: s.criterion_name for s in _counted(checkpoint.scores.all())},
            at=checkpoint.frozen_at,
        )
        for checkpoint in checkpoints
    ]
    if points:
        rated_now = rated_live(criteria, live.scores.all() if live else [])
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


def journal_decisions(user: Owner) -> QuerySet[Decision]:
    """Every decision of ``user``, newest first, with what its journal entry shows."""
    return (
        Decision.objects.for_user(user)
        .select_related("opportunity", "evaluation")
        .prefetch_related(
            Prefetch(
                "evaluation__scores",
                queryset=Score.objects.filter(weight__isnull=False),
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


def decision_years(user: Owner) -> list[int]:
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
        JournalEntry(decision, score_now(decision.evaluation.scores.all(), criteria))
        for decision in decisions
    ]


def due_for_revisit(user: Owner, *, today: date | None = None) -> list[Decision]:
    """Decisions whose revisit date has come. Saving the outcome form clears it."""
    today = today or timezone.localdate()
    return list(
        Decision.objects.for_user(user)
        .filter(revisit_on__lte=today)
        .select_related("opportunity")
        .order_by("revisit_on", "pk")
    )


def priorities(user: Owner) -> dict:
    """Priorities over time, in three queries."""
    decisions = list(
        Decision.objects.for_user(user).select_related("opportunity").order_by("decided_on", "pk")
    )
    scores = Score.objects.for_user(user).filter(
        weight__isnull=False, evaluation_id__in=[decision.evaluation_id for decision in decisions]
    )
    criteria = list(active_criteria(user))
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


def due_for_reminder(today: date) -> QuerySet[Decision]:
    """Every user's decisions whose revisit date has come and that have not been reminded
    of that date yet (for ``send_revisit_reminders``, run by cron for everyone)."""
    return (
        Decision.objects.filter(revisit_on__isnull=False, revisit_on__lte=today)
        .exclude(reminders__due_on=F("revisit_on"))
        .select_related("owner", "opportunity")
        .order_by("owner_id", "revisit_on", "id")
    )
