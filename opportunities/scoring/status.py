"""What a save on the scoring panel answers with (a slider's or an amount's): the decision
score's summary, its band when scores are unsure, and the saved row's own status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from opportunities.models import Criterion, Score
from opportunities.scoring.core import DecisionScore
from opportunities.scoring.services import ScoredCriterion, ScoreRange
from opportunities.uncertainty.core import Band, Uncertain, decision_band

PAGE = "opportunities/scoring/opportunity_detail.html"


def values_and_ranges(
    scores: Iterable[Score],
) -> tuple[dict[int, int | None], dict[int, ScoreRange]]:
    values = {s.criterion_id: s.value for s in scores}
    ranges = {
        s.criterion_id: (s.low, s.high) for s in scores if s.low is not None and s.high is not None
    }
    return values, ranges


def band_of(
    criteria: Sequence[ScoredCriterion] | Sequence[Criterion],
    values: Mapping[int, int | None],
    ranges: Mapping[int, ScoreRange],
) -> Band | None:
    """The decision score's own band ("likely 58–70") when any score has a range."""
    if not ranges:
        return None
    items = []
    for criterion in criteria:
        value = values.get(criterion.id)
        low, high = ranges.get(criterion.id, (None, None)) if value is not None else (None, None)
        items.append(
            (criterion.id, float(criterion.weight), Uncertain(value, low, high), criterion.minimum)
        )
    return decision_band(items)


def score_status(
    result: DecisionScore,
    criteria: Sequence[ScoredCriterion] | Sequence[Criterion],
    criterion: ScoredCriterion | Criterion,
    *,
    error: str | None = None,
    band: Band | None = None,
    note: str = "",
) -> dict[str, Any]:
    """What a slider's answer shows: the summary, and the row's own status."""
    failures = set(result.failures)
    return {
        "result": result,
        "band": band,
        "status_note": note,
        "failing_criteria": [c for c in criteria if c.id in failures],
        "status_criterion": criterion,
        "status_error": error,
        "status_failing": criterion.pk in failures,
        "status_saved": error is None,
    }
