"""Writes to the decision journal: decisions, what came of them, and the reminders to
look back on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from opportunities.journal.core import alternative_label, decided_to
from opportunities.journal.queries import due_for_reminder
from opportunities.learning.services.commit import freeze_predictors, schedule_check_ins
from opportunities.models import (
    FINAL_STAGES,
    Decision,
    DecisionAlternative,
    DecisionChoice,
    Opportunity,
    Outcome,
    RevisitReminder,
    Stage,
)
from opportunities.models.limits import MAX_ALTERNATIVES
from opportunities.pipeline.services import move_stage
from opportunities.scoring.services import save_checkpoint
from opportunities.timeline import services as story

DECISION_STAGES: dict[str, str] = {
    DecisionChoice.ACCEPT: Stage.ACCEPTED,
    DecisionChoice.DECLINE: Stage.DECLINED,
    DecisionChoice.WITHDRAW: Stage.WITHDRAWN,
}
"""Where a decision leaves the opportunity in its pipeline; "pursue it" moves nothing."""


OUTCOME_STAGES: dict[str, str] = {
    Outcome.OFFER: Stage.OFFER,
    Outcome.NOT_SELECTED: Stage.NOT_SELECTED,
    Outcome.ACCEPTED: Stage.ACCEPTED,
    Outcome.DECLINED: Stage.DECLINED,
    Outcome.WITHDREW: Stage.WITHDRAWN,
}
"""Where an outcome leaves the opportunity; "no response" and "something else" move nothing."""


@transaction.atomic
def record_decision(
    *, opportunity: Opportunity, decision: Decision, alternatives: Sequence[Opportunity] = ()
) -> Decision:
    """Record ``decision`` (unsaved, as the form left it) on the evaluation as it stands.

    The evaluation is frozen as a checkpoint, so the decision always opens on the
    matrix it was based on; so is each of the ``alternatives`` it was weighed against
    (the owner's other open opportunities), so the journal can say what was chosen
    over what, and by how much. Accepting, declining or withdrawing also moves the
    opportunity to that stage of its pipeline, on the day decided. The decision takes
    its place in the opportunity's story (its checkpoint writes no entry of its own).
    What the matrix, the gut and friends foresaw is frozen with it, and its check-ins
    are scheduled (``learning.services.commit``).
    """
    alternatives = _weighable(opportunity, alternatives)
    checkpoint = save_checkpoint(
        opportunity=opportunity,
        label=f"Decision: {decision.get_choice_display().lower()}",
        in_story=False,
    )
    decision.owner_id = opportunity.owner_id
    decision.opportunity = opportunity
    decision.evaluation = checkpoint
    decision.save()
    frozen = _freeze_alternatives(decision, alternatives)
    freeze_predictors(decision, alternative_checkpoints=[row.evaluation for row in frozen])
    schedule_check_ins(decision)
    story.record_decision(decision)
    if stage := DECISION_STAGES.get(decision.choice):
        move_stage(opportunity=opportunity, stage=stage, happened_on=decision.decided_on)
    return decision


def _weighable(opportunity: Opportunity, alternatives: Sequence[Opportunity]) -> list[Opportunity]:
    """``alternatives`` without repeats, once each is known to be one of the owner's
    other open opportunities. Every opportunity involved is locked, in one order
    whatever the decision, so two decisions weighing the same options at once freeze
    them one after the other instead of deadlocking."""
    unique = list({alternative.pk: alternative for alternative in alternatives}.values())
    if len(unique) > MAX_ALTERNATIVES:
        raise ValueError(f"a decision is weighed against at most {MAX_ALTERNATIVES} options")
    if not unique:
        return []
    ids = [opportunity.pk, *(alternative.pk for alternative in unique)]
    locked = (
        Opportunity.objects.select_for_update()
        .filter(pk__in=ids, owner_id=opportunity.owner_id)
        .order_by("pk")
        .values_list("pk", "archived_at", "stage")
    )
    open_ones = {
        pk for pk, archived_at, stage in locked if archived_at is None and stage not in FINAL_STAGES
    }
    for alternative in unique:
        if alternative.pk == opportunity.pk or alternative.pk not in open_ones:
            raise ValueError(
                "a decision is weighed only against the owner's other open opportunities"
            )
    return unique


def _freeze_alternatives(
    decision: Decision, alternatives: Sequence[Opportunity]
) -> list[DecisionAlternative]:
    """Freeze a checkpoint of each alternative, remembered with the decision. Those
    checkpoints write nothing in the alternatives' stories: the decision's own entry
    tells of them."""
    label = alternative_label(decision.opportunity.title)
    return DecisionAlternative.objects.bulk_create(
        DecisionAlternative(
            owner_id=decision.owner_id,
            decision=decision,
            opportunity=alternative,
            title=alternative.title,
            is_status_quo=alternative.is_status_quo,
            evaluation=save_checkpoint(opportunity=alternative, label=label, in_story=False),
        )
        for alternative in alternatives
    )


def _is_latest_decision(decision: Decision) -> bool:
    later = Q(decided_on__gt=decision.decided_on) | Q(
        decided_on=decision.decided_on, pk__gt=decision.pk
    )
    siblings = Decision.objects.filter(opportunity_id=decision.opportunity_id)
    return not siblings.filter(later).exists()


@transaction.atomic
def update_outcome(*, decision: Decision, previous_outcome: str) -> Decision:
    """Save the outcome, reflection and revisit date edited on ``decision``.

    A new outcome on the opportunity's latest decision also moves the opportunity
    to the matching stage ("not selected", "accepted"...). An older decision's
    outcome leaves the pipeline alone: it no longer says where things stand. The
    outcome's entry in the story follows it (``timeline.services.record_outcome``).
    ``decision.opportunity`` is expected to be loaded (``select_related``).
    """
    before = story.outcome_before(decision)
    decision.save(update_fields=["outcome", "outcome_on", "reflection", "revisit_on", "updated_at"])
    story.record_outcome(decision, before=before)
    stage = OUTCOME_STAGES.get(decision.outcome)
    if stage and decision.outcome != previous_outcome and _is_latest_decision(decision):
        move_stage(opportunity=decision.opportunity, stage=stage, happened_on=decision.outcome_on)
    return decision


def claim_revisit_reminder(decision: Decision) -> bool:
    """Record that ``decision`` is being reminded of its revisit date. False when it
    already was (an earlier run, or another server running at the same moment): the
    unique constraint lets exactly one claim win."""
    if decision.revisit_on is None:
        raise ValueError("a decision without a revisit date has nothing to be reminded of")
    _, created = RevisitReminder.objects.get_or_create(
        decision=decision,
        due_on=decision.revisit_on,
        defaults={"owner_id": decision.owner_id},
    )
    return created


def send_revisit_reminders(*, today: date) -> int:
    """Remind the owner of every decision whose revisit date has come: a reminder is
    recorded (the dashboard shows due revisits either way) and emailed where the owner
    has an address. Each decision is reminded once per revisit date however often this
    runs, because the reminder is claimed before its email is sent. Returns how many
    reminders were sent."""
    sent = 0
    for decision in due_for_reminder(today):
        with transaction.atomic():
            if not claim_revisit_reminder(decision):
                continue
            sent += 1
            if decision.owner.email:
                send_mail(
                    subject=f"Time to revisit your decision on {decision.opportunity.title}",
                    message=(
                        f"On {decision.decided_on:%d %B %Y} you decided to "
                        f"{decided_to(decision.choice)} “{decision.opportunity.title}”. "
                        f"You asked to look back on it on {decision.revisit_on:%d %B %Y}: "
                        "what happened, and what did "
                        f"you learn?\n\n{settings.SITE_URL}{reverse('opportunities:dashboard')}"
                    ),
                    from_email=None,
                    recipient_list=[decision.owner.email],
                )
    return sent
