"""The benchmark harness itself: its statistics, its client, its scenarios and its report.

What ``make bench`` reports is only as good as these pieces, so they are tested like the
app: the percentile maths, the open-loop client's handling of a stalled server (no
coordinated omission), the requests it sends (accepted by the real app, CSRF included),
and the budget verdicts.
"""

import asyncio
import itertools

import pytest
from aiohttp import web

from bench import loadgen, report
from bench import scenarios as bench_scenarios
from bench.browser import Move, SliderRun
from bench.loadgen import LatencyRun, Request, Sample, Throughput
from bench.specs import BIG_PAGE, PAGE, SAVE
from opportunities.criteria.services import create_default_criteria
from opportunities.models import Score
from tests.bench.own_loop import in_own_loop
from tests.factories import PASSWORD, OpportunityFactory, UserFactory

# --- Statistics --------------------------------------------------------------------------------


def test_percentiles_are_nearest_rank():
    ordered = [float(n) for n in range(1, 101)]
    assert loadgen.percentile(ordered, 0.5) == 50
    assert loadgen.percentile(ordered, 0.95) == 95
    assert loadgen.percentile(ordered, 0.99) == 99
    assert loadgen.percentile(ordered, 1.0) == 100
    assert loadgen.percentile([7.0], 0.99) == 7
    # Never interpolated: p95 of three samples is the slowest one someone really waited.
    assert loadgen.percentile([1.0, 2.0, 30.0], 0.95) == 30


@pytest.mark.parametrize("fraction", [0, -0.1, 1.01])
def test_percentile_rejects_impossible_fractions(fraction):
    with pytest.raises(ValueError, match="fraction"):
        loadgen.percentile([1.0], fraction)


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no samples"):
        loadgen.percentile([], 0.5)


def latency_run(latencies_ms: list[float], *, rate: float = 40, errors: int = 0) -> LatencyRun:
    samples = tuple(
        Sample(scheduled=n / rate, latency=ms / 1000, status=500 if n < errors else 200)
        for n, ms in enumerate(latencies_ms)
    )
    return LatencyRun(rate=rate, duration=len(samples) / rate, samples=samples, expected_status=200)


def test_rounds_combine_into_the_median_round_so_one_disturbed_round_does_not_decide():
    disturbed = latency_run([1.0] * 18 + [500.0] * 2)
    combined = loadgen.combine([latency_run([2.0] * 20), disturbed, latency_run([3.0] * 20)])
    assert combined.count == 60
    assert combined.round_p95s_ms == (2.0, 500.0, 3.0)
    assert combined.percentiles_ms() == {"p50": 2.0, "p95": 3.0, "p99": 3.0, "max": 3.0}
    # Pooled, the disturbed round's tail would have been the p99 of all 60 samples.
    pooled = latency_run([2.0] * 20 + [1.0] * 18 + [500.0] * 2 + [3.0] * 20)
    assert pooled.percentiles_ms()["p95"] == 3.0
    assert pooled.percentiles_ms()["p99"] == 500.0
    with pytest.raises(ValueError, match="one rate"):
        loadgen.combine([latency_run([1.0], rate=10), latency_run([1.0], rate=20)])


def test_throughput_of_rounds_is_the_median_round():
    total = Throughput(100, 2.0, 1, "wrk") + Throughput(300, 2.0, 0, "wrk")
    total += Throughput(40, 2.0, 0, "wrk")
    assert total.round_rates == (50.0, 150.0, 20.0)
    assert (total.per_second, total.errors, total.requests) == (50.0, 1, 440)


# --- The open-loop client --------------------------------------------------------------------


async def _serve_with_one_stall(*, stall_on: int, stall_s: float):
    """A server that answers one request at a time and stalls once, like a GC pause."""
    lock = asyncio.Lock()
    handled = 0

    async def handler(request: web.Request) -> web.Response:
        nonlocal handled
        async with lock:
            handled += 1
            if handled == stall_on:
                await asyncio.sleep(stall_s)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@pytest.mark.serial  # times real requests: a machine busy with other tests slows them all
