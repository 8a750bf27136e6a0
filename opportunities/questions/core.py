"""The words of questions to find out (pure: no Django): the titles of the entries they
leave in an opportunity's story, what makes two questions the same, and what answering
one asks next."""

from __future__ import annotations

from datetime import date

TITLE_LIMIT = 200
"""A story entry's title holds at most this many characters (TimelineEntry.title)."""


def _clip(text: str) -> str:
    return text if len(text) <= TITLE_LIMIT else f"{text[: TITLE_LIMIT - 1]}…"


def asked_title(text: str) -> str:
    """The story's entry when a question is asked: "Asked: How fast do people grow there?"."""
    return _clip(f"Asked: {text}")


def found_out_title(text: str) -> str:
    """The story's entry when it is answered: "Found out: How fast do people grow there?"
    (the answer is the entry's words)."""
    return _clip(f"Found out: {text}")


def same_question(text: str) -> str:
    """What two questions are compared by: their words, whatever the case and spacing."""
    return " ".join(text.split()).casefold()


def rescore_prompt(criterion_name: str | None) -> str:
    """What answering a question asks next."""
    if criterion_name is None:
        return "Found out: it is in the story. If it changes a score, re-score it now."
    return f"Found out: it is in the story. Now re-score {criterion_name} and narrow its range."


def answered_on_problem(day: date, *, asked_on: date) -> str | None:
    """Why ``day`` cannot be the day a question asked on ``asked_on`` was answered, or
    None when it can (the day range itself is the story's, checked by the form's field)."""
    if day < asked_on:
        return (
            f"That is before the question was asked ({asked_on.day} {asked_on:%B %Y}): "
            "give the day you found out, that day or later."
        )
    return None
