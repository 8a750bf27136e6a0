"""Writes of value curves: a criterion's curve (and a number criterion's scale), then the
scores that follow it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from opportunities.curves.core import (
    BEND_MAX,
    BEND_MIN,
    SHAPES,
    THRESHOLD,
    check_scale,
)
from opportunities.models import Criterion, CriterionKind
from opportunities.pay.services import refresh_derived_scores
from opportunities.scoring.amounts import rescore_numbers

CURVE_FIELDS = ["curve", "curve_bend", "curve_threshold", "updated_at"]
SCALE_FIELDS = ["unit", "worst", "best"]


@transaction.atomic
def save_curve(
    criterion: Criterion,
    *,
    shape: str,
    bend: int,
    threshold: Decimal | None,
    unit: str | None = None,
    worst: Decimal | None = None,
    best: Decimal | None = None,
) -> int:
    """Save the curve of ``criterion`` (Pay or a number criterion) and, for a number
    criterion, its scale (``unit``, ``worst``, ``best``, when given), then re-derive the
    scores that follow it: Pay's from the comparable pay, a number's from its amounts.
    Only these fields are written, so a rename made meanwhile elsewhere is kept. Returns
    how many scores changed.

    Raises ``ValueError`` for what the form refuses first: another kind of criterion,
    an unknown shape, a bend outside 1-9, an unsound scale, "enough or not" without
    where enough starts.
    """
    if criterion.kind != CriterionKind.PAY and not criterion.is_number:
        raise ValueError(f"{criterion.name!r} is not scored on a curve")
    if shape not in SHAPES:
        raise ValueError(f"unknown curve shape {shape!r}")
    if isinstance(bend, bool) or not BEND_MIN <= bend <= BEND_MAX:
        raise ValueError(f"a bend must be {BEND_MIN}-{BEND_MAX}, got {bend!r}")
    if shape == THRESHOLD and threshold is None:
        raise ValueError("a threshold curve needs the number from which it is enough")
    if threshold is not None and not threshold.is_finite():
        raise ValueError("a threshold must be a finite number")
    criterion.curve, criterion.curve_bend, criterion.curve_threshold = shape, bend, threshold
    fields = list(CURVE_FIELDS)
    if criterion.is_number:
        scale = {"unit": unit, "worst": worst, "best": best}
        given = {name: value for name, value in scale.items() if value is not None}
        for name, value in given.items():
            setattr(criterion, name, value)
        if problem := check_scale(criterion.worst, criterion.best):
            raise ValueError(problem)
        fields += list(given)
    criterion.save(update_fields=fields)
    if criterion.kind == CriterionKind.PAY:
        return refresh_derived_scores(criterion.owner_id)
    return rescore_numbers(criterion.owner_id, criteria=[criterion])
