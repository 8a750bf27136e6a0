"""The journal's entries as its page prints them: links, days and the score then worked
out once per entry in Python, so the template's loop over a page of entries only looks
values up (a ``{% url %}`` or a filter there costs a reverse() or a call per entry)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat

from opportunities.journal.core import WeighedAgainst
from opportunities.journal.queries import JournalEntry
from opportunities.models import CheckIn, Decision
from opportunities.scoring.core import DecisionScore
from opportunities.web.links import url_maker


@dataclass(frozen=True, slots=True)
class JournalLine:
    """One entry of the journal page (see ``queries.JournalEntry``), ready to print."""

    decision: Decision
    now: DecisionScore
    weighed: WeighedAgainst | None
    shift_display: str
    then_text: str
    """The score then to one decimal, or "–"."""
    url: str
    outcome_url: str
    day_iso: str
    day_text: str
    check_ins: list[CheckIn]


def journal_lines(entries: Sequence[JournalEntry]) -> list[JournalLine]:
    decision_url = url_maker("opportunities:decision_detail", 1)
    outcome_url = url_maker("opportunities:outcome_edit", 1)
    lines = []
    for entry in entries:
        decision = entry.decision
        then = entry.then
        lines.append(
            JournalLine(
                decision=decision,
                now=entry.now,
                weighed=entry.weighed,
                shift_display=entry.shift_display,
                then_text="–" if then is None else floatformat(then, "1"),
                url=decision_url(decision.pk),
                outcome_url=outcome_url(decision.pk),
                day_iso=date_filter(decision.decided_on, "Y-m-d"),
                day_text=date_filter(decision.decided_on, "j F Y"),
                check_ins=vars(decision)["check_in_list"],  # see queries.journal_decisions
            )
        )
    return lines
