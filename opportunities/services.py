"""What Crossroads does, as functions the views call.

Views fetch, call and render; the writes and the rules about them live here so
that every entry point (htmx, plain POST, management commands, tests) behaves
the same way. The arithmetic itself is in ``scoring`` and ``pay`` (pure).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opportunities.models import (
    Criterion,
    CriterionKind,
    Evaluation,
    Opportunity,
    Score,
    StageChange,
)
from opportunities.scoring import DecisionScore, Rated, compute_decision_score


@dataclass(frozen=True, slots=True)
class DefaultCriterion:
    name: str
    description: str
    low_meaning: str
    high_meaning: str
    weight: int
    kind: str = CriterionKind.MANUAL


DEFAULT_CRITERIA: tuple[DefaultCriterion, ...] = (
    DefaultCriterion(
        "Values fit",
        "How well the work and the organisation match what you care about.",
        "0 = at odds with my values",
        "10 = exactly what I believe in",
        8,
    ),
    DefaultCriterion(
        "Pay",
        "What it pays for your time, compared on the same footing as your other options.",
        "0 = at or below my floor",
        "10 = at or above my target",
        7,
        CriterionKind.PAY,
    ),
    DefaultCriterion(
        "Personal growth",
        "Whether it would stretch you as a person, not only as a professional.",
        "0 = I would stand still",
        "10 = I would grow a lot",
        6,
    ),
    DefaultCriterion(
        "Professional development",
        "Skills, experience and reputation it would add to your career.",
        "0 = nothing new to learn",
        "10 = a big step forward",
        6,
    ),
    DefaultCriterion(
        "Daily & weekly life",
        "What an ordinary day and week would look like: hours, commute, rhythm, family.",
        "0 = it would upend my life",
        "10 = the week I want",
        8,
    ),
    DefaultCriterion(
        "Employee vs. subcontractor",
        "How much you like the arrangement it comes with.",
        "0 = the arrangement I least want",
        "10 = the arrangement I prefer",
        4,
        CriterionKind.ARRANGEMENT,
    ),
    DefaultCriterion(
        "Gut feeling",
        "How you feel about it when you stop analysing.",
        "0 = a sinking feeling",
        "10 = excited",
        7,
    ),
)


def create_default_criteria(user) -> list[Criterion]:
    """Give a new user the criteria from the story, so they can start scoring at once."""
    return Criterion.objects.bulk_create(
        Criterion(
            owner=user,
            name=default.name,
            description=default.description,
            low_meaning=default.low_meaning,
            high_meaning=default.high_meaning,
            weight=default.weight,
            kind=default.kind,
            position=position,
        )
        for position, default in enumerate(DEFAULT_CRITERIA)
    )


def active_criteria(user):
    return Criterion.objects.for_user(user).filter(archived_at__isnull=True)


# --- Opportunities ---------------------------------------------------------------------------


@transaction.atomic
def create_opportunity(*, user, opportunity: Opportunity) -> Opportunity:
    """Save a new opportunity with its live evaluation and the first step of its pipeline."""
    opportunity.owner = user
    opportunity.save()
    StageChange.objects.create(owner=user, opportunity=opportunity, to_stage=opportunity.stage)
    evaluation = Evaluation.objects.create(owner=user, opportunity=opportunity)
    recompute_live(evaluation, criteria=list(active_criteria(user)))
    return opportunity


@transaction.atomic
def update_opportunity(*, opportunity: Opportunity, previous_stage: str) -> Opportunity:
    """Save edits; a change of stage is recorded once in the dated history."""
    opportunity.save()
    if opportunity.stage != previous_stage:
        StageChange.objects.create(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            from_stage=previous_stage,
            to_stage=opportunity.stage,
        )
    return opportunity


# --- Scoring ---------------------------------------------------------------------------------


def live_evaluation(opportunity: Opportunity, *, lock: bool = False) -> Evaluation:
    """The opportunity's live evaluation, created on first use."""
    queryset = Evaluation.objects.live().filter(opportunity=opportunity)
    if lock:
        queryset = queryset.select_for_update()
    evaluation = queryset.first()
    if evaluation is None:
        evaluation, _ = Evaluation.objects.get_or_create(
            owner_id=opportunity.owner_id, opportunity=opportunity, frozen_at=None
        )
    return evaluation


def rated_live(criteria: Iterable[Criterion], scores: Iterable[Score]) -> list[Rated]:
    """Today's criteria and weights applied to a live evaluation's scores."""
    by_criterion = {score.criterion_id: score.value for score in scores}
    return [
        Rated(
            criterion=criterion.id,
            weight=criterion.weight,
            score=by_criterion.get(criterion.id),
            minimum=criterion.minimum,
        )
        for criterion in criteria
    ]


