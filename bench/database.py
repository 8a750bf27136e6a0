"""Inside the app, on the benchmark's database: SQL per request and every query's plan.

Run by ``bench.run`` with the same environment as the server (production settings,
the benchmark database)::

    python -m bench.database MANIFEST OUTPUT.json

For the first requests of every scenario it sends the request through Django's full
stack in-process, records the SQL it ran, and asks PostgreSQL for the plan of each
statement (``EXPLAIN``; ``EXPLAIN ANALYZE`` for plain reads). A sequential scan of a
table that grows with the data that remains when sequential scans are discouraged is
what a missing index looks like, and is reported by table and request.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

from django.db import transaction

GROWING_TABLES = frozenset(
    {
        "opportunities_opportunity",
        "opportunities_evaluation",
        "opportunities_score",
        "opportunities_decision",
        "opportunities_stagechange",
        "opportunities_gutranking",
        "opportunities_friendround",
        "opportunities_friendround_opportunities",
        "opportunities_friendinvitation",
        "opportunities_friendanswer",
        "opportunities_friendscore",
        "opportunities_throttle",
        "django_session",
    }
)
"""Tables whose size grows with users and their history (criteria, profiles and users grow
too, but are always fetched by owner or key from small per-user sets)."""

FORM = "application/x-www-form-urlencoded"  # What htmx sends.

SAMPLED_REQUESTS = 4
"""Requests inspected per scenario (different users and objects where there are: a slider
save that inserts the score's row runs one statement more than one that updates it)."""


_LITERALS = re.compile(r"'[^']*'|\b\d+\b")


def _walk(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _walk(child)


def inspect(manifest: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import scenarios as bench_scenarios
    from bench.report import BASELINE

    users = {user.username: user for user in get_user_model().objects.all()}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute("ANALYZE")  # Fresh statistics, as autovacuum would have by now.
    report: dict = {"postgresql": version, "scenarios": {}}
    built = bench_scenarios.build(manifest)
    baseline = next(scenario for scenario in built if scenario.key == BASELINE)
    for scenario in built:
        seen: set[str] = set()
        counts: list[int] = []
        plans: list[dict] = []
        for spec in scenario.specs[:SAMPLED_REQUESTS]:
            client, headers = _sender(spec, users)
            with CaptureQueriesContext(connection) as queries:
                response = _send(client, spec, headers)
            if response.status_code != scenario.expected_status:
                raise RuntimeError(f"{scenario.key} {spec.path}: HTTP {response.status_code}")
            counts.append(len(queries.captured_queries))
            for query in queries.captured_queries:
                sql = query["sql"].strip()  # the slider save's own SQL starts on a new line
                shape = _LITERALS.sub("?", sql)
                if shape in seen or not sql.startswith(("SELECT", "UPDATE", "INSERT")):
                    continue
                seen.add(shape)
                plans.append(_explain(connection, sql))
        report["scenarios"][scenario.key] = {
            "queries": counts,
            "plans": plans,
            **_drawn_and_served(scenario.specs[0], users),
            "layers": _where_the_time_goes(scenario, users),
            "floor": _floor(scenario, users, beside=None if scenario is baseline else baseline),
        }
    return report


def _sender(spec, users):
    """A client as the request's sender (signed in as its user, if any, from its address)
    and the htmx headers it sends."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=spec.source or "127.0.0.1")
    if spec.username is not None:
        client.force_login(users[spec.username])
    headers = {"HX-Request": "true", "HX-Target": spec.htmx_target} if spec.htmx_target else {}
    return client, headers


def _send(client, spec, headers):
    if spec.method == "POST":
        return client.post(spec.path, urlencode(spec.form), content_type=FORM, headers=headers)
    return client.get(spec.path, headers=headers)


TIMED_REQUESTS = 15


def _drawn_and_served(spec, users) -> dict:
    """A GET's median time in-process, drawn (the page cache off: what the first view
    after a write costs) and served again (on: what the load below mostly measures)."""
    from django.test import override_settings

    if spec.method != "GET":
        return {}
    client, headers = _sender(spec, users)

    def median_ms() -> float:
        client.get(spec.path, headers=headers)  # the CSRF cookie, then the page kept
        client.get(spec.path, headers=headers)
        times = []
        for _ in range(TIMED_REQUESTS):
            start = time.perf_counter()
            client.get(spec.path, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    with override_settings(PAGE_CACHE_SECONDS=0):
        drawn = median_ms()
    return {"drawn_ms": drawn, "served_ms": median_ms()}


def _drawn(scenario, users, repeats: int) -> Iterator[tuple[bool, Callable[[], bool]]]:
    """The scenario's sampled requests, each sent ``1 + repeats`` times with the page cache
    off: yields whether the next sending counts, and a function that sends it and says
    whether it was answered as the load expects. The first sending of each does not count:
    a client's first request sets up its handler (the middleware, and with it WhiteNoise's
    scan of the static files), once per process when deployed."""
    from django.test import override_settings

    with override_settings(PAGE_CACHE_SECONDS=0):
        yield from _sendings(scenario, users, repeats)


def _sendings(scenario, users, repeats: int) -> Iterator[tuple[bool, Callable[[], bool]]]:
    """``_drawn``'s sendings, under whatever settings the caller has."""
    from bench import profile

    for spec in scenario.specs[: profile.PROFILED_REQUESTS]:
        client, headers = _sender(spec, users)

        def send(client=client, spec=spec, headers=headers) -> bool:
            response = _send(client, spec, headers)
            return response.status_code == scenario.expected_status

        for n in range(1 + repeats):
            yield n > 0, send


def _where_the_time_goes(scenario, users) -> dict[str, float]:
    """Each layer's share of the scenario's sampled requests, in percent, under
    ``cProfile`` with the page cache off (a page as drawn, a save as made); empty when a
    request is answered otherwise than the load expects (a limit reached, say)."""
    import cProfile
    import pstats

    from bench import profile

    profiler = cProfile.Profile()
    for counted, send in _drawn(scenario, users, profile.PROFILED_REPEATS):
        if counted:
            profiler.enable()
        answered = send()
        profiler.disable()
        if not answered:
            return {}
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return profile.percentages(profile.shares(stats))


FLOOR_REPEATS = 5
"""Times each of a scenario's sampled requests is sent, after one warm-up, to split its
time between waiting on PostgreSQL and the rest (``bench.floor``)."""


def _floor(scenario, users, *, beside=None) -> dict:
    """The median request of the scenario's sampled ones, drawn in-process (the page cache
    off), the median time a request spent waiting on PostgreSQL (inside its statements,
    BEGIN going with the first, and its COMMITs) and the median time spent drawing its
    templates (around each outermost template, less the statements run meanwhile). Empty
    when a request is answered otherwise than the load expects.

    With ``beside`` (the baseline), that scenario's requests are sent in turn with these,
    one before each, and measured the same way under ``"beside"``: on a machine whose speed
    wanders, a page and the baseline it is read against are then measured at one time."""
    from django.db import connection
    from django.template.backends.django import Template
    from django.test import override_settings

    waited: list[float] = []
    drawing: list[float] = []
    depth = 0

    def timed_statement(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            waited.append(time.perf_counter() - start)

    def timed_commit(commit):
        def timed():
            start = time.perf_counter()
            try:
                return commit()
            finally:
                waited.append(time.perf_counter() - start)

        return timed

    render = Template.render

    def timed_render(template, context=None, request=None):
        nonlocal depth
        if depth:  # an include, a form's widgets: inside the outermost template's time
            return render(template, context, request)
        depth += 1
        before, start = sum(waited), time.perf_counter()
        try:
            return render(template, context, request)
        finally:
            depth -= 1
            drawing.append(time.perf_counter() - start - (sum(waited) - before))

    def timed(send: Callable[[], bool]) -> tuple[float, float, float] | None:
        waited.clear()
        drawing.clear()
        start = time.perf_counter()
        answered = send()
        elapsed = time.perf_counter() - start
        return (elapsed * 1000, sum(waited) * 1000, sum(drawing) * 1000) if answered else None

    measured: list[tuple[float, float, float]] = []
    measured_beside: list[tuple[float, float, float]] = []
    # Monkeypatching, which the stubs cannot express: ``_commit`` is private to Django (absent
    # from the stubs; replaced on this instance only), and a method is not meant to be replaced.
    connection._commit = timed_commit(connection._commit)  # type: ignore[attr-defined]
    Template.render = timed_render  # type: ignore[method-assign]
    try:
        with override_settings(PAGE_CACHE_SECONDS=0), connection.execute_wrapper(timed_statement):
            turns: Iterator[tuple[bool, Callable[[], bool]] | None] = (
                itertools.repeat(None)
                if beside is None
                else itertools.cycle(list(_sendings(beside, users, FLOOR_REPEATS)))
            )
            sendings = _sendings(scenario, users, FLOOR_REPEATS)
            for turn, (counted, send) in zip(turns, sendings, strict=False):  # turns endless
                if turn is not None:
                    found = timed(turn[1])
                    if found is None:
                        return {}
                    if counted and turn[0]:
                        measured_beside.append(found)
                found = timed(send)
                if found is None:
                    return {}
                if counted:
                    measured.append(found)
    finally:
        del connection._commit  # type: ignore[attr-defined]  # back to the class's method
        Template.render = render  # type: ignore[method-assign]
    floor = _medians(measured)
    return floor | {"beside": _medians(measured_beside)} if measured_beside else floor


def _medians(measured: list[tuple[float, float, float]]) -> dict[str, float]:
    requests, database, templates = zip(*measured, strict=True)
    return {
        "request_ms": statistics.median(requests),
        "database_ms": statistics.median(database),
        "templates_ms": statistics.median(templates),
    }


def _plan(connection, sql: str, *, analyze: bool, seqscan: bool = True) -> dict:
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    with transaction.atomic(), connection.cursor() as cursor:
        if not seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN ({options}) {sql}")
        (document,) = cursor.fetchone()
    return (json.loads(document) if isinstance(document, str) else document)[0]


def _scans(plan: dict) -> list[dict]:
    return [
        {"node": node["Node Type"], "table": node["Relation Name"], "index": node.get("Index Name")}
        for node in _walk(plan["Plan"])
        if "Relation Name" in node
    ]


def _seq_scanned(scans: list[dict]) -> set[str]:
    return {s["table"] for s in scans if s["node"] == "Seq Scan" and s["table"] in GROWING_TABLES}


def _explain(connection, sql: str) -> dict:
    """The plan of one statement, and whether a sequential scan of a growing table in it is
    a choice (the table is small today and an index would serve) or a missing index.

    PostgreSQL rightly reads a table of a few dozen rows sequentially; planning again with
    ``enable_seqscan = off`` shows whether an index could serve the query at all."""
    analyze = sql.startswith("SELECT") and " FOR UPDATE" not in sql
    top = _plan(connection, sql, analyze=analyze)
    scans = _scans(top)
    seq_scanned = _seq_scanned(scans)
    missing = sorted(
        seq_scanned & _seq_scanned(_scans(_plan(connection, sql, analyze=False, seqscan=False)))
    )
    return {
        "sql": sql if len(sql) <= 600 else sql[:600] + " …",
        "scans": scans,
        "seq_scans_by_choice": sorted(seq_scanned - set(missing)),
        "seq_scans_on_growing_tables": missing,
        "execution_ms": top.get("Execution Time"),
        "analyzed": analyze,
    }


def main() -> None:
    manifest_path, output_path = (Path(arg) for arg in sys.argv[1:3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    # Production logs every request and login at INFO; here they would only drown the output.
    logging.disable(logging.INFO)
    output_path.write_text(json.dumps(inspect(json.loads(manifest_path.read_text())), indent=1))


if __name__ == "__main__":
    main()
