"""Each gunicorn worker's resident memory, read while ``make bench`` or ``make soak`` runs.

The workers are the gunicorn master's children; ``/proc/<pid>/status`` gives each one's
resident set (``VmRSS``) and its peak since the fork (``VmHWM``). A ``Sampler`` reads them
every few seconds in a background thread; ``summarise`` makes one row per worker, judged
against ``WORKER_RSS_BOUND_MB``.

``config/gunicorn.conf.py`` recycles a worker after ``max_requests`` (20,000, plus up to
2,000 of jitter): the master (``preload_app``: the app imported once, shared copy-on-write)
forks a fresh one, a new pid here, and gunicorn's log says why the old one went. So
growth is per worker life, which recycling caps; ``GUNICORN_MAX_REQUESTS=0`` soaks workers
that are never recycled. The soak itself is ``bench.soak``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WORKER_RSS_BOUND_MB = 250
"""No worker's peak resident set may pass this. Measured in a 10-minute soak on the bench
dataset (production settings, 2026-11-30): a freshly forked worker holds 50 MB, 115–135 MB
once warm (a minute or two of mixed pages), and its peak over a whole life of 2000–2200
requests was 118–146 MB. The bound is about twice a warm worker: room for its page cache
(at most 64 MB, ``opportunities.web.page_cache``), bigger datasets and both threads of one
worker building a comparison of 500 at once, while a leak of 10 KB a request would pass it
within one worker's life (20,000 requests since 30 November; 2,000 before)."""

WARM_S = 120.0
"""A worker's reading this long after its first is its warm one (``Worker.warm_kb``)."""
BENCH_INTERVAL_S = 5.0
SOAK_INTERVAL_S = 10.0

_FATES = (
    (re.compile(r"\[(\d+)\] \[INFO\] Autorestarting worker"), "recycled (max requests)"),
    (re.compile(r"WORKER TIMEOUT \(pid:(\d+)\)"), "killed: timeout"),
    (re.compile(r"Worker \(pid:(\d+)\) was sent (\w+)"), "killed: {}"),
)


# --- /proc -------------------------------------------------------------------------------------


def parse_status(text: str) -> dict[str, int]:
    """The ``kB`` fields of a ``/proc/<pid>/status`` file (``VmRSS``, ``VmHWM``, …) in kB."""
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
            fields[name] = int(parts[0])
    return fields


