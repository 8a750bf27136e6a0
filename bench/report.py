"""The benchmark's Markdown report: the table, the budgets, how it was measured.

Pure: it renders measurements already taken (``Results``) and touches nothing else,
so the wording and the budget verdicts are tested without running a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench import floor, memory, profile
from bench.browser import SliderRun
from bench.floor import Floor
from bench.loadgen import LatencyRun, Throughput
from bench.scenarios import Scenario

BASELINE = "B1"
SCREEN_MEDIAN_MS = 50.0
SCREEN_P95_MS = 100.0
SCORING_PAGE_ASSETS_KB = 100.0


@dataclass(frozen=True, slots=True)
class Measured:
    scenario: Scenario
    latency: LatencyRun
    throughput: Throughput | None
    queries: list[int]
    """SQL statements per request, for the requests inspected in-process."""
    drawn_ms: float | None = None
    """A GET's median time in-process with the page cache off (``bench.database``)."""
    served_ms: float | None = None
    """The same with the cache on: the page served again."""
    layers: dict[str, float] = field(default_factory=dict)
    """Each layer's share of its time in percent, drawn, under cProfile (``bench.profile``)."""
    floor: Floor | None = None
    """Its requests drawn in-process, and the parts spent waiting on PostgreSQL and drawing
    templates (``bench.floor``)."""
    floor_beside: Floor | None = None
    """The baseline's requests measured the same way, each sent just before one of these:
    what its floor is read against (the baseline's own floor when there is none)."""


@dataclass(frozen=True, slots=True)
class Asset:
    url: str
    encoding: str
    size: int
    """Bytes on the wire (compressed when ``encoding`` says so)."""
    cache_control: str

    @property
    def far_future(self) -> bool:
        return "immutable" in self.cache_control and "max-age=315360000" in self.cache_control


@dataclass(frozen=True, slots=True)
class Plan:
    scenario: str
    sql: str
    scans: list[dict]
    seq_scans_on_growing_tables: list[str]
    """Sequential scans no index could replace: a missing index."""
    execution_ms: float | None
    seq_scans_by_choice: list[str] = field(default_factory=list)
    """Sequential scans the planner chose over a usable index (a table small today)."""


@dataclass(slots=True)
class Results:
    started: str
    """UTC, ISO 8601."""
    elapsed_s: float
    machine: dict[str, str]
    server: dict[str, str]
    client: dict[str, str]
    dataset: dict
    measured: list[Measured]
    slider: SliderRun | None
    slider_note: str = ""
    assets: list[Asset] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    simulate_cpu: dict[str, float] | None = None
    """The plausible cases' sampling, in-process (``bench.uncertainty.simulate_cpu``)."""
    memory: memory.Summary | None = None
    """Each gunicorn worker's resident memory over the run (``bench.memory``)."""

    def get(self, key: str) -> Measured | None:
        return next((m for m in self.measured if m.scenario.key == key), None)


@dataclass(frozen=True, slots=True)
class Verdict:
    budget: str
    target: str
    measured: str
    met: bool | None
    """``None``: not measured in this run."""

    @property
    def mark(self) -> str:
        return {True: "✅ met", False: "❌ missed", None: "— not measured"}[self.met]


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}×"


