"""Where an opportunity came from, the loops an origin must not make, and the range of a
follow-up date: the pure rules of people.core."""

from datetime import date

import pytest

from opportunities.people.core import (
    MAX_CHAIN,
    MAX_ID,
    Origin,
    Step,
    follow_up_problem,
    is_row_id,
    origin_chain,
    would_loop,
)

TITLES = {1: "Informational interview", 2: "Part-time strategist", 3: "Full-time strategist"}


def test_a_role_that_arose_from_an_interview_with_ana_reads_back_to_her():
    origins = {1: Origin(person_id=7, person_name="Ana"), 2: Origin(arose_from_id=1)}
    assert origin_chain(2, origins, TITLES) == (
        Step("opportunity", 1, "Informational interview"),
        Step("person", 7, "Ana"),
    )
    assert origin_chain(1, origins, TITLES) == (Step("person", 7, "Ana"),)


def test_no_origin_is_an_empty_chain():
    assert origin_chain(1, {}, TITLES) == ()


def test_an_opportunity_and_a_person_both_go_on_through_the_opportunity():
    origins = {2: Origin(arose_from_id=1, person_id=7, person_name="Ana")}
    assert origin_chain(2, origins, TITLES) == (Step("opportunity", 1, "Informational interview"),)


def test_a_loop_in_stored_data_stops_the_chain_instead_of_spinning():
    origins = {1: Origin(arose_from_id=2), 2: Origin(arose_from_id=1)}
    assert origin_chain(1, origins, TITLES) == (Step("opportunity", 2, "Part-time strategist"),)
    assert origin_chain(3, {3: Origin(arose_from_id=3)}, TITLES) == ()


def test_an_origin_the_titles_do_not_know_is_left_out():
    assert origin_chain(2, {2: Origin(arose_from_id=99)}, TITLES) == ()


def test_a_long_chain_is_cut_at_max_chain():
    titles = {n: f"Role {n}" for n in range(30)}
    origins = {n: Origin(arose_from_id=n - 1) for n in range(1, 30)}
    chain = origin_chain(29, origins, titles)
    assert len(chain) == MAX_CHAIN
    assert chain[0] == Step("opportunity", 28, "Role 28")


@pytest.mark.parametrize(
    ("opportunity", "arose_from", "loops"),
    [
        (1, 1, True),  # itself
        (1, 2, True),  # 2 arose from 1
        (1, 3, True),  # 3 arose from 2, which arose from 1
        (3, 1, False),
        (2, 4, False),
    ],
)
def test_arising_from_oneself_even_through_others_is_a_loop(opportunity, arose_from, loops):
    parents = {1: None, 2: 1, 3: 2, 4: None}
    assert would_loop(opportunity, arose_from, parents) is loops


def test_a_loop_already_in_stored_data_does_not_spin():
    assert would_loop(9, 1, {1: 2, 2: 1}) is False


TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("day", "problem"),
    [
        (None, None),
        (date(2026, 3, 3), None),
        (date(2025, 11, 20), None),  # passed: the follow-up is due, and is kept
        (date(2031, 3, 1), None),
        (date(2031, 3, 2), "within the next 5 years (by 1 March 2031)"),
        (date(1999, 12, 31), "Check the year: pick a day from 1 January 2000 on"),
        (date(2206, 3, 3), "within the next 5 years"),
    ],
)
def test_a_follow_up_lies_between_2000_and_five_years_ahead(day, problem):
    found = follow_up_problem(day, today=TODAY)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize(
    ("value", "is_id"),
    [
        ("1", True),
        (" 42 ", True),
        (7, True),
        (str(MAX_ID), True),
        (str(MAX_ID + 1), False),
        ("9" * 30, False),
        ("0", False),
        ("-1", False),
        ("1.0", False),
        ("abc", False),
        ("²", False),
        ("١٢", False),  # Arabic-Indic digits
        ("", False),
        (None, False),
        (True, False),
        ([1], False),
    ],
)
def test_only_a_whole_number_that_fits_a_key_can_name_a_row(value, is_id):
    assert is_row_id(value) is is_id
