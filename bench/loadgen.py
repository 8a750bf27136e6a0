"""Load generation: an open-loop client for latency, wrk for saturation throughput.

Latency percentiles come from a *fixed-rate* (open-loop) client: request ``i`` is
scheduled at ``start + i / rate`` whatever happened to the requests before it, and its
latency is measured from that scheduled time to the end of its response. A slow
response therefore delays nothing else and is not hidden: the time a request spends
waiting for a free connection, or behind a stalled server, is part of its latency
(no coordinated omission). Closed-loop tools such as wrk send the next request only
when one returns, so a stall shows up as a handful of slow samples instead of every
request that would have been sent meanwhile: their throughput is right, their tails
are not. wrk is used for throughput only.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import shutil
import statistics
import string
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bench.clients import (
    Request,
    Session,
    Sessions,
    as_user,
    as_visitor,
    fetch_status,
    log_in,
    sources,
)

__all__ = [
    "LatencyRun",
    "Request",
    "Sample",
    "Session",
    "Sessions",
    "Throughput",
    "as_user",
    "as_visitor",
    "combine",
    "fetch_status",
    "fixed_rate",
    "log_in",
    "percentile",
    "saturate_with_python",
    "saturate_with_wrk",
    "sources",
    "wrk_available",
    "wrk_script",
]
"""What the harness uses; the requests and sessions come from ``bench.clients``."""


@dataclass(frozen=True, slots=True)
class Sample:
    scheduled: float
    latency: float
    """Seconds from the scheduled send time to the end of the response body."""
    status: int
    """HTTP status; 0 when the request failed without a response (timeout, reset)."""


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of ``ordered`` (ascending): the smallest value that at
    least ``fraction`` of the samples do not exceed. Never interpolates, so p99 is a
    latency some request really had."""
    if not ordered:
        raise ValueError("no samples")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction!r}")
    rank = math.ceil(fraction * len(ordered))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class LatencyRun:
    """What one fixed-rate run measured."""

    rate: float
    """Requests per second offered."""
    duration: float
    """Seconds from the first scheduled send to the last response."""
    samples: tuple[Sample, ...]
    expected_status: int
    rounds: tuple[LatencyRun, ...] = ()
    """The interleaved rounds this run combines, if it does (see ``combine``)."""

    @property
    def count(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.status != self.expected_status)

    @property
    def achieved_rate(self) -> float:
        return self.count / self.duration if self.duration > 0 else 0.0

    def _ordered(self) -> list[float]:
        return sorted(s.latency for s in self.samples)

    def percentiles_ms(self) -> dict[str, float]:
        """p50, p95, p99 and max in ms. For combined rounds, each is the median of the
        rounds' own: one round disturbed by other work on the machine does not decide it."""
        if self.rounds:
            per_round = [run.percentiles_ms() for run in self.rounds]
            return {key: statistics.median(p[key] for p in per_round) for key in per_round[0]}
        ordered = self._ordered()
        return {
            name: percentile(ordered, fraction) * 1000
            for name, fraction in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
        }

    @property
    def round_p95s_ms(self) -> tuple[float, ...]:
        return tuple(run.percentiles_ms()["p95"] for run in self.rounds)


def combine(runs: Sequence[LatencyRun]) -> LatencyRun:
    """One run from several rounds at the same rate, interleaved with other scenarios so
    that a burst of noise from elsewhere on the machine lands on every scenario alike."""
    if not runs or len({run.rate for run in runs}) != 1:
        raise ValueError("combine needs rounds at one rate")
    return LatencyRun(
        rate=runs[0].rate,
        duration=sum(run.duration for run in runs),
        samples=tuple(sample for run in runs for sample in run.samples),
        expected_status=runs[0].expected_status,
        rounds=tuple(runs),
    )


async def fixed_rate(
    base_url: str,
    requests: Sequence[Request],
    *,
    rate: float,
    duration: float,
    expected_status: int = 200,
    connections: int = 64,
    timeout: float = 10.0,
) -> LatencyRun:
    """Send ``requests`` (round robin) at ``rate`` per second for ``duration`` seconds.

    Up to ``connections`` keep-alive connections are used (per source address, for
    requests sent from addresses of their own); a request that finds them all busy waits
    for one, and that wait counts in its latency.
    """
    if rate <= 0 or duration <= 0:
        raise ValueError("rate and duration must be positive")
    if not requests:
        raise ValueError("no requests to send")
    loop = asyncio.get_running_loop()
    total = max(1, round(rate * duration))
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    samples: list[Sample] = []
    async with Sessions(
        base_url, connections=connections, timeout=client_timeout, auto_decompress=False
    ) as session_for:

        async def send(request: Request, scheduled: float) -> None:
            status = await fetch_status(session_for(request), request)
            samples.append(Sample(scheduled, loop.time() - scheduled, status))

        start = loop.time() + 0.05
        tasks = []
        for i in range(total):
            scheduled = start + i / rate
            delay = scheduled - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(requests[i % len(requests)], scheduled)))
        await asyncio.gather(*tasks)
        finished = max(s.scheduled + s.latency for s in samples)
    return LatencyRun(
        rate=rate,
        duration=finished - start,
        samples=tuple(sorted(samples, key=lambda s: s.scheduled)),
        expected_status=expected_status,
    )


