"""Rebuilding what a decision holds for learning from it, from an import file: its commit
step (with what the matrix, the gut and friends foresaw), premortem, kill criteria,
forecasts and check-ins.

A check-in names its kill criterion by the file's id (one of the same decision's), and
its re-score names criteria by the file's ids: both become the imported rows' ids. What
breaks a rule (a probability of 500, a glad of -1, a re-score that is not an object, an
id the file does not hold) is a problem named, and the file is refused whole. The
calendar feed is not in a file: an imported account starts without one."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User

from opportunities.accounts.queries import (
    CHECK_IN_FIELDS,
    COMMITMENT_FIELDS,
    FORECAST_FIELDS,
    KILL_CRITERION_FIELDS,
    PREMORTEM_FIELDS,
)
from opportunities.accounts.services.reading import Problems, build_row, file_id, list_of
from opportunities.learning.core import CHECK_IN_MONTHS
from opportunities.learning.services.commit import (
    MAX_FORECASTS,
    MAX_KILL_CRITERIA,
    MAX_PREMORTEM,
)
from opportunities.models import (
    CheckIn,
    Commitment,
    Decision,
    Forecast,
    KillCriterion,
    PremortemReason,
)
from opportunities.models.limits import control_character_problem

if TYPE_CHECKING:  # ``history`` calls this module, and hands it its ``Links``
    from opportunities.accounts.services.history import Links

MAX_CHECK_INS = len(CHECK_IN_MONTHS) + MAX_KILL_CRITERIA
"""One per regular check-in, and one per kill criterion: all a decision can have."""

MAX_PREDICTORS_CHARACTERS = 4000
"""What the predictors foresaw is a few numbers; far more than that is not what the app
froze."""

NAME_LENGTH = 80
"""A re-scored criterion's name, as a criterion's is."""


def import_learning(
    user: User,
    decision: Decision,
    data: dict[str, Any],
    links: Links,
    *,
    where: str,
    problems: Problems,
) -> dict[int, CheckIn | None]:
    """``decision``'s commit step, premortem, kill criteria, forecasts and check-ins;
    what each of the file's check-in ids became (for the story's entries)."""
    _import_commitment(user, decision, data, where=where, problems=problems)
    owned = {"owner_id": user.pk, "decision_id": decision.pk}
    PremortemReason.objects.bulk_create(
        _listed(
            PremortemReason,
            data,
            "premortem",
            PREMORTEM_FIELDS,
            MAX_PREMORTEM,
            owned,
            where=where,
            problems=problems,
        )
    )
    Forecast.objects.bulk_create(
        _listed(
            Forecast,
            data,
            "forecasts",
            FORECAST_FIELDS,
            MAX_FORECASTS,
            owned,
            where=where,
            problems=problems,
        )
    )
    kills: dict[int, KillCriterion | None] = {}
    rows = list_of(
        data,
        "kill_criteria",
        where=where,
        limit=MAX_KILL_CRITERIA,
        problems=problems,
        required=False,
    )
    for n, row in enumerate(rows, start=1):
        at = f"{where}, kill criterion {n}"
        kill = build_row(
            KillCriterion, row, KILL_CRITERION_FIELDS, where=at, problems=problems, **owned
        )
        own = file_id(row.get("id")) if isinstance(row, dict) else None
        if own is None:
            problems.add(at, "has no whole-number id")
            continue
        if kill is not None:
            kill.save()
        kills[own] = kill
    return _import_check_ins(user, decision, data, links, kills, where=where, problems=problems)


def _listed[M: PremortemReason | Forecast](
    model: type[M],
    data: dict[str, Any],
    key: str,
    fields: list[str],
    limit: int,
    owned: dict[str, int],
    *,
    where: str,
    problems: Problems,
) -> list[M]:
    """Rows that nothing refers to (premortem reasons, forecasts), built, not saved."""
    rows = list_of(data, key, where=where, limit=limit, problems=problems, required=False)
    built = [
        build_row(model, row, fields, where=f"{where}, {key} {n}", problems=problems, **owned)
        for n, row in enumerate(rows, start=1)
    ]
    return [row for row in built if row is not None]


def _import_commitment(
    user: User, decision: Decision, data: dict[str, Any], *, where: str, problems: Problems
) -> None:
    found = data.get("commitment")
    if found is None:
        return
    at = f"{where}, commit step"
    commitment = build_row(
        Commitment,
        found,
        COMMITMENT_FIELDS,
        where=at,
        problems=problems,
        owner_id=user.pk,
        decision_id=decision.pk,
    )
    if commitment is None:
        return
    predictors = commitment.predictors
    if not isinstance(predictors, dict):
        problems.add(f"{at}, predictors", "is not an object")
        return
    if len(json.dumps(predictors)) > MAX_PREDICTORS_CHARACTERS:
        problems.add(f"{at}, predictors", "is far longer than what a decision freezes")
        return
    commitment.save()


def _import_check_ins(
    user: User,
    decision: Decision,
    data: dict[str, Any],
    links: Links,
    kills: dict[int, KillCriterion | None],
    *,
    where: str,
    problems: Problems,
) -> dict[int, CheckIn | None]:
    found: dict[int, CheckIn | None] = {}
    rows = list_of(
        data, "check_ins", where=where, limit=MAX_CHECK_INS, problems=problems, required=False
    )
    for n, row in enumerate(rows, start=1):
        at = f"{where}, check-in {n}"
        if not isinstance(row, dict):
            problems.add(at, "is not an object")
            continue
        key = file_id(row.get("id"))
        if key is None:
            problems.add(at, "has no whole-number id")
            continue
        found[key] = None
        kill_id = None
        if row.get("kill_criterion") is not None:
            ref = file_id(row.get("kill_criterion"))
            if ref is None or ref not in kills:
                problems.add(at, "refers to a kill criterion that is not in the file")
                continue
            kill = kills[ref]
            if kill is None:
                continue  # refused, and said so
            kill_id = kill.pk
        check_in = build_row(
            CheckIn,
            row,
            CHECK_IN_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            decision_id=decision.pk,
            kill_criterion_id=kill_id,
        )
        if check_in is None:
            continue
        rescored = _rescored(check_in.rescored, links, where=f"{at}, rescored", problems=problems)
        if rescored is None:
            continue
        check_in.rescored = rescored
        check_in.save()
        found[key] = check_in
    return found


def _rescored(
    value: Any, links: Links, *, where: str, problems: Problems
) -> dict[str, dict[str, Any]] | None:
    """A check-in's re-score with the file's criterion ids made the imported ones, or
    None (a problem noted) when it is not shaped as a check-in writes it."""
    if not isinstance(value, dict):
        problems.add(where, "is not an object")
        return None
    if len(value) > len(links.criteria):
        problems.add(where, "re-scores more criteria than the file holds")
        return None
    result: dict[str, dict[str, Any]] = {}
    for key, item in value.items():
        ref = int(key) if isinstance(key, str) and key.isascii() and key.isdigit() else None
        if ref is None or ref not in links.criteria:
            problems.add(where, "refers to a criterion that is not in the file")
            return None
        criterion = links.criteria[ref]
        if not _rescore_shaped(item):
            problems.add(where, "holds a re-score that is not a name and two scores 0-10")
            return None
        if criterion is None:
            continue  # refused, and said so
        result[str(criterion.pk)] = {
            "name": item["name"],
            "expected": item["expected"],
            "lived": item["lived"],
        }
    return result


def _rescore_shaped(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    name = item.get("name")
    scores = (item.get("expected"), item.get("lived"))
    return (
        isinstance(name, str)
        and len(name) <= NAME_LENGTH
        and not control_character_problem(name)
        and all(type(score) is int and 0 <= score <= 10 for score in scores)
    )
