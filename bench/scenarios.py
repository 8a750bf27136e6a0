"""What the benchmark measures, built from the dataset's manifest.

A scenario is a list of request specs sent round robin: rotating over many users and
opportunities keeps caches honest and keeps concurrent slider saves on different rows,
as they are in real use (one person moves one slider at a time). The same specs drive
the load generator (over HTTP, against gunicorn) and the in-process query counts and
EXPLAIN plans (``bench.database``), so both describe the same requests.

Keys follow the budget classes (``bench.specs``), each key fixed whatever else the
dataset holds:

- B1 the baseline;
- B2a–e saves (``SAVE``): slider, range, amount, friend's submit, check-in submit;
- B3a–p pages (``PAGE``): opportunity page, journal, person's page, friend's page,
  comparison of 5, comparison with ranges of 5, swing page, calibration page, then the
  other pages: criteria, curve page, curve preview, money pair, friends' round, whole
  story, commit step page, calendar feed, a criterion's edit fields;
- B4a–d big pages (``BIG_PAGE``): dashboard, comparison of 50, comparison with ranges of
  50, the opportunity page with the long story;
- B5a–b the comparison of 500 (and with ranges, when asked for): a p95 budget of its own.
"""

from __future__ import annotations

import re

from bench.specs import (
    BIG_PAGE,
    FRIEND_ROTATION,
    PAGE,
    ROTATION,
    SAVE,
    Budget,
    Scenario,
    Spec,
)
from bench.uncertainty import RANGED
from bench.visitors import (
    CALENDAR_POOL,
    FRIEND_ADDRESSES,
    calendar,
    csrf_secret,
    friend_address,
    friend_answers,
    friends,
)
from bench.weighing import curves, numbers, swing, weights
from opportunities.compare.core import MAX_SELECTION

__all__ = [
    "BIG_PAGE",
    "CALENDAR_POOL",
    "FRIEND_ADDRESSES",
    "FRIEND_ROTATION",
    "PAGE",
    "ROTATION",
    "SAVE",
    "Budget",
    "Scenario",
    "Spec",
    "build",
    "csrf_secret",
    "friend_address",
    "friend_answers",
    "usernames",
]

PAGE_SIZED = 10
"""A comparison of at most this many options is a page; up to ``MAX_SELECTION`` (what the
app compares at most) a big page; beyond, the comparison of 500 with its own p95 budget."""
HUGE_P95_MS = 500.0
"""The comparison of 500's p95 budget."""


def build(manifest: dict) -> list[Scenario]:
    users = manifest["users"]
    if not users:
        raise ValueError("The dataset has no ordinary users to simulate.")
    scenarios = [
        Scenario(
            "B1",
            "Baseline",
            "a minimal view behind the full middleware stack (session, user, CSRF, CSP, htmx…)",
            _rotate(users, lambda n, u: Spec(u["username"], "GET", "/bench/baseline/")),
        ),
        *_saves(users),
        Scenario(
            "B3a",
            "Opportunity page",
            f"the scoring page: {manifest['sizes']['criteria']} sliders, pipeline, checkpoints",
            _rotate(
                users,
                lambda n, u: Spec(u["username"], "GET", f"/opportunities/{_held(n, u, users)}/"),
            ),
            budget=PAGE,
        ),
        Scenario(
            "B3b",
            "Journal",
            "every decision, newest first, 20 a page, with then-and-now scores",
            _rotate(users, lambda n, u: Spec(u["username"], "GET", "/journal/")),
            budget=PAGE,
        ),
        *_people(users),
        Scenario(
            "B4a",
            "Dashboard",
            f"{manifest['sizes']['opportunities']} opportunities with their scores",
            _rotate(users, lambda n, u: Spec(u["username"], "GET", "/")),
            budget=BIG_PAGE,
        ),
        *_comparisons(manifest.get("compare") or {}, ranged=False),
        *_comparisons(manifest.get("ranges") or {}, ranged=True),
        *_stories(users, manifest["sizes"].get("story", 300)),
        *weights(users, manifest.get("compare") or {}),
        *swing(manifest.get("compare") or {}),
        *numbers(users),
        *curves(users),
        *calendar(users),
        *friends(users),
        *_commit_steps(manifest.get("judgement") or {}, manifest.get("check_ins") or []),
        *_judgement(manifest.get("judgement") or {}),
        *_check_ins(manifest.get("judgement") or {}, manifest.get("check_ins") or []),
    ]
    return sorted(scenarios, key=lambda scenario: _order(scenario.key))


