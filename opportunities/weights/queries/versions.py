"""Reads of the versions of a user's weights."""

from __future__ import annotations

from opportunities.models import Owner, WeightSource, WeightVersion


def applied_versions(user: Owner) -> list[WeightVersion]:
    """Every version of the weights that was put in force, oldest first (one query)."""
    return list(
        WeightVersion.objects.for_user(user)
        .filter(applied=True)
        .only("id", "source", "applied", "weights", "created_at")
        .order_by("created_at", "id")
    )


def latest_swing(user: Owner) -> WeightVersion | None:
    """The newest swing weighting, applied or only remembered (one query)."""
    return (
        WeightVersion.objects.for_user(user)
        .filter(source=WeightSource.SWING)
        .order_by("-created_at", "-id")
        .first()
    )


def weights_of(version: WeightVersion) -> dict[int, tuple[str, int]]:
    """A version's ``{criterion id: (name, weight)}``, whatever rows of it are unreadable
    left out."""
    found: dict[int, tuple[str, int]] = {}
    for row in version.weights:
        if not isinstance(row, dict):
            continue
        key, name, weight = row.get("criterion"), row.get("name"), row.get("weight")
        if isinstance(key, int) and isinstance(weight, int) and 0 <= weight <= 10:
            found[key] = (name if isinstance(name, str) else "?", weight)
    return found
