"""What Crossroads does, as functions the views call.

Views fetch, call and render; the writes and the rules about them live here so
that every entry point (htmx, plain POST, management commands, tests) behaves
the same way. The arithmetic itself is in ``scoring`` and ``pay`` (pure).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from opportunities.comparison import selection_key
from opportunities.models import (
    Criterion,
    CriterionKind,
    Decision,
    DecisionChoice,
    Evaluation,
    GutRanking,
    Opportunity,
    Outcome,
    Score,
    Stage,
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
def set_weight(*, criterion: Criterion, weight: int) -> None:
    """Move a weight slider. Last write wins, as with any slider, so this does not bump
    ``updated_at``: the criterion's other fields keep their edit-conflict check."""
    Criterion.objects.filter(pk=criterion.pk).update(weight=weight)
    criterion.weight = weight
    refresh_live_scores(criterion.owner_id)


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


# --- The decision journal: pipeline, checkpoints, decisions, outcomes -----------------------

DECISION_STAGES: dict[str, str] = {
    DecisionChoice.ACCEPT: Stage.ACCEPTED,
    DecisionChoice.DECLINE: Stage.DECLINED,
    DecisionChoice.WITHDRAW: Stage.WITHDRAWN,
}
"""Where a decision leaves the opportunity in its pipeline; "pursue it" moves nothing."""

OUTCOME_STAGES: dict[str, str] = {
    Outcome.OFFER: Stage.OFFER,
    Outcome.NOT_SELECTED: Stage.NOT_SELECTED,
    Outcome.ACCEPTED: Stage.ACCEPTED,
    Outcome.DECLINED: Stage.DECLINED,
    Outcome.WITHDREW: Stage.WITHDRAWN,
}
"""Where an outcome leaves the opportunity; "no response" and "something else" move nothing."""


@transaction.atomic
def move_stage(*, opportunity: Opportunity, stage: str) -> StageChange | None:
    """Move an opportunity to ``stage``, recording the step once in its dated history.

    The row is locked first, so two tabs moving it at once record two consecutive
    steps instead of two steps from the same stage. Moving to the stage it is
    already in records nothing and returns ``None``.
    """
    if stage not in Stage.values:
        raise ValueError(f"unknown stage {stage!r}")
    current = (
        Opportunity.objects.select_for_update()
        .values_list("stage", flat=True)
        .get(pk=opportunity.pk)
    )
    opportunity.stage = stage
    if current == stage:
        return None
    now = timezone.now()
    Opportunity.objects.filter(pk=opportunity.pk).update(stage=stage, updated_at=now)
    opportunity.updated_at = now
    return StageChange.objects.create(
        owner_id=opportunity.owner_id,
        opportunity=opportunity,
        from_stage=current,
        to_stage=stage,
        changed_at=now,
    )


@transaction.atomic
def save_checkpoint(*, opportunity: Opportunity, label: str) -> Evaluation:
    """Freeze the live evaluation as a checkpoint called ``label`` and carry on in a copy.

    Every active criterion gets a row in the checkpoint capturing its weight,
    must-have minimum and name as they are now, scored or not, so the checkpoint
    recomputes to the number it showed, with the same coverage, whatever happens
    to the criteria later. Rows of archived criteria keep no weight: they were not
    part of the score and stay out of it. The new live evaluation starts as an
    exact copy of the scores, notes and overrides, so scoring carries on as it was.
    """
    label = label.strip()
    if not label:
        raise ValueError("a checkpoint needs a label")
    owner_id = opportunity.owner_id
    evaluation = live_evaluation(opportunity, lock=True)
    live_scores = list(Score.objects.filter(evaluation=evaluation))
    by_criterion = {score.criterion_id: score for score in live_scores}
    now = timezone.now()
    frozen: list[Score] = []
    for criterion in active_criteria(owner_id):
        score = by_criterion.get(criterion.id) or Score(
            owner_id=owner_id, evaluation=evaluation, criterion_id=criterion.id
        )
        score.weight = criterion.weight
        score.minimum = criterion.minimum
        score.criterion_name = criterion.name
        score.updated_at = now
        frozen.append(score)
    Score.objects.bulk_update(
        [score for score in frozen if score.pk is not None],
        ["weight", "minimum", "criterion_name", "updated_at"],
    )
    Score.objects.bulk_create([score for score in frozen if score.pk is None])

    result = compute_decision_score(rated_frozen(frozen))
    evaluation.label = label
    evaluation.frozen_at = now
    _store_result(evaluation, result)
    evaluation.save(update_fields=["label", "frozen_at", *STORED_RESULT_FIELDS])

    carried_on = Evaluation(owner_id=owner_id, opportunity=opportunity)
    _store_result(carried_on, result)
    carried_on.save()
    Score.objects.bulk_create(
        Score(
            owner_id=owner_id,
            evaluation=carried_on,
            criterion_id=score.criterion_id,
            value=score.value,
            note=score.note,
            overridden=score.overridden,
        )
        for score in live_scores
    )
    return evaluation


@transaction.atomic
def record_decision(*, opportunity: Opportunity, decision: Decision) -> Decision:
    """Record ``decision`` (unsaved, as the form left it) on the evaluation as it stands.

    The evaluation is frozen as a checkpoint, so the decision always opens on the
    matrix it was based on. Accepting, declining or withdrawing also moves the
    opportunity to that stage of its pipeline.
    """
    checkpoint = save_checkpoint(
        opportunity=opportunity, label=f"Decision: {decision.get_choice_display().lower()}"
    )
    decision.owner_id = opportunity.owner_id
    decision.opportunity = opportunity
    decision.evaluation = checkpoint
    decision.save()
    if stage := DECISION_STAGES.get(decision.choice):
        move_stage(opportunity=opportunity, stage=stage)
    return decision


