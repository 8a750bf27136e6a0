"""Where ``make bench`` runs: the machine it describes, the fresh PostgreSQL database it
fills, and gunicorn started with production settings on loopback (``bench.run``)."""

from __future__ import annotations

import os
import platform
import re
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis

from tests.browser.chromium import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The machine -----------------------------------------------------------------------------


def machine_info() -> dict[str, str]:
    cpu = "unknown CPU"
    memory = "unknown memory"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = match.group(1).strip() if match else cpu
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f"{int(match.group(1)) / 1024 / 1024:.0f} GiB RAM" if match else memory
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' with uncommitted changes' if dirty else ''}" if head else "unknown"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def ensure_tool(command: str, package: str) -> bool:
    """Install a missing Debian package when we are root on a Debian-like system."""
    if shutil.which(command) or (command == "chromium" and Path(CHROMIUM).exists()):
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    log(f"installing {package} (apt-get)")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        if subprocess.run(step, env=env, capture_output=True).returncode != 0:
            return False
    return shutil.which(command) is not None


# --- PostgreSQL --------------------------------------------------------------------------------


def ensure_postgres(server_url: str) -> None:
    """Start the local PostgreSQL cluster if it does not answer (as .ci/run does)."""
    admin = f"{server_url.rstrip('/')}/postgres"
    for attempt in range(31):
        try:
            psycopg.connect(admin, connect_timeout=3).close()
            return
        except psycopg.OperationalError:
            if attempt == 0:
                clusters = sorted(Path("/etc/postgresql").glob("*/main"))
                if not clusters or not shutil.which("pg_ctlcluster") or os.geteuid() != 0:
                    break
                log("starting PostgreSQL")
                version = clusters[-1].parent.name
                subprocess.run(
                    ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                    check=False,
                )
            time.sleep(1)
    raise SystemExit(
        f"PostgreSQL does not answer at {server_url}. Start it, or point BENCH_POSTGRES_URL "
        "(or --postgres) at a server where this user may create databases."
    )


@contextmanager
def fresh_database(server_url: str, *, keep: bool):
    name = f"crossroads_bench_{datetime.now(UTC):%Y%m%d%H%M%S}_{os.getpid()}"
    admin = f"{server_url.rstrip('/')}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    log(f"created database {name}")
    try:
        yield f"{server_url.rstrip('/')}/{name}"
    finally:
        if keep:
            log(f"kept database {name}")
        else:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            log(f"dropped database {name}")


# --- The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The shared page store ------------------------------------------------------------------------

PAGE_STORE = os.environ.get("BENCH_PAGE_STORE", "redis://127.0.0.1:6379/0")
"""The Redis the app servers share their page cache in, as deployed with
``DJANGO_PAGE_CACHE_URL``; ``off`` measures each process keeping its own."""


def shared_page_store(url: str = PAGE_STORE) -> str | None:
    """``url`` if a Redis answers there, else None (each process keeps its own pages)."""
    if url == "off":
        return None
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as store:
            store.ping()
    except (redis.RedisError, OSError, ValueError):
        log(f"no Redis answers at {url}: each worker keeps its own pages")
        return None
    return url


def page_store_note(env: dict[str, str]) -> str:
    """How the server under load keeps its pages, for the report."""
    url = env.get("DJANGO_PAGE_CACHE_URL")
    if url:
        return f"one Redis every worker shares (`DJANGO_PAGE_CACHE_URL`, {url})"
    return "each worker's own memory (no Redis answered; `BENCH_PAGE_STORE`)"


def _prefix(database_url: str) -> str:
    """A run's keys in the shared store start with its database's name."""
    return database_url.rsplit("/", 1)[-1]


@contextmanager
def pages_forgotten(page_store: str | None, database_url: str):
    """When the run is over, its pages leave the shared store (a run's keys would
    otherwise stay until they expire, beside another run's)."""
    try:
        yield
    finally:
        if page_store:
            forget_pages(page_store, _prefix(database_url))


def forget_pages(url: str, prefix: str) -> int:
    """Delete every key under ``prefix`` in the Redis at ``url``; how many there were."""
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5) as store:
            keys = list(store.scan_iter(match=f"{prefix}:*", count=1000))
            for start in range(0, len(keys), 1000):
                store.delete(*keys[start : start + 1000])
    except (redis.RedisError, OSError) as error:
        log(f"could not take this run's pages out of {url}: {error}")
        return 0
    return len(keys)


def server_environment(
    database_url: str, port: int, *, page_store: str | None = None
) -> dict[str, str]:
    """Production settings on loopback, on ``database_url``; with ``page_store``, the
    page cache in that Redis, under a prefix of this run's own (its database's name)."""
    store = (
        {
            "DJANGO_PAGE_CACHE_URL": page_store,
            "DJANGO_PAGE_CACHE_PREFIX": _prefix(database_url),
        }
        if page_store
        else {}
    )
    return (
        os.environ
        | store
        | {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: no HTTPS redirect, cookies not marked Secure.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )


def gunicorn_settings(env: dict[str, str]) -> dict[str, str]:
    """What config/gunicorn.conf.py resolves to with this environment."""
    saved = os.environ.copy()
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {
        "workers": str(conf["workers"]),
        "threads": str(conf["threads"]),
        "worker class": conf["worker_class"],
        "max requests": f"{conf['max_requests']} (jitter {conf['max_requests_jitter']})",
        "keep-alive": f"{conf['keepalive']} s",
    }


def manage(*args: str, env: dict[str, str]) -> str:
    completed = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


@contextmanager
def gunicorn(env: dict[str, str], log_path: Path, base_url: str):
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,
        )
        try:
            wait_until_healthy(base_url, process)
            log(f"gunicorn {process.pid} is serving {base_url}")
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log("gunicorn stopped")


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            healthz = f"{base_url}/healthz"  # Our own server, on loopback.
            with urllib.request.urlopen(healthz, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not become healthy in time")
