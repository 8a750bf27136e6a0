"""Writes to the decision journal: decisions, what came of them, and the reminders to
look back on them."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from opportunities.journal.core import decided_to
from opportunities.journal.queries import due_for_reminder
from opportunities.models import (
    Decision,
    DecisionChoice,
    Opportunity,
    Outcome,
    RevisitReminder,
    Stage,
)
from opportunities.pipeline.services import move_stage
from opportunities.scoring.services import save_checkpoint

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
def record_decision(*, opportunity: Opportunity, decision: Decision) -> Decision:
    """Record ``decision`` (unsaved, as the form left it) on the evaluation as it stands.

    The evaluation is frozen as a checkpoint, so the decision always opens on the
    matrix it was based on. Accepting, declining or withdrawing also moves the
    opportunity to that stage of its pipeline.
    """
    checkpoint = save_checkpoint(
        opportunity=opportunity, label=f"Decision: {decision.get_choice_display().lower()}"
    )
    decision.owner_id = opportunity.owner_id
    decision.opportunity = opportunity
    decision.evaluation = checkpoint
    decision.save()
    if stage := DECISION_STAGES.get(decision.choice):
        move_stage(opportunity=opportunity, stage=stage)
    return decision


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
    outcome leaves the pipeline alone: it no longer says where things stand.
    ``decision.opportunity`` is expected to be loaded (``select_related``).
    """
    decision.save(update_fields=["outcome", "outcome_on", "reflection", "revisit_on", "updated_at"])
    stage = OUTCOME_STAGES.get(decision.outcome)
    if stage and decision.outcome != previous_outcome and _is_latest_decision(decision):
        move_stage(opportunity=decision.opportunity, stage=stage)
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