def test_fixed_rate_charges_a_stall_to_every_request_scheduled_during_it():
    async def measure() -> LatencyRun:
        runner, url = await _serve_with_one_stall(stall_on=10, stall_s=0.3)
        try:
            return await loadgen.fixed_rate(url, [Request("GET", "/")], rate=100, duration=1.0)
        finally:
            await runner.cleanup()

    run = in_own_loop(measure())

    assert run.count == 100
    assert run.errors == 0
    gaps = {round(b.scheduled - a.scheduled, 6) for a, b in itertools.pairwise(run.samples)}
    assert gaps == {0.01}
    # A closed-loop client would have sent nothing during the stall and seen one slow
    # request; scheduled at a fixed rate, every request due in those 300 ms waited.
    slow = [s for s in run.samples if s.latency >= 0.1]
    assert len(slow) >= 15
    assert run.percentiles_ms()["p50"] < 100


def test_fixed_rate_counts_refused_connections_as_errors():
    run = in_own_loop(
        loadgen.fixed_rate(
            "http://127.0.0.1:9", [Request("GET", "/")], rate=20, duration=0.2, timeout=2
        )
    )
    assert run.count == 4
    assert run.errors == 4


@pytest.mark.django_db(transaction=True)
def test_the_benchmarks_requests_are_accepted_by_the_app(live_server):
    """Log in through the form, then save a slider the way htmx does: CSRF header from the
    session's token, HX headers, one score. The app answers with the score fragment."""
    user = UserFactory()
    criterion = create_default_criteria(user)[0]
    opportunity = OpportunityFactory(owner=user)

    sessions = in_own_loop(loadgen.log_in(live_server.url, [user.username], PASSWORD))
    session = sessions[user.username]
    save = loadgen.as_user(
        session,
        "POST",
        f"/opportunities/{opportunity.pk}/scores/{criterion.pk}/",
        htmx_target="score-summary",
        form={f"{criterion.pk}-value": "7"},
    )
    run = in_own_loop(loadgen.fixed_rate(live_server.url, [save], rate=10, duration=0.2))

    assert run.count == 2
    assert run.errors == 0
    assert Score.objects.get(criterion=criterion).value == 7


@pytest.mark.django_db(transaction=True)
def test_a_post_without_the_csrf_header_is_refused(live_server):
    user = UserFactory()
    criterion = create_default_criteria(user)[0]
    opportunity = OpportunityFactory(owner=user)
    sessions = in_own_loop(loadgen.log_in(live_server.url, [user.username], PASSWORD))
    save = loadgen.as_user(
        sessions[user.username],
        "POST",
        f"/opportunities/{opportunity.pk}/scores/{criterion.pk}/",
        htmx_target="score-summary",
        form={f"{criterion.pk}-value": "7"},
    )
    headers = {name: value for name, value in save.headers.items() if name != "X-CSRFToken"}
    forged = Request(save.method, save.path, headers, save.body)
    run = in_own_loop(loadgen.fixed_rate(live_server.url, [forged], rate=10, duration=0.1))
    assert run.samples[0].status == 403
    assert not Score.objects.filter(criterion=criterion).exists()


def test_wrk_script_escapes_everything_it_quotes():
    script = loadgen.wrk_script(
        [Request("POST", "/x/", {"Cookie": 'a="b"; c=\\d', "X": "é"}, "v=1&w=2")]
    )
    assert '["Cookie"] = "a=\\34b\\34; c=\\92d"' in script
    assert '["X"] = "\\195\\169"' in script
    assert '"v=1&w=2"' in script
    assert "if status ~= 200 then" in script


# --- Scenarios ---------------------------------------------------------------------------------

MANIFEST = {
    "password": "pw",
    "sizes": {"users": 2, "opportunities": 3, "criteria": 2, "checkpoints": 1, "decided": 0.3},
    "counts": {"users": 5},
    "users": [
        {"username": "u1", "opportunities": [11, 12, 13], "criteria": [101, 102]},
        {"username": "u2", "opportunities": [21, 22, 23], "criteria": [201, 202]},
    ],
    "compare": {
        "5": {"username": "c5", "opportunities": [1, 2, 3, 4, 5], "criteria": [1, 2]},
        "50": {"username": "c50", "opportunities": list(range(6, 56)), "criteria": [3, 4]},
        "500": {"username": "c500", "opportunities": list(range(56, 556)), "criteria": [5, 6]},
    },
}


