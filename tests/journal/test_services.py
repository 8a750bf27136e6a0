"""The decision journal's services and read side: checkpoints freeze exactly, decisions
keep the matrix they were based on, the pipeline keeps a dated history, and nothing in
the journal is lost by editing something else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import add_criterion, set_archived, update_criterion
from opportunities.journal.core import describe_change, frozen_matrix, score_now
from opportunities.journal.queries import (
    due_for_revisit,
    frozen_scores,
    opportunity_history,
    priorities,
)
from opportunities.journal.services import record_decision, update_outcome
from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    Evaluation,
    Outcome,
    Score,
    Stage,
    StageChange,
)
from opportunities.pipeline.queries import archived_opportunities
from opportunities.pipeline.services import move_stage, set_opportunity_archived, update_opportunity
from opportunities.scoring.core import Change, compute_decision_score, rated_frozen
from opportunities.scoring.services import live_evaluation, save_checkpoint, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

# The default criteria and their weights (tests/conftest.py gives every user these).
STORY_SCORES = {
    "Values fit": 8,  # weight 8
    "Pay": 6,  # 7
    "Personal growth": 7,  # 6
    "Professional development": 8,  # 6
    "Daily & weekly life": 6,  # 8
    "Employee vs. subcontractor": 4,  # 4
    "Gut feeling": 8,  # 7
}
# Σ w·s = 64 + 42 + 42 + 48 + 48 + 16 + 56 = 316 over Σ w = 46.
STORY_TOTAL = 10 * 316 / 46


def by_name(user) -> dict[str, Criterion]:
    return {c.name: c for c in Criterion.objects.for_user(user)}


def score_all(opportunity, user, scores: dict[str, int | None]) -> None:
    criteria = by_name(user)
    for name, value in scores.items():
        save_score(opportunity=opportunity, criterion=criteria[name], value=value)


def frozen_rows(evaluation) -> list[Score]:
    return list(Score.objects.filter(evaluation=evaluation).order_by("criterion__position"))


def recompute(evaluation):
    """A checkpoint's score, recomputed from nothing but its stored rows."""
    return compute_decision_score(rated_frozen(frozen_rows(evaluation)))


def make_decision(opportunity, **fields) -> Decision:
    fields.setdefault("choice", DecisionChoice.PURSUE)
    return record_decision(opportunity=opportunity, decision=Decision(**fields))


# --- Checkpoints -------------------------------------------------------------------------------


def test_checkpoint_captures_every_active_criterion_as_it_is_scored_or_not(user, opportunity):
    criteria = by_name(user)
    criteria["Daily & weekly life"].minimum = 5
    update_criterion(criterion=criteria["Daily & weekly life"])
    score_all(opportunity, user, {"Values fit": 8, "Daily & weekly life": 4})

    checkpoint = save_checkpoint(opportunity=opportunity, label="  After the interview ")

    assert checkpoint.label == "After the interview"
    assert checkpoint.frozen_at is not None
    rows = {row.criterion_name: row for row in frozen_rows(checkpoint)}
    assert len(rows) == 7  # the five unscored ones too, so coverage stays "2 of 7"
    assert (rows["Values fit"].value, rows["Values fit"].weight) == (8, 8)
    assert rows["Daily & weekly life"].minimum == 5
    assert rows["Gut feeling"].value is None
    assert rows["Gut feeling"].weight == 7
    # (8·8 + 8·4) / (10·(8 + 8)) = 96 / 160
    assert checkpoint.decision_score == pytest.approx(60.0)
    assert (checkpoint.scored_count, checkpoint.criteria_count) == (2, 7)
    assert checkpoint.must_have_failures == 1


def test_checkpoint_of_an_archived_criterion_keeps_its_score_out_of_the_result(user, opportunity):
    score_all(opportunity, user, {"Values fit": 10, "Gut feeling": 0})
    gut = by_name(user)["Gut feeling"]
    set_archived(criterion=gut, archived=True)

    checkpoint = save_checkpoint(opportunity=opportunity, label="Without gut")

    archived_row = Score.objects.get(evaluation=checkpoint, criterion=gut)
    assert archived_row.value == 0
    assert archived_row.weight is None
    assert checkpoint.decision_score == pytest.approx(100.0)
    assert checkpoint.criteria_count == 6


