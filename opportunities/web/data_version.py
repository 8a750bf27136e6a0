"""Which data changed, so the page cache never serves a page older than a write.

The page cache (``opportunities.web.page_cache``) keys each page on counters that
change whenever the data behind it may have changed. They are not bumped by the
services one by one, where a write forgotten would leave a stale page: every statement
that goes through Django's database connection is watched (an execute wrapper, fitted
to each connection as it opens), and any INSERT, UPDATE or DELETE, or any statement it
cannot read, counts as a change. A raw SQL save counts as much as an ORM one.

* **In a request** (:func:`watching`, entered by the page cache's middleware): once the
  view has returned, its transactions committed, a request that wrote bumps its
  person's :class:`~opportunities.models.PageVersion` (a friend's answer bumps the
  owner's, :func:`writes_for`), or everyone's when the admin or an unknown visitor
  wrote. One statement, in the database every app server shares. Bumping after the
  commit is what makes it safe: a page rendered before the write committed was stored
  under the old count.
* **In a command or a task** (:func:`bumps_everyone`): everyone's counter, once, at
  the end, if anything was written.
* **Anywhere else in this process** (a shell, the tests' factories): this process's
  :func:`generation` moves on to a token no other process has, so the pages it keys
  from then on are its own even where app servers share the cache
  (``DJANGO_PAGE_CACHE_URL``). A change made by hand in another process (psql,
  ``manage.py shell``) shows once the page's time in the cache runs out
  (``settings.PAGE_CACHE_SECONDS``), or at once after ``manage.py retire_cached_pages``.

Writes to tables no page shows (sessions, rate-limit counters, login attempts, queued
tasks, these counters themselves) are not changes.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.db import InterfaceError, OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from opportunities.models import EVERYONE, PageVersion, Throttle

logger = logging.getLogger(__name__)

NOT_SHOWN_TABLES = frozenset(
    {"django_session", Throttle._meta.db_table, PageVersion._meta.db_table}
)
NOT_SHOWN_PREFIXES = ("axes_", "django_tasks")
"""Login attempts (django-axes) and queued tasks (django-tasks-db)."""

_READ = re.compile(
    r"[\s(]*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SHOW|EXPLAIN)\b", re.IGNORECASE
)
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+\"?(\w+)\"?",
    re.IGNORECASE,
)


def changes_data(sql: str) -> bool:
    """Whether ``sql`` may change what a page shows: a write to a table pages read, or
    any statement this cannot read (``WITH``, DDL) to be safe."""
    if _READ.match(sql):
        return False
    written = _WRITE.match(sql)
    if written is None:
        return True
    table = written.group(1).lower()
    return table not in NOT_SHOWN_TABLES and not table.startswith(NOT_SHOWN_PREFIXES)


@dataclass(slots=True)
class Watch:
    """What one request, command or task has written so far."""

    wrote: bool = False


_current: ContextVar[Watch | None] = ContextVar("crossroads_data_watch", default=None)
_generation = ""


def generation() -> str:
    """This process's mark of the writes it made outside any request, command or task:
    empty until the first, then a random token drawn anew at each. Every app server
    that never wrote so (the usual case) has the same empty mark, so a page one of them
    stored serves the others; one that did keys its pages apart, and no two processes
    can draw the same token."""
    return _generation


def move_on() -> None:
    """Retire every page this process stored (a write outside a request, a setting
    changed by a test)."""
    global _generation
    _generation = secrets.token_hex(8)


def _noticed(sql: str) -> None:
    if not changes_data(sql):
        return
    watch = _current.get()
    if watch is None:
        move_on()
    else:
        watch.wrote = True


def _watch_statement(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    try:
        return execute(sql, params, many, context)
    finally:
        # Counted even when it failed: part of it may have happened. Safe either way.
        _noticed(sql)


def fit_watch(connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Watch every statement on ``connection`` (connected to ``connection_created``).

    First in the list, so ``connection.execute_wrapper()`` blocks, which push and pop
    at the end, never take it off.
    """
    if _watch_statement not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_statement)


@contextmanager
def watching() -> Iterator[Watch]:
    """Note whether anything is written inside the block (by this thread)."""
    watch = Watch()
    token = _current.set(watch)
    try:
        yield watch
    finally:
        _current.reset(token)


