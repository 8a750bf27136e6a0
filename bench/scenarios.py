"""What the benchmark measures, built from the dataset's manifest.

A scenario is a list of request specs sent round robin: rotating over many users and
opportunities keeps caches honest and keeps concurrent slider saves on different rows,
as they are in real use (one person moves one slider at a time). The same specs drive
the load generator (over HTTP, against gunicorn) and the in-process query counts and
EXPLAIN plans (``bench.database``), so both describe the same requests.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from bench.uncertainty import RANGED
from opportunities.compare.core import MAX_SELECTION

ROTATION = 200
"""Distinct requests per scenario (fewer when the data holds fewer)."""

FRIEND_ROTATION = 600
"""Distinct requests of the friend's page and of its submit: each its own link and
address, so that a run stays far below the page's limits per link and per address."""


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
    name: str
    what: str
    specs: tuple[Spec, ...]
    budget_p95_ms: float | None = None
    """A latency budget of its own (the comparisons have one)."""
    expected_status: int = 200
    """What every request should get (a form sent successfully is redirected: 303)."""

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
    scenarios += _friends(users)
    # After every other page, so that their keys stay what they were before these came.
    for size, holder in manifest.get("ranges", {}).items():
        ids = ",".join(str(pk) for pk in holder["opportunities"])
        criteria = len(holder["criteria"])
        scenarios.append(
            Scenario(
                "B3",
                f"Comparison with ranges {size} × {criteria}",
                f"/compare/ of {size} opportunities under {criteria} criteria, "
                f"{RANGED:.0%} of the scores unsure (a range): the plausible cases, the "
                "chances of each and what to find out next",
                (Spec(holder["username"], "GET", f"/compare/?ids={ids}"),),
                budget_p95_ms=budgets.get(size),
            )
        )
    pages = iter("abcdefghijklmnopqrstuvwxyz")
    return [
        replace(scenario, key=f"B3{next(pages)}") if scenario.key == "B3" else scenario
        for scenario in scenarios
    ]


def usernames(scenarios: list[Scenario]) -> list[str]:
    """Everyone who has to be signed in, once each."""
    return sorted(
        {spec.username for scenario in scenarios for spec in scenario.specs if spec.username}
    )


# --- Friends ---------------------------------------------------------------------------------

FRIEND_ADDRESSES = "127.77"
"""The loopback network friends' requests come from (``127.77.<scenario>.<n>``): the
friend's page counts requests per address, as deployed, and one address per request of
the rotation keeps a whole run far below that limit without switching it off (Linux
answers on every address of 127.0.0.0/8)."""


def friend_address(pool: int, n: int) -> str:
    """The ``n``-th friend's address of scenario ``pool``."""
    return f"{FRIEND_ADDRESSES}.{pool * 4 + n // 250}.{n % 250 + 1}"


def csrf_secret(token: str) -> str:
    """The CSRF cookie a friend's browser got with their page (32 letters and digits, as
    Django makes them), fixed per link so that every run sends the same requests."""
    return hashlib.sha256(f"csrf:{token}".encode()).hexdigest()[:32]


def _friends(users: list[dict]) -> list[Scenario]:
    """The owner's round page, and the friend's page opened and answered through links,
    each request of the rotation with a link and an address of its own."""
    asking = [user for user in users if user.get("friends")]
    if not asking:
        return []

    def rotate(tokens: str, pool: int, make) -> tuple[Spec, ...]:
        specs = []
        for n in range(FRIEND_ROTATION):
            user = asking[n % len(asking)]
            held = user["friends"][tokens]
            token = held[(n // len(asking)) % len(held)]
            specs.append(make(n, user, token, friend_address(pool, n)))
        return tuple(specs)

    def page(n: int, user: dict, token: str, source: str) -> Spec:
        return Spec(None, "GET", f"/f/{token}/", source=source, csrf=csrf_secret(token))

    def submit(n: int, user: dict, token: str, source: str) -> Spec:
        return Spec(
            None,
            "POST",
            f"/f/{token}/",
            form=friend_answers(user, n),
            source=source,
            csrf=csrf_secret(token),
        )

    sample = asking[0]["friends"]
    shape = f"{len(sample['opportunities'])} options × {len(sample['criteria'])} criteria"
    return [
        Scenario(
            "B3",
            "Friends' round",
            f"the owner's page of a round of asking friends: {sample['answered']} friends' "
            f"answers on {shape}, "
            "medians, spread, comments and what it would change",
            tuple(
                Spec(user["username"], "GET", f"/friends/{user['friends']['round']}/")
                for user in (asking[n % len(asking)] for n in range(ROTATION))
            ),
        ),
        Scenario(
            "B3",
            "Friend's page",
            f"a friend opens their link (no account): {shape} to rate, each request with a "
            "link and an address of its own",
            rotate("page_tokens", 0, page),
        ),
        Scenario(
            "B4",
            "Friend's submit",
            f"a friend sends (and sends again) their answer: {shape} rated, gut and why, "
            "one form with its CSRF token; answered with a redirect",
            rotate("submit_tokens", 1, submit),
            expected_status=303,
        ),
    ]


def friend_answers(user: dict, n: int) -> dict[str, str]:
    """The friend's form as a browser sends it: a rating and comment per rated criterion,
    the other criteria left empty, a gut answer and why, for each option of the round."""
    friends = user["friends"]
    rated = set(friends["criteria"])
    form: dict[str, str] = {}
    for i, option in enumerate(friends["opportunities"]):
        for j, criterion in enumerate(user["criteria"]):
            prefix = f"o{option}-c{criterion}"
            form[f"{prefix}-value"] = str((n + 3 * i + j) % 11) if criterion in rated else ""
            form[f"{prefix}-comment"] = "Seen from outside." if criterion in rated and j < 2 else ""
        form[f"o{option}-gut"] = ("yes", "unsure", "no")[(n + i) % 3]
        form[f"o{option}-gut_reason"] = "It is what you said you wanted."
    return form
