"""The scenarios of visitors without an account: a friend opening and answering their link,
and a calendar app reading a private feed. Each request of a rotation comes from a
loopback address of its own, as these pages are rate-limited per address as deployed.
"""

from __future__ import annotations

import hashlib

from bench.specs import FRIEND_ROTATION, PAGE, ROTATION, SAVE, Scenario, Spec

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


def friends(users: list[dict]) -> list[Scenario]:
    """The owner's round page, and the friend's page opened and answered through links,
    each request of the rotation with a link and an address of its own: the round page
    (B3m) and the friend's page (B3d), and the friend's submit (B2d)."""
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
            "B3m",
            "Friends' round",
            f"the owner's page of a round of asking friends: {sample['answered']} friends' "
            f"answers on {shape}, "
            "medians, spread, comments and what it would change",
            tuple(
                Spec(user["username"], "GET", f"/friends/{user['friends']['round']}/")
                for user in (asking[n % len(asking)] for n in range(ROTATION))
            ),
            budget=PAGE,
        ),
        Scenario(
            "B3d",
            "Friend's page",
            f"a friend opens their link (no account): {shape} to rate, each request with a "
            "link and an address of its own",
            rotate("page_tokens", 0, page),
            budget=PAGE,
        ),
        Scenario(
            "B2d",
            "Friend's submit",
            f"a friend sends (and sends again) their answer: {shape} rated, gut and why, "
            "one form with its CSRF token; answered with a redirect",
            rotate("submit_tokens", 1, submit),
            expected_status=303,
            budget=SAVE,
        ),
    ]


# --- The calendar feed ---------------------------------------------------------------------------

CALENDAR_POOL = 2
"""The calendar feed's addresses (``friend_address``): after the friend's page (0) and its
submit (1)."""


def calendar(users: list[dict]) -> list[Scenario]:
    """A calendar app reading a user's private feed (no account, no cookie): their
    check-ins, kill criteria, revisits and follow-ups as iCalendar. Rotates over every
    user's feed, each request from an address of its own (the feed is rate-limited per
    feed and per address, as deployed): B3p."""
    reading = [user for user in users if user.get("calendar")]
    if not reading:
        return []
    return [
        Scenario(
            "B3p",
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
            budget=PAGE,
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
