"""The comparison's plausible cases, as the page shows them: how likely each option is to
come out on top given the unsure scores' ranges, its band, and what to find out next (the
arithmetic is ``uncertainty.core``'s)."""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opportunities.compare.core import ComparedCriterion, Comparison, Option
from opportunities.compare.display import band_display
from opportunities.uncertainty.core import (
    OptionInput,
    OptionOdds,
    Simulation,
    Suggestion,
    Uncertain,
    simulate,
)

QUESTION_MAX = 300
"""Question.text's length: a suggested question is never longer."""

SUGGESTIONS_SHOWN = 3


@dataclass(frozen=True, slots=True)
class FindOut:
    """A "find out next" suggestion as the page offers it, with its "Add as a question"."""

    suggestion: Suggestion
    option_key: int
    criterion_key: int
    question: str


def _question(criterion: str, title: str) -> str:
    text = f"What is the {criterion} like at {title}, really?"
    return (
        text
        if len(text) <= QUESTION_MAX
        else f"What is the {criterion} like there, really?"[:QUESTION_MAX]
    )


def odds_of(
    options: Sequence[Option],
    criteria: Sequence[ComparedCriterion],
    ranges: Mapping[int, Mapping[Any, tuple[int, int]]],
    comparison: Comparison,
    page_url: str,
) -> dict[str, Any] | None:
    """How likely each option is to come out on top given the unsure scores' ranges (under
    the weights in effect, what-if ones included), or None when no compared score has one."""
    weights: dict[Hashable, float] = {criterion.key: criterion.weight for criterion in criteria}
    if not any(key in weights for option in options for key in ranges.get(option.key, {})):
        return None
    inputs = []
    for option in options:
        own = ranges.get(option.key, {})
        scores: dict[Hashable, Uncertain] = {}
        for key in weights:
            score = option.scores.get(key)
            low, high = own.get(key, (None, None))
            scores[key] = Uncertain(score, low, high) if score is not None else Uncertain(None)
        inputs.append(OptionInput(key=option.key, title=option.title, scores=scores))
    by_criterion: dict[Hashable, ComparedCriterion] = {c.key: c for c in criteria}
    by_option: dict[Hashable, Option] = {option.key: option for option in options}
    names: dict[Hashable, str] = {key: criterion.name for key, criterion in by_criterion.items()}
    status_quo = next((option.key for option in options if option.is_status_quo), None)
    result: Simulation = simulate(
        inputs,
        weights,
        {criterion.key: criterion.minimum for criterion in criteria},
        status_quo=status_quo,
        names=names,
    )
    sensitivity = comparison.sensitivity
    note = ""
    if sensitivity is not None and not sensitivity.tied:
        note = result.close_call_note(
            sensitivity.leader.option.key, close_call=sensitivity.close_call
        )
    order: dict[Hashable, int] = {c.option.key: index for index, c in enumerate(comparison.ranking)}
    rows = sorted(result.options, key=lambda odds: (-odds.p_first, order[odds.key]))
    return {
        "simulation": result,
        "rows": rows,
        "table": [(odds, *band_display(odds)) for odds in rows],
        "note": note,
        "find_out": [
            FindOut(
                suggestion=suggestion,
                option_key=by_option[suggestion.option_key].key,
                criterion_key=by_criterion[suggestion.criterion_key].key,
                question=_question(
                    names[suggestion.criterion_key], by_option[suggestion.option_key].title
                ),
            )
            for suggestion in result.find_out_next()[:SUGGESTIONS_SHOWN]
        ],
        "next": page_url,
        "chart_json": json.dumps(_odds_chart(rows)),
    }


def _odds_chart(rows: Sequence[OptionOdds]) -> dict[str, Any]:
    """The band chart's data: each option with a value, its band (an option with no unsure
    score has none: its "band" is its score, drawn as a thin line)."""
    shown = [odds for odds in rows if odds.point is not None]
    return {
        "labels": [odds.title for odds in shown],
        "bands": [
            [round(odds.band.low, 1), round(odds.band.high, 1)]
            if odds.band is not None
            else [round(odds.point, 1), round(odds.point, 1)]  # type: ignore[arg-type]
            for odds in shown
        ],
        "points": [round(odds.point, 1) for odds in shown],  # type: ignore[arg-type]
    }
