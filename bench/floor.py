"""How low a request could go on this stack: its time drawn in-process, split between
waiting on PostgreSQL and everything else, against the baseline's.

A request cannot cost less than the baseline's own work (the session, the user, the
middleware) plus the statements it must run. The statements' part is measured as the time
spent inside them (the driver, the round trip, PostgreSQL's work) and inside BEGIN and
COMMIT: ``bench.database`` times each request of a scenario that way, drawn, with the page
cache off. From that, for a budget that asks for a share of the baseline's throughput:

* :func:`best_ratio`: the share it would reach were everything but its statements as
  cheap as the baseline's: if that misses the budget, no rewrite of its Python can meet
  it without fewer statements;
* :func:`cut_needed`: otherwise, how much of its other work (the ORM building queries
  and rows, the templates, the app) would have to go to meet it, in-process;
* :func:`templates_free_ratio`: the share it would reach were its templates drawn for
  nothing: if that misses the budget too, no way of writing its HTML can meet it, and
  the cut must come from its queries, forms and the rest.

The template time is measured directly as well (around each response's template, without
a profiler, the statements a template runs left to the wait), because ``cProfile``'s
overhead falls hardest on the template engine's many small calls and overstates its share.

Pure, like ``bench.report``: the measuring is in ``bench.database``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Floor:
    """One scenario's requests drawn in-process: medians of the whole request, of the
    time it waited on PostgreSQL (its statements, BEGIN and COMMIT) and of the time spent
    drawing its templates (forms drawn in them included, their statements not)."""

    request_ms: float
    database_ms: float
    templates_ms: float = 0.0

    @property
    def other_ms(self) -> float:
        """Everything but the wait: the middleware, the ORM, the templates, the app."""
        return max(self.request_ms - self.database_ms, 0.0)


def best_ratio(request: Floor, baseline: Floor) -> float:
    """The share of the baseline's throughput ``request`` would reach if it did no more
    than the baseline's own work besides its statements."""
    lowest = baseline.other_ms + request.database_ms
    return baseline.request_ms / lowest if lowest > 0 else float("inf")


def cut_needed(request: Floor, baseline: Floor, target: float) -> float | None:
    """The share of ``request``'s work besides its statements that would have to go for it
    to run at ``target`` times the baseline's throughput, in-process (0 when it already
    does); None when even :func:`best_ratio` falls short of ``target``."""
    if best_ratio(request, baseline) < target:
        return None
    allowed = baseline.request_ms / target - request.database_ms
    if request.other_ms <= allowed:
        return 0.0
    return 1 - allowed / request.other_ms


def templates_free_ratio(request: Floor, baseline: Floor) -> float:
    """The share of the baseline's throughput ``request`` would reach if drawing its
    templates cost nothing and the rest stayed as it is."""
    left = request.request_ms - request.templates_ms
    return baseline.request_ms / left if left > 0 else float("inf")
