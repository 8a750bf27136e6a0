"""Writes to evaluations: one score as a slider moves, every live total after the
criteria change, and checkpoints that freeze an evaluation as it stands.

The stored totals (``decision_score`` and the counts on each evaluation) are kept in
step with the scores here, and only here, so lists can show them without loading
every score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.curves.queries import frozen_curves
from opportunities.friends.queries import friends_said
from opportunities.models import (
    DERIVED_FROM_OFFER,
    Criterion,
    CriterionKind,
    Evaluation,
    Opportunity,
    Owner,
    Score,
)
from opportunities.models.base import owner_id_of
from opportunities.scoring.core import (
    DecisionScore,
    compute_decision_score,
    rated_frozen,
    rated_live,
    rated_values,
)
from opportunities.timeline.services import record_checkpoint


def live_evaluation(opportunity: Opportunity, *, lock: bool = False) -> Evaluation:
    """The opportunity's live evaluation, created on first use.

    With ``lock``, the evaluation is locked and still live when returned. One frozen by a
    checkpoint while this waited for its lock is passed over for the one the checkpoint
    carried on in, which is locked in turn: found unlocked, a second checkpoint could
    freeze it under a save, which would then land in the checkpoint instead.
    """
    queryset = Evaluation.objects.live().filter(opportunity=opportunity)
    if lock:
        queryset = queryset.select_for_update()
    while True:
        evaluation = queryset.first()
        if evaluation is not None:
            return evaluation
        evaluation, created = Evaluation.objects.get_or_create(
            owner_id=opportunity.owner_id, opportunity=opportunity, frozen_at=None
        )
        if created or not lock:
            return evaluation


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
    score_low: int | None = None
    score_high: int | None = None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def score_range(self) -> ScoreRange | None:
        if self.score_low is None or self.score_high is None:
            return None
        return (self.score_low, self.score_high)


type ScoreRange = tuple[int, int]
""""I'm unsure": the low and the high end around a score (low <= score <= high)."""


@dataclass(frozen=True, slots=True)
class ScoreSaved:
    result: DecisionScore
    criteria: list[ScoredCriterion]
    """The active criteria, in order, with the scores as they were before this save."""
    overridden: bool
    """Whether the saved score is now set by hand (only ever true on a derived or a number
    criterion)."""
    set_by_hand_now: bool = False
    """Whether this save is what moved a derived score off its derived value."""
    values: dict[int, int | None] = field(default_factory=dict)
    """Every active criterion's score after this save, by criterion id."""
    ranges: dict[int, ScoreRange] = field(default_factory=dict)
    """The ranges after this save, by criterion id (criteria without one are left out)."""
    range_before: ScoreRange | None = None
    """The saved criterion's range before this save."""


def save_score(
    *,
    opportunity: Opportunity,
    criterion: Criterion,
    value: int | None,
    note: str | None = None,
    score_range: ScoreRange | Literal["keep"] | None = "keep",
) -> ScoreSaved:
    """Save one criterion's score on the opportunity's live evaluation; see
    :func:`save_live_score`, which this calls with the objects' ids."""
    return save_live_score(
        user=opportunity.owner_id,
        opportunity_id=opportunity.pk,
        criterion_id=criterion.pk,
        value=value,
        note=note,
        score_range=score_range,
    )


_LOCK_LIVE_EVALUATION = """
    SELECT id FROM opportunities_evaluation
    WHERE owner_id = %s AND opportunity_id = %s AND frozen_at IS NULL"""


_ACTIVE_CRITERIA_WITH_SCORES = """
    SELECT c.id, c.name, c.weight, c.minimum, c.kind, s.id, s.value, s.overridden, s.low, s.high
    FROM opportunities_criterion c
    LEFT JOIN opportunities_score s ON s.criterion_id = c.id AND s.evaluation_id = %s
    WHERE c.owner_id = %s AND c.archived_at IS NULL
    ORDER BY c.position, c.id"""


