"""Give every opportunity its story so far: an entry for each stage move, checkpoint,
decision and outcome recorded before timelines existed, and the status quo its own
stage ("Now"). The titles are written as opportunities.timeline.core writes them
(copied here, as a migration must not follow later changes to the app)."""

from django.db import migrations

STAGES = {
    "now": "Now",
    "lead": "Lead",
    "informational_interview": "Informational interview",
    "applied": "Applied",
    "interviewing": "Interviewing",
    "offer": "Offer",
    "accepted": "Accepted",
    "declined": "Declined",
    "not_selected": "Not selected",
    "withdrawn": "Withdrawn",
}
CHOICES = {"pursue": "Pursue it", "accept": "Accept", "decline": "Decline", "withdraw": "Withdraw"}
OUTCOMES = {
    "offer": "Offer made",
    "not_selected": "Not selected (someone else was hired)",
    "accepted": "Accepted",
    "declined": "Declined",
    "withdrew": "Withdrew",
    "no_response": "No response",
    "other": "Something else",
}


def backfill(apps, schema_editor):
    Opportunity = apps.get_model("opportunities", "Opportunity")
    StageChange = apps.get_model("opportunities", "StageChange")
    Evaluation = apps.get_model("opportunities", "Evaluation")
    Decision = apps.get_model("opportunities", "Decision")
    TimelineEntry = apps.get_model("opportunities", "TimelineEntry")

    Opportunity.objects.filter(is_status_quo=True).update(stage="now")
    entries = []
    for change in StageChange.objects.iterator():
        to_label = STAGES.get(change.to_stage, change.to_stage).lower()
        title = f"Moved to {to_label}" if change.from_stage else f"Added as {to_label}"
        entries.append(
            TimelineEntry(
                owner_id=change.owner_id,
                opportunity_id=change.opportunity_id,
                kind="stage",
                happened_on=change.changed_at.date(),
                title=title,
                stage_change_id=change.pk,
            )
        )
    decided = set(Decision.objects.values_list("evaluation_id", flat=True))
    for evaluation in Evaluation.objects.filter(frozen_at__isnull=False).iterator():
        if evaluation.pk in decided:
            continue
        entries.append(
            TimelineEntry(
                owner_id=evaluation.owner_id,
                opportunity_id=evaluation.opportunity_id,
                kind="checkpoint",
                happened_on=evaluation.frozen_at.date(),
                title=f"Checkpoint: {evaluation.label}"[:200],
                evaluation_id=evaluation.pk,
            )
        )
    for decision in Decision.objects.iterator():
        entries.append(
            TimelineEntry(
                owner_id=decision.owner_id,
                opportunity_id=decision.opportunity_id,
                kind="decision",
                happened_on=decision.decided_on,
                title=f"Decided to {CHOICES.get(decision.choice, decision.choice).lower()}",
                body=decision.rationale,
                decision_id=decision.pk,
                evaluation_id=decision.evaluation_id,
            )
        )
        if decision.outcome:
            label = OUTCOMES.get(decision.outcome, decision.outcome)
            entries.append(
                TimelineEntry(
                    owner_id=decision.owner_id,
                    opportunity_id=decision.opportunity_id,
                    kind="outcome",
                    happened_on=decision.outcome_on or decision.decided_on,
                    title=f"Outcome: {label[0].lower()}{label[1:]}",
                    body=decision.reflection,
                    decision_id=decision.pk,
                )
            )
    TimelineEntry.objects.bulk_create(entries, batch_size=500)


def forget(apps, schema_editor):
    apps.get_model("opportunities", "TimelineEntry").objects.all().delete()
    Opportunity = apps.get_model("opportunities", "Opportunity")
    Opportunity.objects.filter(is_status_quo=True, stage="now").update(stage="lead")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0006_story_people_lineage_variants")]

    operations = [migrations.RunPython(backfill, forget)]