def verdicts(results: Results) -> list[Verdict]:
    out = _budget_verdicts(results)
    if results.slider and results.slider.moves:
        whole = results.slider.summary_ms("end_to_end")
        out += [
            Verdict(
                "Slider → score on screen, from the input event: median",
                f"≤ {SCREEN_MEDIAN_MS:g} ms",
                f"{_ms(whole['median'])} ms",
                whole["median"] <= SCREEN_MEDIAN_MS,
            ),
            Verdict(
                "Slider → score on screen, from the input event: p95",
                f"≤ {SCREEN_P95_MS:g} ms",
                f"{_ms(whole['p95'])} ms",
                whole["p95"] <= SCREEN_P95_MS,
            ),
        ]
    else:
        out.append(Verdict("Slider → score on screen", "median ≤ 50 ms, p95 ≤ 100 ms", "", None))
    for measured in results.measured:
        budget = measured.scenario.budget_p95_ms
        if budget is not None:
            p95 = measured.latency.percentiles_ms()["p95"]
            out.append(
                Verdict(
                    f"{measured.scenario.name} p95",
                    f"≤ {budget:g} ms",
                    f"{_ms(p95)} ms at {measured.latency.rate:g} req/s",
                    p95 <= budget,
                )
            )
    comparisons = [m for m in results.measured if m.scenario.name.startswith("Comparison")]
    if comparisons:
        counts = [q for m in comparisons for q in m.queries]
        out.append(
            Verdict(
                "SQL queries per comparison independent of its size",
                "the same at every size",
                " / ".join(f"{m.scenario.name}: {_queries(m.queries)}" for m in comparisons),
                len(set(counts)) == 1,
            )
        )
    if results.simulate_cpu:
        cpu = results.simulate_cpu
        out.append(
            Verdict(
                "Plausible cases (`uncertainty.core.simulate`), 10 options × 15 criteria × "
                "10,000 draws, CPU time in-process: median",
                f"≤ {cpu['budget_ms']:g} ms",
                f"{_ms(cpu['median_ms'])} ms (best {_ms(cpu['best_ms'])} ms; with what to find "
                f"out next {_ms(cpu['with_find_out_next_ms'])} ms)",
                cpu["median_ms"] <= cpu["budget_ms"],
            )
        )
    if results.assets:
        total = sum(asset.size for asset in results.assets) / 1024
        compressed = all(asset.encoding in {"br", "gzip"} for asset in results.assets)
        far_future = all(asset.far_future for asset in results.assets)
        out += [
            Verdict(
                "Scoring page's JS + CSS served compressed, with far-future cache headers",
                "br/gzip, `max-age=315360000, immutable`",
                f"{len(results.assets)} files: "
                + ", ".join(sorted({a.encoding or "identity" for a in results.assets})),
                compressed and far_future,
            ),
            Verdict(
                "Scoring page's JS + CSS, compressed, in total",
                f"< {SCORING_PAGE_ASSETS_KB:g} KB",
                f"{total:.1f} KB",
                total < SCORING_PAGE_ASSETS_KB,
            ),
        ]
    if results.memory:
        out.append(Verdict(*memory.verdict(results.memory)))
    if results.plans:
        scans = sorted({t for plan in results.plans for t in plan.seq_scans_on_growing_tables})
        out.append(
            Verdict(
                "Every measured query uses an index on the tables that grow (EXPLAIN)",
                "no sequential scan of them",
                "none" if not scans else "sequential scans of " + ", ".join(scans),
                not scans,
            )
        )
    return out


def _budget_verdicts(results: Results) -> list[Verdict]:
    """One row per scenario with a budget class: its throughput as a share of the
    baseline's and its p95 as a multiple of the baseline's, both from the same run."""
    baseline = results.get(BASELINE)
    out = []
    for measured in results.measured:
        budget = measured.scenario.budget
        if budget is None:
            continue
        what = f"{measured.scenario.key} {measured.scenario.name} ({budget.name})"
        if baseline is None:
            out.append(Verdict(what, budget.target, "no baseline in this run", None))
            continue
        base_p95 = baseline.latency.percentiles_ms()["p95"]
        p95 = measured.latency.percentiles_ms()["p95"]
        p95_ratio = p95 / base_p95
        latency = f"p95 {_ratio(p95_ratio)} ({_ms(p95)} vs {_ms(base_p95)} ms)"
        if not (measured.throughput and baseline.throughput):
            out.append(Verdict(what, budget.target, f"throughput not measured; {latency}", None))
            continue
        rps, base_rps = measured.throughput.per_second, baseline.throughput.per_second
        ratio = rps / base_rps
        out.append(
            Verdict(
                what,
                budget.target,
                f"throughput {_ratio(ratio)} ({rps:.0f} vs {base_rps:.0f} req/s); {latency}",
                budget.met(throughput_ratio=ratio, p95_ratio=p95_ratio),
            )
        )
    return out


def _class(scenario: Scenario) -> str:
    """The budget a scenario is judged by, as the list of scenarios says it."""
    if scenario.budget:
        return f" ({scenario.budget.name}: {scenario.budget.target})"
    if scenario.budget_p95_ms is not None:
        return f" (p95 ≤ {scenario.budget_p95_ms:g} ms)"
    return ""


def _queries(counts: list[int]) -> str:
    return "/".join(str(c) for c in sorted(set(counts))) if counts else "–"


