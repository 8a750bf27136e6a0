"""What a save on the scoring panel answers with (a slider's or an amount's): the decision
score's summary, its band when scores are unsure, and the saved row's own status; and, for
a save refused, the same with the reason beside the row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Opportunity, Score
from opportunities.scoring import queries
from opportunities.scoring.core import DecisionScore, compute_decision_score, rated_live
from opportunities.scoring.services import ScoredCriterion, ScoreRange
from opportunities.uncertainty.core import Band, Uncertain, decision_band
from opportunities.web.htmx import AuthenticatedHttpRequest
from opportunities.web.shortcuts import get_owned_or_404

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


def not_a_number(criterion: Criterion) -> HttpResponse:
    """An amount sent for a criterion scored another way: said plainly (400)."""
    return HttpResponseBadRequest(
        f"{criterion.name} is not measured as a number, so it takes a score from 0 to 10, "
        "not an amount.",
        content_type="text/plain; charset=utf-8",
    )


def refused(
    request: AuthenticatedHttpRequest,
    pk: int,
    criterion_pk: int,
    error: str,
    *,
    amount: bool = False,
) -> HttpResponse:
    """A score (or, with ``amount``, a number criterion's amount) that cannot be saved:
    said beside its row (htmx), or in a message on the page. Another user's opportunity,
    or a criterion that is not the user's active one, is a 404."""
    opportunity = get_owned_or_404(Opportunity, request.user, pk=pk)
    criteria = list(active_criteria(request.user))
    criterion = next((c for c in criteria if c.pk == criterion_pk), None)
    if criterion is None:
        raise Http404("No such criterion.")
    if amount and not criterion.is_number:
        return not_a_number(criterion)
    if not request.htmx:
        messages.error(request, f"{criterion.name}: {error}")
        return redirect("opportunities:opportunity_detail", pk=pk)
    scores = queries.live_scores(opportunity)
    result = compute_decision_score(rated_live(criteria, scores))
    band = band_of(criteria, *values_and_ranges(scores))
    context = score_status(result, criteria, criterion, error=error, band=band)
    return TemplateResponse(request, f"{PAGE}#score_saved", context)