def test_checkpoint_carries_on_in_an_identical_live_copy(user, opportunity):
    criteria = by_name(user)
    save_score(opportunity=opportunity, criterion=criteria["Pay"], value=3, note="below my floor")
    save_score(opportunity=opportunity, criterion=criteria["Values fit"], value=9)
    before = live_evaluation(opportunity)

    checkpoint = save_checkpoint(opportunity=opportunity, label="Before the call")

    live = live_evaluation(opportunity)
    assert checkpoint.pk == before.pk
    assert live.pk != checkpoint.pk
    assert live.decision_score == checkpoint.decision_score
    copies = {s.criterion_id: s for s in Score.objects.filter(evaluation=live)}
    assert set(copies) == {criteria["Pay"].pk, criteria["Values fit"].pk}
    pay = copies[criteria["Pay"].pk]
    assert (pay.value, pay.note, pay.overridden) == (3, "below my floor", True)
    assert pay.weight is None  # live rows follow today's weights

    save_score(opportunity=opportunity, criterion=criteria["Pay"], value=9)
    assert Score.objects.get(evaluation=checkpoint, criterion=criteria["Pay"]).value == 3


def test_checkpoint_needs_a_label(opportunity):
    with pytest.raises(ValueError, match="label"):
        save_checkpoint(opportunity=opportunity, label="   ")
    assert not Evaluation.objects.checkpoints().exists()


def test_checkpoint_and_decision_recompute_to_exactly_what_they_showed_after_criteria_change(
    user, opportunity
):
    score_all(opportunity, user, STORY_SCORES)
    checkpoint = save_checkpoint(opportunity=opportunity, label="After the interview")
    decision = make_decision(opportunity, choice=DecisionChoice.ACCEPT, confidence=70)
    shown = {checkpoint.pk: checkpoint.decision_score, decision.evaluation_id: STORY_TOTAL}
    assert checkpoint.decision_score == pytest.approx(STORY_TOTAL)
    decision.evaluation.refresh_from_db()
    assert decision.evaluation.decision_score == pytest.approx(STORY_TOTAL)

    # Everything about the criteria changes afterwards.
    criteria = by_name(user)
    pay = criteria["Pay"]
    pay.weight, pay.minimum = 1, 9
    update_criterion(criterion=pay)
    values = criteria["Values fit"]
    values.name = "Mission"
    values.weight = 10
    update_criterion(criterion=values)
    set_archived(criterion=criteria["Gut feeling"], archived=True)
    add_criterion(user=user, criterion=Criterion(name="Commute", weight=9))
    save_score(opportunity=opportunity, criterion=pay, value=0)

    for evaluation in Evaluation.objects.checkpoints().filter(opportunity=opportunity):
        result = recompute(evaluation)
        assert result.value == evaluation.decision_score  # exactly, not approximately
        assert result.value == pytest.approx(shown[evaluation.pk])
        assert (result.scored, result.total, len(result.failures)) == (7, 7, 0)
        names = [row.criterion_name for row in frozen_rows(evaluation)]
        assert "Values fit" in names
        assert "Mission" not in names
        assert "Commute" not in names
        assert "Gut feeling" in names
    # The live evaluation, meanwhile, follows today's criteria.
    assert live_evaluation(opportunity).decision_score != pytest.approx(STORY_TOTAL)


