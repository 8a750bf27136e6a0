"""The pipeline's rules, as plain functions over plain values."""

from __future__ import annotations

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
