"""Reads of an opportunity's live scores."""

from __future__ import annotations

from opportunities.models import Criterion, Opportunity, Score
from opportunities.scoring.core import DecisionScore, compute_decision_score, rated_live


def live_evaluation_result(opportunity: Opportunity, *, criteria: list[Criterion]) -> DecisionScore:
    """Compute (without saving) the live evaluation's result under today's criteria."""
    scores = Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at__isnull=True
    )
    return compute_decision_score(rated_live(criteria, scores))
