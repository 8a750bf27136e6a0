"""What Crossroads does, as functions the views call.

Views fetch, call and render; the writes and the rules about them live here so
that every entry point (htmx, plain POST, management commands, tests) behaves
the same way. The arithmetic itself is in ``scoring`` and ``pay`` (pure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from opportunities.compare.core import selection_key
from opportunities.models import (
    Criterion,
    CriterionKind,
    Decision,
    DecisionChoice,
    Evaluation,
    GutRanking,
    Opportunity,
    Outcome,
    Profile,
    Score,
    Stage,
    StageChange,
)
from opportunities.pay.core import (
    ANNUAL,
    CONTRACTOR,
    EMPLOYEE,
    FREELANCE,
    HOURLY,
    PayAssumptions,
    PayBreakdown,
    PayInputError,
    PayInputs,
    arrangement_score,
    comparable_annual_pay,
    pay_score,
)
from opportunities.pay.currencies import format_money
from opportunities.scoring.core import DecisionScore, Rated, compute_decision_score


@dataclass(frozen=True, slots=True)
class DefaultCriterion:
    name: str
    description: str
    low_meaning: str
    high_meaning: str
    weight: int
    kind: str = CriterionKind.MANUAL

    def build(self, *, owner, position: int) -> Criterion:
        """An unsaved criterion for ``owner`` made from this default."""
        return Criterion(
            owner=owner,
            name=self.name,
            description=self.description,
            low_meaning=self.low_meaning,
            high_meaning=self.high_meaning,
            weight=self.weight,
            kind=self.kind,
            position=position,
        )


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
        default.build(owner=user, position=position)
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
    criteria = list(active_criteria(user))
    recompute_live(evaluation, criteria=criteria)
    refresh_derived_scores(user, opportunities=[opportunity], criteria=criteria)
    return opportunity


@transaction.atomic
def update_opportunity(*, opportunity: Opportunity, previous_stage: str) -> Opportunity:
    """Save edits; a change of stage is recorded once in the dated history.

    The arrangement and hours feed the derived scores, which follow them.
    """
    opportunity.save()
    if opportunity.stage != previous_stage:
        StageChange.objects.create(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            from_stage=previous_stage,
            to_stage=opportunity.stage,
        )
    refresh_derived_scores(opportunity.owner_id, opportunities=[opportunity])
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
    return rated_values(criteria, {score.criterion_id: score.value for score in scores})


def rated_values(
    criteria: Iterable[Criterion | ScoredCriterion], values: Mapping[int, int | None]
) -> list[Rated]:
    """Today's criteria and weights applied to score values by criterion id."""
    return [
        Rated(
            criterion=criterion.id,
            weight=criterion.weight,
            score=values.get(criterion.id),
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
class ScoredCriterion:
    """An active criterion with its score on one live evaluation, as the slider's save
    reads them: what the total and the status line need, and no more."""

    id: int
    name: str
    weight: int
    minimum: int | None
    kind: str
    score_id: int | None
    score_value: int | None
    score_overridden: bool

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True, slots=True)
class ScoreSaved:
    result: DecisionScore
    criteria: list[ScoredCriterion]
    """The active criteria, in order, with the scores as they were before this save."""
    overridden: bool
    """Whether the saved score is now set by hand (only ever true on a derived criterion)."""


def save_score(
    *, opportunity: Opportunity, criterion: Criterion, value: int | None, note: str | None = None
) -> ScoreSaved:
    """Save one criterion's score on the opportunity's live evaluation; see
    :func:`save_live_score`, which this calls with the objects' ids."""
    return save_live_score(
        user=opportunity.owner_id,
        opportunity_id=opportunity.pk,
        criterion_id=criterion.pk,
        value=value,
        note=note,
    )


# Every slider move is a save, so the steady state of one (lock, read, update, update) is
# plain SQL on one cursor: building each statement with the ORM, and model instances for
# what it read, cost more CPU than the database work itself, and held the save to 0.38x
# the cheapest page's throughput (``make bench``; the budget is half). The rare steps, a
# first score or a missing live evaluation, go through the ORM. The SQL is plain enough
# for SQLite and PostgreSQL alike.
#
# The lock is a statement of its own, not a join with the read: PostgreSQL rechecks only
# the rows it locked after waiting for a lock, so scores joined in the same statement
# could be those from before the save that held the lock.

_LOCK_LIVE_EVALUATION = """
    SELECT id FROM opportunities_evaluation
    WHERE owner_id = %s AND opportunity_id = %s AND frozen_at IS NULL"""

_ACTIVE_CRITERIA_WITH_SCORES = """
    SELECT c.id, c.name, c.weight, c.minimum, c.kind, s.id, s.value, s.overridden
    FROM opportunities_criterion c
    LEFT JOIN opportunities_score s ON s.criterion_id = c.id AND s.evaluation_id = %s
    WHERE c.owner_id = %s AND c.archived_at IS NULL
    ORDER BY c.position, c.id"""

_UPDATE_SCORE = """
    UPDATE opportunities_score
    SET value = %s, note = COALESCE(%s, note), overridden = %s, updated_at = %s
    WHERE id = %s"""

_STORE_RESULT = """
    UPDATE opportunities_evaluation
    SET decision_score = %s, scored_count = %s, criteria_count = %s,
        must_have_failures = %s, updated_at = %s
    WHERE id = %s"""


@transaction.atomic
def save_live_score(
    *, user, opportunity_id: int, criterion_id: int, value: int | None, note: str | None = None
) -> ScoreSaved:
    """Save one criterion's score on the live evaluation, by ids, and store the new total.

    The live evaluation is locked first, by a statement that also checks it is the
    user's: concurrent saves for one opportunity run one after the other, so the stored
    total always matches the stored scores. ``note`` is left as it was when None.

    On a derived criterion (Pay, the arrangement) a new value is a score set by hand
    (``overridden``) until :func:`use_derived_score`; saving the same value, or only a
    note, leaves it as it was.

    Raises ``Opportunity.DoesNotExist`` or ``Criterion.DoesNotExist`` (nothing is
    written) for what is not the user's or not active.
    """
    owner_id = _owner_id(user)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_LIVE_EVALUATION + lock, [owner_id, opportunity_id])
        row = cursor.fetchone()
        if row is None:
            # Not the user's, or never given a live evaluation: the general lookup raises
            # for the first and creates (and locks) the evaluation for the second.
            opportunity = Opportunity.objects.for_user(owner_id).get(pk=opportunity_id)
            row = (live_evaluation(opportunity, lock=True).pk,)
        evaluation_id = row[0]
        cursor.execute(_ACTIVE_CRITERIA_WITH_SCORES, [evaluation_id, owner_id])
        criteria = [
            ScoredCriterion(*columns[:7], score_overridden=bool(columns[7]))
            for columns in cursor.fetchall()
        ]
        criterion = next((c for c in criteria if c.id == criterion_id), None)
        if criterion is None:
            raise Criterion.DoesNotExist(f"No active criterion {criterion_id} of this user.")

        # The evaluation is locked, so the score read with the criteria is still the
        # stored one.
        derived = criterion.kind != CriterionKind.MANUAL
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        if criterion.score_id is None:
            overridden = derived and value is not None
            Score.objects.create(
                owner_id=owner_id,
                evaluation_id=evaluation_id,
                criterion_id=criterion.id,
                value=value,
                note=note or "",
                overridden=overridden,
            )
        else:
            changed = value != criterion.score_value
            overridden = criterion.score_overridden or (derived and changed)
            cursor.execute(_UPDATE_SCORE, [value, note, overridden, now, criterion.score_id])
        values = {c.id: c.score_value for c in criteria} | {criterion.id: value}
        result = compute_decision_score(rated_values(criteria, values))
        cursor.execute(
            _STORE_RESULT,
            [
                result.value,
                result.scored,
                result.total,
                len(result.failures),
                now,
                evaluation_id,
            ],
        )
    return ScoreSaved(result=result, criteria=criteria, overridden=overridden)


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
    if criterion.kind and not archived:
        refresh_derived_scores(criterion.owner_id)
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
        .only("title", "organisation", "is_status_quo", "archived_at", *COMPENSATION_FIELDS)
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


