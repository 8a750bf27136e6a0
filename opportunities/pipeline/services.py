"""Writes to the opportunities themselves: adding and editing one, moving it along its
pipeline, archiving it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import Evaluation, Opportunity, Owner, Stage, StageChange, owner_id_of
from opportunities.pay.services import refresh_derived_scores
from opportunities.scoring.services import recompute_live
from opportunities.web.once import Once, Submission, create_once


@transaction.atomic
def create_opportunity(*, user: Owner, opportunity: Opportunity) -> Opportunity:
    """Save a new opportunity with its live evaluation and the first step of its pipeline."""
    owner_id = owner_id_of(user)
    opportunity.owner_id = owner_id
    opportunity.save()
    StageChange.objects.create(
        owner_id=owner_id, opportunity=opportunity, to_stage=opportunity.stage
    )
    evaluation = Evaluation.objects.create(owner_id=owner_id, opportunity=opportunity)
    criteria = list(active_criteria(user))
    recompute_live(evaluation, criteria=criteria)
    refresh_derived_scores(user, opportunities=[opportunity], criteria=criteria)
    return opportunity


def create_opportunity_once(
    *, user: Owner, opportunity: Opportunity, submission: Submission
) -> Once[Opportunity]:
    """Create the opportunity of a form, unless that form was sent before: then nothing
    is created and the answer holds the first one (see ``web.once``)."""
    return create_once(
        user=user,
        submission=submission,
        model=Opportunity,
        create=lambda: create_opportunity(user=user, opportunity=opportunity),
    )


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


def delete_opportunity(*, opportunity: Opportunity) -> None:
    """Delete an opportunity with everything recorded on it: its scores, checkpoints,
    stage history, decisions and their reminders. (Archiving keeps them.)"""
    opportunity.delete()


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


def set_opportunity_archived(*, opportunity: Opportunity, archived: bool) -> Opportunity:
    """Archive (or restore) an opportunity.

    Archived opportunities leave the dashboard and comparisons; their stage
    history, checkpoints and decisions stay in the journal, untouched.
    """
    if archived != opportunity.is_archived:
        opportunity.archived_at = timezone.now() if archived else None
        opportunity.save(update_fields=["archived_at", "updated_at"])
    return opportunity
