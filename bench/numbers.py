"""The benchmark's number criteria: each ordinary user's last criterion scored by hand is
measured as a number instead (minutes of commute a day, 90 scores 0 and 10 scores 10), so
the amount save (B20a) has a criterion to save to. The same count of criteria as before,
and their scores as they were (set by hand, without an amount), so the other scenarios
measure the same data."""

from __future__ import annotations

from decimal import Decimal

from opportunities.models import Criterion, CriterionKind


def generate_numbers(criteria_by_user: dict[int, list[Criterion]]) -> dict[int, int]:
    """Turn each user's last criterion scored by hand into a number criterion; returns the
    criterion's id by user id (users without one are left out)."""
    chosen: dict[int, Criterion] = {}
    for user_id, criteria in criteria_by_user.items():
        manual = [c for c in criteria if c.kind == CriterionKind.MANUAL]
        if manual:
            criterion = manual[-1]
            criterion.kind = CriterionKind.NUMBER
            criterion.unit = "minutes a day"
            criterion.worst, criterion.best = Decimal(90), Decimal(10)
            chosen[user_id] = criterion
    Criterion.objects.bulk_update(
        chosen.values(), ["kind", "unit", "worst", "best"], batch_size=500
    )
    return {user_id: criterion.pk for user_id, criterion in chosen.items()}
