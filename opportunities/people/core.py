"""The people in a decision and where each opportunity came from, as plain functions over
plain values: an opportunity's chain of origins, the loops an "arose from" must not make,
and the range a follow-up date may take."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from opportunities.journal.core import EARLIEST_DAY, REVISIT_YEARS_AHEAD, years_after

MAX_CHAIN = 6
"""How many steps back the dashboard follows an opportunity's origins: the story of an
informational interview that led to a role that led to another fits with room to spare."""


@dataclass(frozen=True, slots=True)
class Origin:
    """What an opportunity arose from, as stored: another opportunity and/or a person."""

    arose_from_id: int | None = None
    person_id: int | None = None
    person_name: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One step back along a chain of origins: an opportunity, or the person it began with."""

    kind: Literal["opportunity", "person"]
    pk: int
    name: str


def origin_chain(
    start: int, origins: Mapping[int, Origin], titles: Mapping[int, str]
) -> tuple[Step, ...]:
    """Where opportunity ``start`` came from, nearest first: the opportunity it arose from,
    the one that arose from, and so on, ending with the person the last one arose from.

    Where an opportunity arose from both another opportunity and a person, the chain goes
    on through the opportunity (its page names the person). It stops at an opportunity it
    has already passed, one not in ``titles``, or after ``MAX_CHAIN`` steps."""
    steps: list[Step] = []
    seen = {start}
    origin = origins.get(start)
    while origin is not None and len(steps) < MAX_CHAIN:
        parent = origin.arose_from_id
        if parent is not None and parent not in seen and parent in titles:
            steps.append(Step("opportunity", parent, titles[parent]))
            seen.add(parent)
            origin = origins.get(parent)
            continue
        if origin.person_id is not None:
            steps.append(Step("person", origin.person_id, origin.person_name))
        break
    return tuple(steps)


def would_loop(opportunity: int, arose_from: int, parents: Mapping[int, int | None]) -> bool:
    """Whether ``opportunity`` arising from ``arose_from`` would make a loop: it is that
    opportunity, or one of its origins already arose from ``opportunity``."""
    seen: set[int] = set()
    current: int | None = arose_from
    while current is not None and current not in seen:
        if current == opportunity:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def latest_follow_up(today: date) -> date:
    """The furthest ahead a follow-up may be set."""
    return years_after(today, REVISIT_YEARS_AHEAD)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def follow_up_problem(day: date | None, *, today: date) -> str | None:
    """What is wrong with ``day`` as a follow-up date, in words; None when nothing is.

    A day that has passed is kept (the follow-up is then due), so a person's details can
    be edited while their check-in waits; a year mistyped either way is refused."""
    if day is None:
        return None
    if day < EARLIEST_DAY:
        return f"Check the year: pick a day from {_day(EARLIEST_DAY)} on, or leave it empty."
    latest = latest_follow_up(today)
    if day > latest:
        return (
            f"Pick a day within the next {REVISIT_YEARS_AHEAD} years (by {_day(latest)}), "
            "or leave it empty."
        )
    return None


MAX_ID = 2**63 - 1
"""The largest primary key there can be: a larger number would overflow the query."""


def is_row_id(value: object) -> bool:
    """Whether ``value`` (an id sent by a form) can name a row at all: a whole number from
    1 to ``MAX_ID``, in ASCII digits. Anything else is refused before any query is made."""
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 < value <= MAX_ID
    if not isinstance(value, str):
        return False
    text = value.strip()
    return (
        text.isascii()
        and text.isdigit()
        and len(text) <= len(str(MAX_ID))
        and 0 < int(text) <= MAX_ID
    )