def test_frozen_matrix_shows_then_beside_now(user, opportunity):
    score_all(opportunity, user, {"Values fit": 10, "Pay": 0, "Gut feeling": 5})
    checkpoint = save_checkpoint(opportunity=opportunity, label="Then")
    criteria = by_name(user)
    pay = criteria["Pay"]
    pay.weight, pay.name = 0, "Money"
    update_criterion(criterion=pay)
    set_archived(criterion=criteria["Gut feeling"], archived=True)
    add_criterion(user=user, criterion=Criterion(name="Commute", weight=3))

    matrix = frozen_matrix(frozen_scores(checkpoint), list(active_criteria(user)))

    # Then: (8·10 + 7·0 + 7·5) / (10·22) = 115 / 220
    assert matrix.result.value == pytest.approx(100 * 115 / 220)
    assert matrix.result.value == checkpoint.decision_score
    # Now: pay weighs 0, gut feeling is archived: only values fit counts.
    assert matrix.now.value == pytest.approx(100.0)
    assert matrix.now.coverage_label == "2 of 7 scored"
    rows = {row.name: row for row in matrix.rows}
    assert rows["Pay"].renamed
    assert rows["Pay"].today.name == "Money"
    assert rows["Pay"].reweighted
    assert rows["Gut feeling"].archived_since
    assert rows["Values fit"].points == pytest.approx(10 * 8 * 10 / 22)
    assert sum(r.share for r in matrix.rows) == pytest.approx(100)
    assert [c.name for c in matrix.added_since] == ["Commute"]
    assert matrix.shift == pytest.approx(100 - 100 * 115 / 220)


# --- Decisions and outcomes ----------------------------------------------------------------------


def test_recording_a_decision_freezes_the_evaluation_it_was_based_on(user, opportunity):
    score_all(opportunity, user, {"Values fit": 8})
    decision = make_decision(
        opportunity,
        choice=DecisionChoice.DECLINE,
        confidence=80,
        rationale="The hours would undo what I gained.",
        gut_check="yes",
    )

    decision.refresh_from_db()
    checkpoint = Evaluation.objects.get(pk=decision.evaluation_id)
    assert checkpoint.is_frozen
    assert checkpoint.label == "Decision: decline"
    assert checkpoint.decision_score == pytest.approx(80.0)
    assert decision.owner_id == user.pk
    assert live_evaluation(opportunity).pk != checkpoint.pk
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.DECLINED


def test_pursuing_leaves_the_pipeline_where_it_is(opportunity):
    make_decision(opportunity, choice=DecisionChoice.PURSUE)
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.LEAD
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def _with_opportunity(decision) -> Decision:
    return Decision.objects.select_related("opportunity").get(pk=decision.pk)


def test_an_outcome_on_the_latest_decision_moves_the_pipeline_once(opportunity):
    decision = _with_opportunity(make_decision(opportunity))
    decision.outcome = Outcome.NOT_SELECTED
    decision.outcome_on = timezone.localdate()
    decision.reflection = "The thinking itself was the value."
    update_outcome(decision=decision, previous_outcome="")
    update_outcome(decision=decision, previous_outcome=Outcome.NOT_SELECTED)

    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NOT_SELECTED
    steps = list(StageChange.objects.filter(opportunity=opportunity))
    assert [s.to_stage for s in steps] == [Stage.LEAD, Stage.NOT_SELECTED]
    decision.refresh_from_db()
    assert decision.reflection == "The thinking itself was the value."


def test_an_outcome_on_an_older_decision_leaves_the_pipeline_alone(opportunity):
    older = make_decision(opportunity, decided_on=timezone.localdate() - timedelta(days=30))
    make_decision(opportunity, choice=DecisionChoice.ACCEPT)
    older = _with_opportunity(older)
    older.outcome = Outcome.OFFER
    update_outcome(decision=older, previous_outcome="")
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.ACCEPTED


# --- The pipeline ------------------------------------------------------------------------------


def test_stage_history_is_recorded_once_per_change_in_order_with_dates(opportunity):
    before = timezone.now()
    assert move_stage(opportunity=opportunity, stage=Stage.APPLIED) is not None
    assert move_stage(opportunity=opportunity, stage=Stage.APPLIED) is None
    move_stage(opportunity=opportunity, stage=Stage.INTERVIEWING)
    move_stage(opportunity=opportunity, stage=Stage.NOT_SELECTED)

    steps = list(StageChange.objects.filter(opportunity=opportunity))
    assert [(s.from_stage, s.to_stage) for s in steps] == [
        ("", Stage.LEAD),
        (Stage.LEAD, Stage.APPLIED),
        (Stage.APPLIED, Stage.INTERVIEWING),
        (Stage.INTERVIEWING, Stage.NOT_SELECTED),
    ]
    dates = [s.changed_at for s in steps]
    assert dates == sorted(dates)
    assert all(d >= before for d in dates[1:])
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NOT_SELECTED


