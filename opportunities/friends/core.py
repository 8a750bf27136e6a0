"""Asking friends, as plain functions over plain values: the personal links' tokens, what
friends said summed up as a median and a spread, and what their view would change.

Nothing here touches the ORM or a request. The ranking arithmetic is ``compare.core``'s
(and through it ``scoring.core``'s), so "as my friends see it" is computed exactly as the
owner's own comparison is, only with the friends' scores put in place of the owner's.

Conventions:

* A friend's rating of a criterion is a whole score 0-10, or ``None`` for "I can't say"
  or not rated. Only scores count toward the median and the spread.
* The friends' score for a criterion is their median rounded half up to a whole point:
  the scale is whole points, adopting it puts exactly that number in the owner's slider,
  and so adopting every friends' score reproduces "as my friends see it" exactly.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from opportunities.compare.core import ComparedCriterion, Comparison, Option, build_comparison

# --- The links ---------------------------------------------------------------------------------

TOKEN_BYTES = 32
"""256 bits of randomness per link (the issue asks at least 128): guessing one live link
among a million takes about 2**236 tries, and the rate limit allows a few hundred a day."""

TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a shape, not a secret)
"""What ``secrets.token_urlsafe(32)`` gives: 43 characters of URL-safe base64."""

_TOKEN_SHAPE = re.compile(rf"\A{TOKEN_PATTERN}\Z")

DEFAULT_EXPIRY_DAYS = 14
MAX_EXPIRY_DAYS = 90
"""A link open longer than three months is a link forgotten; a new one is a click away."""

MAX_LINKS_PER_ROUND = 30
MAX_ROUNDS = 500
"""Rounds per account; each holds at most ``MAX_LINKS_PER_ROUND`` links."""


def new_token() -> str:
    """A fresh link token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The token as stored: its SHA-256, in hex.

    A plain hash (no salt, no stretching) is right here, unlike for passwords: the token
    is 256 random bits, so there is no dictionary to try, and the hash must be looked up
    directly by a unique index."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(text: str) -> bool:
    """Whether ``text`` has a token's shape (anything else is refused before a lookup)."""
    return bool(_TOKEN_SHAPE.match(text))


def _pad(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    stream = b"".join(
        hmac.new(key, b"friend-link:" + nonce + counter.to_bytes(4, "big"), "sha256").digest()
        for counter in range(blocks)
    )
    return stream[:length]


def seal(token: str, *, key: bytes, nonce: bytes) -> str:
    """``token`` enciphered for the email task's queue (HMAC-SHA256 as a stream cipher).

    The invitation email must carry the link, and a queued task's arguments are stored
    (in the database, with the tasks backend). Sealed with the site's secret key and a
    fresh nonce, they let a copy of the database open no friend's page, as the stored
    hash does not."""
    raw = token.encode()
    return bytes(a ^ b for a, b in zip(raw, _pad(key, nonce, len(raw)), strict=True)).hex()


def unseal(sealed: str, *, key: bytes, nonce: bytes) -> str:
    """The token ``seal`` enciphered."""
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _pad(key, nonce, len(raw)), strict=True)).decode()


class LinkState(StrEnum):
    OPEN = "open"
    EXPIRED = "expired"
    REVOKED = "revoked"
    CLOSED = "closed"


def link_state(
    *,
    now: datetime,
    expires_at: datetime,
    revoked_at: datetime | None,
    closed_at: datetime | None,
) -> LinkState:
    """Whether a link still takes answers, and if not, why (the friend's page says which).

    A revoked link says so even once it has expired too: the owner's act is the news."""
    if revoked_at is not None:
        return LinkState.REVOKED
    if closed_at is not None:
        return LinkState.CLOSED
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.OPEN


def expiry_problem(days: int) -> str | None:
    """Why a link cannot last ``days``, or None when it can."""
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        return f"A link lasts from 1 to {MAX_EXPIRY_DAYS} days."
    return None


def expires_at(created: datetime, days: int) -> datetime:
    return created + timedelta(days=days)


# --- What friends said, summed up ---------------------------------------------------------------


def whole_median(values: Sequence[int]) -> int:
    """The median of ``values``, rounded half up to a whole point (see the module's notes)."""
    if not values:
        raise ValueError("the median of no values is undefined")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return math.floor((ordered[middle - 1] + ordered[middle]) / 2 + 0.5)


