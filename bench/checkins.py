"""The benchmark's check-ins: what "Check-in submit" sends, read from the user whose
decisions have aged (``bench.judgement``).

Each of that user's decisions has its 12-month check-in still to do and one forecast still
waiting; the scenario answers it (and answers it again: saving again edits it), resolving
that forecast "can't tell yet" so the next round finds the same form. Nothing is added to
the data: the other scenarios measure what they did before.
"""

from __future__ import annotations


def check_in_targets(user) -> list[dict[str, int]]:
    """Every 12-month check-in of ``user``'s decisions with its decision and its forecast
    still waiting (decisions without one are left out)."""
    from opportunities.models import CheckIn, CheckInKind, Forecast

    check_ins = list(
        CheckIn.objects.filter(owner=user, kind=CheckInKind.MONTHS_12)
        .order_by("pk")
        .values_list("pk", "decision_id")
    )
    waiting: dict[int, int] = {}
    for pk, decision_id in (
        Forecast.objects.filter(owner=user, resolution="")
        .order_by("pk")
        .values_list("pk", "decision_id")
    ):
        waiting.setdefault(decision_id, pk)
    return [
        {"decision": decision_id, "check_in": pk, "forecast": waiting[decision_id]}
        for pk, decision_id in check_ins
        if decision_id in waiting
    ]
