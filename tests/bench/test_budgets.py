"""The budget classes of issue 21 and how the report judges them: met at the boundary,
missed just beyond it, one row per budgeted scenario, against the same run's baseline."""

import pytest

from bench import report
from bench import scenarios as bench_scenarios
from bench.loadgen import LatencyRun, Sample, Throughput
from bench.specs import BIG_PAGE, PAGE, SAVE, Budget, Scenario, Spec


@pytest.mark.parametrize(
    ("budget", "throughput", "p95"),
    [(SAVE, 0.6, 1.5), (PAGE, 0.3, 3.0), (BIG_PAGE, 0.15, 5.0)],
)
def test_each_class_is_met_at_its_boundaries_and_missed_beyond(budget, throughput, p95):
    assert (budget.min_throughput, budget.max_p95) == (throughput, p95)
    assert budget.met(throughput_ratio=throughput, p95_ratio=p95)
    assert budget.met(throughput_ratio=1.0, p95_ratio=1.0)
    assert not budget.met(throughput_ratio=throughput - 0.001, p95_ratio=p95)
    assert not budget.met(throughput_ratio=throughput, p95_ratio=p95 + 0.001)
    assert budget.target == f"throughput ≥ {throughput:g}×, p95 ≤ {p95:g}×"


def latency(p95_ms: float) -> LatencyRun:
    """Twenty samples whose p95 (the 19th) is ``p95_ms``."""
    samples = tuple(Sample(i * 0.05, 0.001, 200) for i in range(18))
    samples += tuple(Sample(1 + i * 0.05, p95_ms / 1000, 200) for i in range(2))
    return LatencyRun(rate=20, duration=1, samples=samples, expected_status=200)


def measured(key: str, budget: Budget | None, *, p95_ms: float, rps: float | None):
    scenario = Scenario(key, f"Scenario {key}", "", (Spec("u", "GET", "/"),), budget=budget)
    throughput = None if rps is None else Throughput(int(rps * 10), 10, 0, "wrk")
    return report.Measured(scenario, latency(p95_ms), throughput, [2])


def judged(*rows: report.Measured) -> dict[str, report.Verdict]:
    results = report.Results(
        started="",
        elapsed_s=1,
        machine={},
        server={},
        client={},
        dataset={},
        measured=[measured("B1", None, p95_ms=4.0, rps=400), *rows],
        slider=None,
    )
    return {v.budget: v for v in report.verdicts(results)}


def test_one_row_per_budgeted_scenario_against_the_same_runs_baseline():
    verdicts = judged(
        measured("B2a", SAVE, p95_ms=6.0, rps=240),  # 1.5× and 0.6×: met
        measured("B2b", SAVE, p95_ms=6.4, rps=400),  # p95 1.6×: missed
        measured("B3a", PAGE, p95_ms=12.0, rps=119),  # throughput under 0.3×: missed
        measured("B4a", BIG_PAGE, p95_ms=20.0, rps=60),  # 5× and 0.15×: met
        measured("B5a", None, p95_ms=400.0, rps=2),  # no class: no row
    )
    marks = {name: verdict.met for name, verdict in verdicts.items()}
    assert marks["B2a Scenario B2a (save)"] is True
    assert marks["B2b Scenario B2b (save)"] is False
    assert marks["B3a Scenario B3a (page)"] is False
    assert marks["B4a Scenario B4a (big page)"] is True
    assert not [name for name in marks if name.startswith(("B1 ", "B5a "))]
    page = verdicts["B3a Scenario B3a (page)"]
    assert page.target == "throughput ≥ 0.3×, p95 ≤ 3×"
    assert page.measured == "throughput 0.30× (119 vs 400 req/s); p95 3.00× (12.0 vs 4.0 ms)"


def test_a_budget_without_throughput_is_not_judged():
    verdict = judged(measured("B3a", PAGE, p95_ms=4.0, rps=None))["B3a Scenario B3a (page)"]
    assert verdict.met is None
    assert verdict.measured.startswith("throughput not measured; p95 1.00×")


def test_every_scenario_of_make_bench_but_the_baseline_and_the_500_has_a_class():
    manifest = {
        "password": "pw",
        "sizes": {"users": 1, "opportunities": 2, "criteria": 1, "story": 300},
        "users": [
            {
                "username": "u",
                "opportunities": [1, 2],
                "criteria": [3],
                "storied": 2,
                "number": 3,
                "calendar": "t",
                "people": [4],
                "friends": {
                    "round": 5,
                    "page_tokens": ["a"],
                    "submit_tokens": ["b"],
                    "opportunities": [1, 2],
                    "criteria": [3],
                    "answered": 5,
                },
            }
        ],
        "compare": {
            size: {"username": f"c{size}", "opportunities": list(range(int(size))), "criteria": [1]}
            for size in ("5", "50", "500")
        },
        "ranges": {
            size: {"username": f"r{size}", "opportunities": list(range(int(size))), "criteria": [1]}
            for size in ("5", "50")
        },
        "judgement": {"username": "j", "forecasts": 50},
        "check_ins": [{"decision": 7, "check_in": 8, "forecast": 9}],
    }
    built = bench_scenarios.build(manifest)
    classes = {s.key: s.budget.name if s.budget else None for s in built}
    assert classes == {
        "B1": None,
        **dict.fromkeys(("B2a", "B2b", "B2c", "B2d", "B2e"), "save"),
        **{f"B3{letter}": "page" for letter in "abcdefghijklmnopq"},
        **dict.fromkeys(("B4a", "B4b", "B4c", "B4d"), "big page"),
        "B5a": None,
    }
    assert [s.key for s in built] == list(classes)  # in the order of the keys
    assert {s.key: s.budget_p95_ms for s in built if s.budget_p95_ms} == {"B5a": 500.0}