def test_scenarios_cover_the_issue_in_order():
    built = bench_scenarios.build(MANIFEST)
    assert [(s.key, s.name, s.budget) for s in built] == [
        ("B1", "Baseline", None),
        ("B2a", "Slider save", SAVE),
        ("B2b", "Range save", SAVE),
        ("B3a", "Opportunity page", PAGE),
        ("B3b", "Journal", PAGE),
        ("B3e", "Comparison 5 × 2", PAGE),
        ("B3g", "Swing page 50", PAGE),
        ("B3i", "Criteria page", PAGE),
        ("B3l", "Money pair 5", PAGE),
        ("B3q", "A criterion's fields", PAGE),
        ("B4a", "Dashboard", BIG_PAGE),
        ("B4b", "Comparison 50 × 2", BIG_PAGE),
        ("B5a", "Comparison 500 × 2", None),
    ]
    budgets = {s.name: s.budget_p95_ms for s in built if s.budget_p95_ms}
    assert budgets == {"Comparison 500 × 2": 500.0}
    assert bench_scenarios.usernames(built) == ["c5", "c50", "c500", "u1", "u2"]


def test_slider_saves_rotate_over_users_and_only_touch_their_own_rows():
    slider = bench_scenarios.build(MANIFEST)[1]
    owned = {u["username"]: u for u in MANIFEST["users"]}
    for spec in slider.specs:
        user = owned[spec.username]
        _, _, opportunity, _, criterion, _ = spec.path.split("/")
        assert int(opportunity) in user["opportunities"]
        assert int(criterion) in user["criteria"]
        assert spec.form == {f"{criterion}-value": spec.form[f"{criterion}-value"]}
        assert spec.htmx_target == "score-summary"
    assert len({spec.path for spec in slider.specs}) > len(MANIFEST["users"])


def test_a_criterions_fields_are_asked_by_htmx_of_the_users_own_criteria():
    (fields,) = [s for s in bench_scenarios.build(MANIFEST) if s.key == "B3q"]
    owned = {u["username"]: u for u in MANIFEST["users"]}
    for spec in fields.specs:
        path, criterion = spec.path.split("?edit=")
        assert path == "/criteria/"
        assert int(criterion) in owned[spec.username]["criteria"]
        assert (spec.method, spec.htmx_target) == ("GET", "edit-fields")
    assert {spec.username for spec in fields.specs} == set(owned)


def test_a_comparison_asks_for_every_opportunity_its_user_holds():
    built = {s.name: s for s in bench_scenarios.build(MANIFEST)}
    (spec,) = built["Comparison 500 × 2"].specs
    assert spec.path == "/compare/?ids=" + ",".join(str(n) for n in range(56, 556))


# --- The report --------------------------------------------------------------------------------


def results(*, slider_p95: float, slider_rps: float, compare_queries=(7, 7)) -> report.Results:
    built = {s.key: s for s in bench_scenarios.build(MANIFEST)}

    def measured(key, latencies, rps, queries=(2,)):
        return report.Measured(
            built[key], latency_run(latencies), Throughput(int(rps * 10), 10, 0, "wrk"), [*queries]
        )

    moves = tuple(Move(0, 2, 2 + ms, "61.0") for ms in [20.0] * 18 + [90.0] * 2)
    return report.Results(
        started="2026-01-01 00:00",
        elapsed_s=300,
        machine={"cpu": "Test CPU", "cores": "2", "memory": "24 GiB RAM"},
        server={"workers": "5"},
        client={"latency": "open loop"},
        dataset=MANIFEST,
        measured=[
            measured("B1", [2.0] * 18 + [4.0] * 2, 400),  # p95 (19th of 20): 4.0
            measured("B2a", [3.0] * 18 + [slider_p95] * 2, slider_rps, (8,)),
            measured("B4b", [50.0] * 20, 80, compare_queries[:1]),
            measured("B5a", [600.0] * 20, 4, compare_queries[1:]),
        ],
        slider=SliderRun(moves=moves, errors=0, console_errors=(), chromium="Chromium 1"),
        assets=[report.Asset("/s/a.1234567890ab.js", "br", 40_000, "max-age=315360000, immutable")],
        plans=[
            report.Plan(
                "B2a", "SELECT 1", [{"node": "Seq Scan", "table": "t", "index": None}], [], 0
            )
        ],
    )


def verdict_marks(results_: report.Results) -> dict[str, bool | None]:
    return {v.budget: v.met for v in report.verdicts(results_)}


SLIDER_BUDGET = "B2a Slider save (save)"


