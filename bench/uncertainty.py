"""The benchmark's unsure scores: users whose live scores carry "I'm unsure" ranges, for the
comparison with ranges, and a CPU microbenchmark of the sampling itself.

One extra user per ``--range-sizes`` entry holds exactly that many open opportunities, as the
comparison users do; ``RANGED`` of their live scores get a range of one to three points either
side of the score (within 0-10), so the comparison page runs the plausible cases on every load.
They are users of their own so that the other scenarios measure the same data as before.

``simulate_cpu`` times ``uncertainty.core.simulate`` in-process for 10 options × 15 criteria ×
10,000 draws, every score unsure: the issue's budget is 30 ms of CPU for it.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections.abc import Hashable

RANGED = 0.4
"""The share of the range users' live scores that get a range."""
BATCH = 2000

CPU_OPTIONS = 10
CPU_CRITERIA = 15
CPU_DRAWS = 10_000
CPU_BUDGET_MS = 30.0


def generate_ranges(*, users: list, rng: random.Random) -> dict[str, int]:
    """Give a share of these users' live scores a range around the score; the row counts."""
    from opportunities.models import Score

    scores = list(
        Score.objects.filter(
            owner__in=users, evaluation__frozen_at__isnull=True, value__isnull=False
        ).order_by("pk")
    )
    ranged = []
    for score in scores:
        if rng.random() >= RANGED:
            continue
        value = score.value
        assert value is not None  # Only scored ones were fetched.
        score.low = max(0, value - rng.randint(1, 3))
        score.high = min(10, value + rng.randint(1, 3))
        ranged.append(score)
    Score.objects.bulk_update(ranged, ["low", "high"], batch_size=BATCH)
    return {"scores with a range": len(ranged)}


def simulate_inputs(
    options: int = CPU_OPTIONS, criteria: int = CPU_CRITERIA, *, seed: int = 18
) -> tuple[list, dict, dict]:
    """Options with every score unsure, weights and a few must-haves, as the page passes them."""
    from opportunities.uncertainty.core import OptionInput, Uncertain

    rng = random.Random(seed)
    weights = {c: rng.randint(1, 10) for c in range(criteria)}
    minimums = {c: (rng.randint(2, 4) if c % 5 == 0 else None) for c in range(criteria)}
    inputs = []
    for o in range(options):
        scores: dict[Hashable, Uncertain] = {}
        for c in range(criteria):
            value = rng.randint(2, 8)
            scores[c] = Uncertain(value, value - rng.randint(1, 2), value + rng.randint(1, 2))
        inputs.append(OptionInput(key=o, title=f"Option {o}", scores=scores))
    return inputs, weights, minimums


def simulate_cpu(*, repeats: int = 30) -> dict[str, float]:
    """CPU time of one ``simulate`` call (10 × 15 × 10,000), in ms: median and best of ``repeats``.

    ``time.process_time`` counts every thread of the process, so a library that spun up
    threads would be charged for them too.
    """
    from opportunities.uncertainty.core import simulate

    inputs, weights, minimums = simulate_inputs()
    simulate(inputs, weights, minimums, status_quo=0, draws=CPU_DRAWS)  # Tables built, warm.
    times = []
    for _ in range(repeats):
        started = time.process_time()
        result = simulate(inputs, weights, minimums, status_quo=0, draws=CPU_DRAWS)
        times.append((time.process_time() - started) * 1000)
        assert result.draws == CPU_DRAWS
    started = time.process_time()
    simulate(inputs, weights, minimums, status_quo=0, draws=CPU_DRAWS).find_out_next()
    with_suggestions = (time.process_time() - started) * 1000
    return {
        "median_ms": statistics.median(times),
        "best_ms": min(times),
        "with_find_out_next_ms": with_suggestions,
        "budget_ms": CPU_BUDGET_MS,
    }


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    figures = simulate_cpu()
    print(
        f"simulate {CPU_OPTIONS} options × {CPU_CRITERIA} criteria × {CPU_DRAWS:,} draws: "
        f"median {figures['median_ms']:.1f} ms CPU, best {figures['best_ms']:.1f} ms "
        f"(budget {CPU_BUDGET_MS:g} ms); with what to find out next "
        f"{figures['with_find_out_next_ms']:.1f} ms"
    )
