"""Looking back: the reads of the decision journal, each in a fixed number of queries,
never one per checkpoint or decision. What they return is shaped by ``journal.core``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.compare.core import selection_key
from opportunities.criteria.queries import active_criteria
from opportunities.journal.core import (
    HistoryPoint,
    PriorityColumn,
    WeighedAgainst,
    WeighedOption,
    WeightsSet,
    _counted,
    _signed,
    gut_place,
    history_steps,
    priority_columns,
    priority_rows,
    score_now,
    weighed_against,
)
from opportunities.models import (
    FINAL_STAGES,
    CheckIn,
    Criterion,
    Decision,
    DecisionAlternative,
    Evaluation,
    GutRanking,
    Opportunity,
    Owner,
    Score,
    StageChange,
)
from opportunities.scoring.core import (
    DecisionScore,
    compute_decision_score,
    rated_frozen,
    rated_live,
)
from opportunities.weights.queries.versions import applied_versions, weights_of


def frozen_scores(evaluation: Evaluation) -> QuerySet[Score]:
    """The rows a checkpoint was scored on (those that captured a weight), in criteria order."""
    return Score.objects.filter(evaluation=evaluation, weight__isnull=False).order_by(
        "criterion__position", "criterion_id"
    )


@dataclass(frozen=True, slots=True)
class CheckpointRow:
    checkpoint: Evaluation
    decision: Decision | None


def opportunity_history(
    opportunity: Opportunity, *, criteria: Sequence[Criterion] | None = None
) -> dict:
    """The journal's sections of an opportunity's page, in five queries (four when the
    page has read the active ``criteria`` already). Its live evaluation, its scores
    prefetched, comes with them (``live_evaluation``, None before the first score), for
    the scoring panel to use rather than read it again."""
    stage_changes = list(StageChange.objects.filter(opportunity=opportunity))
    evaluations = list(
        Evaluation.objects.filter(opportunity=opportunity).prefetch_related(
            Prefetch("scores", queryset=Score.objects.order_by("criterion__position", "id"))
        )
    )
    if criteria is None:
        criteria = list(active_criteria(opportunity.owner_id))
    decisions = list(Decision.objects.filter(opportunity=opportunity).select_related("evaluation"))

    checkpoints = sorted(
        (e for e in evaluations if e.frozen_at is not None), key=lambda e: (e.frozen_at, e.id)
    )
    live = next((e for e in evaluations if e.frozen_at is None), None)
    decision_by_checkpoint = {decision.evaluation_id: decision for decision in decisions}

    points = [
        HistoryPoint(
            label=checkpoint.label,
            value=checkpoint.decision_score,
            rated=tuple(rated_frozen(checkpoint.scores.all())),
            names={s.criterion_id: s.criterion_name for s in _counted(checkpoint.scores.all())},
            at=checkpoint.frozen_at,
        )
        for checkpoint in checkpoints
    ]
    if points:
        rated_now = rated_live(criteria, live.scores.all() if live else [])
        points.append(
            HistoryPoint(
                label="Now",
                value=compute_decision_score(rated_now).value,
                rated=tuple(rated_now),
                names={criterion.id: criterion.name for criterion in criteria},
            )
        )
    return {
        "live_evaluation": live,
        "stage_changes": stage_changes,
        "checkpoints": [
            CheckpointRow(checkpoint, decision_by_checkpoint.get(checkpoint.id))
            for checkpoint in reversed(checkpoints)
        ],
        "decisions": decisions,
        "history_steps": history_steps(points),
        "score_chart": {
            "labels": [point.label for point in points],
            "dates": [
                date_format(timezone.localtime(point.at), "j M Y") if point.at else ""
                for point in points
            ],
            "values": [point.value for point in points],
        },
    }


def journal_decisions(user: Owner) -> QuerySet[Decision]:
    """Every decision of ``user``, newest first, with what its journal entry shows: its
    checkpoint's frozen scores (``evaluation.frozen_scores``) and its check-ins
    (``check_in_list``) as plain lists, which spares a queryset per decision."""
    return (
        Decision.objects.for_user(user)
        .select_related("opportunity", "evaluation")
        .prefetch_related(
            Prefetch(
                "evaluation__scores",
                queryset=Score.objects.filter(weight__isnull=False),
                to_attr="frozen_scores",
            ),
            ALTERNATIVES,
            Prefetch(
                "check_ins",
                queryset=CheckIn.objects.select_related("kill_criterion").order_by("due_on", "id"),
                to_attr="check_in_list",
            ),
        )
    )


PENDING_OUTCOME = "pending"


def filter_decisions(
    decisions: QuerySet[Decision],
    *,
    year: int | None = None,
    choice: str = "",
    outcome: str = "",
) -> QuerySet[Decision]:
    """Narrow the journal; ``outcome=PENDING_OUTCOME`` keeps decisions with no outcome yet."""
    if year is not None:
        decisions = decisions.filter(decided_on__year=year)
    if choice:
        decisions = decisions.filter(choice=choice)
    if outcome:
        decisions = decisions.filter(outcome="" if outcome == PENDING_OUTCOME else outcome)
    return decisions


def decision_years(user: Owner) -> list[int]:
    return [day.year for day in Decision.objects.for_user(user).dates("decided_on", "year", "DESC")]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    decision: Decision
    now: DecisionScore
    weighed: WeighedAgainst | None = None
    """What it was chosen over, when alternatives were frozen with it."""

    @property
    def then(self) -> float | None:
        return self.decision.evaluation.decision_score

    @property
    def shift(self) -> float | None:
        if self.then is None or self.now.value is None:
            return None
        return self.now.value - self.then

    @property
    def shift_display(self) -> str:
        return "" if self.shift is None else _signed(self.shift)


def journal_entries(
    decisions: Iterable[Decision], criteria: Sequence[Criterion]
) -> list[JournalEntry]:
    """Journal entries for decisions fetched by ``journal_decisions``: one more query
    when some of them were weighed against alternatives (the gut rankings)."""
    decisions = list(decisions)
    weighed = weighings(decisions)
    return [
        JournalEntry(
            decision,
            score_now(vars(decision.evaluation)["frozen_scores"], criteria),
            weighed.get(decision.pk),
        )
        for decision in decisions
    ]


def due_for_revisit(user: Owner, *, today: date | None = None) -> list[Decision]:
    """Decisions whose revisit date has come. Saving the outcome form clears it."""
    today = today or timezone.localdate()
    return list(
        Decision.objects.for_user(user)
        .filter(revisit_on__lte=today)
        .select_related("opportunity")
        .order_by("revisit_on", "pk")
    )


def _column_title(column: PriorityColumn) -> str:
    if column.decision is not None:
        return column.decision.opportunity.title
    return column.weights_set.label if column.weights_set is not None else ""


def priorities(user: Owner) -> dict:
    """Priorities over time, in four queries: the weights captured with each decision and
    each version of the weights put in force, in date order, and today's."""
    decisions = list(
        Decision.objects.for_user(user).select_related("opportunity").order_by("decided_on", "pk")
    )
    scores = Score.objects.for_user(user).filter(
        weight__isnull=False, evaluation_id__in=[decision.evaluation_id for decision in decisions]
    )
    criteria = list(active_criteria(user))
    versions = [
        WeightsSet(
            day=timezone.localdate(version.created_at),
            label=version.get_source_display(),
            weights={key: weight for key, (_, weight) in found.items()},
            names={key: name for key, (name, _) in found.items()},
        )
        for version in applied_versions(user)
        if (found := weights_of(version)) is not None
    ]
    columns = priority_columns(decisions, versions)
    rows = priority_rows(decisions, scores, criteria, versions=versions) if columns else []
    return {
        "decisions": decisions,
        "columns": columns,
        "rows": rows,
        "priorities_chart": {
            "labels": [
                f"{date_format(column.day, 'j M Y')} · {_column_title(column)}"
                for column in columns
            ]
            + ["Today"],
            "series": [{"name": row.name, "weights": [*row.weights, row.today]} for row in rows],
        },
    }


