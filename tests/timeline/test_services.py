"""The story is written by hand and by the app: stage moves, checkpoints, decisions and
outcomes each leave their dated entry, back-dated when they happened earlier."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from opportunities.journal.services import record_decision, update_outcome
from opportunities.models import (
    Decision,
    DecisionChoice,
    EntryKind,
    Outcome,
    Person,
    Stage,
    StageChange,
    TimelineEntry,
)
from opportunities.pipeline.services import move_stage, update_opportunity
from opportunities.scoring.services import save_checkpoint, save_score
from opportunities.timeline import services
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def entries(opportunity, **filters) -> list[TimelineEntry]:
    """The story's entries, the last written first."""
    return list(TimelineEntry.objects.filter(opportunity=opportunity, **filters).order_by("-id"))


def kinds(opportunity) -> list[str]:
    """The story's kinds, in the order they were written."""
    return [e.kind for e in reversed(entries(opportunity))]


def scored(opportunity, criteria) -> None:
    save_score(opportunity=opportunity, criterion=criteria[0], value=7)


def test_a_new_opportunity_starts_its_story_with_its_stage(user):
    opportunity = OpportunityFactory(owner=user, stage=Stage.INFORMATIONAL_INTERVIEW)
    (entry,) = entries(opportunity)
    assert entry.kind == EntryKind.STAGE
    assert entry.title == "Added as informational interview"
    assert entry.happened_on == timezone.localdate()
    assert entry.stage_change_id == StageChange.objects.get(opportunity=opportunity).pk
    assert entry.owner_id == user.pk


def test_the_status_quo_is_added_as_the_status_quo(user):
    opportunity = OpportunityFactory(owner=user, is_status_quo=True)
    assert entries(opportunity)[0].title == "Added as the status quo"


def test_a_stage_move_is_dated_the_day_it_happened(opportunity):
    day = timezone.localdate() - timedelta(days=40)
    change = move_stage(opportunity=opportunity, stage=Stage.INTERVIEWING, happened_on=day)
    assert timezone.localdate(change.changed_at) == day
    entry = entries(opportunity, kind=EntryKind.STAGE)[0]
    assert (entry.title, entry.happened_on, entry.stage_change_id) == (
        "Moved to interviewing",
        day,
        change.pk,
    )


def test_a_stage_move_today_is_now(opportunity):
    before = timezone.now()
    change = move_stage(
        opportunity=opportunity, stage=Stage.APPLIED, happened_on=timezone.localdate()
    )
    assert change.changed_at >= before
    assert entries(opportunity)[0].happened_on == timezone.localdate()


def test_moving_to_the_same_stage_writes_nothing(opportunity):
    assert move_stage(opportunity=opportunity, stage=opportunity.stage) is None
    assert len(entries(opportunity)) == 1


def test_a_stage_changed_in_the_details_form_is_in_the_story(opportunity):
    previous = opportunity.stage
    opportunity.stage = Stage.APPLIED
    update_opportunity(opportunity=opportunity, previous_stage=previous)
    assert entries(opportunity)[0].title == "Moved to applied"


def test_a_checkpoint_is_in_the_story_on_the_day_given(opportunity, criteria):
    scored(opportunity, criteria)
    day = date(2025, 11, 20)
    checkpoint = save_checkpoint(opportunity=opportunity, label="after the call", happened_on=day)
    entry = entries(opportunity, kind=EntryKind.CHECKPOINT)[0]
    assert (entry.title, entry.happened_on, entry.evaluation_id) == (
        "Checkpoint: after the call",
        day,
        checkpoint.pk,
    )
    save_checkpoint(opportunity=opportunity, label="today")
    assert entries(opportunity, kind=EntryKind.CHECKPOINT)[0].happened_on == timezone.localdate()


def test_a_checkpoint_kept_out_of_the_story_writes_nothing(opportunity, criteria):
    scored(opportunity, criteria)
    save_checkpoint(opportunity=opportunity, label="alternative", in_story=False)
    assert entries(opportunity, kind=EntryKind.CHECKPOINT) == []


def test_a_decision_writes_its_own_entry_and_not_its_checkpoints(opportunity, criteria):
    scored(opportunity, criteria)
    day = timezone.localdate() - timedelta(days=3)
    decision = record_decision(
        opportunity=opportunity,
        decision=Decision(choice=DecisionChoice.ACCEPT, decided_on=day, rationale="It fits."),
    )
    assert entries(opportunity, kind=EntryKind.CHECKPOINT) == []
    (entry,) = entries(opportunity, kind=EntryKind.DECISION)
    assert (entry.title, entry.happened_on, entry.body) == ("Decided to accept", day, "It fits.")
    assert (entry.decision_id, entry.evaluation_id) == (decision.pk, decision.evaluation_id)
    # Accepting moves the opportunity, on the day decided, after the decision in the story.
    assert kinds(opportunity) == [EntryKind.STAGE, EntryKind.DECISION, EntryKind.STAGE]
    moved = entries(opportunity, kind=EntryKind.STAGE)[0]
    assert (moved.title, moved.happened_on) == ("Moved to accepted", day)


