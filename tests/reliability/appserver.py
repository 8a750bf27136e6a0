"""Run Crossroads for real (gunicorn, production settings, PostgreSQL) and talk to it
like a browser would: a cookie-keeping HTTP session that logs in and posts with the
CSRF token. Used by the reliability tests and the two-instance proof; stdlib only."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    return env | {
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "reliability-tests-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


def prepare(env: dict[str, str]) -> None:
    """What a deployment does before starting app servers: migrate, collect static files
    (production serves them hashed from the manifest; pages fail without it)."""
    manage("migrate", "--noinput", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


@contextlib.contextmanager
def fresh_database(server_url: str, *, prefix: str, keep: bool = False):
    """Create an empty PostgreSQL database on ``server_url`` (postgres://user@host:port),
    yield its URL, and drop it afterwards (unless ``keep``)."""
    import psycopg

    server_url = server_url.rstrip("/")
    name = f"{prefix}_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    admin = f"{server_url}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def live_score_values(database_url: str) -> dict[tuple[int, int], int | None]:
    """Every live evaluation's stored scores, by (opportunity id, criterion id), read
    straight from the database to check acknowledged writes against."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return {
            (opportunity_id, criterion_id): value
            for opportunity_id, criterion_id, value in connection.execute(
                "SELECT e.opportunity_id, s.criterion_id, s.value FROM opportunities_score s "
                "JOIN opportunities_evaluation e ON e.id = s.evaluation_id "
                "WHERE e.frozen_at IS NULL"
            )
        }


def server_url_of(database: dict) -> str:
    """postgres://user[:password]@host:port of a Django DATABASES entry."""
    auth = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
    return f"postgres://{auth}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"


@dataclass
class AppServer:
    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, workers: int = 2, threads: int = 4, log: Path | None = None) -> AppServer:
        """Start gunicorn; its output (tracebacks included) goes to ``log`` if given."""
        env = self.env | {
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        log_file = log.open("ab") if log else None
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi", "-c", "config/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log_file or subprocess.DEVNULL,
            stderr=log_file or subprocess.DEVNULL,
            start_new_session=True,
        )
        if log_file:
            log_file.close()  # the child has its own copy
        self.wait_healthy()
        return self

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"app server on port {self.port} did not become healthy")

    def stop(self, *, graceful: bool = True) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM if graceful else signal.SIGKILL)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@dataclass(frozen=True)
class Reply:
    status: int
    body: str
    seconds: float


class Browser:
    """A cookie-keeping client that speaks to the app like the real pages do."""

    def __init__(self, base_url: str, *, timeout: float = 10) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirect(),
        )

    def csrf_token(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def request(
        self, method: str, path: str, data: dict | None = None, headers: dict | None = None
    ) -> Reply:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers or {}
        )
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            request.add_header("X-CSRFToken", self.csrf_token())
            request.add_header("Referer", self.base_url + path)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, response.read().decode(), time.monotonic() - started)
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(), time.monotonic() - started)

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, *, htmx: bool = False) -> Reply:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.request("POST", path, data=data, headers=headers)

    def log_in(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        reply = self.post("/accounts/login/", {"username": username, "password": password})
        if reply.status != 302:
            raise RuntimeError(f"log-in failed with {reply.status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def ids_in(html: str, pattern: str) -> list[int]:
    return [int(m) for m in re.findall(pattern, html)]
