"""Two app servers, one PostgreSQL: prove that any server can answer any request.

Starts two gunicorn instances (production settings) on different ports against one
fresh PostgreSQL database, and has several simulated people sign up and then work
across *both* at once — every request goes to the other server than the last one —
scoring, comparing, saving checkpoints and recording decisions. Halfway through, the
second instance is restarted. Afterwards the database is checked directly:

* every write acknowledged with a success response is there (scores with their last
  acknowledged value, checkpoints, decisions);
* every stored decision score equals a fresh recomputation with the pure scoring code.

Errors are counted apart for the restarted instance while it is down (expected: the
load balancer would route around it) and for everything else (goal: zero).

    .venv/bin/python -m tests.reliability.two_instances  (make proof) [--people 6] [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg

from opportunities.scoring.core import Rated, compute_decision_score
from tests.reliability.appserver import (
    AppServer,
    Browser,
    fresh_database,
    ids_in,
    live_score_values,
    prepare,
    production_env,
)

PASSWORD = "two-instances-passphrase-8"


@dataclass
class Ledger:
    """What the servers acknowledged, and what went wrong, per instance."""

    requests: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    down_errors: Counter = field(default_factory=Counter)
    scores: dict[tuple[int, int], int] = field(default_factory=dict)
    score_writes: int = 0
    checkpoints: set[tuple[int, str]] = field(default_factory=set)
    decisions: set[tuple[int, str]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Report:
    requests: int
    by_instance: dict[str, int]
    errors: int
    errors_while_restarting: int
    lost_writes: list[str]
    score_mismatches: list[str]
    acknowledged: dict[str, int]
    restart_seconds: float

    def lines(self) -> list[str]:
        per_instance = ", ".join(f"{port}: {n}" for port, n in self.by_instance.items())
        return [
            f"requests: {self.requests} ({per_instance})",
            f"acknowledged writes: {self.acknowledged}",
            f"errors outside the restarted instance's downtime: {self.errors}",
            f"refused by the restarted instance while it was down: {self.errors_while_restarting}",
            f"restart took {self.restart_seconds:.2f} s",
            f"lost writes: {len(self.lost_writes)}",
            f"stored scores differing from a recomputation: {len(self.score_mismatches)}",
        ]


class Person(threading.Thread):
    def __init__(self, name: str, servers: list[AppServer], ledger: Ledger, stop, seed: int):
        super().__init__(name=name)
        self.servers = servers
        self.ledger = ledger
        self.stop = stop
        self.random = random.Random(seed)
        # Cookies are not scoped by port: one jar, one session, whichever server answers.
        self.browser = Browser(servers[0].url, timeout=15)
        self.turn = 0
        self.restarting: threading.Event | None = None

    def call(self, method: str, path: str, data: dict | None = None, htmx: bool = False):
        """Send the next request to the next instance (round robin), sharing the session."""
        server = self.servers[self.turn % len(self.servers)]
        self.turn += 1
        browser = self.browser
        browser.base_url = server.url
        label = f":{server.port}"
        with self.ledger.lock:
            self.ledger.requests[label] += 1
        try:
            if method == "GET":
                reply = browser.get(path)
            else:
                reply = browser.post(path, data or {}, htmx=htmx)
        except OSError:
            reply = None
        ok = reply is not None and reply.status < 400
        if not ok:
            down = server is self.servers[-1] and self.restarting and self.restarting.is_set()
            with self.ledger.lock:
                (self.ledger.down_errors if down else self.ledger.errors)[label] += 1
        return reply if ok else None

    def run(self) -> None:
        username = f"{self.name}-{os.getpid()}"
        while not self.call("GET", "/accounts/signup/"):  # the CSRF cookie, as a browser gets it
            time.sleep(0.2)
        while not self.call(
            "POST",
            "/accounts/signup/",
            {"username": username, "password1": PASSWORD, "password2": PASSWORD},
        ):
            time.sleep(0.2)
        opportunities: list[int] = []
        criteria: list[int] = []
        while len(opportunities) < 2 and not self.stop.is_set():
            reply = self.call(
                "POST",
                "/opportunities/new/",
                {
                    "title": f"Option {len(opportunities) + 1}",
                    "source": "other",
                    "arrangement": "employee",
                    "schedule": "full_time",
                    "stage": "lead",
                },
            )
            if reply is None:
                continue
            page = self.call("GET", "/")
            if page:
                opportunities = sorted(set(ids_in(page.body, r'href="/opportunities/(\d+)/"')))
        while not criteria and not self.stop.is_set():
            page = self.call("GET", f"/opportunities/{opportunities[0]}/")
            if page:
                pattern = rf"/opportunities/{opportunities[0]}/scores/(\d+)/"
                criteria = sorted(set(ids_in(page.body, pattern)))
        n = 0
        while not self.stop.is_set():
            n += 1
            opportunity = self.random.choice(opportunities)
            if n % 15 == 0:
                label = f"checkpoint {n}"
                reply = self.call(
                    "POST", f"/opportunities/{opportunity}/checkpoints/new/", {"label": label}
                )
                if reply:
                    with self.ledger.lock:
                        self.ledger.checkpoints.add((opportunity, label))
            elif n % 23 == 0:
                rationale = f"decision {n}"
                reply = self.call(
                    "POST",
                    f"/opportunities/{opportunity}/decide/",
                    {
                        "choice": "pursue",
                        "decided_on": dt.datetime.now(dt.UTC).date().isoformat(),
                        "confidence": "60",
                        "rationale": rationale,
                        "gut_check": "yes",
                    },
                )
                if reply:
                    with self.ledger.lock:
                        self.ledger.decisions.add((opportunity, rationale))
            elif n % 7 == 0:
                self.call("GET", f"/compare/?ids={','.join(map(str, opportunities))}")
            else:
                criterion = self.random.choice(criteria)
                value = self.random.randint(0, 10)
                reply = self.call(
                    "POST",
                    f"/opportunities/{opportunity}/scores/{criterion}/",
                    {f"{criterion}-value": str(value)},
                    htmx=True,
                )
                if reply:
                    with self.ledger.lock:
                        self.ledger.scores[(opportunity, criterion)] = value
                        self.ledger.score_writes += 1


def verify(database_url: str, ledger: Ledger) -> tuple[list[str], list[str]]:
    """Check the database against what was acknowledged, and every stored score."""
    lost: list[str] = []
    mismatches: list[str] = []
    live = live_score_values(database_url)
    lost += [f"score {k}={v}" for k, v in ledger.scores.items() if live.get(k) != v]
    with psycopg.connect(database_url) as conn:
        labels = set(
            conn.execute(
                "SELECT opportunity_id, label FROM opportunities_evaluation "
                "WHERE frozen_at IS NOT NULL"
            )
        )
        lost += [f"checkpoint {c}" for c in ledger.checkpoints if c not in labels]
        decisions = set(
            conn.execute("SELECT opportunity_id, rationale FROM opportunities_decision")
        )
        lost += [f"decision {d}" for d in ledger.decisions if d not in decisions]

        criteria = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, owner_id, weight, minimum FROM opportunities_criterion "
                "WHERE archived_at IS NULL"
            )
        }
        rows: dict[int, list] = {}
        for evaluation_id, criterion_id, value, weight, minimum in conn.execute(
            "SELECT evaluation_id, criterion_id, value, weight, minimum FROM opportunities_score"
        ):
            rows.setdefault(evaluation_id, []).append((criterion_id, value, weight, minimum))
        for evaluation_id, owner_id, frozen_at, stored in conn.execute(
            "SELECT id, owner_id, frozen_at, decision_score FROM opportunities_evaluation"
        ):
            scores = rows.get(evaluation_id, [])
            if frozen_at is None:
                by_criterion = {c: v for c, v, _, _ in scores}
                rated = [
                    Rated(criterion=c, weight=w, score=by_criterion.get(c), minimum=m)
                    for c, (owner, w, m) in sorted(criteria.items())
                    if owner == owner_id
                ]
            else:
                rated = [
                    Rated(criterion=c, weight=w, score=v, minimum=m)
                    for c, v, w, m in scores
                    if w is not None
                ]
            fresh = compute_decision_score(rated).value
            if fresh != stored:
                mismatches.append(f"evaluation {evaluation_id}: stored {stored}, fresh {fresh}")
    return lost, mismatches


def run(*, database_url: str, people: int, seconds: float, ports: tuple[int, int]) -> Report:
    env = production_env(database_url)
    prepare(env)
    servers = [AppServer(port, env).start(workers=2, threads=4) for port in ports]
    ledger = Ledger()
    stop = threading.Event()
    restarting = threading.Event()
    crowd = [Person(f"person{i}", servers, ledger, stop, seed=i) for i in range(people)]
    for person in crowd:
        person.restarting = restarting
        person.start()
    try:
        time.sleep(seconds / 2)
        restarting.set()
        began = time.monotonic()
        servers[-1].stop(graceful=True)
        servers[-1].start(workers=2, threads=4)
        restart_seconds = time.monotonic() - began
        time.sleep(0.5)  # requests already routed to it while it came up
        restarting.clear()
        time.sleep(seconds / 2)
    finally:
        stop.set()
        for person in crowd:
            person.join(timeout=60)
        for server in servers:
            server.stop()
    lost, mismatches = verify(database_url, ledger)
    return Report(
        requests=sum(ledger.requests.values()),
        by_instance=dict(ledger.requests),
        errors=sum(ledger.errors.values()),
        errors_while_restarting=sum(ledger.down_errors.values()),
        lost_writes=lost,
        score_mismatches=mismatches,
        acknowledged={
            "scores": ledger.score_writes,
            "checkpoints": len(ledger.checkpoints),
            "decisions": len(ledger.decisions),
        },
        restart_seconds=restart_seconds,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--ports", default="8741,8742")
    args = parser.parse_args(argv)
    port_a, port_b = (int(p) for p in args.ports.split(","))
    with fresh_database(args.server, prefix="crossroads_two") as database_url:
        report = run(
            database_url=database_url,
            people=args.people,
            seconds=args.seconds,
            ports=(port_a, port_b),
        )
    print("\n".join(report.lines()))
    ok = not report.errors and not report.lost_writes and not report.score_mismatches
    print("two-instance proof:", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
