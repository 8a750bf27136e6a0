"""How much one account holds, and what text may contain: the same rules for a form, an
htmx request and an import.

The limits are far above what a heavy real user reaches (a long job search weighs a
dozen criteria and a few dozen opportunities), and low enough that every page of an
account at its limits still answers quickly. The help page states them, and each
refusal names the one it met.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

MAX_CRITERIA = 100
"""Criteria per account, active and archived."""

MAX_OPPORTUNITIES = 2_000
"""Opportunities per account, archived ones included."""

MAX_CHECKPOINTS = 500
"""Checkpoints (frozen evaluations, decisions' included) per opportunity."""

MAX_DECISIONS = 200
"""Decisions per opportunity."""

MAX_STAGE_CHANGES = 1_000
"""Stage changes per opportunity."""

MAX_GUT_RANKINGS = 1_000
"""Gut rankings per account (one per set of options compared)."""

MAX_PEOPLE = 2_000
"""People per account."""

MAX_TIMELINE_ENTRIES = 1_000
"""Timeline entries per opportunity, the ones the app writes included."""

MAX_ALTERNATIVES = 100
"""Options a decision is weighed against."""

MAX_QUESTIONS = 50
"""Open questions (still to find out) per opportunity; answered ones stay in its story."""

MAX_WEIGHT_VERSIONS = 10_000
"""Versions of the weights per account (a day's slider moves make one)."""


def at_limit(
    kind: str,
    limit: int,
    *,
    of: str = "an account",
    advice: str = "delete ones you no longer need to make room",
) -> str:
    """The message for a form whose new row would go past ``limit``."""
    return (
        f"{of[0].upper()}{of[1:]} holds at most {limit:,} {kind}, and this one has that many. "
        f"Crossroads keeps to that so every page stays quick: {advice}."
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""Control characters: invisible, never typed, and NUL is refused by PostgreSQL. Tabs
and line breaks are text. Lone surrogates (``"\\ud800"`` in an imported file) are no
characters at all and cannot be stored as UTF-8."""


def control_character_problem(text: str) -> str | None:
    """Why ``text`` cannot be kept as it is, or None when it can."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (
        f"It holds an invisible control character (U+{ord(found.group()):04X}), which "
        "Crossroads does not keep: retype the text, or paste it as plain text."
    )


def refuse_control_characters(value: object) -> None:
    """A validator for any text field: refuses control characters."""
    if isinstance(value, str) and (problem := control_character_problem(value)):
        raise ValidationError(problem, code="control_character")
