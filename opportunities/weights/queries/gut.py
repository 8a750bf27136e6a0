"""Reads for the weight that would reconcile the matrix with the gut.

The gut rankings are the orders a user put sets of options in by feel (``GutRanking``,
the newest per set). Where the matrix keeps putting pairs the other way round,
``weights.core.reconcile_with_gut`` names the one weight change that would make them
agree, or agree more; these functions feed it and say it in the page's terms. Never
forcing: nothing here saves anything.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from opportunities.compare.core import Option
from opportunities.models import Criterion, GutRanking, Owner, Score
from opportunities.weights.core import Reconciliation, gut_disagreements, reconcile_with_gut

RANKINGS_READ = 200
"""The newest gut rankings read (one per set of options is kept): more than anyone makes."""


@dataclass(frozen=True, slots=True)
class GutFit:
    """The matrix and the gut disagree on ``disagreements`` of ``pairs`` pairs, over
    ``rankings`` gut rankings; ``reconciliation`` is the weight change that helps most
    (None when no single change brings them closer)."""

    rankings: int
    disagreements: int
    pairs: int
    reconciliation: Reconciliation | None
    criterion: str = ""
    """The name of the criterion whose weight would change."""

    @property
    def remaining(self) -> int:
        return 0 if self.reconciliation is None else self.reconciliation.disagreements_after

    @property
    def resolved(self) -> int:
        """How many of the disagreements the change makes go."""
        return 0 if self.reconciliation is None else self.disagreements - self.remaining


def fit(
    gut: Sequence[Sequence[Hashable]],
    options: Mapping[Hashable, Mapping[Hashable, int | None]],
    weights: Mapping[Hashable, int],
    names: Mapping[Hashable, str],
) -> GutFit | None:
    """How far the matrix is from the gut rankings ``gut``, and the weight that would
    bring them together; None when they agree (or there is nothing to compare)."""
    before, pairs = gut_disagreements(gut, options, weights)
    if before == 0:
        return None
    found = reconcile_with_gut(gut, options, weights)
    return GutFit(
        rankings=len(gut),
        disagreements=before,
        pairs=pairs,
        reconciliation=found,
        criterion=names.get(found.criterion, "") if found is not None else "",
    )


def selection_fit(
    order: Sequence[int],
    options: Sequence[Option],
    weights: Mapping[Hashable, int],
    names: Mapping[Hashable, str],
) -> GutFit | None:
    """The comparison's own gut ranking (``order``, of exactly ``options``) against the
    matrix under ``weights`` (what-if ones included). No query: the page has it all."""
    return fit([list(order)], {option.key: option.scores for option in options}, weights, names)


def gut_reconciliation(user: Owner, criteria: Sequence[Criterion]) -> GutFit | None:
    """Every set's newest gut ranking against the matrix under the saved weights of the
    active ``criteria``, on the options' live scores. An option deleted or archived since
    is left out of its ranking, and a ranking left with fewer than two is dropped.

    Two queries (the rankings, then the live scores of the options they name); one when
    there is no gut ranking.
    """
    newest: dict[str, list[int]] = {}
    for selection, order in GutRanking.objects.for_user(user).values_list("selection", "order")[
        :RANKINGS_READ
    ]:
        if selection not in newest and isinstance(order, list):
            newest[selection] = [key for key in order if isinstance(key, int)]
    if not newest:
        return None
    wanted = {key for order in newest.values() for key in order}
    active = {criterion.pk for criterion in criteria if criterion.archived_at is None}
    options: dict[Hashable, dict[Hashable, int | None]] = {}
    live = (
        Score.objects.for_user(user)
        .filter(
            evaluation__frozen_at__isnull=True,
            evaluation__opportunity__in=wanted,
            evaluation__opportunity__archived_at__isnull=True,
        )
        .values_list("evaluation__opportunity_id", "criterion_id", "value")
    )
    for opportunity_id, criterion_id, value in live:
        scores = options.setdefault(opportunity_id, {})
        if criterion_id in active:
            scores[criterion_id] = value
    gut = [
        kept for order in newest.values() if len(kept := [k for k in order if k in options]) >= 2
    ]
    weights: dict[Hashable, int] = {
        criterion.pk: criterion.weight for criterion in criteria if criterion.pk in active
    }
    names: dict[Hashable, str] = {criterion.pk: criterion.name for criterion in criteria}
    return fit(gut, options, weights, names) if gut else None