@dataclass(frozen=True, slots=True)
class Spread:
    """Friends' ratings of one criterion: "friends 5 (4-7), 3 answers"."""

    median: int | None
    low: int | None
    high: int | None
    count: int
    """How many friends gave a score."""
    cant_say: int = 0
    """How many said "I can't say"."""

    @property
    def display(self) -> str:
        if self.median is None:
            return "no scores yet"
        answers = f"{self.count} answer{'s' if self.count != 1 else ''}"
        if self.low == self.high:
            return f"{self.median}, {answers}"
        return f"{self.median} ({self.low}\N{EN DASH}{self.high}), {answers}"


def spread(ratings: Iterable[int | None], *, cant_say: int = 0) -> Spread:
    """The median and range of the scores among ``ratings`` (``None`` ones left out)."""
    values = [value for value in ratings if value is not None]
    for value in values:
        if not 0 <= value <= 10:
            raise ValueError(f"a score must be within 0-10, got {value!r}")
    if not values:
        return Spread(median=None, low=None, high=None, count=0, cant_say=cant_say)
    return Spread(
        median=whole_median(values),
        low=min(values),
        high=max(values),
        count=len(values),
        cant_say=cant_say,
    )


FLAG_MIN_ANSWERS = 2
"""Below two friends' scores there is no range to sit outside of, only one opinion."""


def outside_range(own: int | None, friends: Spread) -> bool:
    """Whether the owner's score sits outside every friend's (flagged on the results)."""
    if own is None or friends.count < FLAG_MIN_ANSWERS:
        return False
    low, high = friends.low, friends.high
    return low is not None and high is not None and not low <= own <= high


# --- What their view would change -----------------------------------------------------------------

type Medians = Mapping[int, Mapping[Hashable, int]]
"""Friends' scores by option key, then by criterion key (only where friends gave one)."""


def with_friends(
    options: Sequence[Option], medians: Medians, criteria: Iterable[Hashable] | None = None
) -> list[Option]:
    """The options with the friends' scores in place of the owner's, for ``criteria`` (all
    of them when None). Where friends gave no score the owner's stays."""
    chosen = None if criteria is None else set(criteria)
    result = []
    for option in options:
        theirs = medians.get(option.key, {})
        scores = dict(option.scores)
        for criterion, value in theirs.items():
            if chosen is None or criterion in chosen:
                scores[criterion] = value
        result.append(replace(option, scores=scores))
    return result


def order(comparison: Comparison) -> tuple[int, ...]:
    """The option keys from first to last (options without a score last, as given)."""
    return tuple(column.option.key for column in comparison.ranking)


class ShiftKind(StrEnum):
    NEW_LEADER = "new_leader"
    BELOW_STATUS_QUO = "below_status_quo"
    ABOVE_STATUS_QUO = "above_status_quo"
    REORDERED = "reordered"


@dataclass(frozen=True, slots=True)
class Shift:
    """How the order of the options changes with friends' scores put in."""

    kind: ShiftKind
    option: Option
    other: Option | None = None
    """The former leader (``NEW_LEADER``), the status quo, or the option swapped with."""


def _ranks(comparison: Comparison) -> dict[int, int]:
    return {column.option.key: column.rank for column in comparison.columns}


def shift(before: Comparison, after: Comparison) -> Shift | None:
    """The change in order from ``before`` to ``after`` that matters most, or None.

    In that order: a different option alone on top (said as the former leader falling
    below the status quo when staying as you are is what comes out on top); an option
    crossing the status quo (falling below staying as you are is news, and so is rising
    above it); any other change of ranks (two options swapping places)."""
    old, new = _ranks(before), _ranks(after)
    options = {column.option.key: column.option for column in after.columns}
    leaders_before = [key for key, rank in old.items() if rank == 1]
    leaders_after = [key for key, rank in new.items() if rank == 1]
    valued = [c for c in after.ranking if c.result.value is not None]
    if (
        len(leaders_after) == 1
        and leaders_after != leaders_before
        and valued
        and valued[0].option.key == leaders_after[0]
    ):
        former = options.get(leaders_before[0]) if len(leaders_before) == 1 else None
        leader = options[leaders_after[0]]
        if leader.is_status_quo and former is not None:
            # Staying as you are now comes first: the news is what fell below it.
            return Shift(ShiftKind.BELOW_STATUS_QUO, former, leader)
        return Shift(ShiftKind.NEW_LEADER, leader, former)
    if after.status_quo is not None and before.status_quo is not None:
        status_quo = after.status_quo.option
        sq_before, sq_after = old[status_quo.key], new[status_quo.key]
        for column in after.columns:
            key = column.option.key
            if key == status_quo.key or column.result.value is None:
                continue
            if old[key] < sq_before and new[key] > sq_after:
                return Shift(ShiftKind.BELOW_STATUS_QUO, column.option, status_quo)
            if old[key] > sq_before and new[key] < sq_after:
                return Shift(ShiftKind.ABOVE_STATUS_QUO, column.option, status_quo)
    for column in after.ranking:
        key = column.option.key
        if new[key] < old[key]:
            passed = next(
                (
                    options[other]
                    for other in old
                    if other != key and old[other] < old[key] and new[other] > new[key]
                ),
                None,
            )
            return Shift(ShiftKind.REORDERED, column.option, passed)
    return None


