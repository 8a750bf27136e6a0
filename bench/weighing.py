"""The scenarios of the criteria and their weights: the criteria page, the comparison's
money pair, the swing weighting page, a number criterion's amount save, its value curve
page and the curve's live preview (keys and budgets: ``bench.scenarios``)."""

from __future__ import annotations

from bench.specs import PAGE, ROTATION, SAVE, Scenario, Spec
from opportunities.compare.core import MAX_SELECTION


def _nth(items: list[int], n: int) -> int:
    return items[n % len(items)]


# --- Weights in money and hours ----------------------------------------------------------------


def weights(users: list[dict], compare: dict) -> list[Scenario]:
    """The criteria page (B3i), which prices a point of every criterion and checks the
    weights against the gut rankings, a criterion's edit fields as htmx fetches them
    (B3q), and the comparison's "In money and hours" redrawn
    for a pair of options chosen (B3l, the htmx request a select sends)."""
    scenarios = [
        Scenario(
            "B3i",
            "Criteria page",
            "every criterion with its share and what a point of it is worth in money and "
            "hours; the weight that would fit the gut rankings",
            tuple(
                Spec(users[n % len(users)]["username"], "GET", "/criteria/")
                for n in range(min(ROTATION, len(users)))
            ),
            budget=PAGE,
        ),
        Scenario(
            "B3q",
            "A criterion's fields",
            "a criterion's rename, scale and must-have fields, fetched by htmx as its card's "
            "details open (the page draws none of them)",
            tuple(
                Spec(
                    users[n % len(users)]["username"],
                    "GET",
                    f"/criteria/?edit={_nth(users[n % len(users)]['criteria'], n)}",
                    htmx_target="edit-fields",
                )
                for n in range(min(ROTATION, len(users)))
                if users[n % len(users)]["criteria"]
            ),
            budget=PAGE,
        ),
    ]
    for size, holder in sorted(compare.items(), key=lambda item: int(item[0])):
        ids = holder["opportunities"][:MAX_SELECTION]
        if len(ids) < 2:
            continue
        scenarios.append(
            Scenario(
                "B3l",
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
                budget=PAGE,
            )
        )
        break  # the smallest comparison: the section's cost, not the matrix's
    return scenarios


# --- Swing weighting -----------------------------------------------------------------------------


def swing(compare: dict) -> list[Scenario]:
    """The swing weighting page (B3g) over the largest comparison it takes whole: every
    criterion's swing among the options, the weights the starting answers give and the
    ranking before and after."""
    fitting = [size for size in compare if len(compare[size]["opportunities"]) <= MAX_SELECTION]
    if not fitting:
        return []
    size = max(fitting, key=int)
    holder = compare[size]
    ids = ",".join(map(str, holder["opportunities"]))
    return [
        Scenario(
            "B3g",
            f"Swing page {size}",
            f"/weights/swing/ over {size} options under {len(holder['criteria'])} criteria: "
            "each swing, the weights the answers give, the ranking before and after",
            (Spec(holder["username"], "GET", f"/weights/swing/?ids={ids}"),),
            budget=PAGE,
        )
    ]


# --- Number criteria -----------------------------------------------------------------------------


def numbers(users: list[dict]) -> list[Scenario]:
    """A number criterion's amount saved through its htmx endpoint, as it is typed (B2c):
    scored through its curve, answered with the new total. Rotates over the users who
    have one and their opportunities."""
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
            "B2c",
            "Amount save",
            "a number criterion's amount (minutes a day) saved through the htmx endpoint: "
            "scored through its curve, answers the new total",
            tuple(save(n) for n in range(ROTATION)),
            budget=SAVE,
        )
    ]


# --- Value curves --------------------------------------------------------------------------------


def curves(users: list[dict]) -> list[Scenario]:
    """The value curve page of each user's number criterion (B3j: its chart and every open
    opportunity's score and rank now), and its live preview as the bend moves (B3k: the
    htmx request a radio or the slider sends, nothing saved)."""
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
            "B3j",
            "Curve page",
            "a number criterion's value curve: its chart, and each open opportunity's "
            "amount, score and rank",
            tuple(
                Spec(user_of(n)["username"], "GET", f"/criteria/{user_of(n)['number']}/curve/")
                for n in range(min(ROTATION, len(numbered)))
            ),
            budget=PAGE,
        ),
        Scenario(
            "B3k",
            "Curve preview",
            "the curve page's live preview as the bend moves (htmx): the chart, and every "
            "open opportunity's score and rank now and under the curve tried",
            tuple(preview(n) for n in range(ROTATION)),
            budget=PAGE,
        ),
    ]
