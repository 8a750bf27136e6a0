"""The long fuzz (``make fuzz``): hostile requests to gunicorn on PostgreSQL, then every
page of every account.

Creates a fresh PostgreSQL database, migrates it, fills a few accounts with everything
an account holds (``endpoints.build_world``), and starts gunicorn in production mode.
Then, all at once:

* each of those people, signed in, sends the hostile requests of ``tests/security/fuzz.py``
  for every form and htmx endpoint of their account, the variants shared out between
  them so that every field meets every class of value;
* one more person sends them to the endpoints that delete, last, on an account of its own;
* two people import hostile export files into empty accounts; when a file goes in, that
  account's pages are checked and it is emptied again for the next file;
* anonymous visitors, each without a session, log in and sign up with hostile values
  (log-in throttling answers 429 to some: that is expected).

It prints the histogram of statuses and the slowest requests, then checks that every
page of every account (sign-ups included) answers 200, and exits 1 on any 5xx, any
request left without an answer (a worker killed at its timeout), or any page that fails.

    .venv/bin/python -m tests.security.fuzz_live  (make fuzz) [--people 3] [--variants 12]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.appserver import (
    AppServer,
    Browser,
    fresh_database,
    prepare,
    production_env,
)

ANONYMOUS_VARIANTS = 2
IMPORT_VARIANTS = 2
CHECKS_A_PASSWORD = {"login", "password_change", "delete_account"}
"""Endpoints that hash a password on every request (slow on purpose, up to seconds on a
busy machine): they get the two rounds that send every shape and body, plain and by
htmx; the in-process fuzz gives them every class of value too."""
UPLOAD_LIMIT = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which Crossroads keeps
CLOSED_MID_UPLOAD = "closed mid-upload (body over 2.5 MB)"
CSRF = "fuzzcsrf" * 4  # a well-formed token for visitors who never loaded a page
TIMEOUT = 60  # seconds; gunicorn kills a worker at 30


@dataclass
class Tally:
    """What the server answered, shared by every thread."""

    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    pages_checked: int = 0
    broken_pages: list[str] = field(default_factory=list)
    imported: int = 0
    seconds_by_target: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, case, status: int | str | None, seconds: float) -> None:
        with self.lock:
            self.statuses[status or "no answer"] += 1
            self.seconds_by_target[case.target] += seconds
            if status is None or (isinstance(status, int) and status >= 500):
                self.failures.append(f"{status or 'no answer'} after {seconds:.1f} s: {case}")
            self.slowest.append((seconds, f"{case.target} [{case.what[:60]}]"))
            if len(self.slowest) > 50:
                self.slowest = sorted(self.slowest, reverse=True)[:10]


def send(browser: Browser, case, *, cookie: str | None = None) -> tuple[int | str | None, str]:
    """Send ``case`` as it is (body, content type and headers untouched), with the CSRF
    token a page would add; the status (None: no answer) and any redirect."""
    headers = dict(case.headers)
    data = None
    if case.method != "GET":
        data = case.body
        headers["Content-Type"] = case.content_type
        headers["X-CSRFToken"] = CSRF if cookie else browser.csrf_token()
    if cookie:
        headers["Cookie"] = cookie
    if len(case.body) > UPLOAD_LIMIT:
        return _send_oversized(browser, case, headers), ""
    request = urllib.request.Request(
        browser.base_url + case.path, data=data, method=case.method, headers=headers
    )
    opener = urllib.request.build_opener(*_NO_REDIRECT) if cookie else browser.opener
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            response.read()
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, error.headers.get("Location", "")
    except OSError:
        return None, ""


def _send_oversized(browser: Browser, case, headers: dict[str, str]) -> int | str | None:
    """A body over Django's upload limit is refused (400) on its Content-Length alone, and
    the server closes the connection with most of the body still unsent. http.client
    reads that 400 where urllib gives up; when the connection reset took the answer with
    it, the request counts as ``CLOSED_MID_UPLOAD``, not as a failure (the server's own
    log, checked afterwards, says whether it answered)."""
    address = urllib.parse.urlsplit(browser.base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
    jar = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    if jar and "Cookie" not in headers:
        headers = headers | {"Cookie": jar}
    try:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(case.method, case.path, body=case.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
        return CLOSED_MID_UPLOAD
    except OSError:
        return None
    finally:
        connection.close()


def server_log_problems(log: Path) -> list[str]:
    """5xx answers and killed workers in the server's own log: a second witness, which
    also hears what the client could not read."""
    problems = []
    for line in log.read_text(errors="replace").splitlines():
        if any(sign in line for sign in ("WORKER TIMEOUT", "was sent SIGKILL", "SIGABRT")):
            problems.append(line[:200])
        elif line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            status = record.get("status")
            answered = record.get("logger") == "crossroads.access" and isinstance(status, int)
            if answered and status >= 500:
                problems.append(f"{status} {record.get('method')} {record.get('path')}")
    return problems


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_NO_REDIRECT = (_KeepRedirects(),)


def fire(browser: Browser, cases: Iterable, tally: Tally, *, cookie: str | None = None) -> None:
    for case in cases:
        started = time.monotonic()
        status, _ = send(browser, case, cookie=cookie)
        tally.record(case, status, time.monotonic() - started)


def check_pages(browser: Browser, user, tally: Tally, *, per_kind: int | None = None) -> None:
    """Every page of ``user``'s account answers 200 (a redirect, like opening the
    comparison, must lead to one that does)."""
    from tests.security import fuzz

    for path, headers in fuzz.account_pages(user, per_kind=per_kind or fuzz.PAGES_PER_KIND):
        case = fuzz.Case("page", "check", "GET", path, headers=headers)
        status, location = send(browser, case)
        if status == 302 and location and "/accounts/login/" not in location:
            target = urllib.parse.urlsplit(location)
            follow = f"{target.path}?{target.query}" if target.query else target.path
            status, location = send(browser, fuzz.Case("page", "check", "GET", follow))
        with tally.lock:
            tally.pages_checked += 1
            if status != 200:
                tally.broken_pages.append(f"{user.username}: {status} GET {path} {headers}")


def guarded(job: Callable[[], None], tally: Tally) -> Callable[[], None]:
    """``job``, with anything it raises counted as a failure of the run."""

    def run() -> None:
        try:
            job()
        except Exception as error:
            with tally.lock:
                tally.failures.append(f"a sender stopped: {error!r}")
            raise

    return run


def signed_in(url: str, username: str, password: str | None = None) -> Browser:
    from tests.factories import PASSWORD

    browser = Browser(url, timeout=TIMEOUT)
    browser.log_in(username, password or PASSWORD)
    return browser


def check_account(url: str, user, tally: Tally, password: str | None = None) -> None:
    try:
        browser = signed_in(url, user.username, password)
    except RuntimeError as refused:
        with tally.lock:
            tally.broken_pages.append(f"{user.username!r} cannot log in: {refused}")
        return
    check_pages(browser, user, tally)


def run(
    *, database_url: str, people: int, variants: int, port: int, log: Path
) -> tuple[Tally, float]:
    env = production_env(database_url)
    prepare(env)
    # This process reads and writes the same database to build the accounts and, later,
    # to list their pages; Django is set up only now that the database exists.
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections

    from opportunities.criteria.services import create_default_criteria
    from tests.factories import UserFactory
    from tests.security import fuzz
    from tests.security.endpoints import build_world

    worlds = [build_world(tag=f"fuzz-person-{n}") for n in range(people)]
    doomed = build_world(tag="fuzz-deleting")
    export = fuzz.an_export()
    importers = [UserFactory() for _ in range(2)]
    for importer in importers:
        create_default_criteria(importer)
    known = set(get_user_model().objects.values_list("pk", flat=True))
    connections.close_all()

    server = AppServer(port, env).start(workers=2, threads=4, log=log)
    tally = Tally()
    started = time.monotonic()
    try:

        def person(n: int) -> Callable[[], None]:
            def work() -> None:
                world = worlds[n]
                browser = signed_in(server.url, world.user.username)
                targets = fuzz.targets(world)
                for variant in range(n, variants, people):
                    for target in targets:
                        if variant >= 2 and target.name in CHECKS_A_PASSWORD:
                            continue
                        fire(browser, fuzz.hostile_requests(target, variant=variant), tally)
                if browser.get("/").status != 200:
                    tally.broken_pages.append(f"{world.user.username} was signed out")

            return work

        def deleting() -> None:
            browser = signed_in(server.url, doomed.user.username)
            targets = fuzz.targets(doomed, destructive=True)  # before anything is deleted
            for variant in (0, 1):
                for target in targets:
                    fire(browser, fuzz.hostile_requests(target, variant=variant), tally)

        def importing(n: int) -> Callable[[], None]:
            def work() -> None:
                from opportunities.models import Opportunity

                user = importers[n]
                browser = signed_in(server.url, user.username)
                for variant in range(n, IMPORT_VARIANTS, len(importers)):
                    for case in fuzz.import_cases(export, variant=variant):
                        fire(browser, [case], tally)
                        if Opportunity.objects.for_user(user).exists():
                            with tally.lock:
                                tally.imported += 1
                            check_pages(browser, user, tally, per_kind=1)
                            fuzz.reset_import_account(user)
                connections.close_all()

            return work

        def anonymous() -> None:
            visitor = Browser(server.url, timeout=TIMEOUT)
            for variant in range(ANONYMOUS_VARIANTS):
                for target in fuzz.anonymous_targets():
                    cases = fuzz.hostile_requests(target, variant=variant)
                    fire(visitor, cases, tally, cookie=f"csrftoken={CSRF}")

        jobs = [person(n) for n in range(people)]
        jobs += [deleting, anonymous, *(importing(n) for n in range(len(importers)))]
        threads = [threading.Thread(target=guarded(job, tally)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started

        accounts = [w.user for w in worlds] + [doomed.user] + importers
        signups = list(get_user_model().objects.exclude(pk__in=known))
        for user in accounts:
            check_account(server.url, user, tally)
        for user in signups:
            check_account(server.url, user, tally, fuzz.ANONYMOUS_DATA["signup"]["password1"])
        connections.close_all()
    finally:
        server.stop()
    return tally, seconds


def report(tally: Tally, seconds: float) -> list[str]:
    total = tally.statuses.total()
    histogram = sorted(tally.statuses.items(), key=lambda item: str(item[0]))
    lines = [
        f"hostile requests: {total:,} in {seconds:.0f} s ({total / seconds:.0f} a second)",
        "statuses:",
        *(f"  {status}: {count:,}" for status, count in histogram),
        "slowest requests:",
        *(f"  {s:.2f} s  {what}" for s, what in sorted(tally.slowest, reverse=True)[:5]),
        "most time spent on:",
        *(f"  {s:.0f} s  {what}" for what, s in tally.seconds_by_target.most_common(5)),
        f"imports that went in (each account checked and emptied): {tally.imported}",
        f"pages checked afterwards: {tally.pages_checked:,}, not answering 200: "
        f"{len(tally.broken_pages)}",
        f"5xx or no answer: {len(tally.failures)}",
    ]
    lines += [f"\n{failure}" for failure in tally.failures[:20]]
    lines += [f"  broken: {page}" for page in tally.broken_pages[:20]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3, help="signed-in accounts fuzzed at once")
    parser.add_argument(
        "--variants", type=int, default=12, help="rounds of values (12: every field, every class)"
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--port", type=int, default=8751)
    parser.add_argument("--at-least", type=int, default=10_000, help="hostile requests to send")
    args = parser.parse_args(argv)
    log = Path(tempfile.gettempdir()) / f"crossroads-fuzz-{os.getpid()}.log"
    with fresh_database(args.server, prefix="crossroads_fuzz") as database_url:
        tally, seconds = run(
            database_url=database_url,
            people=args.people,
            variants=args.variants,
            port=args.port,
            log=log,
        )
    print("\n".join(report(tally, seconds)))
    in_log = server_log_problems(log)
    print(f"5xx or killed workers in the server's log: {len(in_log)}")
    print("\n".join(f"  {problem}" for problem in in_log[:20]))
    print(f"the server's log (tracebacks of any 5xx): {log}")
    enough = tally.statuses.total() >= args.at_least
    if not enough:
        print(f"fewer hostile requests than --at-least {args.at_least:,}: raise --variants")
    ok = enough and not tally.failures and not tally.broken_pages and not in_log
    print("fuzz:", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
