"""Writes to a user's criteria: the defaults a new user starts with, adding, editing,
re-weighting, archiving and reordering. Every change rescores the live evaluations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, CriterionKind, Owner, WeightSource, owner_id_of
from opportunities.pay.services import refresh_derived_scores
from opportunities.scoring.amounts import rescore_numbers
from opportunities.scoring.services import refresh_live_scores
from opportunities.weights.services import record_weights


@dataclass(frozen=True, slots=True)
class DefaultCriterion:
    name: str
    description: str
    low_meaning: str
    high_meaning: str
    weight: int
    kind: str = CriterionKind.MANUAL

    def build(self, *, owner: Owner, position: int) -> Criterion:
        """An unsaved criterion for ``owner`` made from this default."""
        return Criterion(
            owner_id=owner_id_of(owner),
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


def create_default_criteria(user: Owner) -> list[Criterion]:
    """Give a new user the criteria from the story, so they can start scoring at once."""
    return Criterion.objects.bulk_create(
        default.build(owner=user, position=position)
        for position, default in enumerate(DEFAULT_CRITERIA)
    )


@transaction.atomic
def add_criterion(*, user: Owner, criterion: Criterion) -> Criterion:
    last = Criterion.objects.for_user(user).aggregate(last=Max("position"))["last"]
    criterion.owner_id = owner_id_of(user)
    criterion.position = 0 if last is None else last + 1
    criterion.save()
    refresh_live_scores(user)
    return criterion


@transaction.atomic
def update_criterion(*, criterion: Criterion, weight_changed: bool = False) -> Criterion:
    """Save an edited criterion; a changed weight is kept as a version, as a slider's. A
    number criterion's scores follow its scale."""
    criterion.save()
    if criterion.is_number:
        rescore_numbers(criterion.owner_id, criteria=[criterion])
    refresh_live_scores(criterion.owner_id)
    if weight_changed:
        record_weights(criterion.owner_id, source=WeightSource.SLIDERS)
    return criterion


@transaction.atomic
def set_weight(*, criterion: Criterion, weight: int) -> None:
    """Move a weight slider. Last write wins, as with any slider, so this does not bump
    ``updated_at``: the criterion's other fields keep their edit-conflict check. The
    weights are kept as a version (a day's slider moves make one)."""
    Criterion.objects.filter(pk=criterion.pk).update(weight=weight)
    criterion.weight = weight
    refresh_live_scores(criterion.owner_id)
    record_weights(criterion.owner_id, source=WeightSource.SLIDERS)


@transaction.atomic
def set_archived(*, criterion: Criterion, archived: bool) -> Criterion:
    """Archive (or restore) a criterion. Its past scores stay, in checkpoints and in the
    live evaluations, so restoring it brings them back."""
    criterion.archived_at = timezone.now() if archived else None
    criterion.save(update_fields=["archived_at", "updated_at"])
    refresh_live_scores(criterion.owner_id)
    if criterion.derived_from_offer and not archived:
        refresh_derived_scores(criterion.owner_id)
    elif criterion.is_number and not archived:
        rescore_numbers(criterion.owner_id, criteria=[criterion])
    return criterion


@transaction.atomic
def move_criterion(*, criterion: Criterion, offset: int) -> None:
    """Move a criterion up (-1) or down (+1) among the user's active criteria."""
    # Locked in one fixed order (by id), whatever their positions: two moves at once
    # would otherwise take the same rows' locks in different orders and deadlock.
    locked = active_criteria(criterion.owner_id).select_for_update(no_key=True).order_by("pk")
    ordered = sorted(locked, key=lambda c: (c.position, c.id))
    index = next((i for i, c in enumerate(ordered) if c.id == criterion.id), None)
    if index is None:  # archived meanwhile, in another tab
        return
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    Criterion.objects.bulk_update(ordered, ["position"])