def test_budgets_are_judged_against_the_baseline_of_the_same_run():
    marks = verdict_marks(results(slider_p95=6.0, slider_rps=240))  # 1.5× and 0.6× exactly
    assert marks[SLIDER_BUDGET] is True
    assert marks["B4b Comparison 50 × 2 (big page)"] is False  # 12.5× the baseline's p95
    assert marks["Comparison 500 × 2 p95"] is False
    assert "Comparison 50 × 2 p95" not in marks  # its class budgets it now
    assert marks["SQL queries per comparison independent of its size"] is True
    assert marks["Scoring page's JS + CSS, compressed, in total"] is True
    assert marks["Every measured query uses an index on the tables that grow (EXPLAIN)"] is True
    assert marks["Slider → score on screen, from the input event: median"] is True
    assert marks["Slider → score on screen, from the input event: p95"] is True

    missed = verdict_marks(results(slider_p95=6.1, slider_rps=240, compare_queries=(7, 9)))
    assert missed[SLIDER_BUDGET] is False
    assert verdict_marks(results(slider_p95=6.0, slider_rps=239))[SLIDER_BUDGET] is False
    assert missed["SQL queries per comparison independent of its size"] is False


def test_the_report_has_the_table_the_budgets_and_the_method():
    markdown = report.render(results(slider_p95=8.1, slider_rps=120))
    assert "| B2a | Slider save | `POST /opportunities/11/scores/101/` | 120 | 0.30× |" in markdown
    assert (
        "| B2a Slider save (save) | throughput ≥ 0.6×, p95 ≤ 1.5× "
        "| throughput 0.30× (120 vs 400 req/s); p95 2.02× (8.1 vs 4.0 ms) | ❌ missed |"
    ) in markdown
    assert "| ❌ missed |" in markdown
    assert "## Slider to screen, in Chromium" in markdown
    assert "| request sent → score settled (`htmx:afterSettle`) | 20.0 | 90.0 | 90.0 |" in markdown
    assert "Test CPU, 2 cores, 24 GiB RAM" in markdown
    assert "## How noisy was it" in markdown
    assert "- B2a Slider save (save: throughput ≥ 0.6×, p95 ≤ 1.5×): one score" in markdown
    assert "- B5a Comparison 500 × 2 (p95 ≤ 500 ms): /compare/" in markdown
    assert "- B1 Baseline: a minimal view" in markdown


def test_without_the_baseline_the_report_leaves_its_ratios_blank_rather_than_failing():
    results_ = results(slider_p95=8.1, slider_rps=120)
    del results_.measured[0]  # B1
    markdown = report.render(results_)
    row = "| B2a | Slider save | `POST /opportunities/11/scores/101/` | 120 |  | 3.0 | 8.1 |"
    assert row + " 8.1 |  |" in markdown  # × B1 and p95 × B1 left blank
    assert "| throughput ≥ 0.6×, p95 ≤ 1.5× | no baseline in this run |" in markdown


def test_the_noise_section_shows_every_rounds_throughput():
    results_ = results(slider_p95=8.0, slider_rps=200)
    slider = results_.measured[1]
    rounds = Throughput(2400, 4, 0, "wrk") + Throughput(1200, 4, 0, "wrk")
    results_.measured[1] = report.Measured(
        slider.scenario, slider.latency, rounds + Throughput(2000, 4, 0, "wrk"), slider.queries
    )
    markdown = report.render(results_)
    assert "| p95 by round | req/s by round |" in markdown
    assert "| 600 / 300 / 500 |" in markdown
    assert "| B2a | Slider save | `POST /opportunities/11/scores/101/` | 500 |" in markdown


def test_a_statement_written_over_several_lines_stays_on_one_table_row():
    results_ = results(slider_p95=8.0, slider_rps=200)
    results_.plans[0] = report.Plan(
        "B2a",
        "\n    SELECT id FROM opportunities_evaluation\n    WHERE owner_id = 1",
        [{"node": "Index Scan", "table": "opportunities_evaluation", "index": "pkey"}],
        [],
        0.02,
    )
    markdown = report.render(results_)
    assert "| B2a | `SELECT id FROM opportunities_evaluation WHERE owner_id = 1…` |" in markdown


def test_pages_drawn_and_served_again_are_reported_side_by_side():
    results_ = results(slider_p95=8.0, slider_rps=200)
    assert "## Drawn, and served again" not in report.render(results_)  # none timed
    compare = results_.measured[2]
    results_.measured[2] = report.Measured(
        compare.scenario,
        compare.latency,
        compare.throughput,
        compare.queries,
        drawn_ms=48.0,
        served_ms=6.0,
    )
    markdown = report.render(results_)
    assert "## Drawn, and served again from the page cache (in-process)" in markdown
    assert "| B4b | Comparison 50 × 2 | 48.0 | 6.0 | 8.0× |" in markdown
    assert "| B2a |" not in markdown.split("## Drawn, and served again")[1].split("##")[0]