def _decided(opportunity, criteria, *, days_ago: int = 10) -> Decision:
    scored(opportunity, criteria)
    return record_decision(
        opportunity=opportunity,
        decision=Decision(
            choice=DecisionChoice.PURSUE,
            decided_on=timezone.localdate() - timedelta(days=days_ago),
        ),
    )


def _outcome(decision: Decision, outcome: str, *, on: date | None, reflection: str = "") -> None:
    previous = decision.outcome
    decision.outcome, decision.outcome_on, decision.reflection = outcome, on, reflection
    update_outcome(decision=decision, previous_outcome=previous)


def test_an_outcome_is_written_once_and_follows_what_changes(opportunity, criteria):
    decision = _decided(opportunity, criteria)
    three_days_later = decision.decided_on + timedelta(days=3)
    _outcome(decision, Outcome.NOT_SELECTED, on=three_days_later, reflection="Close call.")
    (entry,) = entries(opportunity, kind=EntryKind.OUTCOME)
    assert entry.title == "Outcome: not selected (someone else was hired)"
    assert (entry.happened_on, entry.body) == (three_days_later, "Close call.")
    assert entry.decision_id == decision.pk
    # The move to "not selected" is dated with the outcome.
    moved = entries(opportunity, kind=EntryKind.STAGE)[0]
    assert (moved.title, moved.happened_on) == ("Moved to not selected", three_days_later)

    # Words edited on the entry stay while their source is unchanged...
    entry.title = "They hired someone else"
    entry.save()
    _outcome(decision, Outcome.NOT_SELECTED, on=three_days_later, reflection="Close call.")
    assert entries(opportunity, kind=EntryKind.OUTCOME)[0].title == "They hired someone else"
    # ...and what changed is carried over.
    _outcome(decision, Outcome.OFFER, on=three_days_later, reflection="Wrote back.")
    (entry,) = entries(opportunity, kind=EntryKind.OUTCOME)
    assert (entry.title, entry.body) == ("Outcome: offer made", "Wrote back.")


def test_an_outcome_taken_back_takes_its_entry(opportunity, criteria):
    decision = _decided(opportunity, criteria)
    _outcome(decision, Outcome.NO_RESPONSE, on=timezone.localdate())
    assert len(entries(opportunity, kind=EntryKind.OUTCOME)) == 1
    _outcome(decision, "", on=None)
    assert entries(opportunity, kind=EntryKind.OUTCOME) == []


def test_entries_by_hand_are_added_edited_and_deleted(opportunity, user):
    ana = Person.objects.create(owner=user, name="Ana")
    entry = services.add_entry(
        opportunity=opportunity,
        entry=TimelineEntry(
            kind=EntryKind.CONVERSATION,
            happened_on=date(2025, 11, 12),
            title="Informational interview with Ana",
            person=ana,
        ),
    )
    assert (entry.owner_id, entry.opportunity_id) == (user.pk, opportunity.pk)
    entry.title = "Coffee with Ana"
    services.update_entry(entry=entry)
    assert TimelineEntry.objects.get(pk=entry.pk).title == "Coffee with Ana"
    services.delete_entry(entry=entry)
    assert not TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_the_apps_entries_are_not_added_or_deleted_by_hand(opportunity):
    with pytest.raises(ValueError, match="written by the app"):
        services.add_entry(
            opportunity=opportunity, entry=TimelineEntry(kind=EntryKind.DECISION, title="x")
        )
    stage_entry = entries(opportunity)[0]
    with pytest.raises(ValueError, match="goes only with what it records"):
        services.delete_entry(entry=stage_entry)
    assert TimelineEntry.objects.filter(pk=stage_entry.pk).exists()


def test_what_an_entry_records_takes_it_along(opportunity, criteria):
    scored(opportunity, criteria)
    checkpoint = save_checkpoint(opportunity=opportunity, label="gone soon")
    assert entries(opportunity, kind=EntryKind.CHECKPOINT)
    checkpoint.delete()
    assert entries(opportunity, kind=EntryKind.CHECKPOINT) == []


def test_moment_on_keeps_the_day_in_the_current_time_zone():
    today = timezone.localdate()
    assert services.moment_on(None) <= timezone.now()
    for day in (today, today - timedelta(days=1), date(2000, 1, 1)):
        assert timezone.localdate(services.moment_on(day)) == day
