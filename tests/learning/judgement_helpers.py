"""Decisions with what "How well I judge" reads: frozen predictors, resolved forecasts,
check-ins done with a glad score and re-scored criteria. Made as the app makes them
(``DecisionFactory`` records the decision, which freezes a commit step and schedules its
check-ins); only what a later check-in would write is set directly."""

import datetime as dt

from opportunities.models import CheckIn, Commitment, Resolution
from tests.factories import DecisionFactory, ForecastFactory, OpportunityFactory

GUT = {"yes": 1.0, "unsure": 0.5, "no": 0.0}


def decide(user, *, matrix=None, gut=None, friends=None, predictors=None, title=None):
    """A decision of ``user`` whose frozen predictors are exactly these."""
    opportunity = OpportunityFactory(owner=user, **({"title": title} if title else {}))
    decision = DecisionFactory(opportunity=opportunity)
    frozen = predictors if predictors is not None else {"version": 1}
    if matrix is not None:
        frozen["matrix"] = {"score": matrix, "rank": 1, "of": 2}
    if gut is not None:
        frozen["gut"] = {"answer": gut, "value": GUT[gut]}
    if friends is not None:
        frozen["friends"] = {"take_it": 1, "answered": 2, "share": friends}
    Commitment.objects.filter(decision=decision).update(predictors=frozen)
    return decision


def check_in(decision, *, glad=None, rescored=None, kind="3m", done_on=None):
    """Do the decision's scheduled check-in of ``kind``."""
    CheckIn.objects.filter(decision=decision, kind=kind).update(
        done_on=done_on or dt.date(2026, 1, 1), glad=glad, rescored=rescored or {}
    )


def forecasts(decision, *resolutions, probability=80, template=""):
    for resolution in resolutions:
        ForecastFactory(
            decision=decision, probability=probability, resolution=resolution, template=template
        )


def seasoned(user) -> None:
    """Six decisions looked back on: 20 forecasts resolved (enough in two bands), the gut
    foreseeing gladness best, and Personal growth overrated before deciding."""
    T, F = Resolution.TRUE, Resolution.FALSE
    rows = [(2, 90, "no"), (3, 40, "no"), (5, 80, "unsure"), (6, 30, "unsure"), (8, 60, "yes")]
    rows.append((9, 50, "yes"))
    for n, (glad, matrix, gut) in enumerate(rows):
        decision = decide(user, matrix=matrix, gut=gut, title=f"Looked-back role {n}")
        check_in(
            decision,
            glad=glad,
            rescored={"growth": {"name": "Personal growth", "expected": 8, "lived": 6}},
        )
        if n < 4:
            forecasts(decision, T, T, F, probability=85, template="glad_6m")
            forecasts(decision, T, F, probability=55)
    forecasts(decision, Resolution.UNKNOWN, "", probability=70)
