"""Writes of a number criterion's amount on an opportunity ("35 minutes a day"): the
amount is stored and its score follows through the criterion's curve, with the total;
and every amount scored again when a criterion's scale or curve changes.

Kept beside :mod:`opportunities.scoring.services` (whose helpers it uses) so that module
stays a readable size; it is a services module all the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Evaluation, Opportunity, Owner, Score
from opportunities.scoring.core import compute_decision_score, rated_live, rated_values
from opportunities.scoring.queries import number_curve_of
from opportunities.scoring.services import (
    STORED_RESULT_FIELDS,
    ScoredCriterion,
    ScoreSaved,
    _range_to_store,
    _store_result,
    lock_live_evaluation,
)


@dataclass(frozen=True, slots=True)
class AmountSaved:
    score: ScoreSaved
    """The new total and every criterion's score, as a slider's save reports them."""
    criterion: Criterion
    amount: Decimal | None
    value: int | None
    """The criterion's score now."""


def save_amount(
    *,
    opportunity: Opportunity,
    criterion: Criterion,
    amount: Decimal | None,
    note: str | None = None,
) -> AmountSaved:
    """Save a number criterion's amount on the opportunity's live evaluation; see
    :func:`save_live_amount`, which this calls with the objects' ids."""
    return save_live_amount(
        owner_id=opportunity.owner_id,
        opportunity_id=opportunity.pk,
        criterion_id=criterion.pk,
        amount=amount,
        note=note,
    )


@transaction.atomic
def save_live_amount(
    *,
    owner_id: int,
    opportunity_id: int,
    criterion_id: int,
    amount: Decimal | None,
    note: str | None = None,
) -> AmountSaved:
    """Save the amount of an active number criterion on the live evaluation, by ids: its
    score becomes what the curve makes of it, and the total is stored.

    The amount is what the score is scored from, so a score set by hand before (a
    friend's median taken) follows a new amount; the same amount sent again (the plain
    form saves every row) leaves it set by hand. None clears the amount and the
    score. While the criterion's scale is not sound the amount is kept and the score
    stays unscored. An "I'm unsure" range stays while it still holds the new score.
    ``note`` is left as it was when None.

    The evaluation is locked first, as a slider's save locks it; then one query reads
    every active criterion with its score. Raises ``Opportunity.DoesNotExist`` or
    ``Criterion.DoesNotExist`` (nothing written) for what is not the user's, not
    active, or not a number criterion.
    """
    with connection.cursor() as cursor:
        evaluation_id = lock_live_evaluation(cursor, owner_id, opportunity_id)
    rows = list(
        active_criteria(owner_id)
        .annotate(live=FilteredRelation("scores", condition=Q(scores__evaluation_id=evaluation_id)))
        .annotate(
            score_id=F("live__id"),
            score_value=F("live__value"),
            score_overridden=F("live__overridden"),
            score_low=F("live__low"),
            score_high=F("live__high"),
            score_amount=F("live__amount"),
        )
    )
    criterion = next((row for row in rows if row.pk == criterion_id and row.is_number), None)
    if criterion is None:
        raise Criterion.DoesNotExist(f"No active number criterion {criterion_id} of this user.")
    criteria = [
        ScoredCriterion(
            row.pk,
            row.name,
            row.weight,
            row.minimum,
            row.kind,
            row.score_id,
            row.score_value,
            bool(row.score_overridden),
            row.score_low,
            row.score_high,
        )
        for row in rows
    ]
    before = next(c for c in criteria if c.id == criterion_id)
    curve = number_curve_of(criterion)
    value = None if amount is None or curve is None else curve.score(amount)
    overridden = before.score_overridden and amount == criterion.score_amount
    if overridden:
        value = before.score_value
    new_range = _range_to_store(before.score_range, value, "keep")
    low, high = new_range or (None, None)
    if before.score_id is None:
        Score.objects.create(
            owner_id=owner_id,
            evaluation_id=evaluation_id,
            criterion_id=criterion_id,
            value=value,
            amount=amount,
            low=low,
            high=high,
            note=note or "",
        )
    else:
        fields: dict[str, object] = {"value": value, "amount": amount, "low": low, "high": high}
        if note is not None:
            fields["note"] = note
        Score.objects.filter(pk=before.score_id).update(
            **fields, overridden=overridden, updated_at=timezone.now()
        )
    values = {c.id: c.score_value for c in criteria} | {criterion_id: value}
    ranges = {c.id: r for c in criteria if (r := c.score_range) is not None}
    ranges.pop(criterion_id, None)
    if new_range is not None:
        ranges[criterion_id] = new_range
    result = compute_decision_score(rated_values(criteria, values))
    evaluation = Evaluation(pk=evaluation_id, updated_at=timezone.now())
    _store_result(evaluation, result)
    evaluation.save(update_fields=STORED_RESULT_FIELDS)
    saved = ScoreSaved(
        result=result,
        criteria=criteria,
        overridden=overridden,
        values=values,
        ranges=ranges,
        range_before=before.score_range,
    )
    return AmountSaved(saved, criterion, amount, value)


@transaction.atomic
def rescore_numbers(owner: Owner, *, criteria: Iterable[Criterion] | None = None) -> int:
    """Score every number criterion's amount on the user's live evaluations through its
    curve, and store the totals that follow. Returns how many scores changed.

    Only ``criteria`` (those that are active number criteria) are looked at when given,
    every active number criterion otherwise. A score set by hand (``overridden``) or
    without an amount is left alone, and so is every score of a criterion whose scale
    is not sound yet. A range that no longer holds the new value goes, as in
    :func:`opportunities.pay.services.refresh_derived_scores`, which this locks as. A
    fixed number of queries, however many opportunities there are.
    """
    active = list(active_criteria(owner))
    wanted = None if criteria is None else {criterion.pk for criterion in criteria}
    curves = {
        criterion.pk: curve
        for criterion in active
        if criterion.is_number
        and (wanted is None or criterion.pk in wanted)
        and (curve := number_curve_of(criterion)) is not None
    }
    if not curves:
        return 0
    evaluations = list(Evaluation.objects.for_user(owner).live().select_for_update().order_by("id"))
    scores: dict[int, list[Score]] = {evaluation.id: [] for evaluation in evaluations}
    for stored in Score.objects.filter(evaluation__in=evaluations):
        scores[stored.evaluation_id].append(stored)
    now = timezone.now()
    changed: list[Score] = []
    rescored: list[Evaluation] = []
    for evaluation in evaluations:
        touched = False
        for score in scores[evaluation.id]:
            curve = curves.get(score.criterion_id)
            if curve is None or score.amount is None or score.overridden:
                continue
            value = curve.score(score.amount)
            if value == score.value:
                continue
            score.value = value
            if score.low is None or score.high is None or not score.low <= value <= score.high:
                score.low = score.high = None  # an "I'm unsure" range no longer around it
            score.updated_at = now
            changed.append(score)
            touched = True
        if touched:
            _store_result(
                evaluation, compute_decision_score(rated_live(active, scores[evaluation.id]))
            )
            evaluation.updated_at = now
            rescored.append(evaluation)
    Score.objects.bulk_update(changed, ["value", "low", "high", "updated_at"])
    Evaluation.objects.bulk_update(rescored, STORED_RESULT_FIELDS)
    return len(changed)