def rated_frozen(scores: Iterable[Score]) -> list[Rated]:
    """A checkpoint as it was: the weights and minimums captured when it was frozen."""
    return [
        Rated(
            criterion=score.criterion_id,
            weight=score.weight,
            score=score.value,
            minimum=score.minimum,
        )
        for score in scores
        if score.weight is not None
    ]


def _store_result(evaluation: Evaluation, result: DecisionScore) -> None:
    evaluation.decision_score = result.value
    evaluation.scored_count = result.scored
    evaluation.criteria_count = result.total
    evaluation.must_have_failures = len(result.failures)


STORED_RESULT_FIELDS = [
    "decision_score",
    "scored_count",
    "criteria_count",
    "must_have_failures",
    "updated_at",
]


def recompute_live(evaluation: Evaluation, *, criteria: list[Criterion]) -> DecisionScore:
    scores = list(Score.objects.filter(evaluation=evaluation))
    result = compute_decision_score(rated_live(criteria, scores))
    _store_result(evaluation, result)
    evaluation.save(update_fields=STORED_RESULT_FIELDS)
    return result


def live_evaluation_result(opportunity: Opportunity, *, criteria: list[Criterion]) -> DecisionScore:
    """Compute (without saving) the live evaluation's result under today's criteria."""
    scores = Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at__isnull=True
    )
    return compute_decision_score(rated_live(criteria, scores))


@dataclass(frozen=True, slots=True)
class ScoreSaved:
    result: DecisionScore
    criteria: list[Criterion]


@transaction.atomic
def save_score(
    *,
    opportunity: Opportunity,
    criterion: Criterion,
    value: int | None,
    note: str | None = None,
    criteria: list[Criterion] | None = None,
) -> ScoreSaved:
    """Save one criterion's score on the live evaluation and return the new total.

    The live evaluation row is locked first, so concurrent saves for the same
    opportunity run one after the other: the stored total always matches the stored
    scores, and the update-then-insert below cannot race with itself. ``criteria``
    (the owner's active criteria) may be passed by a caller that already has them.
    """
    evaluation = live_evaluation(opportunity, lock=True)
    changes: dict[str, object] = {"value": value, "updated_at": timezone.now()}
    if note is not None:
        changes["note"] = note
    if criterion.kind != CriterionKind.MANUAL:
        changes["overridden"] = True
    updated = Score.objects.filter(evaluation=evaluation, criterion=criterion).update(**changes)
    if not updated:
        Score.objects.create(
            owner_id=opportunity.owner_id, evaluation=evaluation, criterion=criterion, **changes
        )
    if criteria is None:
        criteria = list(active_criteria(opportunity.owner_id))
    return ScoreSaved(result=recompute_live(evaluation, criteria=criteria), criteria=criteria)


@transaction.atomic
def refresh_live_scores(user) -> int:
    """Recompute every live evaluation of a user after their criteria changed."""
    criteria = list(active_criteria(user))
    evaluations = list(Evaluation.objects.for_user(user).live().select_for_update().order_by("id"))
    scores_by_evaluation: dict[int, list[Score]] = {}
    for score in Score.objects.filter(evaluation__in=evaluations):
        scores_by_evaluation.setdefault(score.evaluation_id, []).append(score)
    for evaluation in evaluations:
        result = compute_decision_score(
            rated_live(criteria, scores_by_evaluation.get(evaluation.id, []))
        )
        _store_result(evaluation, result)
        evaluation.updated_at = timezone.now()
    Evaluation.objects.bulk_update(evaluations, STORED_RESULT_FIELDS)
    return len(evaluations)


# --- Criteria --------------------------------------------------------------------------------


@transaction.atomic
def add_criterion(*, user, criterion: Criterion) -> Criterion:
    last = Criterion.objects.for_user(user).aggregate(last=Max("position"))["last"]
    criterion.owner = user
    criterion.position = 0 if last is None else last + 1
    criterion.save()
    refresh_live_scores(user)
    return criterion


@transaction.atomic
def update_criterion(*, criterion: Criterion) -> Criterion:
    criterion.save()
    refresh_live_scores(criterion.owner_id)
    return criterion


@transaction.atomic
def set_archived(*, criterion: Criterion, archived: bool) -> Criterion:
    """Archive (or restore) a criterion. Its past scores stay, in checkpoints and in the
    live evaluations, so restoring it brings them back."""
    criterion.archived_at = timezone.now() if archived else None
    criterion.save(update_fields=["archived_at", "updated_at"])
    refresh_live_scores(criterion.owner_id)
    return criterion


@transaction.atomic
def move_criterion(*, criterion: Criterion, offset: int) -> None:
    """Move a criterion up (-1) or down (+1) among the user's active criteria."""
    ordered = list(active_criteria(criterion.owner_id).select_for_update())
    index = next(i for i, c in enumerate(ordered) if c.id == criterion.id)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    Criterion.objects.bulk_update(ordered, ["position"])
