"""Writes of weights as versions: every change of a user's weights is kept with where it
came from (the sliders, a swing weighting, a comparison's what-if weights), so
priorities over time can show them; and the swing weighting's own save.

Slider moves come many a minute, so a day's slider changes make one version: the latest
version is updated when it is a slider version of the same local day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Owner, WeightSource, WeightVersion, owner_id_of
from opportunities.scoring.services import refresh_live_scores


def _snapshot(
    criteria: Iterable[Criterion], weights: Mapping[int, int] | None
) -> list[dict[str, Any]]:
    return [
        {
            "criterion": criterion.pk,
            "name": criterion.name,
            "weight": criterion.weight if weights is None else weights.get(criterion.pk, 0),
        }
        for criterion in criteria
    ]


@transaction.atomic
def record_weights(
    user: Owner,
    *,
    source: WeightSource,
    criteria: Sequence[Criterion] | None = None,
    options: Sequence[Mapping[str, Any]] = (),
    answers: Sequence[Mapping[str, Any]] = (),
    applied: bool = True,
    weights: Mapping[int, int] | None = None,
    now: datetime | None = None,
) -> WeightVersion:
    """Keep a version of every active criterion's weight (``criteria``, the user's active
    criteria when not given; ``weights`` by criterion id in place of the criteria's own,
    for answers kept without being applied).

    A slider version coalesces: when the user's latest version is a slider version of the
    same local day, it is updated to these weights instead of a new one being added.
    """
    now = now or timezone.now()
    rows = list(active_criteria(user) if criteria is None else criteria)
    snapshot = _snapshot(rows, weights)
    if source == WeightSource.SLIDERS:
        latest = (
            WeightVersion.objects.for_user(user)
            .select_for_update()
            .order_by("-created_at", "-id")
            .only("id", "source", "applied", "created_at")
            .first()
        )
        if (
            latest is not None
            and latest.source == WeightSource.SLIDERS
            and latest.applied
            and timezone.localdate(latest.created_at) == timezone.localdate(now)
        ):
            latest.weights = snapshot
            latest.updated_at = now
            WeightVersion.objects.filter(pk=latest.pk).update(weights=snapshot, updated_at=now)
            return latest
    return WeightVersion.objects.create(
        owner_id=owner_id_of(user),
        source=source,
        applied=applied,
        weights=snapshot,
        options=[dict(option) for option in options],
        answers=[dict(answer) for answer in answers],
        created_at=now,
    )


@dataclass(frozen=True, slots=True)
class Change:
    """A criterion whose weight a save changed (or, kept, would have changed)."""

    name: str
    was: int
    weight: int


@dataclass(frozen=True, slots=True)
class SwingSaved:
    version: WeightVersion
    changes: list[Change]


@transaction.atomic
def save_swing(
    user: Owner,
    *,
    weights: Mapping[int, int],
    options: Sequence[Mapping[str, Any]],
    answers: Sequence[Mapping[str, Any]],
    apply: bool,
) -> SwingSaved:
    """Save a swing weighting: ``weights`` (0-10 by criterion id, from the answers) become
    the user's own when ``apply``, or are only remembered with the answers.

    Criteria archived since the page was read are left as they are; one missing from
    ``weights`` counts as 0 (no swing among these options). Raises ValueError on a weight
    outside 0-10.
    """
    for key, weight in weights.items():
        if not 0 <= weight <= 10:
            raise ValueError(f"weight of criterion {key} must be 0-10, got {weight!r}")
    criteria = list(active_criteria(user).select_for_update().order_by("position", "id"))
    implied = {criterion.pk: weights.get(criterion.pk, 0) for criterion in criteria}
    changes = [
        Change(criterion.name, criterion.weight, implied[criterion.pk])
        for criterion in criteria
        if criterion.weight != implied[criterion.pk]
    ]
    if apply and changes:
        now = timezone.now()
        changed = [criterion for criterion in criteria if criterion.weight != implied[criterion.pk]]
        for criterion in changed:
            criterion.weight = implied[criterion.pk]
            criterion.updated_at = now
        Criterion.objects.bulk_update(changed, ["weight", "updated_at"])
        refresh_live_scores(user)
    version = record_weights(
        user,
        source=WeightSource.SWING,
        criteria=criteria,
        options=options,
        answers=answers,
        applied=apply,
        weights=implied,
    )
    return SwingSaved(version=version, changes=changes)