def due_for_reminder(today: date) -> QuerySet[Decision]:
    """Every user's decisions whose revisit date has come and that have not been reminded
    of that date yet (for ``send_revisit_reminders``, run by cron for everyone)."""
    return (
        Decision.objects.filter(revisit_on__isnull=False, revisit_on__lte=today)
        .exclude(reminders__due_on=F("revisit_on"))
        .select_related("owner", "opportunity")
        .order_by("owner_id", "revisit_on", "id")
    )


# --- What a decision was weighed against --------------------------------------------------------

ALTERNATIVES = Prefetch(
    "alternatives", queryset=DecisionAlternative.objects.select_related("evaluation")
)
"""A decision's alternatives, each with the checkpoint frozen for it."""


@dataclass(frozen=True, slots=True)
class AlternativeOption:
    """An open opportunity a decision can be weighed against, with its live total."""

    opportunity: Opportunity
    total: float | None
    is_variant: bool

    @property
    def ticked(self) -> bool:
        """Offered ticked: staying as you are, and the same job on other terms."""
        return self.opportunity.is_status_quo or self.is_variant


def _variants(opportunity: Opportunity, other: Opportunity) -> bool:
    """Whether ``other`` is ``opportunity`` on other terms: one is a variant of the
    other, or both are variants of the same one."""
    return (
        other.variant_of_id == opportunity.pk
        or other.pk == opportunity.variant_of_id
        or (
            opportunity.variant_of_id is not None
            and other.variant_of_id == opportunity.variant_of_id
        )
    )


