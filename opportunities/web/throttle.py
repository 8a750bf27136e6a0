"""Rate limits every app server shares: counters in the database, one per key and window.

A per-process cache would let N servers allow N times the limit; the database is the
store every server already shares. A hit is one statement, an upsert that inserts the
window's row or adds one to it and answers the new count (``INSERT … ON CONFLICT DO
UPDATE … RETURNING``, in SQLite since 3.35 and in PostgreSQL): atomic on both, so two
servers counting at once lose no hit. Windows are fixed (a burst at a window's edge may
see up to twice the limit over two windows), which is plenty to stop guessing and
flooding.

The windows that ended are pruned by each app server once per limit and window, at its
first hit in the new window: one DELETE, outside any transaction (it removes only rows
no count will read again). Pruning at each key's first hit instead cost three statements
more on every request from a new address or through a new link.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

_COUNT = """
    INSERT INTO opportunities_throttle ("key", "window", "hits") VALUES (%s, %s, 1)
    ON CONFLICT ("key", "window") DO UPDATE SET "hits" = opportunities_throttle."hits" + 1
    RETURNING "hits"
"""
"""One hit: the window's row inserted with 1, or its count raised by 1; the count after
(``Throttle``'s table; "window" is quoted, a reserved word in PostgreSQL)."""

_PRUNE = """
    DELETE FROM opportunities_throttle WHERE "key" LIKE %s AND "window" < %s
"""
"""A limit's windows that ended before the last one (``LIKE`` on the limit's name, which
holds no wildcard: ``Limit`` refuses one)."""

_NAME = re.compile(r"[a-z0-9-]+")

_pruned: dict[str, int] = {}
"""Per limit, the window this process last pruned the ended ones at."""


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    hits: int
    per_seconds: int

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"a limit's name is lower-case letters, digits and -: {self.name!r}")


def hit(limit: Limit, who: str, *, now: float | None = None) -> bool:
    """Count one request by ``who`` against ``limit``; whether it is still allowed."""
    moment = time.time() if now is None else now
    window = int(moment // limit.per_seconds) * limit.per_seconds
    key = f"{limit.name}:{who}"[:100]
    with connection.cursor() as cursor:
        cursor.execute(_COUNT, [key, window])
        (hits,) = cursor.fetchone()
        if _pruned.get(limit.name) != window:
            cursor.execute(_PRUNE, [f"{limit.name}:%", window - limit.per_seconds])
            _pruned[limit.name] = window
    return hits <= limit.hits


UNKNOWN_ADDRESS = "unknown"


def client_address(meta: Mapping[str, object]) -> str:
    """The address a request came from (``UNKNOWN_ADDRESS`` when there is none).

    The peer the app server sees (``REMOTE_ADDR``), unless ``settings.PROXIES_IN_FRONT``
    says how many proxies of ours stand before it: then the address the outermost of them
    appended to ``X-Forwarded-For``. Only entries our own proxies appended are trusted;
    whatever a client put there itself sits further left and is never read, and an entry
    that is not an address at all is passed over for the peer."""
    hops = settings.PROXIES_IN_FRONT
    if hops:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        if len(forwarded) >= hops and _is_address(forwarded[-hops]):
            return forwarded[-hops]
    return str(meta.get("REMOTE_ADDR") or UNKNOWN_ADDRESS)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
