"""The pipeline's rules, as plain functions over plain values."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

FULL_TIME = "full_time"
PART_TIME = "part_time"

FULL_TIME_MIN_HOURS = Decimal(30)
"""Fewer hours than this is not a full-time week anywhere we know of (the US, for
health insurance, counts 30; most of Europe's full-time weeks are 35 to 40)."""

PART_TIME_MAX_HOURS = Decimal(40)
"""This many hours or more is not a part-time week."""


def _hours(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def schedule_hours_problem(schedule: str, hours_per_week: Decimal | None) -> str | None:
    """What is wrong with ``hours_per_week`` for a ``schedule`` of full or part time, in
    words for the person who typed it; None when they agree. Full-time without hours is
    an ordinary full-time week; part-time needs its hours, since the pay is scaled by them.
    """
    if schedule == PART_TIME and hours_per_week is None:
        return "How many hours a week would this part-time role be?"
    if hours_per_week is None:
        return None
    if schedule == FULL_TIME and hours_per_week < FULL_TIME_MIN_HOURS:
        return (
            f"Full-time at {_hours(hours_per_week)} h a week? Did you mean part-time? "
            f"A full-time week is {_hours(FULL_TIME_MIN_HOURS)} hours or more; leave the "
            "hours empty for an ordinary one."
        )
    if schedule == PART_TIME and hours_per_week >= PART_TIME_MAX_HOURS:
        return (
            f"Part-time at {_hours(hours_per_week)} h a week? Did you mean full-time? "
            f"A part-time week is under {_hours(PART_TIME_MAX_HOURS)} hours."
        )
    return None


# --- The status quo, closed opportunities and variants -----------------------------------

NOW = "now"
"""The status quo's stage, and only its: it is how things are now, not a step of a pipeline."""

LEAD = "lead"
"""Where an opportunity starts, and where one that stops being the status quo goes."""

VARIANT_SUFFIX = " (variant)"


def stage_for(stage: str, *, is_status_quo: bool) -> str:
    """The stage to store: the status quo is always at "now", and nothing else ever is (an
    opportunity that stops being the status quo starts again as a lead)."""
    if is_status_quo:
        return NOW
    return LEAD if stage in ("", NOW) else stage


def stage_before_closing(
    changes: Iterable[tuple[str, str]], *, current: str, final: Collection[str]
) -> str:
    """Where reopening a closed opportunity takes it back to: the stage it left for its
    final one, ``current``. ``changes`` are its ``(from, to)`` steps, oldest first. A step
    out of another final stage, or none at all (it was added as closed), gives a lead."""
    before = ""
    for from_stage, to_stage in changes:
        if to_stage == current:
            before = from_stage
    if before in final or before in ("", NOW):
        return LEAD
    return before


def variant_title(title: str, *, max_length: int = 200) -> str:
    """The title of a new variant of ``title``: marked as one, and still within
    ``max_length``. A variant of a variant is not marked twice."""
    base = title.removesuffix(VARIANT_SUFFIX).rstrip()
    return base[: max_length - len(VARIANT_SUFFIX)].rstrip() + VARIANT_SUFFIX


@dataclass(frozen=True, slots=True)
class Grouped[T]:
    """An item of a list in which the variants of the same job sit together."""

    item: T
    key: int
    group: tuple[int, ...] = ()
    """The keys of the variants it is listed with, in order, its own included; empty
    when it is on its own."""

    @property
    def is_variant(self) -> bool:
        """Listed under another of its group (the first), rather than heading it."""
        return bool(self.group) and self.group[0] != self.key

    @property
    def heads_group(self) -> bool:
        return bool(self.group) and self.group[0] == self.key


def group_variants[T](
    items: Sequence[T], *, key: Callable[[T], int], root: Callable[[T], int | None]
) -> list[Grouped[T]]:
    """``items`` in their order, except that the variants of one job (the same ``root``:
    the opportunity they were duplicated from) sit together where the first of them
    appears, the original first and its variants under it in their order.

    Variants whose original is not in ``items`` (closed, archived, deleted) still sit
    together, under the first of them.
    """
    groups: dict[int, list[T]] = {}
    for item in items:
        groups.setdefault(root(item) or key(item), []).append(item)
    listed: list[Grouped[T]] = []
    for group_key, members in groups.items():
        members.sort(key=lambda member: key(member) != group_key)  # the original first
        keys = tuple(key(member) for member in members) if len(members) > 1 else ()
        listed.extend(Grouped(member, key(member), keys) for member in members)
    return listed
