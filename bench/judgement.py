"""The benchmark's look back: one user whose decisions have aged, for "How well I judge".

With ``--judgement-forecasts N`` one extra user holds ``decisions_for(N)`` opportunities,
every one decided. Each decision gets its commit step (``Commitment.predictors`` as
``learning.services.commit`` freezes them: the matrix's score, the gut, the friends' share
now and then), ``PER_DECISION`` forecasts resolved true or false (exactly N in all), one
more still waiting, and its 3- and 6-month check-ins done with a "glad I did it" score and
three criteria re-scored (the 12-month one still to come). So the page holds every part
at once: calibration bands with their rates, the predictors compared, tendencies said.
The user is of their own so that the other scenarios measure the same data as before.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

PER_DECISION = 4
"""Resolved forecasts per decision (the commit step holds five at most: one more waits)."""
BATCH = 2000
TEMPLATES = ("glad_6m", "paid_target_12m", "still_there_12m", "")


def decisions_for(forecasts: int) -> int:
    """Decisions needed to hold ``forecasts`` resolved forecasts."""
    return max(1, math.ceil(forecasts / PER_DECISION))


def generate_judgement(*, user, forecasts: int, rng: random.Random, today: date) -> dict[str, int]:
    """Commit steps, forecasts and check-ins for ``user``'s decisions; the row counts."""
    from opportunities.learning.core import GUT_VALUES, months_after
    from opportunities.models import (
        CheckIn,
        CheckInKind,
        Commitment,
        Criterion,
        Decision,
        Forecast,
        Resolution,
    )

    decisions = list(Decision.objects.filter(owner=user).order_by("pk"))
    criteria = list(Criterion.objects.filter(owner=user).order_by("position", "pk")[:3])
    commitments, rows, check_ins = [], [], []
    left = forecasts
    for n, decision in enumerate(decisions):
        glad = rng.randint(2, 10)
        gut = "yes" if glad >= 7 else rng.choice(("unsure", "no"))
        commitments.append(
            Commitment(
                owner=user,
                decision=decision,
                predictors={
                    "version": 1,
                    "matrix": {"score": round(rng.uniform(35, 90), 1), "rank": 1, "of": 3},
                    "gut": {"answer": gut, "value": GUT_VALUES[gut]},
                    **(
                        {
                            "friends": {
                                "take_it": 2,
                                "answered": 4,
                                "share": rng.choice((0.25, 0.5, 0.75)),
                            }
                        }
                        if n % 2
                        else {}
                    ),
                },
            )
        )
        for position in range(PER_DECISION + 1):
            probability = rng.randrange(5, 100, 5)
            resolved = position < PER_DECISION and left > 0
            left -= resolved
            came_true = rng.random() < probability / 100
            rows.append(
                Forecast(
                    owner=user,
                    decision=decision,
                    statement=f"Forecast {position + 1} on decision {n + 1}",
                    probability=probability,
                    template=TEMPLATES[position % len(TEMPLATES)],
                    resolves_on=months_after(decision.decided_on, 6),
                    resolution=(Resolution.TRUE if came_true else Resolution.FALSE)
                    if resolved
                    else "",
                    resolved_on=min(today, months_after(decision.decided_on, 6))
                    if resolved
                    else None,
                    position=position,
                )
            )
        for months, kind in ((3, CheckInKind.MONTHS_3), (6, CheckInKind.MONTHS_6)):
            due = months_after(decision.decided_on, months)
            check_ins.append(
                CheckIn(
                    owner=user,
                    decision=decision,
                    kind=kind,
                    due_on=due,
                    done_on=min(today, due + timedelta(days=rng.randint(0, 9))),
                    glad=max(0, min(10, glad + rng.randint(-1, 1))),
                    how_it_goes="Settling in.",
                    rescored={
                        str(criterion.pk): {
                            "name": criterion.name,
                            "expected": (expected := rng.randint(5, 9)),
                            "lived": max(0, expected - rng.randint(-1, 3)),
                        }
                        for criterion in criteria
                    },
                )
            )
        check_ins.append(
            CheckIn(
                owner=user,
                decision=decision,
                kind=CheckInKind.MONTHS_12,
                due_on=months_after(decision.decided_on, 12),
            )
        )
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    Forecast.objects.bulk_create(rows, batch_size=BATCH)
    CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
    return {
        "commit steps": len(commitments),
        "forecasts": len(rows),
        "resolved forecasts": forecasts - max(0, left),
        "check-ins": len(check_ins),
    }
