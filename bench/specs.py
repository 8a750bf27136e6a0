"""What a benchmark scenario is: the requests it sends, and the budget it is judged by.

The scenarios themselves are built from the dataset's manifest (``bench.scenarios``); the
report judges them (``bench.report``). Plain values, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROTATION = 200
"""Distinct requests per scenario (fewer when the data holds fewer)."""

FRIEND_ROTATION = 600
"""Distinct requests of the friend's page and of its submit: each its own link and
address, so that a run stays far below the page's limits per link and per address."""


@dataclass(frozen=True, slots=True)
class Budget:
    """A budget class (issue 21): the saturation throughput as a share of the baseline's,
    and the p95 as a multiple of the baseline's p95, both measured in the same run."""

    name: str
    min_throughput: float
    """At least this share of the baseline's throughput."""
    max_p95: float
    """At most this multiple of the baseline's p95."""

    @property
    def target(self) -> str:
        return f"throughput ≥ {self.min_throughput:g}×, p95 ≤ {self.max_p95:g}×"

    def met(self, *, throughput_ratio: float, p95_ratio: float) -> bool:
        return throughput_ratio >= self.min_throughput and p95_ratio <= self.max_p95


SAVE = Budget("save", min_throughput=0.6, max_p95=1.5)
"""A save answered by htmx or a form sent: the slider, the range, the amount, the friend's
submit, the check-in."""
PAGE = Budget("page", min_throughput=0.3, max_p95=3.0)
"""A page of ordinary size."""
BIG_PAGE = Budget("big page", min_throughput=0.15, max_p95=5.0)
"""A page that grows with the data: the dashboard of 60, a comparison of 50, the story of
300 entries."""


@dataclass(frozen=True, slots=True)
class Spec:
    username: str | None
    """Who is signed in; None for someone with no account (a friend with their link)."""
    method: str
    path: str
    htmx_target: str | None = None
    form: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    """The loopback address to send from (``FRIEND_ADDRESSES``); None: the default one."""
    csrf: str | None = None
    """Without an account, the CSRF cookie the browser holds (and a POST's form token)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    """B1 the baseline, B2… saves, B3… pages, B4… big pages, B5… the comparison of 500."""
    name: str
    what: str
    specs: tuple[Spec, ...]
    budget_p95_ms: float | None = None
    """A latency budget of its own, in milliseconds (the comparison of 500 has one)."""
    expected_status: int = 200
    """What every request should get (a form sent successfully is redirected: 303)."""
    budget: Budget | None = None
    """Its budget class against the baseline; None: measured, not judged that way."""

    @property
    def example(self) -> str:
        spec = self.specs[0]
        path = spec.path if len(spec.path) <= 60 else spec.path[:57] + "…"
        return f"{spec.method} {path}"
