"""Writes of the commit step: what is frozen with every decision (what the matrix, the gut
and friends foresaw), the check-ins it schedules, and the commit step the user fills in
the day it was recorded (the decision-quality check, the door, the premortem, the kill
criteria and the forecasts).

What the predictors foresaw, ``Commitment.predictors`` (read back by
``learning.queries.commit.foreseen``; every key but ``version`` may be missing)::

    {
      "version": 1,
      "matrix": {                  # absent when the checkpoint has no score at all
        "score": 72.5,             # the chosen option's decision score then, 0-100
        "rank": 1,                 # its place among the options weighed (1 = top)
        "of": 3,                   # how many options were weighed, itself included
        "p_first": 0.64            # only where a weighed score had a range: the share
      },                           #   of plausible cases in which it came out on top
      "gut": {"answer": "yes", "value": 1.0},     # absent without a gut check
      "friends": {"take_it": 3, "answered": 4, "share": 0.75}
    }                              # absent when no friend had answered "would you take it?"

``rank`` orders the options as the comparison does: those failing a must-have after
those passing, then by score (an unscored option last); ties share the better place.
``p_first`` comes from ``uncertainty.core.simulate`` over the frozen scores and ranges,
seeded from its inputs as the comparison's is, so the same decision always freezes the
same figure. ``gut.value`` is ``learning.core.GUT_VALUES`` of the answer (yes 1, unsure
0.5, no 0); ``friends.share`` is the share of the friends who answered yes, unsure or no
(``Evaluation.friends``, frozen on the decision's checkpoint) who said yes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from opportunities.learning.core import (
    GUT_VALUES,
    QUALITY_ORDER,
    QUALITY_QUESTIONS,
    check_in_dates,
    forecast_template,
    months_after,
    resolves_on,
)
from opportunities.models import (
    CheckIn,
    CheckInKind,
    Commitment,
    Decision,
    Door,
    Evaluation,
    Forecast,
    KillCriterion,
    PremortemReason,
    Score,
)
from opportunities.models.limits import control_character_problem
from opportunities.uncertainty.core import OptionInput, Uncertain, simulate

PREDICTORS_VERSION = 1

MAX_PREMORTEM = 5
MAX_KILL_CRITERIA = 3
MAX_FORECASTS = 5
KILL_MONTHS_AHEAD = 60
"""A kill criterion's date, and a forecast's, lies after the decision and within 5 years."""

TEXT_LENGTH = 300
"""The longest reason, condition, statement or cost of changing course."""

REGULAR_KINDS = {3: CheckInKind.MONTHS_3, 6: CheckInKind.MONTHS_6, 12: CheckInKind.MONTHS_12}


# --- Frozen with every decision -------------------------------------------------------------------


def _rank(decided: Evaluation, others: Sequence[Evaluation]) -> int:
    def key(evaluation: Evaluation) -> tuple[int, float]:
        score = evaluation.decision_score
        return (
            1 if evaluation.must_have_failures else 0,
            -score if score is not None else float("inf"),
        )

    return 1 + sum(1 for other in others if key(other) < key(decided))


def _p_first(decided: Evaluation, others: Sequence[Evaluation]) -> float | None:
    """The share of plausible cases in which the chosen option comes out on top, or None
    when none of the weighed scores has a range (one query)."""
    rows = list(
        Score.objects.filter(
            evaluation_id__in=[decided.pk, *(other.pk for other in others)],
            weight__isnull=False,
        )
        # In a fixed order: the criteria's order is part of the seed and of which draws
        # each cell gets, and PostgreSQL returns rows in whatever order they lie on disk.
        .order_by("evaluation_id", "criterion_id")
        .values_list("evaluation_id", "criterion_id", "value", "low", "high", "weight", "minimum")
    )
    if not any(row[3] is not None and row[4] is not None and row[3] < row[4] for row in rows):
        return None
    weights: dict[Hashable, float] = {}
    minimums: dict[Hashable, int | None] = {}
    scores: dict[int, dict[Hashable, Uncertain]] = {}
    for evaluation_id, criterion_id, value, low, high, weight, minimum in rows:
        if evaluation_id == decided.pk:
            weights[criterion_id] = float(weight or 0)
            minimums[criterion_id] = minimum
        ranged = value is not None and low is not None and high is not None
        scores.setdefault(evaluation_id, {})[criterion_id] = Uncertain(
            value, low if ranged else None, high if ranged else None
        )
    # Keyed by place (the chosen option 0), not by id, so the seed the simulation derives
    # from its inputs depends on the scores alone: the same data, the same figure.
    options = [
        OptionInput(
            key=place,
            title=str(place),
            scores={
                key: scores.get(evaluation.pk, {}).get(key, Uncertain(None)) for key in weights
            },
        )
        for place, evaluation in enumerate((decided, *others))
    ]
    result = simulate(options, weights, minimums, status_quo=None)
    return next(odds.p_first for odds in result.options if odds.key == 0)


def _friends_view(checkpoint: Evaluation) -> dict[str, Any] | None:
    guts = checkpoint.friends.get("guts") if isinstance(checkpoint.friends, dict) else None
    answers = [
        item[1]
        for item in (guts if isinstance(guts, list) else [])
        if isinstance(item, list) and len(item) == 3 and item[1] in GUT_VALUES
    ]
    if not answers:
        return None
    take_it = answers.count("yes")
    return {
        "take_it": take_it,
        "answered": len(answers),
        "share": round(take_it / len(answers), 4),
    }


def predictors_of(
    decision: Decision, alternative_checkpoints: Sequence[Evaluation]
) -> dict[str, Any]:
    """What the matrix, the gut and friends foresaw when ``decision`` was taken, shaped as
    the module's docstring says. One query when the decision was weighed against other
    options (their ranges), none otherwise."""
    checkpoint = decision.evaluation
    predictors: dict[str, Any] = {"version": PREDICTORS_VERSION}
    if checkpoint.decision_score is not None:
        matrix: dict[str, Any] = {
            "score": round(checkpoint.decision_score, 2),
            "rank": _rank(checkpoint, alternative_checkpoints),
            "of": 1 + len(alternative_checkpoints),
        }
        if alternative_checkpoints:
            p_first = _p_first(checkpoint, alternative_checkpoints)
            if p_first is not None:
                matrix["p_first"] = round(p_first, 4)
        predictors["matrix"] = matrix
    if decision.gut_check in GUT_VALUES:
        predictors["gut"] = {"answer": decision.gut_check, "value": GUT_VALUES[decision.gut_check]}
    if friends := _friends_view(checkpoint):
        predictors["friends"] = friends
    return predictors


def freeze_predictors(
    decision: Decision, *, alternative_checkpoints: Sequence[Evaluation] = ()
) -> Commitment:
    """Create ``decision``'s commit step (its answers empty) with what the predictors
    foresaw frozen in it. ``decision.evaluation`` is its checkpoint, just frozen (with
    its score and friends' answers in memory); ``alternative_checkpoints`` those of the
    options it was weighed against. Called by ``journal.services.record_decision``."""
    return Commitment.objects.create(
        owner_id=decision.owner_id,
        decision=decision,
        predictors=predictors_of(decision, alternative_checkpoints),
    )


@transaction.atomic
def schedule_check_ins(decision: Decision) -> list[CheckIn]:
    """The check-ins of ``decision``: 3, 6 and 12 months after it, and one on each kill
    criterion's date. Idempotent: a check-in already there is kept (a kill criterion's,
    not yet done, follows its date); those missing are added. Returns those added. Two
    queries, three when a kill criterion's date moved."""
    existing = list(
        CheckIn.objects.filter(decision=decision).values_list(
            "pk", "kind", "kill_criterion_id", "due_on", "done_on"
        )
    )
    kinds = {kind for _, kind, _, _, _ in existing}
    by_criterion = {
        criterion_id: (pk, due_on, done_on)
        for pk, kind, criterion_id, due_on, done_on in existing
        if criterion_id is not None
    }
    wanted = [
        CheckIn(
            owner_id=decision.owner_id,
            decision=decision,
            kind=REGULAR_KINDS[months],
            due_on=day,
        )
        for months, day in check_in_dates(decision.decided_on)
        if REGULAR_KINDS[months] not in kinds
    ]
    criteria = list(KillCriterion.objects.filter(decision=decision).values_list("pk", "check_on"))
    moved: list[CheckIn] = []
    for criterion_id, check_on in criteria:
        found = by_criterion.get(criterion_id)
        if found is None:
            wanted.append(
                CheckIn(
                    owner_id=decision.owner_id,
                    decision=decision,
                    kind=CheckInKind.KILL,
                    kill_criterion_id=criterion_id,
                    due_on=check_on,
                )
            )
        elif found[1] != check_on and found[2] is None:
            moved.append(CheckIn(pk=found[0], due_on=check_on, updated_at=timezone.now()))
    if moved:
        CheckIn.objects.bulk_update(moved, ["due_on", "updated_at"])
    return CheckIn.objects.bulk_create(wanted) if wanted else []


