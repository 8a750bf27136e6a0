"""The soak (``make soak``, ``python -m bench.run --soak 600``): every scenario's requests
mixed, open loop at a moderate rate, for minutes on end, while ``bench.memory`` reads each
gunicorn worker's resident memory; the report is the memory table, the verdict against
``bench.memory.WORKER_RSS_BOUND_MB`` and the errors.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench import loadgen
from bench.memory import Summary, section

CHUNK_S = 30.0
"""The soak sends in chunks of this many seconds (a progress line each)."""


@dataclass(frozen=True, slots=True)
class Mixed:
    """Every scenario's requests, interleaved: one of each scenario in turn."""

    keys: tuple[str, ...]
    requests: tuple[loadgen.Request, ...]
    expected: tuple[int, ...]

    @classmethod
    def of(cls, scenarios: Sequence, requests: dict[str, list[loadgen.Request]]) -> Mixed:
        longest = max(len(requests[s.key]) for s in scenarios)
        rows = [
            (s.key, requests[s.key][n % len(requests[s.key])], s.expected_status)
            for n in range(longest)
            for s in scenarios
        ]
        keys, sent, expected = zip(*rows, strict=True)
        return cls(keys, sent, expected)

    def turned(self, offset: int) -> Mixed:
        offset %= len(self.requests)

        def turn(values: tuple) -> tuple:
            return values[offset:] + values[:offset]

        return Mixed(turn(self.keys), turn(self.requests), turn(self.expected))


@dataclass(slots=True)
class SoakRun:
    started: str
    """UTC."""
    asked_s: float
    rate: float
    seconds: float = 0.0
    sent: int = 0
    errors: Counter[tuple[str, int]] = field(default_factory=Counter)
    """(scenario key, status) of every request that did not get its expected status."""
    latencies: list[float] = field(default_factory=list)

    def percentiles_ms(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        return {
            name: loadgen.percentile(ordered, fraction) * 1000
            for name, fraction in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
        }


def soak(base_url: str, mixed: Mixed, *, seconds: float, rate: float, log=print) -> SoakRun:
    """Send ``mixed`` round robin at ``rate`` req/s (open loop) for ``seconds``, in chunks of
    ``CHUNK_S``: each chunk waits for its last answer, so a stalled server slows the soak
    down (the achieved rate says so) instead of piling up requests without end."""
    run = SoakRun(time.strftime("%Y-%m-%d %H:%M", time.gmtime()), seconds, rate)
    started = time.monotonic()
    while (left := seconds - (time.monotonic() - started)) > 0.5:
        chunk = mixed.turned(run.sent)
        measured = asyncio.run(
            loadgen.fixed_rate(base_url, chunk.requests, rate=rate, duration=min(CHUNK_S, left))
        )
        for n, sample in enumerate(measured.samples):
            turn = n % len(chunk.requests)
            if sample.status != chunk.expected[turn]:
                run.errors[chunk.keys[turn], sample.status] += 1
            run.latencies.append(sample.latency)
        run.sent += measured.count
        p95 = loadgen.percentile(sorted(s.latency for s in measured.samples), 0.95) * 1000
        log(
            f"soak {time.monotonic() - started:.0f}/{seconds:g} s: {run.sent} sent, "
            f"{sum(run.errors.values())} errors, p95 of the last chunk {p95:.0f} ms"
        )
    run.seconds = time.monotonic() - started
    return run


def soak_report(
    run: SoakRun,
    summary: Summary,
    *,
    scenarios: Sequence[str],
    server: dict[str, str],
    dataset: dict,
) -> str:
    p = run.percentiles_ms() if run.latencies else {}
    errors = sum(run.errors.values())
    failed = ", ".join(f"{k} {s or 'no response'} × {n}" for (k, s), n in run.errors.items())
    sizes = dataset.get("sizes", {})
    lines = [
        "# Crossroads soak: each gunicorn worker's memory under mixed load",
        "",
        f"Run {run.started} (UTC) with `python -m bench.run --soak {run.asked_s:g} --soak-rate "
        f"{run.rate:g}`: {run.sent} requests in {run.seconds / 60:.1f} min (open loop, offered "
        f"{run.rate:g} req/s, achieved {run.sent / run.seconds if run.seconds else 0:.1f}), round "
        f"robin over every scenario's requests ({len(scenarios)} scenarios: "
        f"{', '.join(scenarios)}).",
        "",
        f"- **Errors: {errors}** (a status other than the scenario's expected one, or no "
        "response within 10 s)" + (f": {failed}" if errors else ""),
        "- Latency over all requests (ms): "
        + (", ".join(f"{k} {v:.0f}" for k, v in p.items()) if p else "none"),
        f"- Dataset: {sizes.get('users', '?')} users × {sizes.get('opportunities', '?')} "
        f"opportunities × {sizes.get('criteria', '?')} criteria (`generate_bench_data`)",
        "- Server: " + "; ".join(f"{k} {v}" for k, v in server.items()),
        "- Requests per worker are not logged by pid; a worker recycled after max requests "
        "served that many (plus its jitter) before it went.",
        "",
        *section(summary, title="Memory over the soak"),
        "",
    ]
    return "\n".join(lines)


def run_soak(args, *, base_url, scenarios, requests, sampler, server, dataset, stamp, work, log):
    """The soak, from ``bench.run`` once the users are signed in: writes
    ``soak-<time>.md`` and ``soak-latest.md`` under ``--output`` and returns the exit
    status (1 when a worker passed the bound or a request failed)."""
    log(f"soak: {args.soak:g} s at {args.soak_rate:g} req/s, {len(scenarios)} scenarios")
    run = soak(
        base_url, Mixed.of(scenarios, requests), seconds=args.soak, rate=args.soak_rate, log=log
    )
    sampler.stop()
    summary = sampler.summary()
    keys = [s.key for s in scenarios]
    markdown = soak_report(run, summary, scenarios=keys, server=server, dataset=dataset)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / f"soak-{stamp}.md").write_text(markdown)
    (args.output / "soak-latest.md").write_text(markdown)
    if not args.keep:
        shutil.rmtree(work)
    log(f"wrote {args.output / 'soak-latest.md'}")
    print(markdown)
    return 0 if summary.met and not run.errors else 1
