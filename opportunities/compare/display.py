"""The comparison's largest repeated markup, built in one pass rather than by the template.

A matrix of 50 options × 10 criteria is 500 cells, and the template engine spends several
microseconds on every variable and condition of every cell: most of the page's time. Each
row's cells are put together here (every text escaped) and the template prints them as one
value; what they look like is unchanged.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from opportunities.compare.core import Cell, Column, Comparison, Row
from opportunities.models import Opportunity
from opportunities.pay.core import ComparablePay
from opportunities.pay.currencies import format_money
from opportunities.uncertainty.core import OptionOdds

_UNSCORED = (
    '<td class="cell is-unscored"><span aria-hidden="true">·</span>'
    '<span class="visually-hidden">not scored</span></td>'
)
_BEST = '<span class="best-mark" aria-hidden="true">★</span><span class="visually-hidden"> (best)</span>'  # noqa: E501
_FAILING = '<span class="visually-hidden"> (below the must-have)</span>'


def _points(cell: Cell) -> str:
    # A number as "7.5" needs no escaping; only the sign for no value might.
    return cell.points_display if cell.points is not None else escape(cell.points_display)


def _cell(cell: Cell) -> str:
    if cell.score is None:
        return _UNSCORED
    best, mark = (" is-best", _BEST) if cell.best else ("", "")
    fails, below = (" is-failing", _FAILING) if cell.fails_minimum else ("", "")
    return (
        f'<td class="cell{best}{fails}"><span class="cell-score">{cell.score}</span>{mark}'
        f'{below} <span class="cell-points">{_points(cell)} pts</span></td>'
    )


def row_cells(row: Row) -> SafeString:
    """A row's cells, one ``<td>`` per option, on one line (as the template wrote them)."""
    return mark_safe("".join(_cell(cell) for cell in row.cells))  # noqa: S308 (escaped above)


def _failing(column: Column) -> str:
    if not column.failing:
        return '<span class="text-body-secondary">none</span>'
    names = ", ".join(escape(criterion.name) for criterion in column.failing)
    return f'<span class="text-danger fw-semibold">⚠ {names}</span>'


def _pay(pay: ComparablePay | None) -> str:
    if pay is not None and pay.breakdown is not None:
        annual = escape(format_money(pay.breakdown.annual, pay.currency))
        hourly = escape(format_money(pay.breakdown.hourly, pay.currency, places=2))
        shown = (
            f'<span class="fw-semibold text-nowrap">{annual}</span> '
            f'<span class="text-nowrap">{hourly}/h</span>'
        )
    else:
        said = "cannot be compared" if pay is not None and pay.problem else "not entered"
        shown = f'<span class="text-body-secondary">{said}</span>'
    arrangement = escape(pay.arrangement) if pay is not None else ""
    return (
        f'<td class="small" data-testid="matrix-pay">{shown}'
        f'<span class="d-block text-body-secondary">{arrangement}</span></td>'
    )


def _vs_status_quo(column: Column) -> str:
    if column.option.is_status_quo:
        return '<span class="text-body-secondary">baseline</span>'
    return escape(column.vs_status_quo_display)


def footer_cells(comparison: Comparison) -> dict[str, SafeString]:
    """The matrix's totals, one ``<td>`` per option for each row of its footer."""
    columns = comparison.columns
    return {
        "totals": mark_safe(  # noqa: S308 (escaped)
            "".join(
                f'<td class="fw-semibold" data-testid="total">{escape(c.result.display)}</td>'
                for c in columns
            )
        ),
        "coverage": mark_safe(  # noqa: S308 (escaped)
            "".join(f'<td class="small">{escape(c.result.coverage_label)}</td>' for c in columns)
        ),
        "rank": mark_safe(  # noqa: S308 (numbers)
            "".join(f"<td>{c.rank}{'=' if c.shares_rank else ''}</td>" for c in columns)
        ),
        "failing": mark_safe(  # noqa: S308 (escaped)
            "".join(f'<td class="small">{_failing(c)}</td>' for c in columns)
        ),
        "vs_status_quo": mark_safe(  # noqa: S308 (escaped)
            "".join(f'<td class="small">{_vs_status_quo(c)}</td>' for c in columns)
        ),
        "pay": mark_safe("".join(_pay(c.option.pay) for c in columns)),  # noqa: S308 (escaped)
    }


