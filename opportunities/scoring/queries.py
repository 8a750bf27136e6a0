"""Reads of an opportunity's live scores."""

from __future__ import annotations

from opportunities.models import Evaluation, Opportunity, Score


def live_scores(opportunity: Opportunity) -> list[Score]:
    """The live evaluation's scores, their "I'm unsure" ranges with them, in one query:
    what a refused score's answer recomputes the total and the band from."""
    return list(
        Score.objects.filter(
            evaluation__opportunity=opportunity, evaluation__frozen_at__isnull=True
        )
    )


def checkpoint_count(opportunity: Opportunity) -> int:
    """How many checkpoints (decisions' included) the opportunity holds."""
    return Evaluation.objects.filter(opportunity=opportunity, frozen_at__isnull=False).count()
