"""The pay defaults are written once (``pay.core.DEFAULT_ASSUMPTIONS``): the settings'
model fields, their help texts and the README's table agree with them."""

from dataclasses import fields
from pathlib import Path

import pytest

from opportunities.models import Profile
from opportunities.pay.core import ASSUMPTION_HELP, DEFAULT_ASSUMPTIONS, PayAssumptions
from opportunities.pay.settings_forms import PaySettingsForm

README = Path(__file__).resolve().parents[2] / "README.md"
STORED = [f.name for f in fields(PayAssumptions) if f.name != "weeks_per_year"]
"""Every assumption a user can change (a year keeps its 52 weeks)."""

README_ROWS = {
    "full_time_hours_per_week": ("Full-time week", "{} h"),
    "billable_hours_per_year": ("Billable hours, full-time contract year", "{}"),
    "contractor_overhead_share": ("Contractor overhead", "{}% of revenue"),
    "employee_benefits_share": ("Employee benefits", "{}% of salary"),
    "employee_paid_time_off_days": ("Employee paid days off", "{}"),
    "hours_per_day": ("Working day", "{} h"),
}


def as_written(name: str) -> str:
    """The default as people read it: 40, 1,800, 25 (for 25%)."""
    value = getattr(DEFAULT_ASSUMPTIONS, name)
    if name.endswith("_share"):
        value *= 100
    return f"{value.normalize():,f}"


@pytest.mark.parametrize("name", STORED)
def test_a_new_users_settings_are_the_defaults(name):
    assert getattr(Profile(), name) == getattr(DEFAULT_ASSUMPTIONS, name)


@pytest.mark.parametrize("name", STORED)
def test_the_settings_form_names_each_default(name):
    expected = f"Default {as_written(name)}{'%' if name.endswith('_share') else ''}"
    assert expected in ASSUMPTION_HELP[name]
    assert PaySettingsForm().fields[name].help_text == ASSUMPTION_HELP[name]


def test_the_readme_table_shows_the_defaults():
    table = {
        cells[0]: cells[1]
        for line in README.read_text().splitlines()
        if (cells := [cell.strip() for cell in line.strip().strip("|").split("|")])
        and len(cells) == 3
    }
    assert set(README_ROWS) == set(STORED)
    for name, (label, form) in README_ROWS.items():
        assert table[label] == form.format(as_written(name)), label
