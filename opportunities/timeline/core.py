"""The words of the entries the app writes into an opportunity's story (pure: no Django).

A stage move, a checkpoint, a decision and its outcome each leave an entry, titled here
so that the story reads the same wherever it is written (the services, the backfill of
migration 0007, the demo), and the days an entry may be dated.
"""

from __future__ import annotations

from datetime import date

from opportunities.journal.core import EARLIEST_DAY


def stage_title(*, to_label: str, from_label: str = "") -> str:
    return f"Moved to {to_label.lower()}" if from_label else f"Added as {to_label.lower()}"


def checkpoint_title(label: str) -> str:
    return f"Checkpoint: {label}"[:200]


def decision_title(choice_label: str) -> str:
    return f"Decided to {choice_label.lower()}"


def outcome_title(outcome_label: str) -> str:
    return f"Outcome: {outcome_label[0].lower()}{outcome_label[1:]}" if outcome_label else "Outcome"


def happened_on_problem(day: date, *, today: date, earliest: date = EARLIEST_DAY) -> str | None:
    """Why ``day`` cannot be the day something in the story happened, or None when it can:
    it has happened (today or earlier) and is no older than the journal goes back."""
    if day > today:
        return "That day is still to come: give the day it happened, today or earlier."
    if day < earliest:
        return (
            f"Check the year: the story goes back to {earliest.day} {earliest:%B %Y}, no further."
        )
    return None
