"""Each gunicorn worker's memory (bench/memory.py): read from /proc on real processes,
summarised and judged against the bound on constructed readings, rendered in the report,
and the soak's mixed rotation and error count against a small real server."""

import concurrent.futures
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from bench import memory, report, soak
from bench.loadgen import Request
from bench.memory import Reading

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

STATUS = """Name:\tgunicorn
State:\tS (sleeping)
Pid:\t4242
PPid:\t4200
VmPeak:\t  312000 kB
VmHWM:\t  131072 kB
VmRSS:\t  102400 kB
RssAnon:\t   61440 kB
Threads:\t3
"""

GUNICORN_LOG = """\
[2026-11-30 16:00:01 +0000] [100] [INFO] Booting worker with pid: 101
[2026-11-30 16:04:10 +0000] [101] [INFO] Autorestarting worker after current request.
[2026-11-30 16:04:10 +0000] [101] [INFO] Worker exiting (pid: 101)
[2026-11-30 16:05:00 +0000] [100] [CRITICAL] WORKER TIMEOUT (pid:102)
[2026-11-30 16:05:01 +0000] [100] [ERROR] Worker (pid:103) was sent SIGKILL! Perhaps out of memory?
{"time": "2026-11-30T16:05:02+00:00", "level": "INFO", "logger": "crossroads.access"}
"""

MB = 1024