_PLACES = {places: Decimal(1).scaleb(-places) for places in range(4)}


def fixed(value: float, places: int) -> str:
    """``value|floatformat:places`` (0 to 3 places) as the template prints it (en-gb, no
    grouping): rounded half up from the number's shortest repr, never "-0", for any number
    a score or a band can be (the filter gives numbers below 1e-180 back as they are).
    Without the filter's localisation lookups, which cost more than the rest of an odds row."""
    rounded = Decimal(repr(value)).quantize(_PLACES[places], rounding=ROUND_HALF_UP)
    return str(rounded if rounded else rounded.copy_abs())


def band_display(odds: OptionOdds) -> tuple[str, bool]:
    """The odds table's figures for one option ("62.3, likely 58–70", or its score alone),
    and whether its score lies outside its band (said by ``uncertainty/lean.html``)."""
    if odds.point is None:
        return "", False
    point = fixed(odds.point, 1)
    if odds.band is None:
        return point, False
    low, high = fixed(odds.band.low, 0), fixed(odds.band.high, 0)
    return f"{point}, likely {low}–{high}", not odds.band.low <= odds.point <= odds.band.high


def _pick(opportunity: Opportunity, selected: Container[int]) -> str:
    key = opportunity.pk
    if opportunity.is_status_quo:
        badge = ' <span class="badge text-bg-secondary">Status quo</span>'
    elif opportunity.is_closed:
        stage = escape(opportunity.get_stage_display().lower())
        badge = f' <span class="badge text-bg-light border fw-normal">closed: {stage}</span>'
    else:
        badge = ""
    return (
        '\n          <div class="form-check">\n            <input class="form-check-input" '
        f'type="checkbox" name="ids" value="{key}" id="pick-{key}" '
        f"{'checked' if key in selected else ''}>\n"
        f'            <label class="form-check-label" for="pick-{key}">'
        f"{escape(opportunity.title)}{badge}</label>\n          </div>\n        "
    )


def picker_items(opportunities: Iterable[Opportunity], selected: Container[int]) -> SafeString:
    """The picker's checkboxes, one per open opportunity (laid out as the template did)."""
    return mark_safe("".join(_pick(o, selected) for o in opportunities))  # noqa: S308 (escaped)


RANKING_SHOWN = 10
"""Options listed outright in the ranking; the others wait behind "The other …"."""


def _ranked(column: Column) -> str:
    shared = column.shares_rank
    status_quo = (
        ' <span class="badge text-bg-secondary">Status quo</span>'
        if column.option.is_status_quo
        else ""
    )
    failing = (
        ' · <span class="text-danger fw-semibold">⚠ fails a must-have</span>'
        if column.failing
        else ""
    )
    return (
        '\n                <li class="d-flex align-items-baseline gap-2" '
        'data-testid="ranking-item">'
        '\n                  <span class="rank-badge" aria-hidden="true">'
        f"{column.rank}{'=' if shared else ''}</span>"
        '\n                  <span class="flex-grow-1"><span class="visually-hidden">Rank '
        f"{column.rank}{' (shared)' if shared else ''}: </span>"
        f'<span class="fw-semibold" data-testid="ranking-title">{escape(column.option.title)}'
        f"</span>{status_quo}"
        '\n                    <span class="small text-body-secondary d-block">'
        f"{escape(column.result.coverage_label)}{failing}</span></span>"
        '\n                  <span class="fw-semibold text-nowrap">'
        f"{escape(column.result.display)}</span>\n                </li>\n              "
    )


def ranking_items(ranking: Iterable[Column]) -> tuple[SafeString, SafeString]:
    """The ranking's lines: the first ``RANKING_SHOWN``, then the others."""
    lines = [_ranked(column) for column in ranking]
    return (
        mark_safe("".join(lines[:RANKING_SHOWN])),  # noqa: S308 (escaped)
        mark_safe("".join(lines[RANKING_SHOWN:])),  # noqa: S308 (escaped)
    )
