"""The comparison's markup built in Python prints what the template printed."""

from django.template import Context, Template
from django.template.defaultfilters import floatformat
from hypothesis import given
from hypothesis import strategies as st

from opportunities.compare.core import ComparedCriterion, Option, build_comparison
from opportunities.compare.display import (
    fixed,
    footer_cells,
    picker_items,
    ranking_items,
    row_cells,
)
from opportunities.models import Opportunity
from opportunities.models.pipeline import Stage
from opportunities.pay.core import ComparablePay

CELLS = Template(
    '{% for cell in row.cells %}{% if cell.score is None %}<td class="cell is-unscored">'
    '<span aria-hidden="true">·</span><span class="visually-hidden">not scored</span></td>'
    '{% else %}<td class="cell{% if cell.best %} is-best{% endif %}{% if cell.fails_minimum %}'
    ' is-failing{% endif %}"><span class="cell-score">{{ cell.score }}</span>{% if cell.best %}'
    '<span class="best-mark" aria-hidden="true">★</span><span class="visually-hidden"> (best)'
    '</span>{% endif %}{% if cell.fails_minimum %}<span class="visually-hidden"> (below the '
    'must-have)</span>{% endif %} <span class="cell-points">{{ cell.points_display }} pts'
    "</span></td>{% endif %}{% endfor %}"
)
FAILING = Template(
    '{% for column in columns %}<td class="small">{% if column.failing %}<span class="'
    'text-danger fw-semibold">⚠ {% for criterion in column.failing %}{{ criterion.name }}'
    '{% if not forloop.last %}, {% endif %}{% endfor %}</span>{% else %}<span class="'
    'text-body-secondary">none</span>{% endif %}</td>{% endfor %}'
)
PAY = Template(
    "{% load money %}{% for column in columns %}{% with pay=column.option.pay %}<td class="
    '"small" data-testid="matrix-pay">{% if pay.breakdown %}<span class="fw-semibold '
    'text-nowrap">{{ pay.breakdown.annual|money:pay.currency }}</span> <span class="'
    'text-nowrap">{{ pay.breakdown.hourly|money_cents:pay.currency }}/h</span>{% else %}<span '
    'class="text-body-secondary">{% if pay.problem %}cannot be compared{% else %}not entered'
    '{% endif %}</span>{% endif %}<span class="d-block text-body-secondary">{{ pay.arrangement }}'
    "</span></td>{% endwith %}{% endfor %}"
)

RANKING_ITEM = (
    '\n                <li class="d-flex align-items-baseline gap-2" data-testid="ranking-item">'
    '\n                  <span class="rank-badge" aria-hidden="true">{{ column.rank }}{% if '
    'column.shares_rank %}={% endif %}</span>\n                  <span class="flex-grow-1">'
    '<span class="visually-hidden">Rank {{ column.rank }}{% if column.shares_rank %} (shared)'
    '{% endif %}: </span><span class="fw-semibold" data-testid="ranking-title">{{ '
    'column.option.title }}</span>{% if column.option.is_status_quo %} <span class="badge '
    'text-bg-secondary">Status quo</span>{% endif %}\n                    <span class="small '
    'text-body-secondary d-block">{{ column.result.coverage_label }}{% if column.failing %} · '
    '<span class="text-danger fw-semibold">⚠ fails a must-have</span>{% endif %}</span></span>'
    '\n                  <span class="fw-semibold text-nowrap">{{ column.result.display }}'
    "</span>\n                </li>\n              "
)
RANKING = Template(
    "{% for column in ranking|slice:':10' %}" + RANKING_ITEM + "{% endfor %}|"
    "{% for column in ranking|slice:'10:' %}" + RANKING_ITEM + "{% endfor %}"
)
PICKER = Template(
    '{% for opportunity in opportunities %}\n          <div class="form-check">\n'
    '            <input class="form-check-input" type="checkbox" name="ids" value="{{ '
    'opportunity.pk }}" id="pick-{{ opportunity.pk }}" {% if opportunity.pk in selected_ids %}'
    'checked{% endif %}>\n            <label class="form-check-label" for="pick-{{ '
    'opportunity.pk }}">{{ opportunity.title }}{% if opportunity.is_status_quo %} <span class="'
    'badge text-bg-secondary">Status quo</span>{% elif opportunity.is_closed %} <span class="'
    'badge text-bg-light border fw-normal">closed: {{ opportunity.get_stage_display|lower }}'
    "</span>{% endif %}</label>\n          </div>\n        {% endfor %}"
)


def _comparison():
    criteria = [
        ComparedCriterion(key=1, name="Pay & <perks>", weight=6, saved_weight=6, minimum=5),
        ComparedCriterion(key=2, name="Growth", weight=3, saved_weight=4),
    ]
    options = [
        Option(
            key=1,
            title="A",
            scores={1: 4, 2: 9},
            pay=ComparablePay("Employee <full time>", "USD", problem="changed"),
        ),
        Option(key=2, title="B", scores={1: 8, 2: None}, is_status_quo=True),
        Option(key=3, title="C", scores={1: 8, 2: 2}, pay=ComparablePay("Freelance", "EUR")),
        Option(key=4, title="D", scores={1: None, 2: None}),
    ]
    return build_comparison(options, criteria)


def test_row_cells_print_what_the_template_printed(db):
    for row in _comparison().rows:
        assert row_cells(row) == CELLS.render(Context({"row": row}))


def test_footer_cells_print_what_the_template_printed(db):
    comparison = _comparison()
    footer = footer_cells(comparison)
    columns = {"columns": comparison.columns}
    assert footer["failing"] == FAILING.render(Context(columns))
    assert footer["pay"] == PAY.render(Context(columns))
    assert "&lt;perks&gt;" in footer["failing"]


# floatformat gives back as they are numbers it would need over 200 digits for (below 1e-180);
# a decision score or a band is never one (float32 deviations, clipped to 0-100).
@given(
    st.floats(min_value=0, max_value=100).filter(lambda v: v == 0 or v > 1e-150), st.integers(0, 3)
)
def test_fixed_is_floatformat(value, places):
    assert fixed(value, places) == floatformat(value, places)


def test_fixed_is_floatformat_at_the_halves():
    for value in (0.0, -0.0, 0.05, 0.25, 2.675, 49.5, 50.5, 62.45, 99.95, 100.0, 1.4e-45):
        for places in range(4):
            assert fixed(value, places) == floatformat(value, places)


def test_ranking_items_print_what_the_template_printed(db):
    criteria = [ComparedCriterion(key=1, name="Pay", weight=5, saved_weight=5, minimum=6)]
    options = [
        Option(key=key, title=f"<Option> {key}", scores={1: key % 7}, is_status_quo=key == 3)
        for key in range(1, 14)
    ]
    ranking = build_comparison(options, criteria).ranking
    top, rest = ranking_items(ranking)
    assert f"{top}|{rest}" == RANKING.render(Context({"ranking": ranking}))
    assert "(shared)" in top or "(shared)" in rest


def test_picker_items_print_what_the_template_printed(db):
    opportunities = [
        Opportunity(pk=1, title="Stay & see", is_status_quo=True, stage=Stage.NOW),
        Opportunity(pk=2, title="<b>Agency</b>", stage=Stage.DECLINED),
        Opportunity(pk=3, title="Startup", stage=Stage.OFFER),
    ]
    selected = {1, 3}
    expected = PICKER.render(Context({"opportunities": opportunities, "selected_ids": selected}))
    assert picker_items(opportunities, selected) == expected
    assert "closed: declined" in expected
