"""Writes from the comparison: what-if weights made the user's own, and gut rankings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from opportunities.compare.core import selection_key
from opportunities.criteria.queries import active_criteria
from opportunities.models import (
    Criterion,
    GutRanking,
    Opportunity,
    Owner,
    WeightSource,
    owner_id_of,
)
from opportunities.scoring.services import refresh_live_scores
from opportunities.weights.services import record_weights


@transaction.atomic
def save_weights(*, user: Owner, weights: Mapping[int, int]) -> list[Criterion]:
    """Make weights tried on the comparison page the user's own, and rescore everything.

    Criteria not mentioned, or archived since, are left as they are. Returns the
    criteria whose weight changed; a change is kept as a version of the weights.
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
        record_weights(user, source=WeightSource.COMPARISON)
    return changed


def save_gut_ranking(*, user: Owner, order: Sequence[int]) -> GutRanking:
    """Record the order the user put their options in by feel, dated today.

    Each ranking is kept (the newest one is shown), so a change of heart has a history.
    """
    if len(order) < 2 or len(set(order)) != len(order):
        raise ValueError("a gut ranking orders two or more different opportunities")
    owned = Opportunity.objects.for_user(user).filter(pk__in=order).count()
    if owned != len(order):
        raise Opportunity.DoesNotExist("a gut ranking can only order your own opportunities")
    return GutRanking.objects.create(
        owner_id=owner_id_of(user), selection=selection_key(order), order=list(order)
    )