@pytest.fixture
def child():
    """A real child process of this one, stopped afterwards."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


# --- /proc ---------------------------------------------------------------------------------------


def test_status_fields_are_read_in_kb():
    fields = memory.parse_status(STATUS)
    assert fields["VmRSS"] == 102400
    assert fields["VmHWM"] == 131072
    assert fields["RssAnon"] == 61440
    assert "Threads" not in fields  # not a kB field
    assert "Name" not in fields


def test_this_process_and_its_child_are_read_from_proc(child):
    own = memory.read_memory(os.getpid())
    assert own is not None
    rss, hwm = own
    assert 1 * MB < rss <= hwm  # a Python process with Django loaded holds megabytes
    assert child.pid in memory.children(os.getpid())
    assert child.pid in memory.children_from_stat(os.getpid())
    child_rss, child_hwm = memory.read_memory(child.pid)
    assert 0 < child_rss <= child_hwm


def test_a_process_that_is_gone_reads_as_none(child):
    child.kill()
    child.wait()
    assert memory.read_memory(child.pid) is None
    assert child.pid not in memory.children(os.getpid())
    assert memory.read_memory(2**22 + 1) is None  # above pid_max: never existed


def test_the_sampler_reads_the_children_in_the_background_and_sees_them_go(child):
    with memory.Sampler(os.getpid(), interval_s=0.05) as sampler:
        deadline = time.monotonic() + 5
        while sum(r.pid == child.pid for r in sampler.readings) < 3:
            assert time.monotonic() < deadline, "the sampler's thread took no readings"
            time.sleep(0.02)
        child.kill()
        child.wait()
    summary = sampler.summary()
    (row,) = [w for w in summary.workers if w.pid == child.pid]
    assert row.fate == "exited"  # gone before the end, and no gunicorn log says why
    assert row.peak_kb >= max(row.start_kb, row.end_kb) > 0
    assert summary.readings >= 3
    assert summary.met is True  # a sleeping Python is far under the bound
    sampler.stop()  # stopping twice takes no further reading
    assert sampler.summary().readings == summary.readings


# --- The summary and the bound ----------------------------------------------------------------


def readings(pid: int, rss_mb: list[float], *, hwm_mb: float = 0, every: float = 10) -> list:
    return [
        Reading(pid, n * every, int(rss * MB), int(max(rss, hwm_mb) * MB))
        for n, rss in enumerate(rss_mb)
    ]


def test_each_worker_gets_its_start_end_peak_growth_and_fate():
    taken = [
        *readings(101, [50, 95, 110], hwm_mb=140),  # peaked between two readings
        *readings(104, [60, 80, 90, 120]),
        *[Reading(105, 30.0, 50 * MB, 50 * MB)],  # the replacement of 101
    ]
    summary = memory.summarise(taken, alive={104, 105}, log_text=GUNICORN_LOG, bound_mb=200)
    rows = {w.pid: w for w in summary.workers}
    assert [w.pid for w in summary.workers] == [101, 104, 105]  # in the order first seen
    assert rows[101].start_kb == 50 * MB
    assert rows[101].end_kb == 110 * MB
    assert rows[101].peak_kb == 140 * MB  # the kernel's high-water mark, not a reading
    assert rows[101].growth_kb == 60 * MB
    assert rows[101].fate == "recycled (max requests)"
    assert rows[101].warm_kb is None  # it lived 20 s: never warm by this measure
    assert rows[104].peak_kb == 120 * MB
    assert rows[104].fate == rows[105].fate == "serving at the end"
    assert (rows[104].first_s, rows[104].last_s) == (0, 30)
    assert summary.duration_s == 30
    assert summary.readings == 8
    assert summary.peak_kb == 140 * MB
    assert summary.over_bound == ()
    assert summary.met is True


def test_a_workers_warm_reading_is_the_first_after_the_warm_up():
    (worker,) = memory.summarise(
        readings(9, [50, 90, 118, 121, 126], every=memory.WARM_S / 2), alive={9}
    ).workers
    assert worker.warm_kb == 118 * MB  # the reading WARM_S after its first
    assert worker.end_kb - worker.warm_kb == 8 * MB  # what it grew once warm


def test_a_worker_past_the_bound_fails_it_even_between_readings():
    at_the_bound = memory.summarise(readings(1, [100, 200]), alive={1}, bound_mb=200)
    assert at_the_bound.met is True  # the bound itself is allowed
    between = memory.summarise(readings(1, [100, 150], hwm_mb=201), alive={1}, bound_mb=200)
    assert between.met is False
    assert [w.pid for w in between.over_bound] == [1]
    nothing = memory.summarise([], alive=set())
    assert nothing.met is None


def test_why_workers_went_comes_from_gunicorns_log():
    assert memory.fates(GUNICORN_LOG) == {
        101: "recycled (max requests)",
        102: "killed: timeout",
        103: "killed: SIGKILL",
    }


# --- The report ---------------------------------------------------------------------------------


def summary_with(peaks_mb: list[float], *, bound_mb: float = 200) -> memory.Summary:
    taken = [r for pid, peak in enumerate(peaks_mb, 1) for r in readings(pid, [60, peak])]
    return memory.summarise(taken, alive={1}, log_text="", bound_mb=bound_mb)


def test_the_memory_section_has_a_row_per_worker_and_the_verdict():
    lines = memory.section(summary_with([90, 110]))
    text = "\n".join(lines)
    assert lines[0] == "## Memory"
    assert "**Bound: every worker's peak ≤ 200 MB** — ✅ met (highest peak 110.0 MB)" in text
    assert "| 1 | 0–10 | 60.0 | – | 90.0 | 90.0 | +30.0 | – | serving at the end |" in text
    assert "| 2 | 0–10 | 60.0 | – | 110.0 | 110.0 | +50.0 | – | exited |" in text
    assert "(1 went in this run)" in text
    long_lived = memory.summarise(readings(7, [50, 100, 120, 125], every=60), alive={7})
    assert "| 7 | 0–180 | 50.0 | 120.0 | 125.0 | 125.0 | +75.0 | +5.0 | serving" in "\n".join(
        memory.section(long_lived)
    )
    missed = "\n".join(memory.section(summary_with([90, 250])))
    assert "❌ missed" in missed
    assert "| exited ❌ over the bound |" in missed
    assert memory.section(None) == ["## Memory", "", "Not measured in this run."]


def test_the_bench_reports_budgets_include_the_memory_bound():
    results = report.Results(
        started="",
        elapsed_s=1,
        machine={},
        server={},
        client={},
        dataset={},
        measured=[],
        slider=None,
        memory=summary_with([90, 250]),
    )
    (row,) = [v for v in report.verdicts(results) if "resident memory" in v.budget]
    assert row.target == "≤ 200 MB"
    assert row.measured == "over the bound: 2 (250.0 MB)"
    assert row.met is False
    results.memory = summary_with([90, 110])
    (row,) = [v for v in report.verdicts(results) if "resident memory" in v.budget]
    assert (row.measured, row.mark) == ("highest 110.0 MB over 2 workers", "✅ met")
    results.memory = None
    assert not [v for v in report.verdicts(results) if "resident memory" in v.budget]


# --- The soak -----------------------------------------------------------------------------------


def scenario(key: str, expected_status: int = 200) -> SimpleNamespace:
    return SimpleNamespace(key=key, expected_status=expected_status)


def test_the_mixed_rotation_takes_each_scenario_in_turn():
    requests = {
        "B1": [Request("GET", "/b1")],
        "B2": [Request("POST", "/b2/1"), Request("POST", "/b2/2")],
    }
    mixed = soak.Mixed.of([scenario("B1"), scenario("B2", 303)], requests)
    assert mixed.keys == ("B1", "B2", "B1", "B2")
    assert [r.path for r in mixed.requests] == ["/b1", "/b2/1", "/b1", "/b2/2"]
    assert mixed.expected == (200, 303, 200, 303)
    turned = mixed.turned(5)  # 5 sent so far: the next one is the second of the rotation
    assert turned.keys[0] == "B2"
    assert turned.requests[0].path == "/b2/1"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 200 if self.path == "/ok" else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.serial  # chunks of real time: on a machine busy with other tests one can take all
def test_the_soak_sends_the_mix_at_its_rate_and_counts_errors_by_scenario(server, monkeypatch):
    monkeypatch.setattr(soak, "CHUNK_S", 0.5)  # several chunks in a short soak
    mixed = soak.Mixed.of(
        [scenario("ok"), scenario("broken")],
        {"ok": [Request("GET", "/ok")], "broken": [Request("GET", "/broken")]},
    )
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own
        run = pool.submit(soak.soak, server, mixed, seconds=1.6, rate=40, log=lambda _: None)
        run = run.result()
    # It stops when less than half a second is left (no chunk is that short): at least
    # two whole chunks of 20, whatever the machine's speed.
    assert 1.6 - 0.5 <= run.seconds < 5
    assert run.sent == len(run.latencies) >= 40
    assert set(run.errors) == {("broken", 500)}  # the rotation carried on across chunks
    assert abs(run.errors["broken", 500] - run.sent / 2) <= 2

    summary = summary_with([90, 110])
    text = soak.soak_report(
        run,
        summary,
        scenarios=["ok", "broken"],
        server={"workers": "5", "max requests": "2000 (jitter 200)"},
        dataset={"sizes": {"users": 3, "opportunities": 6, "criteria": 10}},
    )
    assert f"**Errors: {run.errors['broken', 500]}**" in text
    assert f"broken 500 × {run.errors['broken', 500]}" in text
    assert "--soak 1.6 --soak-rate 40" in text
    assert "## Memory over the soak" in text
    assert "3 users × 6 opportunities × 10 criteria" in text
