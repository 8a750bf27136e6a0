"""What the benchmark measures, built from the dataset's manifest.

A scenario is a list of request specs sent round robin: rotating over many users and
opportunities keeps caches honest and keeps concurrent slider saves on different rows,
as they are in real use (one person moves one slider at a time). The same specs drive
the load generator (over HTTP, against gunicorn) and the in-process query counts and
EXPLAIN plans (``bench.database``), so both describe the same requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from opportunities.compare.core import MAX_SELECTION

ROTATION = 200
"""Distinct requests per scenario (fewer when the data holds fewer)."""


@dataclass(frozen=True, slots=True)
class Spec:
    username: str
    method: str
    path: str
    htmx_target: str | None = None
    form: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    name: str
    what: str
    specs: tuple[Spec, ...]
    budget_p95_ms: float | None = None
    """A latency budget of its own (the comparisons have one)."""

    @property
    def example(self) -> str:
        spec = self.specs[0]
        path = spec.path if len(spec.path) <= 60 else spec.path[:57] + "…"
        return f"{spec.method} {path}"


def build(manifest: dict) -> list[Scenario]:
    users = manifest["users"]
    if not users:
        raise ValueError("The dataset has no ordinary users to simulate.")
    compare = manifest["compare"]

    def rotate(make) -> tuple[Spec, ...]:
        return tuple(make(n, users[n % len(users)]) for n in range(ROTATION))

    def opportunity(n: int, user: dict) -> int:
        return user["opportunities"][(n // len(users)) % len(user["opportunities"])]

    def criterion(n: int, user: dict) -> int:
        return user["criteria"][(n // len(users)) % len(user["criteria"])]

    def slider(n: int, user: dict) -> Spec:
        key = criterion(n, user)
        return Spec(
            user["username"],
            "POST",
            f"/opportunities/{opportunity(n, user)}/scores/{key}/",
            htmx_target="score-summary",
            form={f"{key}-value": str(n % 11)},
        )

    scenarios = [
        Scenario(
            "B1",
            "Baseline",
            "a minimal view behind the full middleware stack (session, user, CSRF, CSP, htmx…)",
            rotate(lambda n, u: Spec(u["username"], "GET", "/bench/baseline/")),
        ),
        Scenario(
            "B2",
            "Slider save",
            "one score saved through the htmx endpoint (CSRF header); answers the new total",
            rotate(slider),
        ),
        Scenario(
            "B3",
            "Opportunity page",
            f"the scoring page: {manifest['sizes']['criteria']} sliders, pipeline, checkpoints",
            rotate(lambda n, u: Spec(u["username"], "GET", f"/opportunities/{opportunity(n, u)}/")),
        ),
        Scenario(
            "B3",
            "Dashboard",
            f"{manifest['sizes']['opportunities']} opportunities with their scores",
            rotate(lambda n, u: Spec(u["username"], "GET", "/")),
        ),
    ]
    budgets = {"50": 100.0, "500": 500.0}
    for size, holder in compare.items():
        ids = ",".join(str(pk) for pk in holder["opportunities"])
        criteria = len(holder["criteria"])
        compared = min(int(size), MAX_SELECTION)
        capped = "" if compared == int(size) else f" (the app compares {compared} at most)"
        scenarios.append(
            Scenario(
                "B3",
                f"Comparison {size} × {criteria}",
                f"/compare/ asked for {size} opportunities under {criteria} criteria{capped}",
                (Spec(holder["username"], "GET", f"/compare/?ids={ids}"),),
                budget_p95_ms=budgets.get(size),
            )
        )
    scenarios.append(
        Scenario(
            "B3",
            "Journal",
            "every decision, newest first, 20 a page, with then-and-now scores",
            rotate(lambda n, u: Spec(u["username"], "GET", "/journal/")),
        )
    )
    storied = [user for user in users if user.get("storied")]
    if storied:
        story = manifest["sizes"].get("story", 300)
        scenarios.append(
            Scenario(
                "B3",
                f"Opportunity page, {story}-entry story",
                f"the scoring page of an opportunity whose story holds {story} entries "
                "and more (the newest 50 shown)",
                tuple(
                    Spec(user["username"], "GET", f"/opportunities/{user['storied']}/")
                    for user in storied[:ROTATION]
                ),
            )
        )
        scenarios.append(
            Scenario(
                "B3",
                "Whole story",
                f"the {story}-entry story on its own page, 50 a page, oldest first",
                tuple(
                    Spec(
                        user["username"],
                        "GET",
                        f"/opportunities/{user['storied']}/story/?order=oldest",
                    )
                    for user in storied[:ROTATION]
                ),
            )
        )
    pages = iter("abcdefghijklmnopqrstuvwxyz")
    return [
        replace(scenario, key=f"B3{next(pages)}") if scenario.key == "B3" else scenario
        for scenario in scenarios
    ]


def usernames(scenarios: list[Scenario]) -> list[str]:
    """Everyone who has to be signed in, once each."""
    return sorted({spec.username for scenario in scenarios for spec in scenario.specs})