def written() -> bool:
    """Whether the request, command or task under way has written anything yet."""
    watch = _current.get()
    return watch is not None and watch.wrote


def bump(scope: int) -> None:
    """One more change for ``scope`` (a user's id, or :data:`EVERYONE`): one statement,
    the row created by the first (an upsert, as SQLite and PostgreSQL both write it)."""
    table = connection.ops.quote_name(PageVersion._meta.db_table)  # ours, not input
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, version) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
            [scope],
        )


_owed: set[int] = set()
_owed_lock = threading.Lock()


def bump_or_owe(scope: int) -> None:
    """:func:`bump`, after a request that wrote; if the database refuses (it went down
    in the middle of the request), never a 500 for it.

    This process's pages are retired at once (:func:`move_on`), and the bump is owed:
    :func:`settle_owed` makes it on the next request the database answers, so pages
    other app servers keep of ``scope`` are retired then. Most often the write itself
    failed with the database, and the bump retires nothing that changed.
    """
    try:
        bump(scope)
    except (OperationalError, InterfaceError) as error:  # unreachable, not a mistake of ours
        move_on()
        with _owed_lock:
            _owed.add(scope)
        logger.warning("Page versions: bump for scope %s owed (%s)", scope, type(error).__name__)


def settle_owed() -> None:
    """Make the bumps :func:`bump_or_owe` could not (one statement each); any the
    database still refuses stay owed."""
    if not _owed:
        return
    with _owed_lock:
        scopes = sorted(_owed)
        _owed.clear()
    for scope in scopes:
        bump_or_owe(scope)


def owed() -> frozenset[int]:
    """The scopes whose bump this process still owes."""
    with _owed_lock:
        return frozenset(_owed)


def forget_owed() -> None:
    """Owe nothing (for tests: a clean slate)."""
    with _owed_lock:
        _owed.clear()


def writes_for(request: Any, owner_id: int) -> None:
    """Say whose data a request with nobody signed in writes (a friend's link, a calendar
    feed): its writes then bump that person's counter rather than everyone's."""
    request.data_owner = owner_id


def bumps_everyone[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` (a command's ``handle``, a task) watched: if it wrote anything,
    bump everyone's counter when it is done."""

    @wraps(function)
    def watched(*args: P.args, **kwargs: P.kwargs) -> R:
        with watching() as watch:
            try:
                return function(*args, **kwargs)
            finally:
                if watch.wrote:
                    bump(EVERYONE)

    return watched


def counter(scope: Any) -> Coalesce:
    """A counter as an annotation (``scope`` a user's id, an ``OuterRef`` to one, or
    :data:`EVERYONE`): read with the row that names its person, at no query of its own."""
    found = PageVersion.objects.filter(scope=scope).values("version")[:1]
    return Coalesce(Subquery(found), Value(0))


def with_counters[M: Model](rows: QuerySet[M], owner: str = "owner_id") -> QuerySet[M]:
    """``rows`` with their owner's counter and everyone's (``page_version`` and
    ``everyone_page_version``, as :func:`versions_of` reads them), ``owner`` naming the
    owner's id among their fields."""
    annotated = rows.annotate(
        page_version=counter(OuterRef(owner)), everyone_page_version=counter(EVERYONE)
    )
    return cast("QuerySet[M]", annotated)  # the same rows, two attributes more


def versions_of(row: Any, scope: int | None = None) -> tuple[int, int]:
    """The counters a person's pages are keyed on: theirs (``scope``, by default the
    row's own id: a signed-in user) and everyone's.

    Read with the row when it was loaded :func:`with_counters` (a signed-in user is,
    by ``opportunities.accounts.backends.VersionedModelBackend``); otherwise one query.
    """
    own = getattr(row, "page_version", None)
    everyone = getattr(row, "everyone_page_version", None)
    if own is not None and everyone is not None:
        return own, everyone
    scope = row.pk if scope is None else scope
    found = dict(
        PageVersion.objects.filter(scope__in=[scope, EVERYONE]).values_list("scope", "version")
    )
    return found.get(scope, 0), found.get(EVERYONE, 0)