def alternatives_on_offer(opportunity: Opportunity) -> list[AlternativeOption]:
    """The owner's other open opportunities (not archived, not closed) a decision on
    ``opportunity`` can be weighed against, in two queries: the status quo first, then
    its variants, then the others by title."""
    others = (
        Opportunity.objects.for_user(opportunity.owner_id)
        .filter(archived_at__isnull=True)
        .exclude(stage__in=FINAL_STAGES)
        .exclude(pk=opportunity.pk)
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.live()))
    )
    options = []
    for other in others:
        live = next(iter(other.evaluations.all()), None)
        options.append(
            AlternativeOption(
                opportunity=other,
                total=live.decision_score if live else None,
                is_variant=_variants(opportunity, other),
            )
        )
    return sorted(
        options,
        key=lambda o: (
            not o.opportunity.is_status_quo,
            not o.is_variant,
            o.opportunity.title.lower(),
            o.opportunity.pk,
        ),
    )


def checkpoint_counts(opportunity_ids: Iterable[int]) -> dict[int, int]:
    """How many checkpoints each of these opportunities holds, in one query."""
    rows = (
        Evaluation.objects.checkpoints()
        .filter(opportunity_id__in=list(opportunity_ids))
        .values_list("opportunity_id")
        .annotate(count=Count("id"))
    )
    return dict(rows)


def _option_set(decision: Decision) -> list[int] | None:
    """The opportunities of a decision and its alternatives, or None when one of them
    has been deleted since (no gut ranking can then be of exactly that set)."""
    ids = [decision.opportunity_id]
    for alternative in decision.alternatives.all():
        if alternative.opportunity_id is None:
            return None
        ids.append(alternative.opportunity_id)
    return ids


def weighings(decisions: Sequence[Decision]) -> dict[int, WeighedAgainst]:
    """What each decision (its alternatives prefetched with ``ALTERNATIVES``, its
    opportunity and checkpoint selected) was chosen over, keyed by decision id, with
    the gut ranking of exactly its options made by the time it was recorded: one query,
    none when no decision had alternatives."""
    sets = {
        decision.pk: ids
        for decision in decisions
        if decision.alternatives.all() and (ids := _option_set(decision)) is not None
    }
    rankings: dict[str, list[GutRanking]] = {}
    if sets:
        owner = decisions[0].owner_id
        keys = {selection_key(ids) for ids in sets.values()}
        for ranking in (
            GutRanking.objects.for_user(owner)
            .filter(selection__in=keys)
            .only("selection", "order", "created_at")
            .order_by("-created_at", "-id")
        ):
            rankings.setdefault(ranking.selection, []).append(ranking)
    found = {}
    for decision in decisions:
        decided = WeighedOption(
            decision.opportunity.title,
            decision.evaluation.decision_score,
            decision.opportunity.is_status_quo,
            decision.opportunity_id,
            decision.evaluation_id,
        )
        alternatives = [
            WeighedOption(
                alternative.title,
                alternative.evaluation.decision_score,
                alternative.is_status_quo,
                alternative.opportunity_id,
                alternative.evaluation_id,
            )
            for alternative in decision.alternatives.all()
        ]
        place, first = None, None
        ids = sets.get(decision.pk)
        if ids is not None:
            then = _gut_ranking_then(rankings.get(selection_key(ids), []), decision)
            if then is not None:
                place = gut_place(then.order, decision.opportunity_id, ids)
                by_id = {option.opportunity_id: option for option in [decided, *alternatives]}
                first = by_id.get(then.order[0]) if place is not None else None
        weighing = weighed_against(
            choice=decision.choice,
            decided=decided,
            alternatives=alternatives,
            gut_place=place,
            gut_first=first,
        )
        if weighing is not None:
            found[decision.pk] = weighing
    return found


def _gut_ranking_then(rankings: list[GutRanking], decision: Decision) -> GutRanking | None:
    """The newest of ``rankings`` (newest first) made by the time ``decision`` was
    recorded: what the gut said then, not since."""
    return next((r for r in rankings if r.created_at <= decision.created_at), None)


def decision_weighing(decision: Decision) -> WeighedAgainst | None:
    """What ``decision`` (its opportunity and checkpoint selected) was chosen over, in
    two queries at most; None when it was weighed against nothing."""
    prefetch_related_objects([decision], ALTERNATIVES)
    return weighings([decision]).get(decision.pk)


def weighed_in(checkpoint: Evaluation) -> Decision | None:
    """The decision ``checkpoint`` was frozen with as an alternative, if it was."""
    alternative = (
        DecisionAlternative.objects.filter(evaluation=checkpoint)
        .select_related("decision__opportunity")
        .first()
    )
    return alternative.decision if alternative else None
