"""Reads of an opportunity's live scores."""

from __future__ import annotations

from collections.abc import Sequence

from opportunities.models import Evaluation, Opportunity, Score
from opportunities.scoring.core import (
    DecisionScore,
    WeighedCriterion,
    compute_decision_score,
    rated_live,
)


def live_evaluation_result(
    opportunity: Opportunity, *, criteria: Sequence[WeighedCriterion]
) -> DecisionScore:
    """Compute (without saving) the live evaluation's result under today's criteria."""
    scores = Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at__isnull=True
    )
    return compute_decision_score(rated_live(criteria, scores))


def checkpoint_count(opportunity: Opportunity) -> int:
    """How many checkpoints (decisions' included) the opportunity holds."""
    return Evaluation.objects.filter(opportunity=opportunity, frozen_at__isnull=False).count()