def read_memory(pid: int) -> tuple[int, int] | None:
    """``(VmRSS, VmHWM)`` of ``pid`` in kB, or None when it is gone (or a zombie)."""
    try:
        fields = parse_status(Path(f"/proc/{pid}/status").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return None
    if "VmRSS" not in fields:
        return None
    return fields["VmRSS"], fields.get("VmHWM", fields["VmRSS"])


def children(pid: int) -> list[int]:
    """The pids of ``pid``'s children, from ``/proc/<pid>/task/*/children`` when the kernel
    has it (``CONFIG_PROC_CHILDREN``), else from every process's parent."""
    tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
    if not tasks:
        return children_from_stat(pid)
    found: set[int] = set()
    for task in tasks:
        try:
            found.update(int(child) for child in task.read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return sorted(found)


def children_from_stat(pid: int) -> list[int]:
    """The pids whose parent (in ``/proc/<n>/stat``) is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (comm) state ppid …": the command may hold spaces and parentheses.
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(after_name[1]) == pid:
            found.add(int(stat.parent.name))
    return sorted(found)


# --- Sampling ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    pid: int
    at: float
    """Seconds since sampling started."""
    rss_kb: int
    hwm_kb: int


@dataclass(frozen=True, slots=True)
class Worker:
    pid: int
    first_s: float
    last_s: float
    start_kb: int
    """Resident at its first reading (a new worker's: just forked, nothing served)."""
    warm_kb: int | None
    """Resident ``WARM_S`` into its life (None if it lived less): after the warm-up."""
    end_kb: int
    peak_kb: int
    """The higher of the kernel's high-water mark (it catches peaks between readings) and
    any reading."""
    fate: str
    """"serving at the end", or why it went ("recycled (max requests)", …)."""

    @property
    def growth_kb(self) -> int:
        return self.end_kb - self.start_kb


@dataclass(frozen=True, slots=True)
class Summary:
    workers: tuple[Worker, ...]
    bound_mb: float
    interval_s: float
    duration_s: float
    readings: int

    @property
    def over_bound(self) -> tuple[Worker, ...]:
        return tuple(w for w in self.workers if w.peak_kb > self.bound_mb * 1024)

    @property
    def met(self) -> bool | None:
        """None when no worker was read at all."""
        return None if not self.workers else not self.over_bound

    @property
    def peak_kb(self) -> int:
        return max((w.peak_kb for w in self.workers), default=0)


def fates(log_text: str) -> dict[int, str]:
    """Why each worker that went went, from gunicorn's log."""
    found = {}
    for line in log_text.splitlines():
        for pattern, fate in _FATES:
            if match := pattern.search(line):
                found[int(match.group(1))] = fate.format(*match.groups()[1:])
    return found


def summarise(
    readings: Sequence[Reading],
    *,
    alive: set[int],
    log_text: str = "",
    bound_mb: float = WORKER_RSS_BOUND_MB,
    interval_s: float = BENCH_INTERVAL_S,
) -> Summary:
    """One row per worker, in the order they were first seen."""
    by_pid: dict[int, list[Reading]] = {}
    for reading in sorted(readings, key=lambda r: r.at):
        by_pid.setdefault(reading.pid, []).append(reading)
    why = fates(log_text)
    workers = tuple(
        Worker(
            pid=pid,
            first_s=seen[0].at,
            last_s=seen[-1].at,
            start_kb=seen[0].rss_kb,
            warm_kb=next((r.rss_kb for r in seen if r.at - seen[0].at >= WARM_S), None),
            end_kb=seen[-1].rss_kb,
            peak_kb=max(max(r.rss_kb for r in seen), max(r.hwm_kb for r in seen)),
            fate="serving at the end" if pid in alive else why.get(pid, "exited"),
        )
        for pid, seen in by_pid.items()
    )
    times = [r.at for r in readings]
    return Summary(
        workers=workers,
        bound_mb=bound_mb,
        interval_s=interval_s,
        duration_s=max(times) - min(times) if times else 0.0,
        readings=len(readings),
    )


class Sampler:
    """Read every worker of the gunicorn ``master`` every ``interval_s`` seconds, in a
    background thread, from entering the context to leaving it (and once more then)."""

    def __init__(
        self,
        master: int,
        *,
        interval_s: float = BENCH_INTERVAL_S,
        log_path: Path | None = None,
        bound_mb: float = WORKER_RSS_BOUND_MB,
    ) -> None:
        self.master = master
        self.interval_s = interval_s
        self.log_path = log_path
        self.bound_mb = bound_mb
        self.readings: list[Reading] = []
        self.alive: set[int] = set()
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="worker-memory", daemon=True)

    def sample(self) -> list[Reading]:
        at = time.monotonic() - self._started
        taken = []
        for pid in children(self.master):
            memory = read_memory(pid)
            if memory is not None:
                taken.append(Reading(pid, at, *memory))
        with self._lock:
            self.readings += taken
            self.alive = {r.pid for r in taken}
        return taken

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.sample()
            except OSError:  # /proc changed under us: the next reading will do
                continue

    def __enter__(self) -> Sampler:
        self._started = time.monotonic()
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the thread and take the last reading (once: later calls do nothing)."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.sample()

    def summary(self) -> Summary:
        log_text = ""
        if self.log_path is not None and self.log_path.exists():
            log_text = self.log_path.read_text(errors="replace")
        with self._lock:
            readings, alive = list(self.readings), set(self.alive)
        return summarise(
            readings,
            alive=alive,
            log_text=log_text,
            bound_mb=self.bound_mb,
            interval_s=self.interval_s,
        )


# --- The report --------------------------------------------------------------------------------


def _mb(kb: int) -> str:
    return f"{kb / 1024:.1f}"


def verdict(summary: Summary) -> tuple[str, str, str, bool | None]:
    """The Budgets table's row: budget, target, measured, met."""
    over = ", ".join(f"{w.pid} ({_mb(w.peak_kb)} MB)" for w in summary.over_bound)
    return (
        "Each gunicorn worker's resident memory (peak, `VmHWM`)",
        f"≤ {summary.bound_mb:g} MB",
        f"over the bound: {over}"
        if over
        else f"highest {_mb(summary.peak_kb)} MB over {len(summary.workers)} workers",
        summary.met,
    )


def section(summary: Summary | None, *, title: str = "Memory") -> list[str]:
    """Markdown: one row per worker (recycled ones included), the bound, met or missed."""
    lines = [f"## {title}", ""]
    if summary is None or not summary.workers:
        return [*lines, "Not measured in this run."]
    mark = "✅ met" if summary.met else "❌ missed"
    recycled = sum(1 for w in summary.workers if w.fate != "serving at the end")
    lines += [
        f"Each gunicorn worker's resident set (`VmRSS` in `/proc/<pid>/status`), read every "
        f"{summary.interval_s:g} s over {summary.duration_s / 60:.1f} min ({summary.readings} "
        "readings); peak: the higher of the kernel's high-water mark (`VmHWM`, which catches "
        "peaks between readings) and any reading. Start: the first reading of that pid (a "
        f"replacement worker's is just after its fork); warm: {WARM_S:g} s into its life, "
        "and since warm: end − warm (creep after the warm-up; – for shorter lives). Workers "
        "recycled after `max_requests` "
        f"appear as pids that went and new pids ({recycled} went in this run). Resident "
        "includes the pages still shared copy-on-write with the master (`preload_app`).",
        "",
        f"**Bound: every worker's peak ≤ {summary.bound_mb:g} MB** — {mark} "
        f"(highest peak {_mb(summary.peak_kb)} MB).",
        "",
        "| Worker pid | Seen (s) | Start MB | Warm MB | Peak MB | End MB | Growth MB "
        "| Since warm MB | |",
        "|--:|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for w in summary.workers:
        flag = " ❌ over the bound" if w in summary.over_bound else ""
        warm, since = "–", "–"
        if w.warm_kb is not None:
            warm, since = _mb(w.warm_kb), f"{(w.end_kb - w.warm_kb) / 1024:+.1f}"
        lines.append(
            f"| {w.pid} | {w.first_s:.0f}–{w.last_s:.0f} | {_mb(w.start_kb)} | {warm} "
            f"| {_mb(w.peak_kb)} | {_mb(w.end_kb)} | {w.growth_kb / 1024:+.1f} | {since} "
            f"| {w.fate}{flag} |"
        )
    return lines