# --- Comparable pay and the scores derived from it -------------------------------------------

COMPENSATION_FIELDS = [
    "arrangement",
    "schedule",
    "hours_per_week",
    "pay_basis",
    "pay_amount",
    "currency",
    "exchange_rate",
    "paid_weeks_per_year",
    "paid_time_off_days",
    "benefits_amount",
    "benefits_percent",
    "overhead_share",
    "utilisation",
    "project_weeks",
]
"""What the pay form edits: everything comparable pay and the derived scores read."""

ARRANGEMENT_NOUNS: Mapping[str, str] = {
    EMPLOYEE: "being an employee",
    CONTRACTOR: "working as a subcontractor",
    FREELANCE: "freelancing",
}


def _owner_id(user) -> int:
    return getattr(user, "pk", user)


def pay_profile(user) -> Profile:
    """The user's pay settings: the documented defaults until they save their own.

    Reading never writes: a user who has not saved settings gets an unsaved
    ``Profile`` with the defaults, which :func:`save_pay_settings` stores.
    """
    owner_id = _owner_id(user)
    return Profile.objects.filter(owner_id=owner_id).first() or Profile(owner_id=owner_id)


def pay_assumptions(profile: Profile) -> PayAssumptions:
    return PayAssumptions(
        full_time_hours_per_week=profile.full_time_hours_per_week,
        billable_hours_per_year=profile.billable_hours_per_year,
        contractor_overhead_share=profile.contractor_overhead_share,
        employee_benefits_share=profile.employee_benefits_share,
        hours_per_day=profile.hours_per_day,
        employee_paid_time_off_days=profile.employee_paid_time_off_days,
    )


