"""The benchmark dataset's histories: each opportunity's pipeline, checkpoints, live
evaluation, decision and story (``bench.dataset``)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    EntryKind,
    Evaluation,
    GutCheck,
    Opportunity,
    Outcome,
    Score,
    Stage,
    StageChange,
    TimelineEntry,
)
from opportunities.scoring.core import compute_decision_score, rated_frozen, rated_live
from opportunities.scoring.services import _store_result
from opportunities.timeline.core import (
    checkpoint_title,
    decision_title,
    outcome_title,
    stage_title,
)

if TYPE_CHECKING:  # ``bench.dataset`` builds on this mixin
    from bench.dataset import Sizes

STAGE_PATH = (
    Stage.LEAD,
    Stage.INFORMATIONAL_INTERVIEW,
    Stage.APPLIED,
    Stage.INTERVIEWING,
    Stage.OFFER,
)
FINAL_STAGES = (Stage.ACCEPTED, Stage.DECLINED, Stage.NOT_SELECTED, Stage.WITHDRAWN)
CHECKPOINT_LABELS = (
    "First impression",
    "After the interview",
    "After talking to friends",
    "After the offer",
)
STORY_ENTRIES = (
    (EntryKind.CONVERSATION, "Coffee with a former colleague"),
    (EntryKind.MESSAGE, "A message from the recruiter"),
    (EntryKind.MEETING, "The interview"),
    (EntryKind.NOTE, "Read their annual report"),
    (EntryKind.REFLECTION, "What I keep coming back to"),
)
NOTES = (
    "",
    "",
    "",
    "Depends on the team I would join.",
    "Hard to judge before meeting them.",
    "Better than I expected.",
)


class HistoryMixin:
    """The history half of ``DatasetGenerator``: every opportunity's dated past."""

    # Provided by ``DatasetGenerator``:
    BATCH: ClassVar[int]
    sizes: Sizes
    rng: random.Random
    now: datetime
    today: date
    counts: dict[str, int]
    with_checkpoints: set[int]
    ordinary: set[int]
    judging: set[int]
    storied: dict[int, int]

    def _history(
        self, opportunities: list[Opportunity], criteria_by_user: dict[int, list[Criterion]]
    ) -> None:
        stage_changes: list[StageChange] = []
        evaluations: list[Evaluation] = []
        pending_scores: list[tuple[Evaluation, list[Score]]] = []
        pending_decisions: list[tuple[Evaluation, Decision]] = []
        for opportunity in opportunities:
            criteria = criteria_by_user[opportunity.owner_id]
            began = self.now - timedelta(days=self.rng.randint(90, 540))
            stage_changes.extend(self._pipeline(opportunity, began))
            leaning = self.rng.uniform(3, 8)  # Options differ as a whole, not only per criterion.
            values = {c.id: self._value(leaning) for c in criteria}
            for number in range(self.rng.randint(0, self.sizes.checkpoints)):
                frozen_at = began + timedelta(days=10 * (number + 1), hours=self.rng.randint(0, 23))
                checkpoint, scores = self._checkpoint(opportunity, criteria, values, frozen_at)
                evaluations.append(checkpoint)
                pending_scores.append((checkpoint, scores))
                self.with_checkpoints.add(opportunity.pk)
                values = {key: self._drift(value) for key, value in values.items()}
            if opportunity.owner_id in self.judging or self.rng.random() < self.sizes.decided_share:
                frozen_at = began + timedelta(days=60, hours=self.rng.randint(0, 23))
                checkpoint, scores = self._checkpoint(opportunity, criteria, values, frozen_at)
                decision = self._decision(opportunity, frozen_at.date())
                checkpoint.label = f"Decision: {decision.get_choice_display().lower()}"
                evaluations.append(checkpoint)
                pending_scores.append((checkpoint, scores))
                pending_decisions.append((checkpoint, decision))
                self.with_checkpoints.add(opportunity.pk)
            live, scores = self._live(opportunity, criteria, values)
            evaluations.append(live)
            pending_scores.append((live, scores))

        StageChange.objects.bulk_create(stage_changes, batch_size=self.BATCH)
        Evaluation.objects.bulk_create(evaluations, batch_size=self.BATCH)
        scores = []
        for evaluation, rows in pending_scores:
            for score in rows:
                score.evaluation = evaluation
            scores.extend(rows)
        Score.objects.bulk_create(scores, batch_size=self.BATCH)
        decisions = []
        for evaluation, decision in pending_decisions:
            decision.evaluation = evaluation
            decisions.append(decision)
        Decision.objects.bulk_create(decisions, batch_size=self.BATCH)
        entries = self._story(opportunities, stage_changes, evaluations, decisions)
        self.counts |= {
            "stage changes": len(stage_changes),
            "evaluations": len(evaluations),
            "scores": len(scores),
            "decisions": len(decisions),
            "timeline entries": len(entries),
        }

    def _story(
        self,
        opportunities: list[Opportunity],
        stage_changes: list[StageChange],
        evaluations: list[Evaluation],
        decisions: list[Decision],
    ) -> list[TimelineEntry]:
        """Every opportunity's story as the app writes it (an entry per stage move,
        checkpoint, decision and outcome), a few entries written by hand, and for one open
        opportunity of each ordinary user a long story of ``--story`` entries."""
        entries = [
            TimelineEntry(
                owner_id=change.owner_id,
                opportunity_id=change.opportunity_id,
                kind=EntryKind.STAGE,
                happened_on=change.changed_at.date(),
                title=stage_title(
                    to_label=stage_label(change.to_stage),
                    from_label=stage_label(change.from_stage) if change.from_stage else "",
                ),
                stage_change=change,
            )
            for change in stage_changes
        ]
        decided = {decision.evaluation.pk for decision in decisions}
        entries += [
            TimelineEntry(
                owner_id=evaluation.owner_id,
                opportunity_id=evaluation.opportunity_id,
                kind=EntryKind.CHECKPOINT,
                happened_on=evaluation.frozen_at.date(),
                title=checkpoint_title(evaluation.label),
                evaluation=evaluation,
            )
            for evaluation in evaluations
            if evaluation.frozen_at is not None and evaluation.pk not in decided
        ]
        for decision in decisions:
            entries.append(
                TimelineEntry(
                    owner_id=decision.owner_id,
                    opportunity_id=decision.opportunity_id,
                    kind=EntryKind.DECISION,
                    happened_on=decision.decided_on,
                    title=decision_title(decision.get_choice_display()),
                    body=decision.rationale,
                    decision=decision,
                    evaluation=decision.evaluation,
                )
            )
            if decision.outcome:
                entries.append(
                    TimelineEntry(
                        owner_id=decision.owner_id,
                        opportunity_id=decision.opportunity_id,
                        kind=EntryKind.OUTCOME,
                        happened_on=decision.outcome_on or decision.decided_on,
                        title=outcome_title(decision.get_outcome_display()),
                        body=decision.reflection,
                        decision=decision,
                    )
                )
        for opportunity in opportunities:
            owner = opportunity.owner_id
            long_story = (
                self.sizes.story > 0
                and owner in self.ordinary
                and owner not in self.storied
                and not opportunity.is_status_quo
                and opportunity.archived_at is None
            )
            if long_story:
                self.storied[owner] = opportunity.pk
            count = self.sizes.story if long_story else self.rng.randint(0, 3)
            entries += [self._entry(opportunity, number) for number in range(count)]
        TimelineEntry.objects.bulk_create(entries, batch_size=self.BATCH)
        return entries

    def _entry(self, opportunity: Opportunity, number: int) -> TimelineEntry:
        kind, title = STORY_ENTRIES[number % len(STORY_ENTRIES)]
        return TimelineEntry(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            kind=kind,
            happened_on=self.today - timedelta(days=self.rng.randint(0, 720)),
            title=title,
            body=self.rng.choice(NOTES),
        )

    def _pipeline(self, opportunity: Opportunity, began: datetime) -> list[StageChange]:
        if opportunity.stage == Stage.NOW:  # the status quo: no pipeline, only "now"
            path: list[str] = [Stage.NOW]
        elif opportunity.stage in STAGE_PATH:
            path = list(STAGE_PATH[: STAGE_PATH.index(opportunity.stage) + 1])
        else:
            path = [*STAGE_PATH[: self.rng.randint(1, len(STAGE_PATH))], opportunity.stage]
        steps = []
        previous = ""
        for number, stage in enumerate(path):
            steps.append(
                StageChange(
                    owner_id=opportunity.owner_id,
                    opportunity=opportunity,
                    from_stage=previous,
                    to_stage=stage,
                    changed_at=began + timedelta(days=12 * number),
                )
            )
            previous = stage
        return steps

    def _value(self, leaning: float) -> int | None:
        if self.rng.random() < 0.12:
            return None  # Not judged yet: coverage is rarely complete.
        return max(0, min(10, round(self.rng.gauss(leaning, 2))))

    def _drift(self, value: int | None) -> int | None:
        if value is None:
            return self._value(5) if self.rng.random() < 0.5 else None
        return max(0, min(10, value + self.rng.choice((-1, 0, 0, 1))))

    def _checkpoint(
        self,
        opportunity: Opportunity,
        criteria: list[Criterion],
        values: dict[int, int | None],
        frozen_at: datetime,
    ) -> tuple[Evaluation, list[Score]]:
        """A frozen evaluation capturing every active criterion as it was then (the weights
        drift a little between checkpoints, as people's priorities do)."""
        scores = [
            Score(
                owner_id=opportunity.owner_id,
                criterion=criterion,
                value=values[criterion.id],
                note=self.rng.choice(NOTES),
                weight=max(0, min(10, criterion.weight + self.rng.choice((-1, 0, 0, 0, 1)))),
                minimum=criterion.minimum,
                criterion_name=criterion.name,
            )
            for criterion in criteria
        ]
        checkpoint = Evaluation(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            label=self.rng.choice(CHECKPOINT_LABELS),
            frozen_at=frozen_at,
        )
        _store_result(checkpoint, compute_decision_score(rated_frozen(scores)))
        return checkpoint, scores

    def _live(
        self, opportunity: Opportunity, criteria: list[Criterion], values: dict[int, int | None]
    ) -> tuple[Evaluation, list[Score]]:
        scores = [
            Score(
                owner_id=opportunity.owner_id,
                criterion=criterion,
                value=values[criterion.id],
                note=self.rng.choice(NOTES),
            )
            for criterion in criteria
            if values[criterion.id] is not None
        ]
        live = Evaluation(owner_id=opportunity.owner_id, opportunity=opportunity)
        _store_result(live, compute_decision_score(rated_live(criteria, scores)))
        return live, scores

    def _decision(self, opportunity: Opportunity, decided_on: date) -> Decision:
        rng = self.rng
        decided_on = min(decided_on, self.today)
        decision = Decision(
            owner_id=opportunity.owner_id,
            opportunity=opportunity,
            choice=rng.choice(DecisionChoice.values),
            decided_on=decided_on,
            confidence=rng.randrange(30, 95, 5),
            rationale=rng.choice(
                (
                    "The team and the hours fit the life I want.",
                    "Pay is fine, but the work would not move me forward.",
                    "I talked it over with friends and it still felt right.",
                )
            ),
            gut_check=rng.choice(GutCheck.values),
        )
        if rng.random() < 0.5:
            decision.outcome = rng.choice(Outcome.values)
            decision.outcome_on = min(decided_on + timedelta(days=rng.randint(3, 40)), self.today)
            decision.reflection = "The thinking itself was worth it."
        elif rng.random() < 0.3:
            decision.revisit_on = decided_on + timedelta(days=rng.choice((30, 90, 180)))
        return decision


def stage_label(stage: str) -> str:
    """A stage as the story names it (the status quo's "now" is "the status quo")."""
    return "the status quo" if stage == Stage.NOW else str(Stage(stage).label)
