"""Dates of the check-ins: months on, with the month's end kept sensible."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opportunities.learning.core import (
    CHECK_IN_MONTHS,
    OWN_WORDS_MONTHS,
    check_in_dates,
    months_after,
    resolves_on,
    weakest_sentence,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap year
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 3, 31), 6, date(2026, 9, 30)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 12, 31), 3, date(2027, 3, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 10, 31), 2, date(2026, 12, 31)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_months_after_keeps_to_the_months_end(day, months, expected):
    assert months_after(day, months) == expected


def test_months_after_refuses_going_back():
    with pytest.raises(ValueError, match="0 or more"):
        months_after(date(2026, 1, 1), -1)


def test_check_ins_fall_at_3_6_and_12_months():
    assert check_in_dates(date(2026, 1, 31)) == [
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]
    assert check_in_dates(date(2028, 2, 29)) == [
        (3, date(2028, 5, 29)),
        (6, date(2028, 8, 29)),
        (12, date(2029, 2, 28)),
    ]
    assert check_in_dates(date(2026, 12, 31)) == [
        (3, date(2027, 3, 31)),
        (6, date(2027, 6, 30)),
        (12, date(2027, 12, 31)),
    ]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)))
def test_check_ins_come_in_order_after_the_decision(day):
    dates = [when for _, when in check_in_dates(day)]
    assert [months for months, _ in check_in_dates(day)] == list(CHECK_IN_MONTHS)
    assert day < dates[0] < dates[1] < dates[2]
    assert all(when.day <= day.day for when in dates)


def test_a_forecast_resolves_when_its_suggestion_says():
    decided = date(2026, 8, 31)
    assert resolves_on(decided, "glad_6m") == date(2027, 2, 28)
    assert resolves_on(decided, "still_there_12m") == date(2027, 8, 31)
    assert resolves_on(decided) == months_after(decided, OWN_WORDS_MONTHS)
    assert resolves_on(decided, "no-such-suggestion") == date(2027, 8, 31)


def test_the_weakest_answer_is_named():
    assert weakest_sentence({}) == ""
    assert weakest_sentence({"frame": "strong", "values": "strong"}) == ""
    assert (
        weakest_sentence({"frame": "ok", "information": "weak", "values": "strong"})
        == "Weakest: the information that matters"
    )
    assert (
        weakest_sentence({"frame": "ok", "values": "ok", "reasoning": "ok", "commitment": ""})
        == "Weakest: the right frame, clear values and sound reasoning"
    )
