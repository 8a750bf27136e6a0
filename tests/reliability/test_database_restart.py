"""Restart PostgreSQL under a steady stream of slider saves.

Proves: errors only while the database is down (and they are friendly 503s, not
500s), service back within a second of it accepting connections again, no request
left hanging, and every acknowledged write still there afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connections

from tests.reliability.appserver import (
    AppServer,
    Browser,
    fresh_database,
    ids_in,
    live_score_values,
    manage,
    prepare,
    production_env,
    server_url_of,
)

DB = settings.DATABASES["default"]
ON_POSTGRES = DB["ENGINE"].endswith("postgresql")
CLUSTERS = Path("/etc/postgresql")

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(not ON_POSTGRES, reason="restarts the PostgreSQL server"),
    pytest.mark.skipif(
        not (shutil.which("pg_ctlcluster") and CLUSTERS.is_dir() and os.geteuid() == 0),
        reason="needs pg_ctlcluster and root to restart the local PostgreSQL",
    ),
]

PORT = 8731
RATE = 20  # saves per second


def postgres_is_ready() -> bool:
    try:
        with psycopg.connect(f"{server_url_of(DB)}/postgres", connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False


@dataclass(frozen=True)
class Save:
    sent: float
    done: float
    status: int
    key: tuple[int, int]
    value: int


@pytest.fixture
def app_database():
    with fresh_database(server_url_of(DB), prefix="crossroads_restart") as url:
        env = production_env(url)
        prepare(env)
        manage("load_demo", env=env)
        yield url, env
        connections.close_all()
        for _ in range(100):  # the database must be back before it can be dropped
            if postgres_is_ready():
                break
            time.sleep(0.1)


def test_service_survives_a_database_restart(app_database):
    url, env = app_database
    server = AppServer(PORT, env).start(workers=2, threads=4)
    saves: list[Save] = []
    stop = threading.Event()
    try:
        browser = Browser(server.url, timeout=10)
        browser.log_in("demo", "crossroads-demo")
        dashboard = browser.get("/").body
        opportunity = ids_in(dashboard, r'href="/opportunities/(\d+)/"')[0]
        page = browser.get(f"/opportunities/{opportunity}/").body
        criteria = sorted(set(ids_in(page, rf"/opportunities/{opportunity}/scores/(\d+)/")))
        assert len(criteria) >= 5

        def stream() -> None:
            n = 0
            while not stop.is_set():
                criterion = criteria[n % len(criteria)]
                value = n % 11
                sent = time.monotonic()
                reply = browser.post(
                    f"/opportunities/{opportunity}/scores/{criterion}/",
                    {f"{criterion}-value": str(value)},
                    htmx=True,
                )
                saves.append(
                    Save(sent, time.monotonic(), reply.status, (opportunity, criterion), value)
                )
                n += 1
                time.sleep(max(0.0, 1 / RATE - (time.monotonic() - sent)))

        worker = threading.Thread(target=stream)
        worker.start()
        time.sleep(2)
        went_down = time.monotonic()
        version = sorted(p.name for p in CLUSTERS.iterdir())[0]
        subprocess.run(
            [
                "pg_ctlcluster",
                "--skip-systemctl-redirect",
                version,
                "main",
                "restart",
                "-m",
                "fast",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        while not postgres_is_ready():
            time.sleep(0.02)
        came_up = time.monotonic()
        time.sleep(3)
        stop.set()
        worker.join(timeout=30)
        assert not worker.is_alive(), "a request was left hanging"
    finally:
        stop.set()
        server.stop()

    errors = [s for s in saves if s.status != 200]
    after_up = [s for s in saves if s.sent >= came_up]
    first_ok = min(s.done for s in after_up if s.status == 200)
    print(
        f"\nDatabase restart: {len(saves)} saves, {len(errors)} errors "
        f"(statuses {sorted({s.status for s in errors})}), database down for "
        f"{came_up - went_down:.2f} s, service back {first_ok - came_up:.3f} s after it "
        f"accepted connections; slowest request {max(s.done - s.sent for s in saves):.2f} s"
    )
    assert all(s.status in (200, 503) for s in saves), "only friendly 503s while down"
    assert all(went_down - 0.5 <= s.sent <= came_up + 1 for s in errors)
    assert first_ok - came_up <= 1.0
    assert max(s.done - s.sent for s in saves) < 10

    acknowledged: dict[tuple[int, int], int] = {}
    for save in sorted(saves, key=lambda s: s.done):
        if save.status == 200:
            acknowledged[save.key] = save.value
    stored = live_score_values(url)
    lost = {key: value for key, value in acknowledged.items() if stored.get(key) != value}
    assert lost == {}, f"acknowledged writes lost: {lost}"