def _is_latest_decision(decision: Decision) -> bool:
    later = Q(decided_on__gt=decision.decided_on) | Q(
        decided_on=decision.decided_on, pk__gt=decision.pk
    )
    siblings = Decision.objects.filter(opportunity_id=decision.opportunity_id)
    return not siblings.filter(later).exists()


@transaction.atomic
def update_outcome(*, decision: Decision, previous_outcome: str) -> Decision:
    """Save the outcome, reflection and revisit date edited on ``decision``.

    A new outcome on the opportunity's latest decision also moves the opportunity
    to the matching stage ("not selected", "accepted"...). An older decision's
    outcome leaves the pipeline alone: it no longer says where things stand.
    ``decision.opportunity`` is expected to be loaded (``select_related``).
    """
    decision.save(update_fields=["outcome", "outcome_on", "reflection", "revisit_on", "updated_at"])
    stage = OUTCOME_STAGES.get(decision.outcome)
    if stage and decision.outcome != previous_outcome and _is_latest_decision(decision):
        move_stage(opportunity=decision.opportunity, stage=stage)
    return decision


def set_opportunity_archived(*, opportunity: Opportunity, archived: bool) -> Opportunity:
    """Archive (or restore) an opportunity.

    Archived opportunities leave the dashboard and comparisons; their stage
    history, checkpoints and decisions stay in the journal, untouched.
    """
    if archived != opportunity.is_archived:
        opportunity.archived_at = timezone.now() if archived else None
        opportunity.save(update_fields=["archived_at", "updated_at"])
    return opportunity


# --- Comparison ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComparisonData:
    """Everything the comparison page reads, fetched in a fixed number of queries."""

    selected: list[Opportunity]
    """The open opportunities asked for, in the order asked."""
    archived: list[Opportunity]
    """Asked for, but archived: left out of comparisons."""
    unknown: int
    """Ids that are not one of the user's opportunities (deleted, mistyped, someone else's)."""
    open_opportunities: list[Opportunity]
    """Every open opportunity, to pick another selection from."""
    criteria: list[Criterion]
    scores: dict[int, dict[int, int | None]]
    """Live scores by opportunity id, then criterion id."""
    gut_ranking: GutRanking | None
    """The newest gut ranking of exactly the selected opportunities."""


def load_comparison(user, *, ids: Sequence[int]) -> ComparisonData:
    """Fetch a comparison in four queries, however many opportunities and criteria it has.

    Someone else's opportunity is indistinguishable from one that does not exist.
    """
    wanted = set(ids)
    mine = {
        opportunity.pk: opportunity
        for opportunity in Opportunity.objects.for_user(user)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=wanted))
        .only("title", "organisation", "is_status_quo", "archived_at")
    }
    found = [mine[key] for key in ids if key in mine]
    selected = [opportunity for opportunity in found if opportunity.archived_at is None]
    scores: dict[int, dict[int, int | None]] = {opportunity.pk: {} for opportunity in selected}
    if selected:
        live = (
            Score.objects.for_user(user)
            .filter(evaluation__frozen_at__isnull=True, evaluation__opportunity__in=list(scores))
            .values_list("evaluation__opportunity_id", "criterion_id", "value")
        )
        for opportunity_id, criterion_id, value in live:
            scores[opportunity_id][criterion_id] = value
    gut_ranking = None
    if len(selected) >= 2:
        gut_ranking = (
            GutRanking.objects.for_user(user)
            .filter(selection=selection_key(scores))
            .only("order", "created_at")
            .first()
        )
    return ComparisonData(
        selected=selected,
        archived=[opportunity for opportunity in found if opportunity.archived_at is not None],
        unknown=len(wanted) - len(found),
        open_opportunities=[o for o in mine.values() if o.archived_at is None],
        criteria=list(active_criteria(user)),
        scores=scores,
        gut_ranking=gut_ranking,
    )


@transaction.atomic
def save_weights(*, user, weights: Mapping[int, int]) -> list[Criterion]:
    """Make weights tried on the comparison page the user's own, and rescore everything.

    Criteria not mentioned, or archived since, are left as they are. Returns the
    criteria whose weight changed.
    """
    for criterion_id, weight in weights.items():
        if not 0 <= weight <= 10:
            raise ValueError(f"weight of criterion {criterion_id} must be 0-10, got {weight!r}")
    criteria = list(active_criteria(user).filter(pk__in=list(weights)).select_for_update())
    changed = [criterion for criterion in criteria if criterion.weight != weights[criterion.pk]]
    now = timezone.now()
    for criterion in changed:
        criterion.weight = weights[criterion.pk]
        criterion.updated_at = now
    if changed:
        Criterion.objects.bulk_update(changed, ["weight", "updated_at"])
        refresh_live_scores(user)
    return changed


def save_gut_ranking(*, user, order: Sequence[int]) -> GutRanking:
    """Record the order the user put their options in by feel, dated today.

    Each ranking is kept (the newest one is shown), so a change of heart has a history.
    """
    if len(order) < 2 or len(set(order)) != len(order):
        raise ValueError("a gut ranking orders two or more different opportunities")
    owned = Opportunity.objects.for_user(user).filter(pk__in=order).count()
    if owned != len(order):
        raise Opportunity.DoesNotExist("a gut ranking can only order your own opportunities")
    return GutRanking.objects.create(owner=user, selection=selection_key(order), order=list(order))