def _order(key: str) -> tuple[int, str]:
    """B1 < B2a < B3a < B3q < B4a < B5a (and B3e < B3e-7, a second comparison of its class)."""
    match = re.fullmatch(r"B(\d+)(.*)", key)
    return (int(match.group(1)), match.group(2)) if match else (0, key)


def usernames(scenarios: list[Scenario]) -> list[str]:
    """Everyone who has to be signed in, once each."""
    return sorted(
        {spec.username for scenario in scenarios for spec in scenario.specs if spec.username}
    )


def _rotate(users: list[dict], make) -> tuple[Spec, ...]:
    return tuple(make(n, users[n % len(users)]) for n in range(ROTATION))


def _held(n: int, user: dict, users: list[dict]) -> int:
    """The ``n``-th request's opportunity of ``user`` (rotating over theirs)."""
    return user["opportunities"][(n // len(users)) % len(user["opportunities"])]


def _criterion(n: int, user: dict, users: list[dict]) -> int:
    return user["criteria"][(n // len(users)) % len(user["criteria"])]


# --- Saves ---------------------------------------------------------------------------------------


def _saves(users: list[dict]) -> list[Scenario]:
    """The slider save (B2a) and the same save with an "I'm unsure" range (B2b): one
    score through the htmx endpoint, answered with the new total."""

    def slider(n: int, user: dict) -> Spec:
        key = _criterion(n, user, users)
        return Spec(
            user["username"],
            "POST",
            f"/opportunities/{_held(n, user, users)}/scores/{key}/",
            htmx_target="score-summary",
            form={f"{key}-value": str(n % 11)},
        )

    def ranged(n: int, user: dict) -> Spec:
        key = _criterion(n, user, users)
        value = 1 + n % 9
        return Spec(
            user["username"],
            "POST",
            f"/opportunities/{_held(n, user, users)}/scores/{key}/",
            htmx_target="score-summary",
            form={
                f"{key}-value": str(value),
                f"{key}-low": str(max(0, value - 1 - n % 2)),
                f"{key}-high": str(min(10, value + 1 + (n // 2) % 2)),
            },
        )

    return [
        Scenario(
            "B2a",
            "Slider save",
            "one score saved through the htmx endpoint (CSRF header); answers the new total",
            _rotate(users, slider),
            budget=SAVE,
        ),
        Scenario(
            "B2b",
            "Range save",
            'one score saved with an "I\'m unsure" range (a low and a high around it) '
            "through the htmx endpoint; answers the new total and its band",
            _rotate(users, ranged),
            budget=SAVE,
        ),
    ]


# --- People --------------------------------------------------------------------------------------


def _people(users: list[dict]) -> list[Scenario]:
    """A person's page (B3c): the opportunities they are a contact of or that arose from
    them, and the conversations with them. Rotates over every user's people."""
    knowing = [user for user in users if user.get("people")]
    if not knowing:
        return []

    def page(n: int) -> Spec:
        user = knowing[n % len(knowing)]
        person = user["people"][(n // len(knowing)) % len(user["people"])]
        return Spec(user["username"], "GET", f"/people/{person}/")

    return [
        Scenario(
            "B3c",
            "Person's page",
            "someone in a user's decisions: the opportunities they are a contact of or that "
            "arose from them, and the conversations with them in the story",
            tuple(page(n) for n in range(ROTATION)),
            budget=PAGE,
        )
    ]


# --- Comparisons and the long story --------------------------------------------------------------


def _comparisons(holders: dict, *, ranged: bool) -> list[Scenario]:
    """The comparison of each size, keyed and budgeted by its size: up to ``PAGE_SIZED``
    options a page (B3e, with ranges B3f), up to what the app compares a big page (B4b,
    B4c), beyond that the comparison of 500 (B5a, B5b) with a p95 budget of its own."""
    scenarios: list[Scenario] = []
    used: set[str] = set()
    for size, holder in sorted(holders.items(), key=lambda item: int(item[0])):
        ids = ",".join(str(pk) for pk in holder["opportunities"])
        criteria = len(holder["criteria"])
        count = int(size)
        compared = min(count, MAX_SELECTION)
        if count <= PAGE_SIZED:
            key, budget, p95_ms = ("B3f" if ranged else "B3e"), PAGE, None
        elif count <= MAX_SELECTION:
            key, budget, p95_ms = ("B4c" if ranged else "B4b"), BIG_PAGE, None
        else:
            key, budget, p95_ms = ("B5b" if ranged else "B5a"), None, HUGE_P95_MS
        if key in used:
            key = f"{key}-{size}"
        used.add(key)
        if ranged:
            name = f"Comparison with ranges {size} × {criteria}"
            what = (
                f"/compare/ of {size} opportunities under {criteria} criteria, "
                f"{RANGED:.0%} of the scores unsure (a range): the plausible cases, the "
                "chances of each and what to find out next"
            )
        else:
            capped = "" if compared == count else f" (the app compares {compared} at most)"
            name = f"Comparison {size} × {criteria}"
            what = f"/compare/ asked for {size} opportunities under {criteria} criteria{capped}"
        scenarios.append(
            Scenario(
                key,
                name,
                what,
                (Spec(holder["username"], "GET", f"/compare/?ids={ids}"),),
                budget_p95_ms=p95_ms,
                budget=budget,
            )
        )
    return scenarios


def _stories(users: list[dict], story: int) -> list[Scenario]:
    """The scoring page of an opportunity with a long story (B4d) and the story on its own
    page (B3n)."""
    storied = [user for user in users if user.get("storied")][:ROTATION]
    if not storied:
        return []
    return [
        Scenario(
            "B4d",
            f"Opportunity page, {story}-entry story",
            f"the scoring page of an opportunity whose story holds {story} entries "
            "and more (the newest 50 shown)",
            tuple(
                Spec(user["username"], "GET", f"/opportunities/{user['storied']}/")
                for user in storied
            ),
            budget=BIG_PAGE,
        ),
        Scenario(
            "B3n",
            "Whole story",
            f"the {story}-entry story on its own page, 50 a page, oldest first",
            tuple(
                Spec(
                    user["username"],
                    "GET",
                    f"/opportunities/{user['storied']}/story/?order=oldest",
                )
                for user in storied
            ),
            budget=PAGE,
        ),
    ]


# --- Learning from one's decisions -------------------------------------------------------------


def _commit_steps(holder: dict, targets: list[dict]) -> list[Scenario]:
    """The commit step page (B3o) of each decision of the user whose decisions have aged
    (its forecasts, the predictors frozen with it)."""
    if not holder or not targets:
        return []
    return [
        Scenario(
            "B3o",
            "Commit step page",
            f"GET /journal/<decision>/commit/ over {len(targets)} decisions: the form of the "
            "decision-quality check, premortem, kill criteria and forecasts, or, once the day "
            "is over, what was written",
            tuple(
                Spec(holder["username"], "GET", f"/journal/{target['decision']}/commit/")
                for target in targets
            ),
            budget=PAGE,
        )
    ]


def _judgement(holder: dict) -> list[Scenario]:
    """ "How well I judge" (B3h) for the user whose decisions have aged
    (``bench.judgement``)."""
    if not holder:
        return []
    forecasts = holder["forecasts"]
    return [
        Scenario(
            "B3h",
            f"Calibration page with {forecasts} resolved forecasts",
            f"/journal/judgement/: {forecasts} resolved forecasts in calibration bands with "
            "their intervals and chart, the matrix, the gut and the friends held against "
            "check-ins, the criteria over- or under-scored",
            (Spec(holder["username"], "GET", "/journal/judgement/"),),
            budget=PAGE,
        )
    ]


def _check_ins(holder: dict, targets: list[dict]) -> list[Scenario]:
    """A check-in answered (and answered again) by the user whose decisions have aged
    (``bench.checkins``): glad, a sentence, a forecast, every criterion of the decision's
    checkpoint left as it was (B2e)."""
    if not holder or not targets:
        return []
    return [
        Scenario(
            "B2e",
            "Check-in submit",
            f"POST /journal/<decision>/check-ins/<check-in>/ over {len(targets)} decisions' "
            "12-month check-ins: glad, a sentence and a forecast saved, its entry in the "
            "story written or edited; answered with a redirect",
            tuple(
                Spec(
                    holder["username"],
                    "POST",
                    f"/journal/{target['decision']}/check-ins/{target['check_in']}/",
                    form={
                        "glad": str(n % 11),
                        "how_it_goes": "Settling in, better than I feared.",
                        f"forecast-{target['forecast']}": "unknown",
                    },
                )
                for n, target in enumerate(targets)
            ),
            expected_status=302,
            budget=SAVE,
        )
    ]