_UPDATE_SCORE = """
    UPDATE opportunities_score
    SET value = %s, low = %s, high = %s, note = COALESCE(%s, note), overridden = %s,
        updated_at = %s
    WHERE id = %s"""


_STORE_RESULT = """
    UPDATE opportunities_evaluation
    SET decision_score = %s, scored_count = %s, criteria_count = %s,
        must_have_failures = %s, updated_at = %s
    WHERE id = %s"""


def lock_live_evaluation(cursor: CursorWrapper, owner_id: int, opportunity_id: int) -> int:
    """Lock the live evaluation of the user's opportunity and return its id, by a
    statement that also checks the opportunity is theirs (in a transaction).

    Raises ``Opportunity.DoesNotExist`` for one that is not the user's.
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(_LOCK_LIVE_EVALUATION + lock, [owner_id, opportunity_id])
    row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    # Not the user's, or never given a live evaluation: the general lookup raises for
    # the first and creates (and locks) the evaluation for the second.
    opportunity = Opportunity.objects.for_user(owner_id).get(pk=opportunity_id)
    return live_evaluation(opportunity, lock=True).pk


@transaction.atomic
def save_live_score(
    *,
    user: Owner,
    opportunity_id: int,
    criterion_id: int,
    value: int | None,
    note: str | None = None,
    score_range: ScoreRange | Literal["keep"] | None = "keep",
) -> ScoreSaved:
    """Save one criterion's score on the live evaluation, by ids, and store the new total.

    The live evaluation is locked first, by a statement that also checks it is the
    user's: concurrent saves for one opportunity run one after the other, so the stored
    total always matches the stored scores. ``note`` is left as it was when None.

    On a derived criterion (Pay, the arrangement) a new value is a score set by hand
    (``overridden``) until :func:`use_derived_score`; saving the same value, or only a
    note, leaves it as it was.

    ``score_range`` is the "I'm unsure" range around the score, or None for none. With
    "keep" (a caller that does not deal in ranges: a friend's median adopted, an old
    page) the stored range stays while it still holds the new score, and goes when it
    no longer does, or when the score is cleared: a range is about a score.

    Raises ``ValueError`` for a range that does not hold ``value`` (the form refuses it
    first, with reasons), and ``Opportunity.DoesNotExist`` or ``Criterion.DoesNotExist`` (nothing is
    written) for what is not the user's or not active.
    """
    owner_id = owner_id_of(user)
    with connection.cursor() as cursor:
        evaluation_id = lock_live_evaluation(cursor, owner_id, opportunity_id)
        cursor.execute(_ACTIVE_CRITERIA_WITH_SCORES, [evaluation_id, owner_id])
        criteria = [
            ScoredCriterion(id_, name, weight, minimum, kind, sid, value, bool(over), low, high)
            for id_, name, weight, minimum, kind, sid, value, over, low, high in cursor.fetchall()
        ]
        criterion = next((c for c in criteria if c.id == criterion_id), None)
        if criterion is None:
            raise Criterion.DoesNotExist(f"No active criterion {criterion_id} of this user.")
        new_range = _range_to_store(criterion.score_range, value, score_range)
        new_low, new_high = new_range or (None, None)

        # The evaluation is locked, so the score read with the criteria is still the
        # stored one.
        # Pay and the arrangement follow the offer, a number criterion its amount: a
        # value moved off theirs is set by hand (a friend's median taken, say).
        derived = criterion.kind in (*DERIVED_FROM_OFFER, CriterionKind.NUMBER)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        if criterion.score_id is None:
            overridden = derived and value is not None
            Score.objects.create(
                owner_id=owner_id,
                evaluation_id=evaluation_id,
                criterion_id=criterion.id,
                value=value,
                low=new_low,
                high=new_high,
                note=note or "",
                overridden=overridden,
            )
        else:
            changed = value != criterion.score_value
            overridden = criterion.score_overridden or (derived and changed)
            cursor.execute(
                _UPDATE_SCORE, [value, new_low, new_high, note, overridden, now, criterion.score_id]
            )
        values = {c.id: c.score_value for c in criteria} | {criterion.id: value}
        ranges = {c.id: r for c in criteria if (r := c.score_range) is not None}
        ranges.pop(criterion.id, None)
        if new_range is not None:
            ranges[criterion.id] = new_range
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
    return ScoreSaved(
        result=result,
        criteria=criteria,
        overridden=overridden,
        set_by_hand_now=overridden and not criterion.score_overridden,
        values=values,
        ranges=ranges,
        range_before=criterion.score_range,
    )


def _range_to_store(
    before: ScoreRange | None, value: int | None, given: ScoreRange | Literal["keep"] | None
) -> ScoreRange | None:
    """The range a save leaves: the one given (checked), or the one before while it
    still holds the score."""
    if given == "keep":
        if before is None or value is None or not before[0] <= value <= before[1]:
            return None
        return before
    if given is None:
        return None
    low, high = given
    if value is None or not 0 <= low <= value <= high <= 10:
        raise ValueError(f"a range {low}-{high} must hold the score {value}")
    return given


@transaction.atomic
def refresh_live_scores(user: Owner) -> int:
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


@transaction.atomic
def save_checkpoint(
    *,
    opportunity: Opportunity,
    label: str,
    happened_on: date | None = None,
    in_story: bool = True,
) -> Evaluation:
    """Freeze the live evaluation as a checkpoint called ``label`` and carry on in a copy.

    With ``in_story`` the checkpoint also gets an entry in the opportunity's story, dated
    ``happened_on`` (today when None). A decision's own checkpoint, and those of the
    options it was weighed against, write none: the decision's entry tells of them.

    Every active criterion gets a row in the checkpoint capturing its weight,
    must-have minimum and name as they are now, scored or not, so the checkpoint
    recomputes to the number it showed, with the same coverage, whatever happens
    to the criteria later. Rows of archived criteria keep no weight: they were not
    part of the score and stay out of it. The new live evaluation starts as an
    exact copy of the scores, ranges, notes and overrides, so scoring carries on as it
    was.

    What friends had said about the opportunity by now is frozen with it too
    (``Evaluation.friends``), so the journal shows later what they said at the time,
    and so are the value curves Pay and the number criteria were scored on
    (``Evaluation.curves``, ``curves.queries.frozen_curves``).
    """
    label = label.strip()
    if not label:
        raise ValueError("a checkpoint needs a label")
    owner_id = opportunity.owner_id
    # Two checkpoints at once (a double click, two tabs, a decision beside a checkpoint)
    # run one after the other: the opportunity is locked first, always before its live
    # evaluation, so the second reads the evaluation the first carried on in, instead of
    # freezing the same one twice or deadlocking on the new one.
    list(Opportunity.objects.select_for_update().filter(pk=opportunity.pk).values_list("pk"))
    evaluation = live_evaluation(opportunity, lock=True)
    live_scores = list(Score.objects.filter(evaluation=evaluation))
    by_criterion = {score.criterion_id: score for score in live_scores}
    now = timezone.now()
    frozen: list[Score] = []
    criteria = list(active_criteria(owner_id))
    for criterion in criteria:
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
    evaluation.friends = friends_said(opportunity.pk, owner=owner_id, criteria=criteria)
    evaluation.curves = frozen_curves(opportunity, criteria=criteria, scores=live_scores)
    _store_result(evaluation, result)
    evaluation.save(
        update_fields=["label", "frozen_at", "friends", "curves", *STORED_RESULT_FIELDS]
    )

    carried_on = Evaluation(owner_id=owner_id, opportunity=opportunity)
    _store_result(carried_on, result)
    carried_on.save()
    Score.objects.bulk_create(
        Score(
            owner_id=owner_id,
            evaluation=carried_on,
            criterion_id=score.criterion_id,
            value=score.value,
            low=score.low,
            high=score.high,
            amount=score.amount,
            note=score.note,
            overridden=score.overridden,
        )
        for score in live_scores
    )
    if in_story:
        record_checkpoint(evaluation, happened_on=happened_on)
    return evaluation
