"""Reads of the swing weighting page: the options on the table with their live scores,
each criterion's swing among them, and how the latest swing answers compare with the
weights in force, in a fixed number of queries however many options and criteria."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from opportunities.compare.core import MAX_SELECTION
from opportunities.criteria.queries import active_criteria
from opportunities.models import (
    FINAL_STAGES,
    Criterion,
    Evaluation,
    Opportunity,
    Owner,
    Score,
    WeightVersion,
)
from opportunities.weights.core import Swing, swings, weight_gaps
from opportunities.weights.queries.versions import latest_swing

ENDS_NAMED = 3
"""How many options a swing's end names before saying "and 2 more"."""


@dataclass(frozen=True, slots=True)
class SwingOption:
    """One option on the table: an open opportunity and its live scores."""

    key: int
    title: str
    is_status_quo: bool
    scores: dict[Hashable, int | None]


@dataclass(frozen=True, slots=True)
class SwingData:
    """Everything the swing page reads."""

    options: list[SwingOption]
    """The options asked for (or, without ids, every open one with live scores), in order."""
    unknown: int
    """Ids asked for that are not the user's open opportunities."""
    open_opportunities: list[Opportunity]
    """Every open opportunity, to choose another set from."""
    criteria: list[Criterion]
    latest: WeightVersion | None
    """The newest swing weighting, applied or not."""


def load_swing(user: Owner, *, ids: Sequence[int] | None) -> SwingData:
    """The swing page's data in four queries: opportunities, their live scores, the active
    criteria, the latest swing weighting. Without ``ids``, the options are every open
    opportunity with a scored live evaluation (the status quo included), up to
    MAX_SELECTION; someone else's id is indistinguishable from a missing one."""
    wanted = set(ids or ())
    scored = Evaluation.objects.filter(
        opportunity=OuterRef("pk"), frozen_at__isnull=True, scored_count__gt=0
    )
    mine = list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=True)
        .filter(~Q(stage__in=FINAL_STAGES) | Q(pk__in=wanted))
        .annotate(scored=Exists(scored))
        .only("id", "title", "organisation", "is_status_quo", "stage", "archived_at")
    )
    by_id = {opportunity.pk: opportunity for opportunity in mine}
    if ids is None:
        chosen = [o for o in mine if o.scored][:MAX_SELECTION]
    else:
        chosen = [by_id[key] for key in ids if key in by_id]
    scores: dict[int, dict[Hashable, int | None]] = {o.pk: {} for o in chosen}
    if len(chosen) >= 2:
        live = (
            Score.objects.for_user(user)
            .filter(evaluation__frozen_at__isnull=True, evaluation__opportunity__in=list(scores))
            .values_list("evaluation__opportunity_id", "criterion_id", "value")
        )
        for opportunity_id, criterion_id, value in live:
            scores[opportunity_id][criterion_id] = value
    return SwingData(
        options=[
            SwingOption(key=o.pk, title=o.title, is_status_quo=o.is_status_quo, scores=scores[o.pk])
            for o in chosen
        ],
        unknown=len(wanted) - sum(1 for key in wanted if key in by_id),
        open_opportunities=[o for o in mine if not o.is_closed or o.pk in wanted],
        criteria=list(active_criteria(user)),
        latest=latest_swing(user),
    )


@dataclass(frozen=True, slots=True)
class SwingRow:
    """A criterion's swing as the page shows it: from its worst to its best score among
    the options, which options are at each end, and what its scale's ends mean."""

    criterion: Criterion
    swing: Swing
    worst_titles: str
    best_titles: str

    @property
    def key(self) -> int:
        return self.criterion.pk

    @property
    def differs(self) -> bool:
        return self.swing.differs


def _named(titles: Sequence[str]) -> str:
    shown = ", ".join(titles[:ENDS_NAMED])
    more = len(titles) - ENDS_NAMED
    return f"{shown} and {more} more" if more > 0 else shown


def swing_rows(options: Sequence[SwingOption], criteria: Sequence[Criterion]) -> list[SwingRow]:
    """Each active criterion's swing over ``options``, in the criteria's order."""
    found = swings([o.scores for o in options], [c.pk for c in criteria])
    rows = []
    for criterion, swing in zip(criteria, found, strict=True):
        worst = [o.title for o in options if o.scores.get(criterion.pk) == swing.worst]
        best = [o.title for o in options if o.scores.get(criterion.pk) == swing.best]
        rows.append(
            SwingRow(
                criterion=criterion,
                swing=swing,
                worst_titles=_named(worst) if swing.worst is not None else "",
                best_titles=_named(best) if swing.best is not None else "",
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Gap:
    """The swing answers give ``name`` ``implied``; it weighs ``saved`` now."""

    key: int
    name: str
    implied: int
    saved: int


@dataclass(frozen=True, slots=True)
class SwingGaps:
    """Where the latest swing answers and the weights in force disagree strongly."""

    answered_at: datetime
    gaps: list[Gap]
    option_ids: list[int]
    """The options the answers were given over, to answer again."""


def implied_by(version: WeightVersion) -> dict[Hashable, int]:
    """The weights a swing weighting's answers give the criteria that had a swing (a
    criterion on which its options did not differ is left out: its 0 was about that
    choice, not a view of the criterion)."""
    swung = {
        answer.get("criterion")
        for answer in version.answers
        if isinstance(answer, Mapping) and answer.get("rating") is not None
    }
    return {
        row["criterion"]: row["weight"]
        for row in version.weights
        if isinstance(row, Mapping)
        and row.get("criterion") in swung
        and isinstance(row.get("weight"), int)
    }


def swing_gaps(
    user: Owner,
    criteria: Sequence[Criterion],
    *,
    version: WeightVersion | None = None,
    read: bool = False,
) -> SwingGaps | None:
    """The latest swing weighting (applied or not) against the weights in force (the
    active ``criteria``), via ``weights.core.weight_gaps``; None without a swing weighting
    or without a strong disagreement. ``version`` saves the query when it is already read
    (``read=True`` says it was, even when there is none)."""
    if not read and version is None:
        version = latest_swing(user)
    if version is None:
        return None
    names = {criterion.pk: criterion.name for criterion in criteria}
    implied = implied_by(version)
    saved: dict[Hashable, int] = {c.pk: c.weight for c in criteria}
    found = weight_gaps(implied, saved)
    if not found:
        return None
    option_ids = [
        option["id"]
        for option in version.options
        if isinstance(option, Mapping) and isinstance(option.get("id"), int)
    ]
    return SwingGaps(
        answered_at=version.created_at,
        gaps=[
            Gap(key=key, name=names[key], implied=gap.implied, saved=gap.saved)
            for gap in found
            if isinstance(key := gap.criterion, int)
        ],
        option_ids=option_ids,
    )
