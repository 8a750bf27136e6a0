"""``make bench``: measure Crossroads under load on this machine and write the report.

1. create a fresh PostgreSQL database and fill it (``manage.py generate_bench_data``);
2. count the SQL of every scenario's requests and EXPLAIN each statement (in-process);
3. start the app under gunicorn with production settings on loopback;
4. log every simulated user in once (hashing is slow on purpose) and reuse the sessions;
5. measure saturation throughput (wrk, closed loop) and then latency percentiles (fixed
   rate, open loop) of the baseline (B1), the saves (B2…) and the pages (B3…–B5…),
   and the baseline once more at the end to show how noisy the machine is;
6. time slider → score on screen in Chromium;
7. write ``bench/results/<time>.md`` and ``bench/results/latest.md``;
8. stop the server and drop the database, whatever happened.

Two cores are shared by the server, PostgreSQL and the clients, so the offered rates are
modest and the client runs one measurement at a time. Every figure is compared with
the baseline measured in the same run, which is what makes them mean something on a
noisy machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench import floor, loadgen, memory, report, soak
from bench import scenarios as bench_scenarios
from bench.browser import measure_slider
from bench.server import (
    ensure_postgres,
    ensure_tool,
    free_port,
    fresh_database,
    gunicorn,
    gunicorn_settings,
    load_average,
    log,
    machine_info,
    manage,
    page_store_note,
    pages_forgotten,
    revision,
    server_environment,
    shared_page_store,
)
from bench.uncertainty import simulate_cpu
from tests.browser.chromium import CHROMIUM
from tests.web.assets import asset_urls

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (a user that may create databases), without a database name.",
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--opportunities", type=int, default=60)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--compare-sizes", default="5,50,500")
    parser.add_argument("--range-sizes", default="5,50")
    parser.add_argument("--judgement-forecasts", type=int, default=50)
    parser.add_argument("--rate", type=float, default=40.0, help="Offered req/s (default 40).")
    parser.add_argument(
        "--duration", type=float, default=18.0, help="Seconds of latency per scenario."
    )
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds (default 3).")
    parser.add_argument("--min-samples", type=int, default=150)
    parser.add_argument("--warmup", type=float, default=3.0, help="Seconds of warm-up per run.")
    parser.add_argument(
        "--saturation",
        type=float,
        default=20.0,
        help="Seconds of wrk per scenario, split over the saturation rounds (2 s windows let "
        "one disturbed second swing a scenario's figure by a third).",
    )
    parser.add_argument(
        "--saturation-rounds",
        type=int,
        default=5,
        help="Interleaved wrk rounds (default 5: the median of five shrugs off two bad ones).",
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections.")
    parser.add_argument(
        "--moves", type=int, default=100, help="Slider moves in Chromium (0: skip the browser)."
    )
    parser.add_argument(
        "--scenarios",
        help="Only these scenario keys, comma-separated (e.g. B1,B2a,B3c while profiling); the "
        "baseline B1 is always included.",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="Keep the database and work files.")
    parser.add_argument(
        "--soak",
        type=float,
        metavar="SECONDS",
        help="Instead of the measurements: every scenario's requests mixed, at --soak-rate, "
        "for SECONDS, reading each gunicorn worker's memory (bench/memory.py); writes "
        "soak-latest.md.",
    )
    parser.add_argument(
        "--soak-rate", type=float, default=20.0, help="Offered req/s in the soak (default 20)."
    )
    return parser.parse_args(argv)


# --- Static assets ---------------------------------------------------------------------------


async def page_assets(base_url: str, request: loadgen.Request) -> list[report.Asset]:
    """The JS and CSS a page references, fetched as a browser would (brotli accepted)."""
    async with aiohttp.ClientSession(base_url, auto_decompress=False) as client:
        async with client.get(request.path, headers=request.headers) as response:
            urls = asset_urls(await response.text())
        assets = []
        for url in urls:
            async with client.get(url, headers={"Accept-Encoding": "br, gzip"}) as response:
                body = await response.read()
                assets.append(
                    report.Asset(
                        url=url,
                        encoding=response.headers.get("Content-Encoding", ""),
                        size=len(body),
                        cache_control=response.headers.get("Cache-Control", ""),
                    )
                )
    return assets


# --- The run ---------------------------------------------------------------------------------


def to_request(spec: bench_scenarios.Spec, sessions: dict[str, loadgen.Session]):
    if spec.username is None:
        return loadgen.as_visitor(
            spec.method, spec.path, source=spec.source, csrf=spec.csrf, form=spec.form
        )
    return loadgen.as_user(
        sessions[spec.username],
        spec.method,
        spec.path,
        htmx_target=spec.htmx_target,
        form=spec.form,
    )


def opportunity_page(manifest: dict, sessions: dict[str, loadgen.Session]) -> loadgen.Request:
    """The scoring page of an opportunity with checkpoints (the heaviest case: its score
    history chart comes with it)."""
    user = manifest["users"][0]
    opportunity = (user["with_checkpoints"] or user["opportunities"])[0]
    return loadgen.as_user(sessions[user["username"]], "GET", f"/opportunities/{opportunity}/")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    started_at = datetime.now(UTC)
    stamp = f"{started_at:%Y-%m-%dT%H%M%SZ}"
    work = args.output / f"run-{stamp}.tmp"
    work.mkdir(parents=True, exist_ok=True)
    ensure_postgres(args.postgres)
    have_wrk = ensure_tool("wrk", "wrk")
    have_chromium = ensure_tool("chromium", "chromium")
    machine = machine_info() | {"load average at start": load_average()}
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"

    page_store = shared_page_store()
    with (
        fresh_database(args.postgres, keep=args.keep) as database_url,
        pages_forgotten(page_store, database_url),
    ):
        env = server_environment(database_url, port, page_store=page_store)
        log("migrate, collectstatic")
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        log("generating the dataset")
        manifest_path = work / "manifest.json"
        print(
            manage(
                "generate_bench_data",
                f"--users={args.users}",
                f"--opportunities={args.opportunities}",
                f"--criteria={args.criteria}",
                f"--compare-sizes={args.compare_sizes}",
                f"--range-sizes={args.range_sizes}",
                f"--judgement-forecasts={args.judgement_forecasts}",
                f"--manifest={manifest_path}",
                env=env,
            ).strip()
        )
        manifest = json.loads(manifest_path.read_text())
        scenarios = bench_scenarios.build(manifest)
        if args.scenarios:
            wanted = {"B1", *args.scenarios.split(",")}
            scenarios = [scenario for scenario in scenarios if scenario.key in wanted]
        log("counting SQL and EXPLAINing every statement (in-process)")
        database_path = work / "database.json"
        completed = subprocess.run(
            [PYTHON, "-m", "bench.database", str(manifest_path), str(database_path)],
            cwd=ROOT,
            env=env,
        )
        if completed.returncode != 0:
            raise RuntimeError("bench.database failed")
        database = json.loads(database_path.read_text())

        with (
            gunicorn(env, work / "gunicorn.log", base_url) as server_process,
            memory.Sampler(
                server_process.pid,
                interval_s=memory.SOAK_INTERVAL_S if args.soak else memory.BENCH_INTERVAL_S,
                log_path=work / "gunicorn.log",
            ) as sampler,
        ):
            log("logging the simulated users in, once each")
            sessions = asyncio.run(
                loadgen.log_in(base_url, bench_scenarios.usernames(scenarios), manifest["password"])
            )
            requests = {s.key: [to_request(spec, sessions) for spec in s.specs] for s in scenarios}
            if args.soak:
                return soak.run_soak(
                    args,
                    base_url=base_url,
                    scenarios=scenarios,
                    requests=requests,
                    sampler=sampler,
                    server=gunicorn_settings(env),
                    dataset=manifest,
                    stamp=stamp,
                    work=work,
                    log=log,
                )
            throughput = saturation_phase(args, scenarios, requests, base_url, work, have_wrk)
            measured = latency_phase(args, scenarios, requests, base_url, throughput, database)
            log("the plausible cases' sampling, in-process (CPU time)")
            sampling = simulate_cpu()
            log("static assets of the scoring page")
            assets = asyncio.run(page_assets(base_url, opportunity_page(manifest, sessions)))
            slider, slider_note = None, ""
            if args.moves == 0:
                slider_note = "Not measured in this run (`--moves 0`)."
            elif have_chromium:
                log(f"Chromium: {args.moves} slider moves")
                user = manifest["users"][0]
                slider = measure_slider(
                    base_url,
                    username=user["username"],
                    password=manifest["password"],
                    opportunity=user["opportunities"][1],
                    moves=args.moves,
                    chromium=CHROMIUM,
                )
            else:
                slider_note = f"Not measured: Chromium was not found at {CHROMIUM}."
            server = gunicorn_settings(env) | {
                "app": "gunicorn `config.wsgi` with `config/gunicorn.conf.py`, "
                "`DJANGO_ENV=production` (DEBUG off, whitenoise, manifest static files)",
                "logging": "production's JSON access log, one line per request, written to a "
                "file (not a terminal); everything else at INFO",
                "database": f"PostgreSQL {database['postgresql']} on 127.0.0.1, fresh database,"
                " persistent connections (`DJANGO_CONN_MAX_AGE` 60 s)",
                "page cache": page_store_note(env),
                "revision": revision(),
            }

    results = report.Results(
        started=started_at.strftime("%Y-%m-%d %H:%M"),
        elapsed_s=time.monotonic() - started,
        machine=machine | {"load average at end": load_average()},
        server=server,
        client={
            "latency": "open loop (fixed rate) in Python (asyncio + aiohttp), up to 64 "
            f"connections; per scenario {args.warmup:g} s of warm-up, then {args.duration:g} s "
            f"(longer where needed for {args.min_samples} samples) in {args.rounds} rounds "
            "interleaved with the other scenarios; one scenario at a time",
            "offered rate": f"{args.rate:g} req/s, or half the scenario's saturation "
            "throughput where that is lower (so latency is measured below saturation)",
            "throughput": throughput_tool(args, have_wrk, scenarios),
            "sessions": f"{len(sessions)} users logged in once each through the login form; "
            "requests rotate over users and opportunities; friends (no account) over links "
            f"of their own, each from a loopback address of its own "
            f"({bench_scenarios.FRIEND_ADDRESSES}.0.0/16)",
        },
        dataset=manifest,
        measured=measured,
        slider=slider,
        slider_note=slider_note,
        assets=assets,
        simulate_cpu=sampling,
        memory=sampler.summary(),
        plans=[
            report.Plan(
                scenario=key,
                sql=plan["sql"],
                scans=plan["scans"],
                seq_scans_on_growing_tables=plan["seq_scans_on_growing_tables"],
                execution_ms=plan["execution_ms"],
                seq_scans_by_choice=plan["seq_scans_by_choice"],
            )
            for key, entry in database["scenarios"].items()
            for plan in entry["plans"]
        ],
    )
    markdown = report.render(results)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / f"{stamp}.md").write_text(markdown)
    (args.output / "latest.md").write_text(markdown)
    if not args.keep:
        shutil.rmtree(work)
    log(f"wrote {args.output / 'latest.md'} in {(time.monotonic() - started) / 60:.1f} min")
    print()
    print(markdown.split("\n## How it was measured")[0])
    return 0


def throughput_tool(args: argparse.Namespace, have_wrk: bool, scenarios=()) -> str:
    what = (
        f"closed loop, {args.connections} connections, {min(args.warmup, 2.0):g} s of warm-up "
        f"then {args.saturation:g} s per scenario in {args.saturation_rounds} interleaved rounds"
    )
    tool = f"wrk, 1 thread, {what}" if have_wrk else f"Python closed loop (wrk missing), {what}"
    spread = [s.key for s in scenarios if any(spec.source for spec in s.specs)]
    if have_wrk and spread:
        tool += (
            f"; {', '.join(spread)} by the Python closed loop instead, from a loopback address "
            "per request of the rotation: the friend's page is rate-limited per address, as "
            "deployed, and wrk sends from one (the Python client costs more CPU, so these "
            "figures lean low)"
        )
    return tool


def saturation_phase(args, scenarios, requests, base_url, work, have_wrk):
    """Closed-loop throughput of each scenario, in interleaved rounds, after a warm-up
    round that is not counted (fresh workers, connections and statement caches made the
    first scenario measured, always the baseline, look slow)."""

    def saturate(scenario, seconds: float) -> loadgen.Throughput:
        # wrk sends from one address: a page limited per address is loaded from many.
        if have_wrk and not loadgen.sources(requests[scenario.key]):
            return loadgen.saturate_with_wrk(
                base_url,
                requests[scenario.key],
                duration=seconds,
                connections=args.connections,
                threads=1,
                script_path=work / f"{scenario.key}.lua",
                expected_status=scenario.expected_status,
            )
        return asyncio.run(
            loadgen.saturate_with_python(
                base_url,
                requests[scenario.key],
                duration=seconds,
                connections=args.connections,
                expected_status=scenario.expected_status,
            )
        )

    log("warming up (closed loop)")
    for scenario in scenarios:
        saturate(scenario, min(args.warmup, 2.0))
    throughput: dict[str, loadgen.Throughput] = {}
    seconds = args.saturation / args.saturation_rounds
    for number in range(1, args.saturation_rounds + 1):
        for scenario in scenarios:
            measured = saturate(scenario, seconds)
            so_far = throughput.get(scenario.key)
            throughput[scenario.key] = measured if so_far is None else so_far + measured
            log(f"saturation round {number}: {scenario.key} {measured.per_second:.0f} req/s")
    return throughput


def latency_phase(args, scenarios, requests, base_url, throughput, database):
    """Fixed-rate latency of each scenario: a warm-up, then interleaved rounds.

    Each scenario is offered ``--rate`` req/s, or half its saturation throughput when
    that is lower, so latency is always measured below saturation (at saturation an
    open-loop client only measures an ever-growing queue).
    """
    plan = {}
    for scenario in scenarios:
        rate = max(1.0, round(min(args.rate, throughput[scenario.key].per_second / 2), 1))
        duration = max(args.duration, min(args.min_samples / rate, 3 * args.duration))
        plan[scenario.key] = (rate, duration / args.rounds)
    log("warming up")
    for scenario in scenarios:
        rate, _ = plan[scenario.key]
        asyncio.run(
            loadgen.fixed_rate(
                base_url,
                requests[scenario.key],
                rate=rate,
                duration=args.warmup,
                expected_status=scenario.expected_status,
            )
        )
    rounds: dict[str, list[loadgen.LatencyRun]] = {scenario.key: [] for scenario in scenarios}
    for number in range(1, args.rounds + 1):
        for scenario in scenarios:
            rate, seconds = plan[scenario.key]
            run = asyncio.run(
                loadgen.fixed_rate(
                    base_url,
                    requests[scenario.key],
                    rate=rate,
                    duration=seconds,
                    expected_status=scenario.expected_status,
                )
            )
            rounds[scenario.key].append(run)
            p = run.percentiles_ms()
            log(
                f"latency round {number}: {scenario.key} at {rate:g} req/s: "
                f"p50 {p['p50']:.1f} ms, p95 {p['p95']:.1f} ms"
            )
    return [
        report.Measured(
            scenario=scenario,
            latency=loadgen.combine(rounds[scenario.key]),
            throughput=throughput[scenario.key],
            queries=database["scenarios"][scenario.key]["queries"],
            drawn_ms=database["scenarios"][scenario.key].get("drawn_ms"),
            served_ms=database["scenarios"][scenario.key].get("served_ms"),
            layers=database["scenarios"][scenario.key].get("layers", {}),
            floor=_floor_of(database["scenarios"][scenario.key]),
            floor_beside=_floor_of(database["scenarios"][scenario.key].get("floor", {}), "beside"),
        )
        for scenario in scenarios
    ]


def _floor_of(inspected: dict, key: str = "floor") -> floor.Floor | None:
    found = dict(inspected.get(key) or {})
    found.pop("beside", None)
    return floor.Floor(**found) if found else None


if __name__ == "__main__":
    sys.exit(main())