@dataclass(frozen=True, slots=True)
class Change:
    """What putting in friends' scores changes: for one criterion, or (``criterion``
    None) for all of them at once."""

    criterion: ComparedCriterion | None
    shift: Shift | None

    @property
    def sentence(self) -> str:
        whose = (
            "your friends' scores"
            if self.criterion is None
            else f"your friends' {self.criterion.name} scores"
        )
        lead = f"With {whose}"
        if self.shift is None:
            return f"{lead[0].upper()}{lead[1:]}, the order stays as it is."
        option = self.shift.option.title
        other = self.shift.other.title if self.shift.other is not None else None
        match self.shift.kind:
            case ShiftKind.NEW_LEADER:
                tail = f", {option} comes out on top"
                return f"{lead}{tail}{f' instead of {other}' if other else ''}."
            case ShiftKind.BELOW_STATUS_QUO:
                return f"{lead}, {option} falls below {other}."
            case ShiftKind.ABOVE_STATUS_QUO:
                return f"{lead}, {option} rises above {other}."
            case ShiftKind.REORDERED:
                passing = f", moving ahead of {other}" if other else ""
                return f"{lead}, {option} moves up{passing}."


@dataclass(frozen=True, slots=True)
class WhatItWouldChange:
    owners: Comparison
    friends: Comparison
    """The ranking "as my friends see it": every friends' score put in at once."""
    by_criterion: tuple[Change, ...]
    """One per criterion where friends' scores differ from the owner's, in the criteria's
    order; the ones that change the order are ``changes``."""
    all_at_once: Change

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.by_criterion if change.shift is not None)

    @property
    def any_change(self) -> bool:
        return self.all_at_once.shift is not None or bool(self.changes)


def _differs(options: Sequence[Option], medians: Medians, criterion: Hashable) -> bool:
    return any(
        criterion in medians.get(option.key, {})
        and medians[option.key][criterion] != option.scores.get(criterion)
        for option in options
    )


def what_it_would_change(
    options: Sequence[Option], criteria: Sequence[ComparedCriterion], medians: Medians
) -> WhatItWouldChange:
    """Recompute the ranking with the friends' scores in place of the owner's: one
    criterion at a time, and all at once. Only the orders are wanted: no comparison
    carries its sensitivity analysis."""
    owners = build_comparison(options, criteria, with_sensitivity=False)
    friends = build_comparison(with_friends(options, medians), criteria, with_sensitivity=False)
    by_criterion = tuple(
        Change(
            criterion=criterion,
            shift=shift(
                owners,
                build_comparison(
                    with_friends(options, medians, [key]), criteria, with_sensitivity=False
                ),
            ),
        )
        for criterion in criteria
        if _differs(options, medians, key := criterion.key)
    )
    return WhatItWouldChange(
        owners=owners,
        friends=friends,
        by_criterion=by_criterion,
        all_at_once=Change(criterion=None, shift=shift(owners, friends)),
    )


# --- Frozen with a checkpoint ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaidAbout:
    """What friends said about one criterion of one option, as frozen with a checkpoint."""

    criterion: str
    spread: Spread
    comments: tuple[tuple[str, str], ...] = ()
    """(friend's name, comment) pairs."""


def snapshot(said: Sequence[SaidAbout], guts: Sequence[tuple[str, str, str]]) -> dict[str, object]:
    """What friends had said by now, as JSON kept on a checkpoint (``Evaluation.friends``):
    per criterion the median, range, counts and comments, and each friend's gut answer
    (name, yes/unsure/no, why). Empty when no friend had answered."""
    if not said and not guts:
        return {}
    return {
        "criteria": [
            {
                "criterion": item.criterion,
                "median": item.spread.median,
                "low": item.spread.low,
                "high": item.spread.high,
                "count": item.spread.count,
                "cant_say": item.spread.cant_say,
                "comments": [list(pair) for pair in item.comments],
            }
            for item in said
        ],
        "guts": [list(gut) for gut in guts],
    }