def render(results: Results) -> str:
    baseline = results.get(BASELINE)  # in every run of ``bench.run``; else its ratios are blank
    base_p95 = baseline.latency.percentiles_ms()["p95"] if baseline else None
    base_rps = baseline.throughput.per_second if baseline and baseline.throughput else None
    lines = [
        "# Crossroads benchmark",
        "",
        f"Run {results.started} (UTC), {results.elapsed_s / 60:.1f} min, with `make bench`. "
        f"Machine: {results.machine['cpu']}, {results.machine['cores']} cores, "
        f"{results.machine['memory']}.",
        "",
        "| | Scenario | Request | Max req/s | × B1 | p50 ms | p95 ms | p99 ms | p95 × B1 "
        "| Measured at | SQL / request | Errors |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines += [_row(measured, base_p95, base_rps) for measured in results.measured]
    lines += [
        "",
        "Max req/s: saturation throughput, closed loop "
        f"({_tool(results)}). Latencies: open loop at the fixed rate shown, measured from "
        "each request's scheduled send time (no coordinated omission), after a warm-up. "
        "Both are measured in rounds interleaved across scenarios, so noise from elsewhere "
        "on the machine falls on the baseline and on the pages alike, and each figure is the "
        "median round's: one disturbed round does not decide it (every round's p95 is under "
        "*How noisy was it* below). SQL / request: statements per request, counted "
        "in-process.",
        "",
        "## Budgets",
        "",
        "| Budget | Target | Measured | |",
        "|---|---|---|---|",
    ]
    lines += [f"| {v.budget} | {v.target} | {v.measured} | {v.mark} |" for v in verdicts(results)]
    lines += ["", *_cache_section(results), "", *_layers_section(results)]
    lines += ["", *_floor_section(results)]
    lines += ["", *_slider_section(results), "", *_setup_section(results)]
    lines += ["", *_noise_section(results), "", *memory.section(results.memory)]
    lines += ["", *_assets_section(results), "", *_plans_section(results), ""]
    return "\n".join(lines)


def _cache_section(results: Results) -> list[str]:
    timed = [
        (m, m.drawn_ms, m.served_ms)
        for m in results.measured
        if m.drawn_ms is not None and m.served_ms is not None
    ]
    if not timed:
        return []
    lines = [
        "## Drawn, and served again from the page cache (in-process)",
        "",
        "A signed-in person's heavier pages are kept until a write changes their data "
        "(`opportunities.web.page_cache`), so the load above mostly measures a page served "
        "again; the first view after each write draws it. Median of "
        "15 GETs by one signed-in client in the app's own process, production settings, "
        "on the same database, with the cache off and then on.",
        "",
        "| | Scenario | Drawn ms | Served again ms | |",
        "|---|---|--:|--:|--:|",
    ]
    for m, drawn, served in timed:
        lines.append(
            f"| {m.scenario.key} | {m.scenario.name} | {drawn:.1f} | {served:.1f} "
            f"| {drawn / served:.1f}× |"
        )
    return lines


def _layers_section(results: Results) -> list[str]:
    profiled = [m for m in results.measured if m.layers]
    if not profiled:
        return []
    verdict = {v.budget.split(" ", 1)[0]: v.mark for v in verdicts(results)}
    lines = [
        "## Where the time goes, drawn (in-process, cProfile)",
        "",
        f"Each scenario's first {profile.PROFILED_REQUESTS} requests, each sent "
        f"{profile.PROFILED_REPEATS} times, with the page cache off, under "
        "`cProfile`; each function's own time is charged to its layer, and time in the "
        "standard library to its callers (`bench.profile`). Database: the driver and the wait "
        "for PostgreSQL. ORM: building queries and rows. Request: handlers, middleware, "
        "sessions, sign-in, routing, the app's web plumbing (the page cache among it). App: "
        "views, queries and maths. Shares of the profiled run, in percent.",
        "",
        "| | Scenario | " + " | ".join(profile.LAYERS) + " | Budget |",
        "|---|---|" + "--:|" * len(profile.LAYERS) + "---|",
    ]
    for m in profiled:
        cells = " | ".join(f"{m.layers.get(layer, 0.0):.0f}" for layer in profile.LAYERS)
        mark = verdict.get(m.scenario.key, "")
        lines.append(f"| {m.scenario.key} | {m.scenario.name} | {cells} | {mark} |")
    return lines


def _floor_section(results: Results) -> list[str]:
    baseline = results.get(BASELINE)
    if baseline is None or baseline.floor is None:
        return []
    missed = {v.budget.split(" ", 1)[0] for v in verdicts(results) if v.met is False}
    rows = [
        (m, m.floor, m.floor_beside or baseline.floor, m.scenario.budget.min_throughput)
        for m in results.measured
        if m.scenario.key in missed and m.floor is not None and m.scenario.budget is not None
    ]
    if not rows:
        return []
    lines = [
        "## How low the misses could go (in-process, drawn)",
        "",
        "For each missed budget, its sampled requests drawn in-process with the page cache "
        "off, each sent just after one of the baseline's, so that both are measured at one "
        "time (median ms; the baseline alone: "
        f"{baseline.floor.request_ms:.1f} ms, {baseline.floor.database_ms:.1f} of them waiting "
        "on PostgreSQL). Of each request, the part spent waiting on PostgreSQL (inside its "
        "statements, BEGIN and COMMIT) and the part spent drawing its templates (timed around "
        "them, without a profiler; `bench.floor`). *Best* is the share of the baseline's "
        "throughput it would reach if everything but its statements cost what the baseline's "
        "own work does: below the target, no rewrite of its Python meets the budget while it "
        "runs these statements. Otherwise *Cut* is how much of its other work (the ORM, the "
        "templates, the app) would have to go, in-process, and *No templates* the share it "
        "would reach were its templates drawn for nothing: below the target, no way of "
        "writing its HTML meets the budget on its own. A page whose throughput is met under "
        "load is mostly served from the page cache there; its p95 is a page drawn.",
        "",
        "| | Scenario | Drawn ms | Baseline beside ms | Waiting on PostgreSQL ms "
        "| Templates ms | Statements | Best × B1 | No templates × B1 | Target | Cut |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for m, drawn, base, target in rows:
        cut = floor.cut_needed(drawn, base, target)
        if cut is None:
            verdict = "out of reach: its statements alone"
        elif cut == 0:
            verdict = "none: met as drawn"
        else:
            beyond = floor.templates_free_ratio(drawn, base) < target
            verdict = f"{cut:.0%} of the rest" + (", more than its templates" if beyond else "")
        lines.append(
            f"| {m.scenario.key} | {m.scenario.name} | {drawn.request_ms:.1f} "
            f"| {base.request_ms:.1f} | {drawn.database_ms:.1f} | {drawn.templates_ms:.1f} "
            f"| {_queries(m.queries)} | {_ratio(floor.best_ratio(drawn, base))} "
            f"| {_ratio(floor.templates_free_ratio(drawn, base))} | {target:g}× | {verdict} |"
        )
    return lines


def _row(measured: Measured, base_p95: float | None, base_rps: float | None) -> str:
    latency = measured.latency
    p = latency.percentiles_ms()
    rps = measured.throughput.per_second if measured.throughput else None
    cells = [
        measured.scenario.key,
        measured.scenario.name,
        f"`{measured.scenario.example}`",
        "" if rps is None else f"{rps:.0f}",
        "" if rps is None or not base_rps else _ratio(rps / base_rps),
        _ms(p["p50"]),
        _ms(p["p95"]),
        _ms(p["p99"]),
        "" if base_p95 is None else _ratio(p["p95"] / base_p95),
        f"{latency.rate:g} req/s × {latency.count}",
        _queries(measured.queries),
        str(latency.errors + (measured.throughput.errors if measured.throughput else 0)),
    ]
    return "| " + " | ".join(cells) + " |"


def _tool(results: Results) -> str:
    """The tool that measured throughput, and when there were several, which measured what
    (the friend's page, limited per address, is loaded from many addresses: not by wrk)."""
    keys: dict[str, list[str]] = {}
    for measured in results.measured:
        if measured.throughput:
            keys.setdefault(measured.throughput.tool, []).append(measured.scenario.key)
    if len(keys) == 1:
        return next(iter(keys))
    return "; ".join(f"{tool}: {', '.join(keys[tool])}" for tool in sorted(keys)) or "not measured"


def _slider_section(results: Results) -> list[str]:
    lines = ["## Slider to screen, in Chromium", ""]
    run = results.slider
    if run is None or not run.moves:
        return [*lines, results.slider_note or "Not measured in this run."]
    whole = run.summary_ms("end_to_end")
    to_request = run.summary_ms("to_request")
    request = run.summary_ms("request_to_settled")
    lines += [
        f"{len(run.moves)} slider moves on one opportunity's scoring page ({run.chromium}, "
        "headless, on the same machine), one at a time, each timed inside the page.",
        "",
        "| Interval | median ms | p95 ms | max ms |",
        "|---|--:|--:|--:|",
        f"| input event → request sent | {_ms(to_request['median'])} "
        f"| {_ms(to_request['p95'])} | {_ms(to_request['max'])} |",
        f"| request sent → score settled (`htmx:afterSettle`) | {_ms(request['median'])} "
        f"| {_ms(request['p95'])} | {_ms(request['max'])} |",
        f"| **input event → score settled** (what a person sees) | {_ms(whole['median'])} "
        f"| {_ms(whole['p95'])} | {_ms(whole['max'])} |",
        "",
        f"Failed requests: {run.errors}. Browser console errors: {len(run.console_errors)}.",
        "",
        "Each move is what a key press or letting go of a slider does (`input`, then "
        "`change`): the panel saves on `change` at once, and debounces only while a slider "
        "is dragged or a number typed (static/js/crossroads.js). The budget applies end "
        "to end, from the input event to the new score settled on screen.",
    ]
    if results.slider_note:
        lines += ["", results.slider_note]
    return lines


def _setup_section(results: Results) -> list[str]:
    def table(title: str, values: dict) -> list[str]:
        return [f"**{title}**", "", *(f"- {k}: {v}" for k, v in values.items()), ""]

    counts = ", ".join(f"{v} {k}" for k, v in results.dataset["counts"].items())
    sizes = results.dataset["sizes"]
    return [
        "## How it was measured",
        "",
        "**Scenarios**",
        "",
        *(
            f"- {m.scenario.key} {m.scenario.name}{_class(m.scenario)}: {m.scenario.what}."
            for m in results.measured
        ),
        "",
        *table("Machine", results.machine),
        *table("Server", results.server),
        *table("Client", results.client),
        "**Dataset** (`manage.py generate_bench_data`)",
        "",
        f"- {sizes['users']} users × {sizes['opportunities']} opportunities × "
        f"{sizes['criteria']} criteria, up to {sizes['checkpoints']} checkpoints per "
        f"opportunity, a decision on {sizes['decided']:.0%} of them, plus one user per "
        "comparison size.",
        f"- {counts}.",
    ]


def _noise_section(results: Results) -> list[str]:
    lines = [
        "## How noisy was it",
        "",
        "Each interleaved round's p95 (ms) and saturation throughput (req/s). Other work on "
        "the machine shows up here first.",
        "",
        "| | Scenario | p95 by round | req/s by round |",
        "|---|---|---|---|",
    ]
    for measured in results.measured:
        rounds = " / ".join(_ms(p95) for p95 in measured.latency.round_p95s_ms) or "–"
        rates = "–"
        if measured.throughput and measured.throughput.round_rates:
            rates = " / ".join(f"{rate:.0f}" for rate in measured.throughput.round_rates)
        lines.append(f"| {measured.scenario.key} | {measured.scenario.name} | {rounds} | {rates} |")
    return lines


def _assets_section(results: Results) -> list[str]:
    lines = ["## The scoring page's static assets", ""]
    if not results.assets:
        return [*lines, "Not measured in this run."]
    lines += ["| File | Encoding | Bytes | Cache-Control |", "|---|---|--:|---|"]
    for asset in results.assets:
        lines.append(
            f"| `{asset.url}` | {asset.encoding or 'identity'} | {asset.size:,} "
            f"| `{asset.cache_control}` |"
        )
    total = sum(asset.size for asset in results.assets)
    lines.append(f"| **total** | | **{total:,}** ({total / 1024:.1f} KB) | |")
    return lines


def _plans_section(results: Results) -> list[str]:
    lines = [
        "## Query plans (EXPLAIN on this dataset)",
        "",
        "Every distinct statement of four requests per scenario, planned by PostgreSQL on "
        "the benchmark's data (after `ANALYZE`; reads also run, `EXPLAIN ANALYZE`). Where "
        "the planner reads a growing table sequentially, the statement is planned again "
        "with `enable_seqscan = off`: if an index then serves it, the sequential scan was "
        "the right choice for a table that is small today.",
        "",
    ]
    if not results.plans:
        return [*lines, "Not measured in this run."]
    lines += ["| Scenario | Statement | Scans | ms |", "|---|---|---|--:|"]
    for plan in results.plans:
        scans = "; ".join(
            f"{s['node']} {s['table']}" + (f" ({s['index']})" if s["index"] else "")
            for s in plan.scans
        )
        flag = " ⚠ no index" if plan.seq_scans_on_growing_tables else ""
        if plan.seq_scans_by_choice:
            flag += " (sequential by choice: small table, index available)"
        statement = " ".join(plan.sql.split())[:90].replace("|", "\\|")  # one table row
        elapsed = "" if plan.execution_ms is None else f"{plan.execution_ms:.2f}"
        lines.append(f"| {plan.scenario} | `{statement}…` | {scans}{flag} | {elapsed} |")
    return lines
