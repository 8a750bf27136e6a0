"""Writes to the opportunities themselves: adding and editing one, moving it along its
pipeline, archiving it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.models import (
    FINAL_STAGES,
    DecisionAlternative,
    Evaluation,
    FriendRound,
    Opportunity,
    Owner,
    Person,
    Score,
    Stage,
    StageChange,
    owner_id_of,
)
from opportunities.pay.queries import COMPENSATION_FIELDS
from opportunities.pay.services import refresh_derived_scores
from opportunities.pipeline.core import stage_for, variant_title
from opportunities.scoring.services import live_evaluation, recompute_live
from opportunities.timeline.services import moment_on, record_stage_change
from opportunities.web.once import Once, Submission, create_once


@transaction.atomic
def create_opportunity(
    *,
    user: Owner,
    opportunity: Opportunity,
    contacts: Iterable[Person] | None = None,
    happened_on: date | None = None,
) -> Opportunity:
    """Save a new opportunity with its live evaluation and the first step of its pipeline
    (and ``contacts``, the people in it: the user's own, as the form offers them). The
    first step is dated ``happened_on`` when it began before it was recorded."""
    owner_id = owner_id_of(user)
    opportunity.owner_id = owner_id
    opportunity.stage = stage_for(opportunity.stage, is_status_quo=opportunity.is_status_quo)
    opportunity.save()
    if contacts is not None:
        opportunity.contacts.set(contacts)
    change = StageChange.objects.create(
        owner_id=owner_id,
        opportunity=opportunity,
        to_stage=opportunity.stage,
        changed_at=moment_on(happened_on),
    )
    record_stage_change(change)
    evaluation = Evaluation.objects.create(owner_id=owner_id, opportunity=opportunity)
    criteria = list(active_criteria(user))
    recompute_live(evaluation, criteria=criteria)
    refresh_derived_scores(user, opportunities=[opportunity], criteria=criteria)
    return opportunity


def create_opportunity_once(
    *,
    user: Owner,
    opportunity: Opportunity,
    submission: Submission,
    contacts: Iterable[Person] | None = None,
    happened_on: date | None = None,
) -> Once[Opportunity]:
    """Create the opportunity of a form, unless that form was sent before: then nothing
    is created and the answer holds the first one (see ``web.once``)."""
    return create_once(
        user=user,
        submission=submission,
        model=Opportunity,
        create=lambda: create_opportunity(
            user=user, opportunity=opportunity, contacts=contacts, happened_on=happened_on
        ),
    )


@transaction.atomic
def update_opportunity(
    *,
    opportunity: Opportunity,
    previous_stage: str,
    contacts: Iterable[Person] | None = None,
) -> Opportunity:
    """Save edits; a change of stage is recorded once in the dated history. ``contacts``,
    when given, become the people in it.

    The arrangement and hours feed the derived scores, which follow them. The status quo
    stays at "now" (see ``core.stage_for``).
    """
    opportunity.stage = stage_for(opportunity.stage, is_status_quo=opportunity.is_status_quo)
    opportunity.save()
    if contacts is not None:
        opportunity.contacts.set(contacts)
    if opportunity.stage != previous_stage:
        change = StageChange.objects.create(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            from_stage=previous_stage,
            to_stage=opportunity.stage,
        )
        record_stage_change(change)
    refresh_derived_scores(opportunity.owner_id, opportunities=[opportunity])
    return opportunity


@transaction.atomic
def delete_opportunity(*, opportunity: Opportunity) -> None:
    """Delete an opportunity with everything recorded on it: its scores, checkpoints,
    stage history, decisions and their reminders, its place among the options of
    decisions taken on other opportunities (those checkpoints are its own), and what
    friends said about it. A round of friends' links that asked about nothing else goes
    with it, links and answers; one that asked about other options too keeps them.
    (Archiving keeps everything.)"""
    rounds = list(
        FriendRound.objects.for_user(opportunity.owner_id)
        .filter(opportunities=opportunity)
        .values_list("pk", flat=True)
    )
    DecisionAlternative.objects.filter(evaluation__opportunity=opportunity).delete()
    opportunity.delete()
    if rounds:
        FriendRound.objects.filter(pk__in=rounds, opportunities__isnull=True).delete()


@transaction.atomic
def move_stage(
    *, opportunity: Opportunity, stage: str, happened_on: date | None = None
) -> StageChange | None:
    """Move an opportunity to ``stage``, recording the step once in its dated history
    and its story, dated ``happened_on`` (a step taken earlier and recorded now) or now.

    The row is locked first, so two tabs moving it at once record two consecutive
    steps instead of two steps from the same stage. Moving to the stage it is
    already in records nothing and returns ``None``; so does moving the status quo, which
    has no pipeline and stays at "now" (a decision about it moves nothing).
    """
    if stage not in Stage.values:
        raise ValueError(f"unknown stage {stage!r}")
    if opportunity.is_status_quo:
        return None
    if stage == Stage.NOW:
        raise ValueError("only the status quo is at 'now'")
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
    change = StageChange.objects.create(
        owner_id=opportunity.owner_id,
        opportunity=opportunity,
        from_stage=current,
        to_stage=stage,
        changed_at=now if happened_on is None else moment_on(happened_on),
    )
    record_stage_change(change)
    return change


def clear_opportunity_follow_up(*, opportunity: Opportunity) -> Opportunity:
    """The follow-up is done: it leaves the revisits due."""
    if opportunity.follow_up_on is not None:
        opportunity.follow_up_on = None
        opportunity.save(update_fields=["follow_up_on", "updated_at"])
    return opportunity


def set_opportunity_archived(*, opportunity: Opportunity, archived: bool) -> Opportunity:
    """Archive (or restore) an opportunity.

    Archived opportunities leave the dashboard and comparisons; their stage
    history, checkpoints and decisions stay in the journal, untouched.
    """
    if archived != opportunity.is_archived:
        opportunity.archived_at = timezone.now() if archived else None
        opportunity.save(update_fields=["archived_at", "updated_at"])
    return opportunity


VARIANT_COPIES = (
    "organisation",
    "contact",
    "source",
    "location",
    "workplace",
    "stage",
    "notes",
    "arose_from_id",
    "arose_from_person_id",
    *COMPENSATION_FIELDS,
)
"""What a variant takes over from the opportunity it is a variant of: everything but its
title, its own dates (follow-up, archived) and its place as status quo. The compensation
fields are the arrangement, hours and pay, which the variant is there to change."""


@transaction.atomic
def duplicate_as_variant(
    *, opportunity: Opportunity, happened_on: date | None = None
) -> Opportunity:
    """A copy of ``opportunity`` to weigh the same job on other terms (as employee and as
    subcontractor, at two rates): its details, contacts, pay and live scores, titled
    "… (variant)" for the person to rename; its story starts on ``happened_on`` (today).

    Every variant points at the first of them (``variant_of``), so a job's variants are
    one group however many times any of them is copied. The scores derived from pay and
    the arrangement are derived again for the copy from its own inputs (the same until it
    is edited); the ones set by hand are copied as they are, and stay set by hand.
    """
    if opportunity.is_status_quo:
        raise ValueError("the status quo is how things are now: it has no variants")
    copy = Opportunity(
        title=variant_title(opportunity.title),
        variant_of_id=opportunity.variant_of_id or opportunity.pk,
        **{name: getattr(opportunity, name) for name in VARIANT_COPIES},
    )
    create_opportunity(user=opportunity.owner_id, opportunity=copy, happened_on=happened_on)
    copy.contacts.set(opportunity.contacts.values_list("pk", flat=True))
    evaluation = live_evaluation(copy, lock=True)
    Score.objects.filter(evaluation=evaluation).delete()
    Score.objects.bulk_create(
        Score(
            owner_id=copy.owner_id,
            evaluation=evaluation,
            criterion_id=score.criterion_id,
            value=score.value,
            low=score.low,
            high=score.high,
            note=score.note,
            overridden=score.overridden,
        )
        for score in Score.objects.filter(evaluation=live_evaluation(opportunity))
    )
    criteria = list(active_criteria(copy.owner_id))
    refresh_derived_scores(copy.owner_id, opportunities=[copy], criteria=criteria)
    recompute_live(evaluation, criteria=criteria)
    return copy


def duplicate_as_variant_once(
    *, opportunity: Opportunity, submission: Submission
) -> Once[Opportunity]:
    """:func:`duplicate_as_variant`, once per page: a button sent twice (a double click,
    a retried request) makes one variant. Only the page's token counts, not what was
    sent: every "Duplicate" sends the same nothing, and a second variant is meant."""
    return create_once(
        user=opportunity.owner_id,
        submission=Submission(token=submission.token, fingerprint=uuid.uuid4().hex),
        model=Opportunity,
        create=lambda: duplicate_as_variant(opportunity=opportunity),
    )


def reopen_opportunity(
    *, opportunity: Opportunity, stage: str, happened_on: date | None = None
) -> StageChange | None:
    """Move a closed opportunity back to an open ``stage``: it is back on the open lists
    and in "Compare all open ones". Its history stays as it was, the closing included."""
    if stage in FINAL_STAGES or stage == Stage.NOW:
        raise ValueError(f"{stage!r} is not an open stage")
    return move_stage(opportunity=opportunity, stage=stage, happened_on=happened_on)