def arrangement_preferences(profile: Profile) -> dict[str, int]:
    """The 0-10 preferences the user has stated, by arrangement."""
    stated = {
        EMPLOYEE: profile.employee_preference,
        CONTRACTOR: profile.contractor_preference,
        FREELANCE: profile.freelance_preference,
    }
    return {arrangement: value for arrangement, value in stated.items() if value is not None}


def pay_inputs(opportunity: Opportunity, *, currency: str) -> PayInputs | None:
    """The opportunity's compensation as ``pay`` reads it; None while no pay is entered.

    ``currency`` is the user's: an offer in it (or with no currency of its own) needs
    no exchange rate, whatever rate is stored.
    """
    if not opportunity.pay_basis or opportunity.pay_amount is None:
        return None
    foreign = bool(opportunity.currency) and opportunity.currency != currency
    return PayInputs(
        arrangement=opportunity.arrangement,
        basis=opportunity.pay_basis,
        amount=opportunity.pay_amount,
        hours_per_week=opportunity.hours_per_week,
        exchange_rate=opportunity.exchange_rate if foreign else Decimal(1),
        paid_weeks_per_year=opportunity.paid_weeks_per_year,
        paid_time_off_days=opportunity.paid_time_off_days,
        benefits_amount=opportunity.benefits_amount,
        benefits_percent=opportunity.benefits_percent,
        overhead_share=opportunity.overhead_share,
        utilisation=opportunity.utilisation,
        project_weeks=opportunity.project_weeks,
    )


@dataclass(frozen=True, slots=True)
class ComparablePay:
    """One opportunity's pay on the common footing, or why it is not there."""

    arrangement: str
    """The arrangement, as people read it ("Subcontractor / contractor")."""
    currency: str
    """The user's currency: every figure of the breakdown is in it."""
    breakdown: PayBreakdown | None = None
    problem: str = ""
    """Why the pay entered cannot be compared (the settings changed since it was saved)."""

    @property
    def entered(self) -> bool:
        return self.breakdown is not None or bool(self.problem)


def comparable_pay(opportunity: Opportunity, profile: Profile) -> ComparablePay:
    """The comparable annual value, effective hourly value and breakdown of one opportunity."""
    common = {
        "arrangement": opportunity.get_arrangement_display(),
        "currency": profile.currency,
    }
    inputs = pay_inputs(opportunity, currency=profile.currency)
    if inputs is None:
        return ComparablePay(**common)
    try:
        breakdown = comparable_annual_pay(inputs, assumptions=pay_assumptions(profile))
    except PayInputError as error:
        return ComparablePay(**common, problem=str(error))
    return ComparablePay(**common, breakdown=breakdown)


def comparable_pay_by_opportunity(
    user, opportunities: Iterable[Opportunity]
) -> dict[int, ComparablePay]:
    """Comparable pay of many opportunities in one query (the settings), however many."""
    profile = pay_profile(user)
    return {opportunity.pk: comparable_pay(opportunity, profile) for opportunity in opportunities}


@dataclass(frozen=True, slots=True)
class Derivation:
    """What a derived criterion scores for one opportunity, and why, in words."""

    value: int | None
    reason: str
    missing: Literal["", "pay", "settings"] = ""
    """What the user could add for a score to be derived: the offer's pay or a setting."""