# --- Saturation throughput ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Throughput:
    requests: int
    seconds: float
    errors: int
    tool: str
    round_rates: tuple[float, ...] = ()
    """Each round's requests per second, when several rounds are combined."""

    @property
    def per_second(self) -> float:
        """Requests per second; for combined rounds, the median round's."""
        if self.round_rates:
            return statistics.median(self.round_rates)
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    def __add__(self, other: Throughput) -> Throughput:
        return Throughput(
            requests=self.requests + other.requests,
            seconds=self.seconds + other.seconds,
            errors=self.errors + other.errors,
            tool=self.tool,
            round_rates=(*(self.round_rates or (self.per_second,)), other.per_second),
        )


WRK_SCRIPT = """
-- Generated by bench/loadgen.py: rotate through prepared requests, count bad statuses.
local requests = {%(requests)s}
local counter = 0
local bad = 0
request = function()
  counter = counter %% #requests + 1
  local r = requests[counter]
  return wrk.format(r[1], r[2], r[3], r[4])
end
response = function(status, headers, body)
  if status ~= %(expected)d then bad = bad + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"requests": %%d, "duration_us": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout))
end
"""


_LUA_PLAIN = frozenset(string.ascii_letters.encode() + string.digits.encode() + b"-_/.,=:;?&% ")


def _lua_string(value: str) -> str:
    """A Lua string literal: every byte but plain ASCII becomes a decimal escape."""
    escaped = "".join(chr(b) if b in _LUA_PLAIN else f"\\{b}" for b in value.encode())
    return f'"{escaped}"'


def wrk_script(requests: Sequence[Request], *, expected_status: int = 200) -> str:
    """A wrk Lua script sending ``requests`` round robin (each thread keeps its own turn)."""
    rows = []
    for request in requests:
        headers = ", ".join(
            f"[{_lua_string(name)}] = {_lua_string(value)}"
            for name, value in request.headers.items()
        )
        body = "nil" if request.body is None else _lua_string(request.body)
        rows.append(
            f"{{{_lua_string(request.method)}, {_lua_string(request.path)}, {{{headers}}}, {body}}}"
        )
    return WRK_SCRIPT % {"requests": ",\n  ".join(rows), "expected": expected_status}


_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def saturate_with_wrk(
    base_url: str,
    requests: Sequence[Request],
    *,
    duration: float,
    connections: int,
    threads: int,
    script_path: Path,
    expected_status: int = 200,
) -> Throughput:
    """Closed-loop saturation: ``connections`` connections, each sending again as soon as it
    gets an answer. Only the request count is used; wrk's latencies are not (see above)."""
    script_path.write_text(wrk_script(requests, expected_status=expected_status))
    completed = subprocess.run(
        [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(duration))}s",
            "--timeout=10s",
            f"--script={script_path}",
            base_url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    )
    line = next(x for x in completed.stdout.splitlines() if x.startswith("WRK-JSON "))
    stats = json.loads(line.removeprefix("WRK-JSON "))
    non_2xx = _NON_2XX.search(completed.stdout)
    bad_status = int(non_2xx.group(1)) if non_2xx else 0
    return Throughput(
        requests=stats["requests"],
        seconds=stats["duration_us"] / 1e6,
        errors=stats["socket_errors"] + bad_status,
        tool=f"wrk, {threads} thread(s), {connections} connections",
    )


async def saturate_with_python(
    base_url: str,
    requests: Sequence[Request],
    *,
    duration: float,
    connections: int,
    expected_status: int = 200,
) -> Throughput:
    """The fallback when wrk is missing, and the way to send from several source addresses
    (wrk sends from one): the same closed loop, in Python. It costs more CPU, so on a small
    machine it understates the server's throughput (a little, for pages far slower than
    the client)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration
    done = 0
    errors = 0
    async with Sessions(base_url, connections=connections) as session_for:

        async def worker(offset: int) -> None:
            nonlocal done, errors
            i = offset
            while loop.time() < deadline:
                request = requests[i % len(requests)]
                i += connections
                ok = await fetch_status(session_for(request), request) == expected_status
                done += 1
                errors += not ok

        started = loop.time()
        await asyncio.gather(*(worker(n) for n in range(connections)))
        seconds = loop.time() - started
    addresses = sources(requests)
    why = f"from {addresses} loopback addresses" if addresses else "wrk not found"
    return Throughput(
        requests=done,
        seconds=seconds,
        errors=errors,
        tool=f"Python closed loop, {connections} connections ({why})",
    )
