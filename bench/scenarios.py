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
    scenarios += _weights(users, compare)
    scenarios += _swing(compare)
    scenarios += _numbers(users)
    scenarios += _curves(users)
    scenarios += _calendar(users)  # a key of its own; before the friends' (tests/bench)
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
    scenarios += _commit_steps(manifest.get("judgement") or {}, manifest.get("check_ins") or [])
    scenarios += _judgement(manifest.get("judgement") or {})
    scenarios += _check_ins(manifest.get("judgement") or {}, manifest.get("check_ins") or [])
    pages = iter("abcdefghijklmnopqrstuvwxyz")
    return [
        replace(scenario, key=f"B3{next(pages)}") if scenario.key == "B3" else scenario
        for scenario in scenarios
    ]


def _commit_steps(holder: dict, targets: list[dict]) -> list[Scenario]:
    """The commit step page of each decision of the user whose decisions have aged (its
    forecasts, the predictors frozen with it). Its own key (B6c), before B6a and B6b so
    that theirs stay last."""
    if not holder or not targets:
        return []
    return [
        Scenario(
            "B6c",
            "Commit step page",
            f"GET /journal/<decision>/commit/ over {len(targets)} decisions: the form of the "
            "decision-quality check, premortem, kill criteria and forecasts, or, once the day "
            "is over, what was written",
            tuple(
                Spec(holder["username"], "GET", f"/journal/{target['decision']}/commit/")
                for target in targets
            ),
        )
    ]


def _judgement(holder: dict) -> list[Scenario]:
    """ "How well I judge" for the user whose decisions have aged (``bench.judgement``): its
    own key (B6a), after every other page, so that their keys stay what they were."""
    if not holder:
        return []
    forecasts = holder["forecasts"]
    return [
        Scenario(
            "B6a",
            f"Calibration page with {forecasts} resolved forecasts",
            f"/journal/judgement/: {forecasts} resolved forecasts in calibration bands with "
            "their intervals and chart, the matrix, the gut and the friends held against "
            "check-ins, the criteria over- or under-scored",
            (Spec(holder["username"], "GET", "/journal/judgement/"),),
        )
    ]


def _check_ins(holder: dict, targets: list[dict]) -> list[Scenario]:
    """A check-in answered (and answered again) by the user whose decisions have aged
    (``bench.checkins``): glad, a sentence, a forecast, every criterion of the decision's
    checkpoint left as it was. Its own key (B6b), after every other page."""
    if not holder or not targets:
        return []
    return [
        Scenario(
            "B6b",
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
        )
    ]


def usernames(scenarios: list[Scenario]) -> list[str]:
    """Everyone who has to be signed in, once each."""
    return sorted(
        {spec.username for scenario in scenarios for spec in scenario.specs if spec.username}
    )


# --- Weights in money and hours ----------------------------------------------------------------


def _weights(users: list[dict], compare: dict) -> list[Scenario]:
    """The criteria page, which prices a point of every criterion and checks the weights
    against the gut rankings, and the comparison's "In money and hours" redrawn for a pair
    of options chosen (the htmx request a select sends). Keys of their own (B5), so the
    pages' keys stay what they were."""
    scenarios = [
        Scenario(
            "B5a",
            "Criteria page",
            "every criterion with its share and what a point of it is worth in money and "
            "hours; the weight that would fit the gut rankings",
            tuple(
                Spec(users[n % len(users)]["username"], "GET", "/criteria/")
                for n in range(min(ROTATION, len(users)))
            ),
        )
    ]
    for size, holder in compare.items():
        ids = holder["opportunities"][:MAX_SELECTION]
        if len(ids) < 2:
            continue
        scenarios.append(
            Scenario(
                "B5b",
                f"Money pair {size}",
                f"/compare/ of {len(ids)} opportunities, two of them chosen to weigh in money "
                "and hours: the section redrawn by htmx",
                (
                    Spec(
                        holder["username"],
                        "GET",
                        f"/compare/?ids={','.join(map(str, ids))}"
                        f"&money_a={ids[-1]}&money_b={ids[0]}",
                        htmx_target="money-check",
                    ),
                ),
            )
        )
        break  # the smallest comparison: the section's cost, not the matrix's
    return scenarios


# --- Swing weighting -----------------------------------------------------------------------------


