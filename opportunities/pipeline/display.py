"""The dashboard's lines, ready to print: its links built once for all rows and its
scores formatted once each, so the template's loop over 60 opportunities only looks
values up (a ``{% url %}`` per link and a ``floatformat`` per score cost more than the
rest of a row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from opportunities.models import Evaluation, Opportunity
from opportunities.pay.core import ComparablePay
from opportunities.pipeline.queries import OPEN_STAGES, ClosedOpportunity, OpenOpportunity
from opportunities.web.links import url_maker


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One open opportunity's line (see ``queries.OpenOpportunity``)."""

    opportunity: Opportunity
    evaluation: Evaluation | None
    pay: ComparablePay
    is_variant: bool
    variants: tuple[int, ...]
    variant_ids: str
    url: str
    pay_url: str
    origin: tuple[tuple[str, str], ...]
    """Where it came from, nearest first: each step's link and name."""
    score: str
    """Its decision score to one decimal ("" when not scored)."""
    status_quo_score: str
    """The status quo's, shown beside it ("" when there is nothing to set it against)."""


@dataclass(frozen=True, slots=True)
class ClosedRow:
    """One line of the closed list (see ``queries.ClosedOpportunity``)."""

    opportunity: Opportunity
    reopen_at: str
    url: str
    reopen_url: str
    stage_options: SafeString
    """The ``<option>``s of "Reopen at", the stage it left to close selected."""


def _score(evaluation: Evaluation | None) -> str:
    if evaluation is None or evaluation.decision_score is None:
        return ""
    return floatformat(evaluation.decision_score, "1")


def dashboard_rows(
    lines: Sequence[OpenOpportunity], status_quo: OpenOpportunity | None
) -> list[DashboardRow]:
    detail_url = url_maker("opportunities:opportunity_detail", 1)
    pay_url = url_maker("opportunities:compensation", 1)
    person_url = url_maker("opportunities:person_detail", 1)
    status_quo_score = "" if status_quo is None else _score(status_quo.evaluation)
    rows = []
    for line in lines:
        opportunity = line.opportunity
        score = _score(line.evaluation)
        rows.append(
            DashboardRow(
                opportunity=opportunity,
                evaluation=line.evaluation,
                pay=line.pay,
                is_variant=line.is_variant,
                variants=line.variants,
                variant_ids=line.variant_ids,
                url=detail_url(opportunity.pk),
                pay_url=pay_url(opportunity.pk),
                origin=tuple(
                    (
                        person_url(step.pk) if step.kind == "person" else detail_url(step.pk),
                        step.name,
                    )
                    for step in line.origin
                ),
                score=score,
                status_quo_score=(
                    status_quo_score
                    if score and status_quo_score and not opportunity.is_status_quo
                    else ""
                ),
            )
        )
    return rows


def _stage_options(selected: str) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in OPEN_STAGES),
    )


def closed_rows(closed: Sequence[ClosedOpportunity]) -> list[ClosedRow]:
    """The closed list's lines; the options of "Reopen at" are made once per stage
    selected (a handful), not once per line."""
    detail_url = url_maker("opportunities:opportunity_detail", 1)
    reopen_url = url_maker("opportunities:opportunity_reopen", 1)
    options: dict[str, SafeString] = {}
    rows = []
    for row in closed:
        if row.reopen_at not in options:
            options[row.reopen_at] = _stage_options(row.reopen_at)
        rows.append(
            ClosedRow(
                opportunity=row.opportunity,
                reopen_at=row.reopen_at,
                url=detail_url(row.opportunity.pk),
                reopen_url=reopen_url(row.opportunity.pk),
                stage_options=options[row.reopen_at],
            )
        )
    return rows
