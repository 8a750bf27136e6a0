"""Writes to an opportunity's story: the entries a person adds, edits and deletes, and the
ones the app writes itself as a stage move, a checkpoint, a decision or its outcome is
recorded (the services of those features call the ``record_*`` functions here).

An entry the app wrote can be edited (its date, title and words) but not deleted by
hand: it goes with what it records (a stage move, a checkpoint, a decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from opportunities.models import (
    WRITTEN_BY_HAND,
    Decision,
    EntryKind,
    Evaluation,
    Opportunity,
    Stage,
    StageChange,
    TimelineEntry,
)
from opportunities.timeline.core import (
    checkpoint_title,
    decision_title,
    outcome_title,
    stage_title,
)


def moment_on(day: date | None) -> datetime:
    """When something recorded as happening on ``day`` happened: now for today (or no
    day), else that day at the present time of day, so a back-dated step keeps its date
    in every time zone view of the same day."""
    now = timezone.now()
    if day is None or day == timezone.localdate(now):
        return now
    local = timezone.localtime(now)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


# --- Entries written by hand ----------------------------------------------------------------


def add_entry(*, opportunity: Opportunity, entry: TimelineEntry) -> TimelineEntry:
    """Save ``entry`` (unsaved, as the form left it) in ``opportunity``'s story."""
    if entry.kind not in WRITTEN_BY_HAND:
        raise ValueError(f"{entry.kind!r} entries are written by the app, not by hand")
    entry.owner_id = opportunity.owner_id
    entry.opportunity = opportunity
    entry.save()
    return entry


def update_entry(*, entry: TimelineEntry) -> TimelineEntry:
    """Save an edited entry: any entry's date, title and words; a hand-written one's kind
    and person too (the form offers only what may change). A stage move's entry moves the
    step it records to the same day, so the pipeline and the story agree."""
    entry.save()
    if entry.stage_change_id is not None:
        StageChange.objects.filter(pk=entry.stage_change_id).update(
            changed_at=moment_on(entry.happened_on)
        )
    return entry


def delete_entry(*, entry: TimelineEntry) -> None:
    """Delete an entry written by hand. The app's own entries go with what they record."""
    if entry.kind not in WRITTEN_BY_HAND:
        raise ValueError("an entry the app wrote goes only with what it records")
    entry.delete()


# --- Entries the app writes -----------------------------------------------------------------


def _stage_label(stage: str) -> str:
    if stage == Stage.NOW:
        return "the status quo"
    return str(Stage(stage).label) if stage in Stage.values else stage


def record_stage_change(change: StageChange) -> TimelineEntry:
    """The entry of a step in the pipeline, dated as the step is."""
    return TimelineEntry.objects.create(
        owner_id=change.owner_id,
        opportunity_id=change.opportunity_id,
        kind=EntryKind.STAGE,
        happened_on=timezone.localdate(change.changed_at),
        title=stage_title(
            to_label=_stage_label(change.to_stage),
            from_label=_stage_label(change.from_stage) if change.from_stage else "",
        ),
        stage_change=change,
    )


def record_checkpoint(checkpoint: Evaluation, *, happened_on: date | None = None) -> TimelineEntry:
    """The entry of a checkpoint saved on its own (a decision's checkpoint has the
    decision's entry instead), dated ``happened_on`` (today when None)."""
    return TimelineEntry.objects.create(
        owner_id=checkpoint.owner_id,
        opportunity_id=checkpoint.opportunity_id,
        kind=EntryKind.CHECKPOINT,
        happened_on=happened_on or timezone.localdate(),
        title=checkpoint_title(checkpoint.label),
        evaluation=checkpoint,
    )


def record_decision(decision: Decision) -> TimelineEntry:
    """The entry of a decision, dated the day it was taken, with its rationale."""
    return TimelineEntry.objects.create(
        owner_id=decision.owner_id,
        opportunity_id=decision.opportunity_id,
        kind=EntryKind.DECISION,
        happened_on=decision.decided_on,
        title=decision_title(decision.get_choice_display()),
        body=decision.rationale,
        decision=decision,
        evaluation_id=decision.evaluation_id,
    )


@dataclass(frozen=True, slots=True)
class OutcomeBefore:
    """A decision's outcome as it was before an edit."""

    outcome: str
    outcome_on: date | None
    reflection: str


def outcome_before(decision: Decision) -> OutcomeBefore:
    """``decision``'s outcome as stored (read before the edit is saved)."""
    outcome, outcome_on, reflection = Decision.objects.values_list(
        "outcome", "outcome_on", "reflection"
    ).get(pk=decision.pk)
    return OutcomeBefore(outcome=outcome, outcome_on=outcome_on, reflection=reflection)


def record_outcome(decision: Decision, *, before: OutcomeBefore) -> TimelineEntry | None:
    """Keep the entry of ``decision``'s outcome in step with it.

    Written when an outcome is first set; after that, only what the edit changed is
    carried over (the outcome to the title, its date to the entry's, the reflection to
    its words), so words edited on the entry itself stay unless their source changes.
    An outcome taken back takes its entry with it.
    """
    entry = TimelineEntry.objects.filter(decision=decision, kind=EntryKind.OUTCOME).first()
    if not decision.outcome:
        if entry is not None:
            entry.delete()
        return None
    happened_on = decision.outcome_on or decision.decided_on
    title = outcome_title(decision.get_outcome_display())
    if entry is None:
        return TimelineEntry.objects.create(
            owner_id=decision.owner_id,
            opportunity_id=decision.opportunity_id,
            kind=EntryKind.OUTCOME,
            happened_on=happened_on,
            title=title,
            body=decision.reflection,
            decision=decision,
        )
    changed: list[str] = []
    if decision.outcome != before.outcome:
        entry.title = title
        changed.append("title")
    if decision.outcome_on != before.outcome_on:
        entry.happened_on = happened_on
        changed.append("happened_on")
    if decision.reflection != before.reflection:
        entry.body = decision.reflection
        changed.append("body")
    if changed:
        entry.save(update_fields=[*changed, "updated_at"])
    return entry