def _swing(compare: dict) -> list[Scenario]:
    """The swing weighting page over the largest comparison it takes whole: every
    criterion's swing among the options, the weights the starting answers give and the
    ranking before and after. A key of its own (B19), so the pages' keys stay."""
    fitting = [size for size in compare if len(compare[size]["opportunities"]) <= MAX_SELECTION]
    if not fitting:
        return []
    size = max(fitting, key=int)
    holder = compare[size]
    ids = ",".join(map(str, holder["opportunities"]))
    return [
        Scenario(
            "B19a",
            f"Swing page {size}",
            f"/weights/swing/ over {size} options under {len(holder['criteria'])} criteria: "
            "each swing, the weights the answers give, the ranking before and after",
            (Spec(holder["username"], "GET", f"/weights/swing/?ids={ids}"),),
        )
    ]


# --- Number criteria -----------------------------------------------------------------------------


def _numbers(users: list[dict]) -> list[Scenario]:
    """A number criterion's amount saved through its htmx endpoint, as it is typed: scored
    through its curve, answered with the new total. Rotates over the users who have one
    and their opportunities; a key of its own (B20), so the pages' keys stay."""
    numbered = [user for user in users if user.get("number")]
    if not numbered:
        return []

    def save(n: int) -> Spec:
        user = numbered[n % len(numbered)]
        opportunity = user["opportunities"][(n // len(numbered)) % len(user["opportunities"])]
        key = user["number"]
        return Spec(
            user["username"],
            "POST",
            f"/opportunities/{opportunity}/amount/{key}/",
            htmx_target="score-summary",
            form={f"{key}-amount": str(5 + n % 90)},
        )

    return [
        Scenario(
            "B20a",
            "Amount save",
            "a number criterion's amount (minutes a day) saved through the htmx endpoint: "
            "scored through its curve, answers the new total",
            tuple(save(n) for n in range(ROTATION)),
        )
    ]


# --- Value curves --------------------------------------------------------------------------------


def _curves(users: list[dict]) -> list[Scenario]:
    """The value curve page of each user's number criterion (its chart and every open
    opportunity's score and rank now), and its live preview as the bend moves (the htmx
    request a radio or the slider sends: scores and ranks under the curve being tried,
    nothing saved). Keys of their own (B22), so the pages' keys stay."""
    numbered = [user for user in users if user.get("number")]
    if not numbered:
        return []

    def user_of(n: int) -> dict:
        return numbered[n % len(numbered)]

    def preview(n: int) -> Spec:
        user = user_of(n)
        return Spec(
            user["username"],
            "POST",
            f"/criteria/{user['number']}/curve/preview/",
            htmx_target="curve-preview",
            form={
                "shape": "saturating",
                "bend": str(1 + n % 9),
                "threshold": "",
                "unit": "minutes a day",
                "worst": "90",
                "best": "10",
            },
        )

    return [
        Scenario(
            "B22a",
            "Curve page",
            "a number criterion's value curve: its chart, and each open opportunity's "
            "amount, score and rank",
            tuple(
                Spec(user_of(n)["username"], "GET", f"/criteria/{user_of(n)['number']}/curve/")
                for n in range(min(ROTATION, len(numbered)))
            ),
        ),
        Scenario(
            "B22b",
            "Curve preview",
            "the curve page's live preview as the bend moves (htmx): the chart, and every "
            "open opportunity's score and rank now and under the curve tried",
            tuple(preview(n) for n in range(ROTATION)),
        ),
    ]


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


# --- The calendar feed ---------------------------------------------------------------------------

CALENDAR_POOL = 2
"""The calendar feed's addresses (``friend_address``): after the friend's page (0) and its
submit (1)."""


def _calendar(users: list[dict]) -> list[Scenario]:
    """A calendar app reading a user's private feed (no account, no cookie): their
    check-ins, kill criteria, revisits and follow-ups as iCalendar. Rotates over every
    user's feed, each request from an address of its own (the feed is rate-limited per
    feed and per address, as deployed); a key of its own (B21a)."""
    reading = [user for user in users if user.get("calendar")]
    if not reading:
        return []
    return [
        Scenario(
            "B21a",
            "Calendar feed",
            "a calendar app reads a private feed (no account): the user's open check-ins, "
            "kill criteria, revisit dates and follow-ups as all-day events, each with its "
            "link back",
            tuple(
                Spec(
                    None,
                    "GET",
                    f"/cal/{reading[n % len(reading)]['calendar']}.ics",
                    source=friend_address(CALENDAR_POOL, n),
                )
                for n in range(ROTATION)
            ),
        )
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