def test_editing_other_fields_adds_no_stage_history(opportunity):
    opportunity.title = "Senior content strategist"
    opportunity.notes = "They called back."
    update_opportunity(opportunity=opportunity, previous_stage=opportunity.stage)
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_moving_to_an_unknown_stage_is_refused(opportunity):
    with pytest.raises(ValueError, match="unknown stage"):
        move_stage(opportunity=opportunity, stage="hired")


# --- Archiving, and nothing lost ---------------------------------------------------------------


def test_archiving_an_opportunity_keeps_its_history_and_decisions(user, opportunity):
    score_all(opportunity, user, {"Values fit": 7})
    save_checkpoint(opportunity=opportunity, label="Early")
    make_decision(opportunity)
    set_opportunity_archived(opportunity=opportunity, archived=True)
    archived_at = opportunity.archived_at
    set_opportunity_archived(opportunity=opportunity, archived=True)

    opportunity.refresh_from_db()
    assert opportunity.archived_at == archived_at
    assert archived_opportunities(user) == [opportunity]
    assert Evaluation.objects.checkpoints().filter(opportunity=opportunity).count() == 2
    assert Decision.objects.filter(opportunity=opportunity).count() == 1

    set_opportunity_archived(opportunity=opportunity, archived=False)
    opportunity.refresh_from_db()
    assert opportunity.archived_at is None
    assert archived_opportunities(user) == []


def test_nothing_in_the_journal_is_deleted_by_editing_something_else(user, opportunity):
    score_all(opportunity, user, STORY_SCORES)
    decision = make_decision(opportunity)
    snapshot = [
        (s.criterion_id, s.value, s.weight, s.minimum, s.criterion_name)
        for s in frozen_rows(decision.evaluation)
    ]
    criteria = by_name(user)
    for criterion in criteria.values():
        criterion.weight = 10 - criterion.weight
        criterion.name += " (renamed)"
        update_criterion(criterion=criterion)
    set_archived(criterion=criteria["Pay"], archived=True)
    save_score(opportunity=opportunity, criterion=criteria["Values fit"], value=0)
    opportunity.title = "Renamed"
    update_opportunity(opportunity=opportunity, previous_stage=opportunity.stage)
    set_opportunity_archived(opportunity=opportunity, archived=True)

    assert Decision.objects.filter(pk=decision.pk).exists()
    assert [
        (s.criterion_id, s.value, s.weight, s.minimum, s.criterion_name)
        for s in frozen_rows(decision.evaluation)
    ] == snapshot


# --- The read side ------------------------------------------------------------------------------


def change(**fields) -> Change:
    defaults = {
        "criterion": 1,
        "before": 5,
        "after": 5,
        "weight_before": 5,
        "weight_after": 5,
        "points": 1.0,
    }
    return Change(**(defaults | fields))


@pytest.mark.parametrize(
    ("fields", "counted", "words"),
    [
        ({"before": 5, "after": 9}, (True, True), "score 5 → 9"),
        ({"weight_before": 7, "weight_after": 5}, (True, True), "weight 7 → 5"),
        ({"after": 9, "weight_after": 2}, (True, True), "score 5 → 9, weight 5 → 2"),
        ({"before": None, "after": 4}, (True, True), "score not scored → 4"),
        ({}, (True, True), "same score and weight; its share moved with the other weights"),
        ({"before": None, "weight_before": 0}, (False, True), "added since, scored 5"),
        ({"before": None, "after": None}, (False, True), "added since"),
        ({"after": None, "weight_after": 0}, (True, False), "no longer counted (archived)"),
    ],
)
def test_describe_change_says_why_a_criterion_moved(fields, counted, words):
    counted_before, counted_after = counted
    assert (
        describe_change(
            change(**fields), counted_before=counted_before, counted_after=counted_after
        )
        == words
    )