def derive_pay_score(pay: ComparablePay, profile: Profile) -> Derivation:
    """Pay scored 0 at the user's floor and 10 at their target, from the comparable value."""
    if pay.problem:
        return Derivation(None, f"its pay cannot be compared: {pay.problem}", "pay")
    if pay.breakdown is None:
        return Derivation(None, "no pay is entered for it yet", "pay")
    if profile.pay_floor is None or profile.pay_target is None:
        return Derivation(None, "you have not set a pay floor and target yet", "settings")
    annual = pay.breakdown.annual
    currency = profile.currency
    return Derivation(
        pay_score(annual, floor=profile.pay_floor, target=profile.pay_target),
        f"{format_money(annual, currency)} comparable a year, scored from your floor "
        f"{format_money(profile.pay_floor, currency)} (0) to your target "
        f"{format_money(profile.pay_target, currency)} (10)",
    )


def derive_arrangement_score(opportunity: Opportunity, profile: Profile) -> Derivation:
    """The arrangement scored by the user's stated preference for it."""
    noun = ARRANGEMENT_NOUNS.get(opportunity.arrangement, opportunity.arrangement)
    value = arrangement_score(opportunity.arrangement, preferences=arrangement_preferences(profile))
    if value is None:
        return Derivation(None, f"you have not said how much you like {noun}", "settings")
    return Derivation(value, f"your preference for {noun} is {value} out of 10")


def derivations(
    opportunity: Opportunity, profile: Profile, *, pay: ComparablePay | None = None
) -> dict[str, Derivation]:
    """The derived score of each kind of derived criterion, for one opportunity."""
    if pay is None:
        pay = comparable_pay(opportunity, profile)
    return {
        CriterionKind.PAY: derive_pay_score(pay, profile),
        CriterionKind.ARRANGEMENT: derive_arrangement_score(opportunity, profile),
    }


@dataclass(frozen=True, slots=True)
class OpportunityPay:
    """An opportunity's comparable pay and the scores derived from it, for its page."""

    pay: ComparablePay
    derived: Mapping[str, Derivation]
    """By criterion kind."""


def opportunity_pay(opportunity: Opportunity) -> OpportunityPay:
    profile = pay_profile(opportunity.owner_id)
    pay = comparable_pay(opportunity, profile)
    return OpportunityPay(pay=pay, derived=derivations(opportunity, profile, pay=pay))


@dataclass(frozen=True, slots=True)
class DerivedScoreState:
    """A derived criterion's live score on one opportunity: derived, or set by hand."""

    opportunity: Opportunity
    derivation: Derivation
    overridden: bool


def derived_score_state(
    user, *, opportunity_id: int, criterion: Criterion, overridden: bool
) -> DerivedScoreState:
    """The line under a derived criterion's slider after a save moved it off its derived
    value (``overridden`` as the save reported it)."""
    opportunity = Opportunity.objects.for_user(user).get(pk=opportunity_id)
    derivation = derivations(opportunity, pay_profile(user))[criterion.kind]
    return DerivedScoreState(opportunity, derivation, overridden)