# --- The commit step ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PremortemItem:
    reason: str
    in_my_control: bool = False


@dataclass(frozen=True, slots=True)
class KillItem:
    condition: str
    check_on: date


@dataclass(frozen=True, slots=True)
class ForecastItem:
    statement: str
    probability: int
    template: str = ""
    resolves_on: date | None = None
    """None: the template's months after the decision (12 for the user's own words)."""


@dataclass(frozen=True, slots=True)
class CommitStep:
    """Everything the commit step's form gives; every part may be empty."""

    answers: Mapping[str, str] = field(default_factory=dict)
    """Each question of ``learning.core.QUALITY_QUESTIONS``: weak, ok, strong or ""."""
    door: str = ""
    change_cost: str = ""
    premortem: Sequence[PremortemItem] = ()
    kill_criteria: Sequence[KillItem] = ()
    forecasts: Sequence[ForecastItem] = ()


class CommitStepProblem(ValueError):
    """What is wrong with a commit step, each problem a sentence."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def latest_day(decision: Decision) -> date:
    """The last day a kill criterion or a forecast may name."""
    return months_after(decision.decided_on, KILL_MONTHS_AHEAD)


def _text_problem(text: object, what: str, *, required: bool = True) -> str | None:
    if not isinstance(text, str):
        return f"{what} is not text."
    if required and not text.strip():
        return f"{what} is empty."
    if len(text) > TEXT_LENGTH:
        return f"{what} is {len(text)} characters long; keep it to {TEXT_LENGTH}."
    if problem := control_character_problem(text):
        return f"{what}: {problem}"
    return None


def _day_problem(day: object, decision: Decision, what: str) -> str | None:
    if not isinstance(day, date):
        return f"{what} is not a date."
    if day <= decision.decided_on:
        return f"{what} comes after the decision, taken on {decision.decided_on:%d %B %Y}."
    if day > latest_day(decision):
        return f"{what} lies within 5 years of the decision (by {latest_day(decision):%d %B %Y})."
    return None


def commit_step_problems(decision: Decision, step: CommitStep) -> list[str]:
    """Everything wrong with ``step`` for ``decision``: the service's own check, whatever
    the form let through."""
    problems: list[str] = []
    questions = {question for question, _ in QUALITY_QUESTIONS}
    for question, answer in step.answers.items():
        if question not in questions:
            problems.append(f"“{question}” is not one of the decision-quality questions.")
        elif answer not in ("", *QUALITY_ORDER):
            problems.append("Answer each decision-quality question weak, OK or strong.")
    if step.door not in ("", *Door.values):
        problems.append("Say whether it is a one-way or a two-way door, or leave it.")
    problems.append(
        _text_problem(step.change_cost, "The cost of changing course", required=False) or ""
    )
    for what, items, most in (
        ("premortem reasons", step.premortem, MAX_PREMORTEM),
        ("kill criteria", step.kill_criteria, MAX_KILL_CRITERIA),
        ("forecasts", step.forecasts, MAX_FORECASTS),
    ):
        if len(items) > most:
            problems.append(f"Keep to {most} {what}; there are {len(items)}.")
    for n, reason in enumerate(step.premortem, start=1):
        problems.append(_text_problem(reason.reason, f"Premortem reason {n}") or "")
    for n, kill in enumerate(step.kill_criteria, start=1):
        problems.append(_text_problem(kill.condition, f"Kill criterion {n}") or "")
        problems.append(_day_problem(kill.check_on, decision, f"Kill criterion {n}'s date") or "")
    for n, forecast in enumerate(step.forecasts, start=1):
        problems.append(_text_problem(forecast.statement, f"Forecast {n}") or "")
        probability = forecast.probability
        if (
            isinstance(probability, bool)
            or not isinstance(probability, int)
            or not 0 <= probability <= 100
        ):
            problems.append(f"Forecast {n}'s probability is a whole number from 0 to 100 %.")
        if forecast.template and forecast_template(forecast.template) is None:
            problems.append(f"Forecast {n} names a suggestion that does not exist.")
        if forecast.resolves_on is not None:
            problems.append(
                _day_problem(forecast.resolves_on, decision, f"Forecast {n}'s date") or ""
            )
    return [problem for problem in problems if problem]


def _sync[R: Model](
    model: type[R], existing: Sequence[R], wanted: Sequence[R], fields: Sequence[str]
) -> None:
    """Make ``existing`` rows (in order) hold ``wanted`` (unsaved), position by position:
    rows kept keep their ids (and what a check-in recorded on them), extra rows go."""
    kept = []
    for row, new in zip(existing, wanted, strict=False):
        for name in fields:
            setattr(row, name, getattr(new, name))
        kept.append(row)
    if kept:
        model._default_manager.bulk_update(kept, list(fields))
    if len(wanted) > len(existing):
        model._default_manager.bulk_create(wanted[len(existing) :])
    if len(existing) > len(wanted):
        gone = [row.pk for row in existing[len(wanted) :]]
        model._default_manager.filter(pk__in=gone).delete()


@transaction.atomic
def save_commit_step(*, decision: Decision, step: CommitStep) -> Commitment:
    """Save ``step`` as ``decision``'s commit step: the answers and the door on its
    ``Commitment`` (made, with no predictors, for a decision recorded before there was a
    commit step), the premortem, kill criteria and forecasts as given (each list replacing
    the last, row by row), and a check-in on each kill criterion's date.

    Raises ``CommitStepProblem`` when ``step`` is not one a commit step can hold; whether
    the step is still open is the caller's business (``queries.commit.is_open``)."""
    if problems := commit_step_problems(decision, step):
        raise CommitStepProblem(problems)
    commitment, _ = Commitment.objects.select_for_update().get_or_create(
        decision=decision, defaults={"owner_id": decision.owner_id}
    )
    for question, _ in QUALITY_QUESTIONS:
        setattr(commitment, question, step.answers.get(question, ""))
    commitment.door = step.door
    commitment.change_cost = step.change_cost.strip()
    commitment.save()
    kept: dict[str, Any] = {"owner_id": decision.owner_id, "decision": decision}
    _sync(
        PremortemReason,
        list(PremortemReason.objects.filter(decision=decision).order_by("position", "pk")),
        [
            PremortemReason(
                **kept, reason=item.reason.strip(), in_my_control=item.in_my_control, position=n
            )
            for n, item in enumerate(step.premortem)
        ],
        ["reason", "in_my_control", "position"],
    )
    _sync(
        KillCriterion,
        list(KillCriterion.objects.filter(decision=decision).order_by("pk")),
        [
            KillCriterion(**kept, condition=item.condition.strip(), check_on=item.check_on)
            for item in step.kill_criteria
        ],
        ["condition", "check_on"],
    )
    _sync(
        Forecast,
        list(Forecast.objects.filter(decision=decision).order_by("position", "pk")),
        [
            Forecast(
                **kept,
                statement=item.statement.strip(),
                probability=item.probability,
                template=item.template,
                resolves_on=item.resolves_on or resolves_on(decision.decided_on, item.template),
                position=n,
            )
            for n, item in enumerate(step.forecasts)
        ],
        ["statement", "probability", "template", "resolves_on", "position"],
    )
    schedule_check_ins(decision)
    return commitment
