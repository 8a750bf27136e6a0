"""Rate limits every app server shares: counters in the database, one per key and window.

A per-process cache would let N servers allow N times the limit; the database is the
store every server already shares. A hit is one UPDATE (``hits = hits + 1``), atomic on
SQLite and PostgreSQL alike; the first hit of a window inserts the row, and a second
server inserting the same row at the same moment falls back to the UPDATE. Windows are
fixed (a burst at a window's edge may see up to twice the limit over two windows), which
is plenty to stop guessing and flooding.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from opportunities.models import Throttle


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    hits: int
    per_seconds: int


def hit(limit: Limit, who: str, *, now: float | None = None) -> bool:
    """Count one request by ``who`` against ``limit``; whether it is still allowed."""
    moment = time.time() if now is None else now
    window = int(moment // limit.per_seconds) * limit.per_seconds
    key = f"{limit.name}:{who}"[:100]
    counters = Throttle.objects.filter(key=key, window=window)
    if not counters.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                Throttle.objects.create(key=key, window=window, hits=1)
        except IntegrityError:
            counters.update(hits=F("hits") + 1)
        else:
            # A new window began: forget this limit's windows that ended.
            Throttle.objects.filter(
                window__lt=window - limit.per_seconds, key__startswith=f"{limit.name}:"
            ).delete()
    hits = counters.values_list("hits", flat=True).first() or 0
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