def test_opportunity_history_names_what_changed_most_between_checkpoints(user, opportunity):
    score_all(opportunity, user, {"Values fit": 8, "Gut feeling": 5})
    save_checkpoint(opportunity=opportunity, label="After the interview")
    score_all(opportunity, user, {"Gut feeling": 9})
    save_checkpoint(opportunity=opportunity, label="After talking to friends")
    gut = by_name(user)["Gut feeling"]
    gut.weight = 0
    update_criterion(criterion=gut)

    history = opportunity_history(opportunity)

    assert [row.checkpoint.label for row in history["checkpoints"]] == [
        "After talking to friends",
        "After the interview",
    ]
    assert history["score_chart"]["labels"] == [
        "After the interview",
        "After talking to friends",
        "Now",
    ]
    first, second = history["history_steps"]
    # (8·8 + 7·5)/150 = 66.0 → (8·8 + 7·9)/150 = 84.7
    assert first.before.value == pytest.approx(66.0)
    assert first.after.value == pytest.approx(100 * 127 / 150)
    assert first.changes[0].name == "Gut feeling"
    assert first.changes[0].detail == "score 5 → 9"
    assert second.after.value == pytest.approx(80.0)
    assert second.changes[0].name == "Gut feeling"
    assert second.changes[0].detail == "weight 7 → 0"
    assert second.delta_display.startswith("\N{MINUS SIGN}")


def test_history_without_checkpoints_has_no_chart(opportunity):
    history = opportunity_history(opportunity)
    assert history["history_steps"] == []
    assert history["checkpoints"] == []
    assert [s.to_stage for s in history["stage_changes"]] == [Stage.LEAD]


def test_priorities_follow_each_criterion_through_renames_and_archiving(user):
    first = OpportunityFactory(owner=user)
    second = OpportunityFactory(owner=user)
    make_decision(first, decided_on=timezone.localdate() - timedelta(days=60))
    criteria = by_name(user)
    pay = criteria["Pay"]
    pay.name, pay.weight = "Money", 10
    update_criterion(criterion=pay)
    set_archived(criterion=criteria["Gut feeling"], archived=True)
    add_criterion(user=user, criterion=Criterion(name="Commute", weight=3))
    make_decision(second)
    add_criterion(user=user, criterion=Criterion(name="Team", weight=6))

    table = priorities(user)

    rows = {row.name: row for row in table["rows"]}
    assert rows["Money"].weights == (7, 10)
    assert rows["Money"].earlier_names == ("Pay",)
    assert rows["Money"].changed
    assert rows["Gut feeling"].weights == (7, None)
    assert rows["Gut feeling"].today is None
    assert rows["Commute"].weights == (None, 3)
    assert rows["Team"].weights == (None, None)
    assert rows["Team"].today == 6
    assert not rows["Values fit"].changed
    assert list(rows)[-1] == "Gut feeling"  # archived criteria come last
    assert table["priorities_chart"]["labels"][-1] == "Today"


def test_due_for_revisit_is_mine_and_has_come(user, other_user):
    today = timezone.localdate()
    mine = OpportunityFactory(owner=user)
    due = make_decision(mine, revisit_on=today)
    make_decision(mine, revisit_on=today + timedelta(days=1))
    make_decision(mine)
    make_decision(OpportunityFactory(owner=other_user), revisit_on=today)
    assert due_for_revisit(user) == [due]


def test_score_now_ignores_rows_that_were_not_part_of_the_decision(user, opportunity):
    gut = by_name(user)["Gut feeling"]
    score_all(opportunity, user, {"Values fit": 10, "Gut feeling": 0})
    set_archived(criterion=gut, archived=True)
    checkpoint = save_checkpoint(opportunity=opportunity, label="Without gut")
    set_archived(criterion=gut, archived=False)
    result = score_now(Score.objects.filter(evaluation=checkpoint), list(active_criteria(user)))
    assert result.value == pytest.approx(100.0)  # gut feeling's old 0 stays out
    assert result.coverage_label == "1 of 7 scored"
