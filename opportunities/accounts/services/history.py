"""Rebuilding one imported opportunity's past: its stage changes, its evaluations with
their scores (and what friends had said, frozen with a checkpoint), its decisions and its
story, linked by the file's ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from opportunities.accounts.queries import (
    DECISION_FIELDS,
    EVALUATION_FIELDS,
    QUESTION_FIELDS,
    SCORE_FIELDS,
    STAGE_CHANGE_FIELDS,
    TIMELINE_FIELDS,
)
from opportunities.accounts.services.learning import import_learning
from opportunities.accounts.services.reading import (
    Problems,
    build_row,
    file_id,
    list_of,
)
from opportunities.curves.core import CurveError, read_frozen_curves
from opportunities.friends.queries import FrozenProblem, read_frozen
from opportunities.models import (
    CheckIn,
    Criterion,
    Decision,
    Evaluation,
    Opportunity,
    Person,
    Question,
    Score,
    StageChange,
    TimelineEntry,
)
from opportunities.models.limits import (
    MAX_CHECKPOINTS,
    MAX_CRITERIA,
    MAX_DECISIONS,
    MAX_QUESTIONS,
    MAX_STAGE_CHANGES,
    MAX_TIMELINE_ENTRIES,
)


@dataclass
class Links:
    """What the file's ids became, to rebuild the links between its rows. A row that was
    refused maps to None: what refers to it is skipped without a second note."""

    criteria: dict[int, Criterion | None] = field(default_factory=dict)
    people: dict[int, Person | None] = field(default_factory=dict)
    opportunities: dict[int, Opportunity] = field(default_factory=dict)
    evaluations: dict[int, Evaluation | None] = field(default_factory=dict)
    lineage: list[tuple[Opportunity, dict[str, Any], str]] = field(default_factory=list)
    alternatives: list[tuple[Decision, Any, str]] = field(default_factory=list)

    def person(self, value: Any, *, where: str, problems: Problems) -> tuple[bool, int | None]:
        """(found, id) of the person a row names; (False, None) noted as a problem."""
        if value is None:
            return True, None
        key = file_id(value)
        if key not in self.people:
            problems.add(where, "refers to a person who is not in the file")
            return False, None
        found = self.people[key]
        return found is not None, found.pk if found is not None else None


def import_history(
    user: User,
    item: dict[str, Any],
    opportunity: Opportunity,
    links: Links,
    counts: dict[str, int],
    *,
    where: str,
    problems: Problems,
) -> None:
    """An opportunity's stage changes, evaluations with their scores, decisions and
    timeline."""
    changes: dict[int, StageChange | None] = {}
    rows = list_of(item, "stage_changes", where=where, limit=MAX_STAGE_CHANGES, problems=problems)
    for m, change_data in enumerate(rows, start=1):
        change = build_row(
            StageChange,
            change_data,
            STAGE_CHANGE_FIELDS,
            where=f"{where}, stage change {m}",
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
        )
        if change is not None:
            change.save()
        key = file_id(change_data.get("id")) if isinstance(change_data, dict) else None
        if key is not None:
            changes[key] = change

    own_evaluations: set[int] = set()
    rows = list_of(item, "evaluations", where=where, limit=MAX_CHECKPOINTS + 1, problems=problems)
    for m, evaluation_data in enumerate(rows, start=1):
        at = f"{where}, evaluation {m}"
        evaluation = build_row(
            Evaluation,
            evaluation_data,
            EVALUATION_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
        )
        if evaluation is not None and not (
            _friends_readable(evaluation, at, problems)
            and _curves_readable(evaluation, at, problems)
        ):
            evaluation = None
        key = file_id(evaluation_data.get("id")) if isinstance(evaluation_data, dict) else None
        if key is None:
            problems.add(at, "has no whole-number id")
        else:
            links.evaluations[key] = evaluation
            own_evaluations.add(key)
        if evaluation is None or key is None:
            continue
        evaluation.save()
        counts["evaluations"] += 1
        scores = []
        score_rows = list_of(
            evaluation_data, "scores", where=at, limit=MAX_CRITERIA, problems=problems
        )
        for k, score_data in enumerate(score_rows, start=1):
            ref = file_id(score_data.get("criterion")) if isinstance(score_data, dict) else None
            if ref not in links.criteria:
                problems.add(f"{at}, score {k}", "refers to a criterion that is not in the file")
                continue
            scored = links.criteria[ref]
            if scored is None:
                continue  # its criterion was refused, and said so
            score = build_row(
                Score,
                score_data,
                SCORE_FIELDS,
                where=f"{at}, score {k}",
                problems=problems,
                owner_id=user.pk,
                evaluation_id=evaluation.pk,
                criterion_id=scored.pk,
            )
            if score is not None:
                scores.append(score)
        Score.objects.bulk_create(scores)
        counts["scores"] += len(scores)

    decisions: dict[int, Decision | None] = {}
    check_ins: dict[int, CheckIn | None] = {}
    rows = list_of(item, "decisions", where=where, limit=MAX_DECISIONS, problems=problems)
    for m, decision_data in enumerate(rows, start=1):
        at = f"{where}, decision {m}"
        key = file_id(decision_data.get("evaluation")) if isinstance(decision_data, dict) else None
        if key not in own_evaluations:
            problems.add(at, "refers to an evaluation that is not in the file")
            continue
        based_on = links.evaluations[key] if key is not None else None
        if based_on is None:
            continue  # its evaluation was refused, and said so
        decision = build_row(
            Decision,
            decision_data,
            DECISION_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
            evaluation_id=based_on.pk,
        )
        if decision is not None:
            decision.save()
            counts["decisions"] += 1
            links.alternatives.append((decision, decision_data.get("alternatives", []), at))
            check_ins |= import_learning(
                user, decision, decision_data, links, where=at, problems=problems
            )
        own = file_id(decision_data.get("id"))
        if own is not None:
            decisions[own] = decision

    questions = _import_questions(user, item, opportunity, links, where=where, problems=problems)
    _import_timeline(
        user,
        item,
        opportunity,
        links,
        changes,
        decisions,
        own_evaluations,
        where=where,
        problems=problems,
        questions=questions,
        check_ins=check_ins,
    )


def _import_questions(
    user: User,
    item: dict[str, Any],
    opportunity: Opportunity,
    links: Links,
    *,
    where: str,
    problems: Problems,
) -> dict[int, Question | None]:
    """An opportunity's questions to find out, each about one of the file's criteria or
    none; at most ``MAX_QUESTIONS`` open, an answer dated no earlier than its asking."""
    rows = list_of(
        item,
        "questions",
        where=where,
        limit=MAX_TIMELINE_ENTRIES,
        problems=problems,
        required=False,
    )
    found: dict[int, Question | None] = {}
    kept: list[Question] = []
    for m, data in enumerate(rows, start=1):
        at = f"{where}, question {m}"
        if not isinstance(data, dict):
            problems.add(at, "is not an object")
            continue
        key = file_id(data.get("id"))
        if key is None:
            problems.add(at, "has no whole-number id")
            continue
        found[key] = None
        criterion_id = None
        if data.get("criterion") is not None:
            ref = file_id(data.get("criterion"))
            if ref is None or ref not in links.criteria:
                problems.add(at, "refers to a criterion that is not in the file")
                continue
            criterion = links.criteria[ref]
            if criterion is None:
                continue
            criterion_id = criterion.pk
        question = build_row(
            Question,
            data,
            QUESTION_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
            criterion_id=criterion_id,
        )
        if question is None:
            continue
        if question.answered_on is None and question.answer:
            problems.add(at, "has an answer but not the day it was found out (answered_on)")
            continue
        if question.answered_on is not None and question.answered_on < question.asked_on:
            problems.add(at, "was answered before it was asked")
            continue
        found[key] = question
        kept.append(question)
    still_open = sum(1 for question in kept if question.answered_on is None)
    if still_open > MAX_QUESTIONS:
        problems.add(
            where, f"{still_open:,} open questions; Crossroads keeps {MAX_QUESTIONS:,} open"
        )
        return dict.fromkeys(found)
    Question.objects.bulk_create(kept)
    return found


def _friends_readable(evaluation: Evaluation, where: str, problems: Problems) -> bool:
    """Whether what friends said, frozen with ``evaluation``, is shaped as a checkpoint
    freezes it (and held by a checkpoint): the journal shows it as it is."""
    if evaluation.friends == {}:
        return True
    if evaluation.frozen_at is None:
        problems.add(f"{where}, friends", "only a checkpoint keeps what friends said")
        return False
    try:
        read_frozen(evaluation.friends)
    except FrozenProblem as problem:
        problems.add(f"{where}, friends", str(problem))
        return False
    return True


def _curves_readable(evaluation: Evaluation, where: str, problems: Problems) -> bool:
    """Whether the value curves frozen with ``evaluation`` are shaped as a checkpoint
    freezes them (``curves.core.read_frozen_curves``), and held by a checkpoint."""
    if evaluation.curves == {}:
        return True
    if evaluation.frozen_at is None:
        problems.add(f"{where}, curves", "only a checkpoint keeps the value curves")
        return False
    try:
        read_frozen_curves(evaluation.curves)
    except CurveError as problem:
        problems.add(f"{where}, curves", str(problem))
        return False
    return True


def _import_timeline(
    user: User,
    item: dict[str, Any],
    opportunity: Opportunity,
    links: Links,
    changes: dict[int, StageChange | None],
    decisions: dict[int, Decision | None],
    own_evaluations: set[int],
    *,
    where: str,
    problems: Problems,
    questions: dict[int, Question | None] | None = None,
    check_ins: dict[int, CheckIn | None] | None = None,
) -> None:
    """An opportunity's dated story; what an entry records must be the opportunity's own."""
    rows = list_of(
        item, "timeline", where=where, limit=MAX_TIMELINE_ENTRIES, problems=problems, required=False
    )
    entries = []
    for m, data in enumerate(rows, start=1):
        at = f"{where}, timeline entry {m}"
        if not isinstance(data, dict):
            problems.add(at, "is not an object")
            continue
        found, person_id = links.person(data.get("person"), where=at, problems=problems)
        refs: dict[str, int | None] = {"person_id": person_id}
        broken = not found
        for name, rows_by_id in (
            ("stage_change", changes),
            ("decision", decisions),
            ("question", questions or {}),
            ("check_in", check_ins or {}),
        ):
            value = data.get(name)
            if value is None:
                refs[f"{name}_id"] = None
                continue
            key = file_id(value)
            if key is None or key not in rows_by_id:
                problems.add(at, f"refers to a {name.replace('_', ' ')} that is not in the file")
                broken = True
                continue
            target = rows_by_id[key]
            broken = broken or target is None
            refs[f"{name}_id"] = target.pk if target is not None else None
        value = data.get("evaluation")
        refs["evaluation_id"] = None
        if value is not None:
            key = file_id(value)
            if key not in own_evaluations:
                problems.add(at, "refers to an evaluation that is not in the file")
                broken = True
            else:
                frozen = links.evaluations[key] if key is not None else None
                broken = broken or frozen is None
                refs["evaluation_id"] = frozen.pk if frozen is not None else None
        entry = build_row(
            TimelineEntry,
            data,
            TIMELINE_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            opportunity_id=opportunity.pk,
            **refs,
        )
        if entry is not None and not broken:
            entries.append(entry)
    TimelineEntry.objects.bulk_create(entries)
