"""Where a request's time goes, by layer of the stack: read off a ``cProfile`` run.

Each function's own time (``tottime``) is charged to the layer its file belongs to:
the database driver (and the wait for the server), Django's ORM, the template engine
(with the forms drawn in Python, ``web.quick_fields``), the request's way in and out
(handlers, middleware, sessions, authentication, URL routing, the app's own web
plumbing), and the app's views, queries and maths. Time spent in the standard library or
in built-ins belongs to whoever called them: it is handed up to the callers in proportion
to the time each caller spent there, until a layer is met
(``isinstance`` called by the template engine is the template engine's).

The shares are of the profiled run, whose overhead falls most on code that calls many
small functions (the template engine, the ORM), so they say where the time goes, not
what a request costs: that is the "drawn" column beside them.
"""

from __future__ import annotations

from collections.abc import Mapping

type FunctionKey = tuple[str, int, str]
"""``(file, line, name)`` as ``pstats`` keys its entries; built-ins have file ``~``."""
type Entry = tuple[int, int, float, float, Mapping[FunctionKey, tuple[int, int, float, float]]]
"""``(primitive calls, calls, own time, cumulative time, callers)``; each caller maps to
the same figures for the calls it made."""

PROFILED_REQUESTS = 4
"""A scenario's first requests profiled (different users and objects where it has them)."""
PROFILED_REPEATS = 3
"""Each is profiled this many times, after one more that warms its client."""

LAYERS = ("database", "ORM", "templates", "request", "app", "other")
"""In the order the report shows them."""

_BY_PATH: tuple[tuple[str, str | None], ...] = (
    ("/psycopg/", "database"),
    ("/psycopg_binary/", "database"),
    ("/sqlite3/", "database"),
    ("/django/db/backends/", "database"),
    ("/django/db/", "ORM"),
    ("/django/template/", "templates"),
    ("/django/templatetags/", "templates"),
    ("/django/forms/", "templates"),
    ("/crispy_forms/", "templates"),
    ("/crispy_bootstrap5/", "templates"),
    ("/opportunities/templatetags/", "templates"),
    ("/opportunities/web/quick_fields", "templates"),  # forms drawn in Python
    ("/opportunities/web/forms", "templates"),
    ("/opportunities/web/", "request"),
    ("/django/core/handlers/", "request"),
    ("/django/middleware/", "request"),
    ("/django/contrib/sessions/", "request"),
    ("/django/contrib/auth/", "request"),
    ("/django/contrib/messages/", "request"),
    ("/django/urls/", "request"),
    ("/django/http/", "request"),
    ("/django_htmx/", "request"),
    ("/whitenoise/", "request"),
    ("/opportunities/accounts/backends", "request"),
    ("/opportunities/", "app"),
    ("/bench/", "app"),
    ("/django/utils/", None),
    ("/django/dispatch/", None),
    ("/asgiref/", None),
    ("/django/", "other"),
)
"""First match wins, so the narrower paths come first. ``None``: helpers shared by every
layer (Django's utilities and signals, asgiref's locals), charged to their callers like
the standard library."""


def layer_of(filename: str) -> str | None:
    """The layer a file's code belongs to; None for the standard library, built-ins and
    shared helpers, whose time is their callers'."""
    path = filename.replace("\\", "/")
    for fragment, layer in _BY_PATH:
        if fragment in path:
            return layer
    if "/site-packages/" in path:
        return "other"
    return None


def shares(stats: Mapping[FunctionKey, Entry]) -> dict[str, float]:
    """Seconds of own time per layer (every layer in ``LAYERS``, zero where none)."""
    totals = dict.fromkeys(LAYERS, 0.0)
    owners: dict[FunctionKey, dict[str, float]] = {}
    for key, (_, _, own, _, _) in stats.items():
        for layer, fraction in (_owners(key, stats, owners, frozenset()) or {"other": 1.0}).items():
            totals[layer] += own * fraction
    return totals


def _owners(
    key: FunctionKey,
    stats: Mapping[FunctionKey, Entry],
    known: dict[FunctionKey, dict[str, float]],
    visiting: frozenset[FunctionKey],
) -> dict[str, float]:
    """Which layers a function's own time belongs to, as fractions adding up to 1; empty
    when every caller is already on the path being followed (a cycle: the caller further
    down decides). Only answers that skipped no caller are remembered."""
    if key in known:
        return known[key]
    layer = layer_of(key[0])
    if layer is not None:
        return {layer: 1.0}
    callers = {c: figures[2] for c, figures in (stats[key][4] if key in stats else {}).items()}
    if not callers or sum(callers.values()) <= 0:
        known[key] = {"other": 1.0}  # the top of the stack: nobody to hand it to
        return known[key]
    found: dict[str, float] = {}
    weighed = 0.0
    cut = False
    for caller, weight in callers.items():
        if caller in visiting or caller == key:
            cut = True
            continue
        upstream = _owners(caller, stats, known, visiting | {key})
        if not upstream:
            cut = True
            continue
        weighed += weight
        for name, part in upstream.items():
            found[name] = found.get(name, 0.0) + part * weight
    if weighed <= 0:
        return {}
    found = {name: part / weighed for name, part in found.items()}
    if not cut:
        known[key] = found
    return found


def percentages(totals: Mapping[str, float]) -> dict[str, float]:
    """Each layer's share of the whole, in percent."""
    whole = sum(totals.values())
    return {layer: (100 * totals.get(layer, 0.0) / whole if whole else 0.0) for layer in LAYERS}
