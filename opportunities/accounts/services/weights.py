"""Rebuilding the versions of the weights from an import file: each version's weights and
swing answers name criteria (and a swing weighting its options) by the file's ids, which
become the imported rows' ids; a criterion or option the file does not hold is dropped,
and what is not what Crossroads writes there is left out rather than trusted."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from opportunities.accounts.queries import WEIGHT_VERSION_FIELDS
from opportunities.accounts.services.history import Links
from opportunities.accounts.services.reading import Problems, build_row, file_id, list_of
from opportunities.models import WeightVersion
from opportunities.models.limits import MAX_WEIGHT_VERSIONS, control_character_problem
from opportunities.weights.core import RATING_MAX

NAME_LENGTH = 80
TITLE_LENGTH = 200
LISTED = ("weights", "options", "answers")


def _whole(value: Any, top: int) -> bool:
    return type(value) is int and 0 <= value <= top


def _text(value: Any, longest: int) -> str | None:
    if not isinstance(value, str) or control_character_problem(value):
        return None
    return value[:longest]


def _criterion(links: Links, value: Any) -> int | None:
    found = links.criteria.get(file_id(value) or -1)
    return found.pk if found is not None else None


def _weights(rows: list[Any], links: Links) -> list[dict[str, Any]]:
    kept = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        key, name = _criterion(links, row.get("criterion")), _text(row.get("name"), NAME_LENGTH)
        if key is not None and name is not None and _whole(row.get("weight"), 10):
            kept.append({"criterion": key, "name": name, "weight": row["weight"]})
    return kept


def _options(rows: list[Any], links: Links) -> list[dict[str, Any]]:
    kept = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        option = links.opportunities.get(file_id(row.get("id")) or -1)
        title = _text(row.get("title"), TITLE_LENGTH)
        if option is not None and title is not None:
            kept.append({"id": option.pk, "title": title})
    return kept


def _answers(rows: list[Any], links: Links) -> list[dict[str, Any]]:
    kept = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        key = _criterion(links, row.get("criterion"))
        ends = [row.get("worst"), row.get("best")]
        rating = row.get("rating")
        if (
            key is None
            or not all(end is None or _whole(end, 10) for end in ends)
            or not (rating is None or _whole(rating, RATING_MAX))
        ):
            continue
        kept.append({"criterion": key, "worst": ends[0], "best": ends[1], "rating": rating})
    return kept


def import_weight_versions(
    user: User, data: dict[str, Any], links: Links, problems: Problems
) -> int:
    """The file's versions of the weights, linked to what its ids became. Returns how
    many were imported."""
    rows = list_of(
        data,
        "weight_versions",
        where="the file",
        limit=MAX_WEIGHT_VERSIONS,
        problems=problems,
        required=False,
    )
    fields = [name for name in WEIGHT_VERSION_FIELDS if name not in LISTED]
    kept: list[WeightVersion] = []
    for n, item in enumerate(rows, start=1):
        where = f"weight version {n}"
        lists = {name: item.get(name, []) for name in LISTED} if isinstance(item, dict) else {}
        wrong = [name for name, value in lists.items() if not isinstance(value, list)]
        if wrong:
            problems.add(f"{where}, {wrong[0]}", "is not a list")
            continue
        version = build_row(
            WeightVersion,
            item,
            fields,
            where=where,
            problems=problems,
            owner_id=user.pk,
            weights=_weights(lists.get("weights", []), links),
            options=_options(lists.get("options", []), links),
            answers=_answers(lists.get("answers", []), links),
        )
        if version is not None and version.weights:  # none left: it dated nothing of this file
            kept.append(version)
    WeightVersion.objects.bulk_create(kept)
    return len(kept)