@transaction.atomic
def refresh_derived_scores(
    user,
    *,
    opportunities: Iterable[Opportunity] | None = None,
    criteria: list[Criterion] | None = None,
    profile: Profile | None = None,
) -> int:
    """Bring the derived scores (Pay, the arrangement) of live evaluations in line with
    their inputs, and the stored totals with them. Returns how many scores changed.

    Only ``opportunities`` are looked at when given, every live evaluation of the user
    otherwise. Scores set by hand (``overridden``) are left alone; a derived score with
    nothing left to derive it from goes back to unscored. The evaluations are locked
    as :func:`save_score` locks them, so a slider moved meanwhile is never overwritten.
    A fixed number of queries, however many opportunities there are; ``criteria`` (the
    user's active ones) and ``profile`` may be passed by a caller that has them.
    """
    if criteria is None:
        criteria = list(active_criteria(user))
    derived = [criterion for criterion in criteria if criterion.kind]
    if not derived:
        return 0
    if profile is None:
        profile = pay_profile(user)
    queryset = (
        Evaluation.objects.for_user(user)
        .live()
        .select_related("opportunity")
        .select_for_update(of=("self",))
        .order_by("id")
    )
    if opportunities is not None:
        queryset = queryset.filter(opportunity__in=[o.pk for o in opportunities])
    evaluations = list(queryset)
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(evaluation__in=evaluations):
        scores[score.evaluation_id][score.criterion_id] = score

    now = timezone.now()
    created: list[Score] = []
    changed: list[Score] = []
    rescored: list[Evaluation] = []
    for evaluation in evaluations:
        derived_now = derivations(evaluation.opportunity, profile)
        own = scores[evaluation.id]
        touched = False
        for criterion in derived:
            value = derived_now[criterion.kind].value
            score = own.get(criterion.id)
            if score is None:
                if value is None:
                    continue
                score = Score(
                    owner_id=evaluation.owner_id,
                    evaluation=evaluation,
                    criterion=criterion,
                    value=value,
                )
                own[criterion.id] = score
                created.append(score)
            elif score.overridden or score.value == value:
                continue
            else:
                score.value = value
                score.updated_at = now
                changed.append(score)
            touched = True
        if touched:
            _store_result(evaluation, compute_decision_score(rated_live(criteria, own.values())))
            evaluation.updated_at = now
            rescored.append(evaluation)
    Score.objects.bulk_create(created)
    Score.objects.bulk_update(changed, ["value", "updated_at"])
    Evaluation.objects.bulk_update(rescored, STORED_RESULT_FIELDS)
    return len(created) + len(changed)


@transaction.atomic
def save_compensation(*, opportunity: Opportunity, profile: Profile | None = None) -> int:
    """Save the compensation edited on ``opportunity``; its derived scores follow.

    Only the compensation fields are written, so an edit of the title or stage made
    meanwhile elsewhere is kept. Returns how many derived scores changed.
    """
    opportunity.save(update_fields=[*COMPENSATION_FIELDS, "updated_at"])
    return refresh_derived_scores(
        opportunity.owner_id, opportunities=[opportunity], profile=profile
    )


@transaction.atomic
def save_pay_settings(*, profile: Profile) -> int:
    """Save the user's pay settings and re-derive every derived score that depends on them.

    Returns how many scores changed.
    """
    if profile.pk is None:
        # The first save, unless another tab has just saved first: then update that row.
        profile.pk = (
            Profile.objects.filter(owner_id=profile.owner_id).values_list("pk", flat=True).first()
        )
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        profile.pk = Profile.objects.get(owner_id=profile.owner_id).pk
        profile.save(force_update=True)
    return refresh_derived_scores(profile.owner_id, profile=profile)


@transaction.atomic
def use_derived_score(*, opportunity: Opportunity, criterion: Criterion) -> Derivation:
    """Clear a score set by hand on a derived criterion: it follows its inputs again.

    Returns the derivation now in force (its value is None when there is nothing to
    derive it from yet, leaving the criterion unscored).
    """
    if not criterion.kind:
        raise ValueError(f"{criterion.name!r} is scored by hand, never derived")
    evaluation = live_evaluation(opportunity, lock=True)
    Score.objects.filter(evaluation=evaluation, criterion=criterion).update(
        overridden=False, updated_at=timezone.now()
    )
    refresh_derived_scores(opportunity.owner_id, opportunities=[opportunity])
    return opportunity_pay(opportunity).derived[criterion.kind]


PAY_EXAMPLES: tuple[tuple[str, PayInputs], ...] = (
    (
        "A salary of {amount} a year, benefits not stated",
        PayInputs(arrangement=EMPLOYEE, basis=ANNUAL, amount=Decimal(50_000)),
    ),
    (
        "A full-time contract at {amount} an hour",
        PayInputs(arrangement=CONTRACTOR, basis=HOURLY, amount=Decimal(50)),
    ),
    (
        "Freelancing 20 hours a week at {amount} an hour",
        PayInputs(
            arrangement=FREELANCE, basis=HOURLY, amount=Decimal(50), hours_per_week=Decimal(20)
        ),
    ),
)
"""Offers that show what the settings mean, e.g. where to put a pay floor and target."""


def pay_examples(profile: Profile) -> list[tuple[str, PayBreakdown]]:
    """:data:`PAY_EXAMPLES` worked out under the user's settings, in their currency."""
    assumptions = pay_assumptions(profile)
    return [
        (
            label.format(amount=format_money(inputs.amount, profile.currency)),
            comparable_annual_pay(inputs, assumptions=assumptions),
        )
        for label, inputs in PAY_EXAMPLES
    ]
