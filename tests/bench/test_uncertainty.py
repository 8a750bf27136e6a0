"""The benchmark's unsure scores: users whose scores carry ranges, the "Comparison with ranges"
scenarios built from them (accepted by the real app, with the plausible cases on the page),
and the CPU microbenchmark of the sampling in the report."""

import dataclasses
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from bench import report
from bench import scenarios as bench_scenarios
from bench.management.commands.generate_bench_data import Command
from bench.run import parse_args
from bench.uncertainty import CPU_BUDGET_MS, RANGED, simulate_cpu
from opportunities.models import Score
from tests.bench.test_harness import results

SMALL = {
    "users": 1,
    "opportunities": 4,
    "criteria": 9,
    "checkpoints": 1,
    "decided": 0.5,
    "compare_sizes": "3",
    "story": 5,
}


def generate(tmp_path, **options) -> dict:
    manifest = tmp_path / "manifest.json"
    call_command(Command(), manifest=manifest, stdout=io.StringIO(), **(SMALL | options))
    return json.loads(manifest.read_text())


@pytest.mark.django_db
def test_range_users_hold_that_many_options_with_a_share_of_their_scores_unsure(tmp_path):
    manifest = generate(tmp_path, range_sizes="3,12")

    assert {size: len(user["opportunities"]) for size, user in manifest["ranges"].items()} == {
        "3": 3,
        "12": 12,
    }
    for holder in manifest["ranges"].values():
        live = Score.objects.filter(
            owner__username=holder["username"],
            evaluation__frozen_at__isnull=True,
            value__isnull=False,
        )
        ranged = live.filter(low__isnull=False)
        assert 0 < ranged.count() < live.count()
        assert all(s.low <= s.value <= s.high and s.low < s.high for s in ranged)
    assert manifest["counts"]["scores with a range"] > 0
    # Nobody else's scores are unsure: the other scenarios measure what they did before.
    others = [manifest["compare"]["3"]["username"], manifest["users"][0]["username"]]
    assert not Score.objects.filter(owner__username__in=others, low__isnull=False).exists()


@pytest.mark.django_db
def test_without_range_sizes_there_are_no_range_users_and_the_keys_stay(tmp_path):
    plain = generate(tmp_path)
    assert plain["ranges"] == {}
    assert (
        "scores with a range" not in plain["counts"] or not plain["counts"]["scores with a range"]
    )
    before = [(s.key, s.name) for s in bench_scenarios.build(plain)]
    with_ranges = dict(plain, ranges={"5": plain["compare"]["3"]})
    after = [(s.key, s.name) for s in bench_scenarios.build(with_ranges)]
    assert [s for s in after if s[0] != "B3f"] == before
    (ranged,) = [name for key, name in after if key == "B3f"]
    assert ranged.startswith("Comparison with ranges 5 × ")


def test_make_bench_asks_for_range_users_at_5_and_50():
    assert parse_args([]).range_sizes == "5,50"


@pytest.mark.django_db
def test_the_scenario_shows_the_plausible_cases_in_the_real_app(tmp_path):
    manifest = generate(tmp_path, range_sizes="3")
    [scenario] = [
        s for s in bench_scenarios.build(manifest) if s.name.startswith("Comparison with ranges")
    ]
    assert scenario.name == "Comparison with ranges 3 × 9"
    assert f"{RANGED:.0%} of the scores unsure" in scenario.what
    [spec] = scenario.specs
    client = Client()
    client.force_login(get_user_model().objects.get(username=spec.username))
    response = client.get(spec.path)
    assert response.status_code == 200
    html = response.content.decode()
    # A small comparison comes with a gut ranking, so the page is the matrix, not the form.
    assert 'data-testid="odds"' in html
    assert "of the plausible cases" in html or "in every plausible case" in html


def test_simulate_cpu_measures_the_issue_size():
    figures = simulate_cpu(repeats=3)
    assert figures["budget_ms"] == CPU_BUDGET_MS == 30.0
    assert 0 < figures["best_ms"] <= figures["median_ms"]
    assert figures["with_find_out_next_ms"] > 0


def test_the_report_judges_the_sampling_against_its_budget():
    cpu = {"median_ms": 14.2, "best_ms": 12.9, "with_find_out_next_ms": 40.0, "budget_ms": 30.0}
    within = dataclasses.replace(results(slider_p95=8.0, slider_rps=200), simulate_cpu=cpu)
    [verdict] = [v for v in report.verdicts(within) if v.budget.startswith("Plausible cases")]
    assert verdict.met is True
    assert verdict.measured.startswith("14.2 ms (best 12.9 ms")
    assert "Plausible cases" in report.render(within)
    over = dataclasses.replace(within, simulate_cpu=cpu | {"median_ms": 31.0})
    assert not next(v for v in report.verdicts(over) if v.budget.startswith("Plausible")).met
    unmeasured = results(slider_p95=8.0, slider_rps=200)
    assert not any(v.budget.startswith("Plausible") for v in report.verdicts(unmeasured))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sizes", "message"),
    [("5,x", "--range-sizes takes whole numbers"), ("0", "--range-sizes must be positive")],
)
def test_bad_range_sizes_are_refused(tmp_path, sizes, message):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=message):
        generate(tmp_path, range_sizes=sizes)
    assert not get_user_model().objects.exists()
