"""Comparable pay (opportunities.pay): worked examples by hand, then properties.

Every worked example writes its arithmetic out as code, with the default
assumptions spelled as numbers: 40 h full-time week, 52 weeks, 1,800 billable
hours a year for full-time contract work, 25% contractor overhead, benefits at
30% of salary, 8 h days, 25 days of paid time off (a day = 1/5 week).
"""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opportunities.pay.core import (
    ARRANGEMENTS,
    BASES,
    CONTRACT_ARRANGEMENTS,
    PayAssumptions,
    PayBreakdown,
    PayInputError,
    PayInputs,
    arrangement_score,
    comparable_annual_pay,
    pay_score,
)

TIMES = "\N{MULTIPLICATION SIGN}"
DIVIDED = "\N{DIVISION SIGN}"

OVERHEAD = Decimal("0.25")
BENEFITS = Decimal("0.30")
BILLABLE = Decimal(1800)
FULL_YEAR = Decimal(40 * 52)  # 2,080: the hours a contractor would bill if never off
PART_TIME_BELOW = Decimal(30)  # hours a week: an employee below gets no benefits assumed


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def pay(**fields) -> PayBreakdown:
    return comparable_annual_pay(PayInputs(**fields))


def amounts(result: PayBreakdown) -> list[tuple[str, Decimal]]:
    return [(line.kind, line.amount) for line in result.lines]


# --- worked examples ---------------------------------------------------------------


def test_hourly_contract():
    rate = Decimal(55)
    gross = rate * BILLABLE  # billable hours, never 55 x 2,080 = 114,400
    net = gross * (1 - OVERHEAD)  # what is left is worth a salary
    annual = net * (1 + BENEFITS)  # plus the benefits the overhead bought
    assert (gross, net, annual) == (99_000, 74_250, 96_525)

    result = pay(arrangement="contractor", basis="hourly", amount=rate)

    assert result.annual == cents(annual) == Decimal("96525.00")
    assert result.hourly == cents(annual / BILLABLE) == Decimal("53.63")  # 53.625 half up
    assert result.hours_worked_per_year == BILLABLE
    assert result.full_time_salary == cents(annual / (1 + BENEFITS)) == Decimal("74250.00")
    assert result.contract_rate == cents(annual / (BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS)))
    assert result.contract_rate == rate  # at the default assumptions, the rate itself
    assert amounts(result)[:4] == [
        ("base", Decimal("99000.00")),
        ("subtract", Decimal("-24750.00")),  # 25% of 99,000
        ("add", Decimal("22275.00")),  # 30% of 74,250
        ("total", Decimal("96525.00")),
    ]
    assert result.lines[0].label.startswith(f"55.00 an hour {TIMES} 1,800 billable hours")
    assert "Overhead at 25% (your default)" in result.lines[1].label
    assert result.lines[4].label.startswith(f"Effective hourly: 96,525.00 {DIVIDED} 1,800")


def test_daily_rate_part_time_with_stated_overhead():
    day_rate, hours, overhead = Decimal(400), Decimal(32), Decimal("0.20")
    billable = BILLABLE * hours / 40  # 1,440 h: four days a week
    days = billable / 8  # 180 billable days
    gross = day_rate * days
    net = gross * (1 - overhead)
    annual = net * (1 + BENEFITS)
    full_time = annual * 40 / hours
    assert (billable, days, gross, net, annual, full_time) == (
        1_440,
        180,
        72_000,
        57_600,
        74_880,
        93_600,
    )

    result = pay(
        arrangement="freelance",
        basis="daily",
        amount=day_rate,
        hours_per_week=hours,
        overhead_share=overhead,
    )

    assert result.annual == cents(annual)
    assert result.hourly == cents(annual / billable) == Decimal("52.00")
    assert result.full_time_annual == cents(full_time)
    assert result.full_time_salary == cents(full_time / (1 + BENEFITS)) == Decimal("72000.00")
    # Translated with the *default* 25% overhead, not this offer's 20%:
    assert result.contract_rate == cents(full_time / (BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS)))
    assert result.contract_rate == Decimal("53.33")  # 93,600 / 1,755
    assert "400.00 a day" in result.lines[0].label
    assert "180 billable days" in result.lines[0].label
    assert "20% (stated for this offer)" in result.lines[1].label
    assert any(
        line.label.startswith("Part-time pro-rated to full time") and line.amount == full_time
        for line in result.lines
    )


def test_part_time_salary_with_stated_benefits():
    salary, hours, days_off = Decimal(36_000), Decimal(24), Decimal(25)
    health = Decimal(3_000)  # stated as an amount a year
    pension = salary * 5 / 100  # stated as 5% of salary: 1,800
    annual = salary + health + pension  # the part-time salary is taken as it is
    hours_worked = hours * (52 - days_off / 5)  # 24 h x 47 weeks = 1,128 h
    full_time = annual * 40 / hours
    assert (annual, hours_worked, full_time) == (40_800, 1_128, 68_000)

    result = pay(
        arrangement="employee",
        basis="annual",
        amount=salary,
        hours_per_week=hours,
        benefits_amount=health,
        benefits_percent=Decimal(5),
        paid_time_off_days=days_off,
    )

    assert result.annual == cents(annual)
    assert result.hours_worked_per_year == hours_worked
    assert result.hourly == cents(annual / hours_worked) == Decimal("36.17")  # 36.170...
    assert result.full_time_annual == cents(full_time)
    assert result.full_time_salary == cents(full_time / (1 + BENEFITS)) == Decimal("52307.69")
    assert result.contract_rate == cents(full_time / (BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS)))
    assert result.contract_rate == Decimal("38.75")  # 68,000 / 1,755 = 38.746...
    assert amounts(result)[:4] == [
        ("base", Decimal("36000.00")),
        ("add", Decimal("3000.00")),
        ("add", Decimal("1800.00")),
        ("total", Decimal("40800.00")),
    ]
    assert "47 weeks" in result.lines[4].label


def test_fixed_price_project():
    price, weeks, hours = Decimal(10_000), Decimal(8), Decimal(20)
    if_never_off = price * 52 / weeks  # 65,000 if projects ran back to back all year
    billed_share = (BILLABLE * hours / 40) / (hours * 52)  # 900 of 1,040 hours
    gross = if_never_off * billed_share
    hourly_equivalent = price / (weeks * hours)  # 62.50 per hour of the project
    assert gross == hourly_equivalent * 900 == 56_250  # same as billing 62.50 an hour
    net = gross * (1 - OVERHEAD)
    annual = net * (1 + BENEFITS)
    assert (net, annual) == (Decimal("42187.5"), Decimal("54843.75"))

    result = pay(
        arrangement="contractor",
        basis="project",
        amount=price,
        project_weeks=weeks,
        hours_per_week=hours,
    )

    assert result.annual == cents(annual)
    assert result.hourly == cents(annual / 900) == Decimal("60.94")  # 60.9375 half up
    assert result.full_time_annual == cents(annual * 40 / hours) == Decimal("109687.50")
    assert result.full_time_salary == Decimal("84375.00")  # 109,687.50 / 1.30
    assert result.contract_rate == hourly_equivalent  # the project's own hourly rate
    assert amounts(result)[:2] == [("note", Decimal("65000.00")), ("base", Decimal("56250.00"))]
    # Hours per week do not change what a fixed price is worth a year, only per hour.
    full_time = pay(arrangement="contractor", basis="project", amount=price, project_weeks=weeks)
    assert full_time.annual == result.annual
    assert full_time.hourly == cents(annual / BILLABLE)


def test_salary_in_another_currency():
    monthly, rate = Decimal(5_000), Decimal("0.92")  # e.g. USD offer, EUR user
    salary = monthly * rate * 12
    annual = salary * (1 + BENEFITS)  # no benefits stated: the 30% default
    hours_worked = 40 * (52 - Decimal(25) / 5)  # 25 days' paid time off assumed
    assert (salary, annual, hours_worked) == (55_200, 71_760, 1_880)

    result = pay(arrangement="employee", basis="monthly", amount=monthly, exchange_rate=rate)

    assert result.annual == cents(annual)
    assert result.hourly == cents(annual / hours_worked) == Decimal("38.17")
    assert result.full_time_salary == cents(salary)  # standard benefits: the salary itself
    assert result.contract_rate == cents(annual / (BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS)))
    assert result.contract_rate == Decimal("40.89")  # 71,760 / 1,755 = 40.888...
    note, base = result.lines[:2]
    assert (note.kind, note.amount) == ("note", Decimal("4600.00"))
    assert note.label == f"5,000.00 a month in the offer's currency {TIMES} 0.92 exchange rate"
    assert (base.kind, base.amount) == ("base", cents(salary))
    assert "benefits assumed at 30%" in result.lines[2].label.lower()


def test_contract_in_another_currency_matches_the_converted_rate():
    rate, exchange = Decimal(60), Decimal("1.17")  # e.g. GBP 60 an hour, EUR user
    converted = rate * exchange  # 70.20 an hour in the user's currency
    annual = converted * BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS)
    assert annual == Decimal("123201")

    foreign = pay(arrangement="contractor", basis="hourly", amount=rate, exchange_rate=exchange)
    local = pay(arrangement="contractor", basis="hourly", amount=converted)

    assert foreign.annual == local.annual == cents(annual)
    assert foreign.contract_rate == converted


def test_stated_benefits_are_converted_too():
    result = pay(
        arrangement="employee",
        basis="annual",
        amount=Decimal(50_000),
        benefits_amount=Decimal(4_000),
        exchange_rate=Decimal(2),
    )
    assert result.annual == (50_000 + 4_000) * 2


# --- what is assumed, and said (issue 14, item 6) -----------------------------------


def test_a_part_time_hourly_employee_gets_no_benefits_assumed():
    """The issue's case: 28 an hour for 20 hours is 29,120 of cash, no longer shown as
    37,856 by adding full-time benefits nobody mentioned."""
    rate, hours = Decimal(28), Decimal(20)
    cash = rate * hours * 52
    assert cash == 29_120

    result = pay(arrangement="employee", basis="hourly", amount=rate, hours_per_week=hours)

    assert result.annual == cash
    assert amounts(result)[:3] == [
        ("base", Decimal("29120.00")),
        ("add", Decimal("0.00")),
        ("total", Decimal("29120.00")),
    ]
    assert result.lines[1].label.startswith("No benefits assumed")
    assert [(a.text, a.field, a.setting) for a in result.assumed] == [
        ("52 paid weeks a year (time off paid)", "paid_weeks_per_year", False),
        ("no benefits (none stated for a part-time job)", "benefits_percent", False),
    ]


@pytest.mark.parametrize(
    ("hours", "benefits"),
    [(None, BENEFITS), (Decimal(40), BENEFITS), (Decimal(30), BENEFITS), (Decimal("29.9"), 0)],
)
def test_benefits_are_assumed_from_three_quarters_of_a_full_time_week(hours, benefits):
    salary = Decimal(40_000)
    result = pay(arrangement="employee", basis="annual", amount=salary, hours_per_week=hours)
    assert result.annual == cents(salary * (1 + benefits))
    texts = [a.text for a in result.assumed]
    if benefits:
        assert texts == ["benefits at 30% of salary (your default)"]
    else:
        assert texts == ["no benefits (none stated for a part-time job)"]


def test_the_threshold_follows_the_users_full_time_week():
    short_week = PayAssumptions(full_time_hours_per_week=Decimal(32), billable_hours_per_year=1400)
    result = comparable_annual_pay(
        PayInputs(
            arrangement="employee", basis="annual", amount=Decimal(40_000), hours_per_week=24
        ),
        assumptions=short_week,
    )
    assert result.annual == 52_000  # 24 is three quarters of 32: benefits assumed


def test_a_full_time_hourly_employee_is_told_every_assumption():
    result = pay(arrangement="employee", basis="hourly", amount=Decimal(30))
    assert [a.text for a in result.assumed] == [
        "a full-time week of 40 h",
        "52 paid weeks a year (time off paid)",
        "benefits at 30% of salary (your default)",
    ]


def test_what_the_offer_states_is_not_listed_as_assumed():
    result = pay(
        arrangement="employee",
        basis="hourly",
        amount=Decimal(30),
        hours_per_week=Decimal(20),
        paid_weeks_per_year=Decimal(47),
        benefits_percent=Decimal(0),
    )
    assert result.assumed == ()
    assert result.annual == 30 * 20 * 47


def test_a_contract_lists_its_default_overhead_billable_hours_and_benefits_equivalent():
    result = pay(arrangement="freelance", basis="daily", amount=Decimal(400))
    assert [(a.field, a.setting) for a in result.assumed] == [
        ("hours_per_week", False),
        ("utilisation", False),
        ("overhead_share", False),
        ("employee_benefits_share", True),
    ]
    assert result.assumed[1].text == "1,800 billable hours a year (your default)"
    stated = pay(
        arrangement="contractor",
        basis="annual",
        amount=Decimal(90_000),
        utilisation=Decimal("0.8"),
        overhead_share=Decimal("0.2"),
    )
    assert [a.field for a in stated.assumed] == ["employee_benefits_share"]


# --- the economics the examples rely on --------------------------------------------


def test_hourly_employee_is_paid_for_every_paid_week():
    rate, hours = Decimal(30), Decimal(40)
    salary = rate * hours * 52  # paid time off is paid: 62,400, the whole year
    result = pay(arrangement="employee", basis="hourly", amount=rate, benefits_percent=Decimal(0))
    assert result.annual == salary == 62_400
    unpaid_summer = pay(
        arrangement="employee",
        basis="hourly",
        amount=rate,
        benefits_percent=Decimal(0),
        paid_weeks_per_year=Decimal(48),
    )
    assert unpaid_summer.annual == rate * hours * 48


def test_the_same_hourly_rate_is_worth_more_as_an_employee():
    rate = Decimal(30)
    employee = pay(arrangement="employee", basis="hourly", amount=rate)
    contractor = pay(arrangement="contractor", basis="hourly", amount=rate)
    # Employee: 30 x 2,080 x 1.30. Contractor: 30 x 1,800 x 0.75 x 1.30.
    assert employee.annual == cents(rate * FULL_YEAR * (1 + BENEFITS)) == Decimal("81120.00")
    assert contractor.annual == cents(rate * BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS))
    ratio = FULL_YEAR / (BILLABLE * (1 - OVERHEAD))  # 2,080 / 1,350, about 1.54
    assert employee.annual == cents(contractor.annual * ratio)


def test_salary_and_contract_rate_equivalents_match_each_other():
    salary = Decimal(60_000)
    employee = pay(arrangement="employee", basis="annual", amount=salary)
    rate = salary * (1 + BENEFITS) / (BILLABLE * (1 - OVERHEAD) * (1 + BENEFITS))
    assert employee.contract_rate == cents(rate) == Decimal("44.44")  # 60,000 / 1,350
    assert employee.full_time_salary == salary
    contractor = pay(arrangement="contractor", basis="hourly", amount=salary / 1350)
    assert contractor.annual == employee.annual == salary * (1 + BENEFITS)


def test_explicit_zero_benefits_are_not_replaced_by_the_assumption():
    salary = Decimal(50_000)
    assumed = pay(arrangement="employee", basis="annual", amount=salary)
    none_at_all = pay(
        arrangement="employee", basis="annual", amount=salary, benefits_amount=Decimal(0)
    )
    assert assumed.annual == salary * (1 + BENEFITS)
    assert none_at_all.annual == salary
    assert none_at_all.full_time_salary == cents(salary / (1 + BENEFITS))  # 38,461.54


def test_daily_salary_counts_days_of_the_week_and_paid_weeks():
    result = pay(
        arrangement="employee",
        basis="daily",
        amount=Decimal(200),
        hours_per_week=Decimal(20),
        benefits_percent=Decimal(10),
    )
    days_a_week = Decimal(20) / 8  # 2.5 days
    salary = 200 * days_a_week * 52  # 26,000
    assert result.annual == salary * Decimal("1.10") == 28_600


def test_monthly_and_annual_contracts_bill_only_billable_hours():
    monthly = pay(arrangement="contractor", basis="monthly", amount=Decimal(6_000))
    annual = pay(arrangement="contractor", basis="annual", amount=Decimal(72_000))
    hourly = pay(arrangement="contractor", basis="hourly", amount=Decimal(72_000) / FULL_YEAR)
    expected = 6_000 * 12 * BILLABLE / FULL_YEAR * (1 - OVERHEAD) * (1 + BENEFITS)
    assert monthly.annual == annual.annual == hourly.annual == cents(expected)
    every_week_billed = pay(
        arrangement="contractor", basis="monthly", amount=Decimal(6_000), utilisation=Decimal(1)
    )
    assert every_week_billed.annual == cents(6_000 * 12 * (1 - OVERHEAD) * (1 + BENEFITS))


def test_utilisation_replaces_the_default_billable_hours():
    result = pay(
        arrangement="contractor",
        basis="hourly",
        amount=Decimal(50),
        hours_per_week=Decimal("37.5"),
        utilisation=Decimal("0.7"),
    )
    billable = Decimal("37.5") * 52 * Decimal("0.7")  # 1,365 h
    assert result.hours_worked_per_year == billable
    assert result.annual == cents(50 * billable * (1 - OVERHEAD) * (1 + BENEFITS))
    assert f"1,365 billable hours (37.5 h a week {TIMES} 52 weeks {TIMES} 70% utilisation)" in (
        result.lines[0].label
    )


def test_fields_of_the_other_arrangement_are_ignored():
    contract = {"arrangement": "contractor", "basis": "hourly", "amount": Decimal(50)}
    assert pay(**contract) == pay(
        **contract,
        benefits_amount=Decimal(9_999),
        benefits_percent=Decimal(50),
        paid_time_off_days=Decimal(30),
        paid_weeks_per_year=Decimal(40),
    )
    salaried = {"arrangement": "employee", "basis": "annual", "amount": Decimal(50_000)}
    assert pay(**salaried) == pay(
        **salaried, overhead_share=Decimal("0.9"), utilisation=Decimal("0.1")
    )


def test_assumed_paid_time_off_is_pro_rated_to_paid_weeks():
    result = pay(
        arrangement="employee",
        basis="annual",
        amount=Decimal(30_000),
        paid_weeks_per_year=Decimal(26),
    )
    days_off = Decimal(25) * 26 / 52  # 12.5 days, 2.5 weeks
    assert result.hours_worked_per_year == 40 * (26 - days_off / 5)


def test_more_than_full_time_is_scaled_down_to_full_time():
    result = pay(
        arrangement="employee", basis="annual", amount=Decimal(50_000), hours_per_week=Decimal(50)
    )
    assert result.full_time_annual == cents(50_000 * (1 + BENEFITS) * 40 / 50)
    assert any(line.label.startswith("Scaled down to full time") for line in result.lines)


def test_the_users_own_assumptions_are_used():
    mine = PayAssumptions(
        full_time_hours_per_week=Decimal(35),
        billable_hours_per_year=Decimal(1_500),
        contractor_overhead_share=Decimal("0.40"),
        employee_benefits_share=Decimal("0.10"),
    )
    result = comparable_annual_pay(
        PayInputs(arrangement="contractor", basis="hourly", amount=Decimal(100)),
        assumptions=mine,
    )
    assert result.annual == 100 * 1_500 * Decimal("0.60") * Decimal("1.10")
    assert result.contract_rate == 100


# --- properties --------------------------------------------------------------------

FAST = settings(database=None, deadline=None, max_examples=150)

money = st.decimals(min_value=0, max_value=1_000_000, places=2)
hours = st.decimals(min_value=Decimal("0.5"), max_value=168, places=1)
exchange_rates = st.decimals(min_value=Decimal("0.001"), max_value=1_000, places=3)
shares = st.decimals(min_value=0, max_value=Decimal("0.99"), places=3)


@st.composite
def offers(draw, *, arrangement=None, basis=None) -> PayInputs:
    """Any valid offer, with every optional field either left out or filled in."""
    paid_weeks = draw(st.none() | st.decimals(min_value=1, max_value=52, places=1))
    longest_leave = (paid_weeks or Decimal(52)) * 5 * Decimal("0.9")
    chosen_basis = basis or draw(st.sampled_from(BASES))
    return PayInputs(
        arrangement=arrangement or draw(st.sampled_from(ARRANGEMENTS)),
        basis=chosen_basis,
        amount=draw(money),
        hours_per_week=draw(st.none() | hours),
        exchange_rate=draw(st.just(Decimal(1)) | exchange_rates),
        paid_weeks_per_year=paid_weeks,
        paid_time_off_days=draw(
            st.none() | st.decimals(min_value=0, max_value=longest_leave, places=1)
        ),
        benefits_amount=draw(st.none() | money),
        benefits_percent=draw(st.none() | st.decimals(min_value=0, max_value=100, places=2)),
        overhead_share=draw(st.none() | shares),
        utilisation=draw(st.none() | st.decimals(min_value="0.01", max_value=1, places=3)),
        project_weeks=(
            draw(st.decimals(min_value="0.5", max_value=156, places=1))
            if chosen_basis == "project"
            else None
        ),
    )


@st.composite
def assumption_sets(draw) -> PayAssumptions:
    full_time = draw(st.decimals(min_value=20, max_value=60, places=1))
    return PayAssumptions(
        full_time_hours_per_week=full_time,
        billable_hours_per_year=draw(
            st.decimals(min_value=500, max_value=full_time * 52, places=0)
        ),
        contractor_overhead_share=draw(shares),
        employee_benefits_share=draw(st.decimals(min_value=0, max_value=1, places=3)),
    )


@FAST
@given(offer=offers())
def test_no_figure_is_ever_negative(offer):
    result = comparable_annual_pay(offer)
    assert result.annual >= 0
    assert result.hourly >= 0
    assert result.full_time_annual >= 0
    assert result.full_time_salary >= 0
    assert result.contract_rate >= 0
    assert result.hours_worked_per_year > 0


@FAST
@given(offer=offers())
def test_the_lines_add_up_to_the_total(offer):
    result = comparable_annual_pay(offer)
    kinds = [line.kind for line in result.lines]
    assert kinds.count("base") == 1
    assert kinds.count("total") == 1
    assert kinds.index("base") < kinds.index("total")
    steps = [line.amount for line in result.lines if line.kind in {"base", "add", "subtract"}]
    total = next(line for line in result.lines if line.kind == "total")
    assert sum(steps) == total.amount == result.annual
    for line in result.lines:
        assert line.kind != "add" or line.amount >= 0
        assert line.kind != "subtract" or line.amount <= 0
        assert line.label.strip()


@FAST
@given(offer=offers(), raise_by=money)
def test_monotonic_in_the_amount(offer, raise_by):
    lower = comparable_annual_pay(offer)
    higher = comparable_annual_pay(replace(offer, amount=offer.amount + raise_by))
    assert higher.annual >= lower.annual
    assert higher.hourly >= lower.hourly


@FAST
@given(offer=offers(), first=hours, second=hours)
def test_monotonic_in_hours(offer, first, second):
    fewer, more = sorted((first, second))
    at_fewer = comparable_annual_pay(replace(offer, hours_per_week=fewer))
    at_more = comparable_annual_pay(replace(offer, hours_per_week=more))
    assert at_more.annual >= at_fewer.annual
    employee = offer.arrangement == "employee"
    stated = offer.benefits_amount is not None or offer.benefits_percent is not None
    if employee and not stated and fewer < PART_TIME_BELOW <= more:
        # Past 30 hours the default benefits start to be assumed: a step up, no more.
        return
    if offer.basis in {"hourly", "daily"}:
        if not employee or offer.benefits_amount is None:
            # Paid by time: proportional to the hours, to within each side's rounding.
            slack = Decimal("0.005") * (fewer + more)
            assert abs(at_more.annual * fewer - at_fewer.annual * more) <= slack
    else:
        # A salary or a fixed price is the same money whatever the hours; only the
        # value per hour changes.
        assert at_more.annual == at_fewer.annual
        assert at_more.hourly <= at_fewer.hourly


@FAST
@given(offer=offers(), rate=exchange_rates)
def test_scales_linearly_with_the_exchange_rate(offer, rate):
    at_par = comparable_annual_pay(replace(offer, exchange_rate=Decimal(1)))
    converted = comparable_annual_pay(replace(offer, exchange_rate=rate))
    # Both are rounded to the cent on their own, hence the half-cent slack each side.
    assert abs(converted.annual - at_par.annual * rate) <= Decimal("0.005") * (1 + rate)
    assert abs(converted.contract_rate - at_par.contract_rate * rate) <= Decimal("0.005") * (
        1 + rate
    )


@FAST
@given(rate=money, worked=st.none() | hours, assumptions=assumption_sets())
def test_equal_rates_compare_as_the_assumptions_say(rate, worked, assumptions):
    """Same hourly rate, same hours: the contractor has B x (1 - o) / (H x W) of the value.

    The employee is paid for H x W hours a full-time year; the contractor bills B
    of them and keeps 1 - o of it. Benefits count on both sides alike.
    """

    def at(arrangement: str) -> PayBreakdown:
        inputs = PayInputs(arrangement=arrangement, basis="hourly", amount=rate)
        return comparable_annual_pay(
            replace(inputs, hours_per_week=worked), assumptions=assumptions
        )

    a = assumptions
    share = a.billable_hours_per_year * (1 - a.contractor_overhead_share)
    share /= a.full_time_hours_per_week * a.weeks_per_year
    full_time = (worked or a.full_time_hours_per_week) >= a.full_time_hours_per_week * Decimal(
        "0.75"
    )
    if not full_time:
        # A part-time employee is assumed to get no benefits; the contractor's overhead
        # still bought their equivalent.
        share *= 1 + a.employee_benefits_share
    contractor, employee = at("contractor"), at("employee")
    assert abs(contractor.annual - employee.annual * share) <= Decimal("0.01") * (1 + share)
    if full_time:
        assert contractor.annual <= employee.annual
    # Their translations tell the same story.
    assert abs(contractor.contract_rate - employee.contract_rate * share) <= Decimal("0.01") * (
        1 + share
    )


@FAST
@given(salary=money, assumptions=assumption_sets())
def test_a_salary_and_its_contract_rate_are_worth_the_same(salary, assumptions):
    a = assumptions
    employee = comparable_annual_pay(
        PayInputs(arrangement="employee", basis="annual", amount=salary), assumptions=a
    )
    contractor = comparable_annual_pay(
        PayInputs(arrangement="contractor", basis="hourly", amount=employee.contract_rate),
        assumptions=a,
    )
    # The rate is rounded to the cent; half a cent an hour over a contractor's year:
    per_cent_of_rate = (
        a.billable_hours_per_year
        * (1 - a.contractor_overhead_share)
        * (1 + a.employee_benefits_share)
    )
    assert abs(contractor.annual - employee.annual) <= Decimal("0.005") * per_cent_of_rate + (
        Decimal("0.01")
    )
    assert employee.full_time_salary == salary


@FAST
@given(rate=money, assumptions=assumption_sets())
def test_a_contract_and_its_salary_equivalent_are_worth_the_same(rate, assumptions):
    a = assumptions
    contractor = comparable_annual_pay(
        PayInputs(arrangement="contractor", basis="hourly", amount=rate), assumptions=a
    )
    employee = comparable_annual_pay(
        PayInputs(arrangement="employee", basis="annual", amount=contractor.full_time_salary),
        assumptions=a,
    )
    slack = Decimal("0.005") * (1 + a.employee_benefits_share) + Decimal("0.01")
    assert abs(employee.annual - contractor.annual) <= slack
    assert contractor.contract_rate == rate


@FAST
@given(offer=offers(arrangement="contractor"))
def test_freelance_is_valued_like_contract_work(offer):
    assert "freelance" in CONTRACT_ARRANGEMENTS
    freelance = replace(offer, arrangement="freelance")
    assert comparable_annual_pay(freelance) == comparable_annual_pay(offer)


# --- pay_score ---------------------------------------------------------------------

FLOOR, TARGET = Decimal(40_000), Decimal(80_000)


@pytest.mark.parametrize(
    ("annual", "expected"),
    [
        (0, 0),
        (39_999, 0),
        (40_000, 0),
        (42_000, 1),  # 0.5 rounds half up
        (41_999, 0),
        (60_000, 5),
        (78_000, 10),  # 9.5 rounds half up
        (77_999, 9),
        (80_000, 10),
        (1_000_000, 10),
    ],
)
def test_pay_score_is_linear_from_floor_to_target(annual, expected):
    assert pay_score(Decimal(annual), floor=FLOOR, target=TARGET) == expected


@pytest.mark.parametrize(
    ("annual", "floor", "target", "expected"),
    [
        (50_000, 50_000, 50_000, 10),  # floor == target: reaching it is enough
        (49_999, 50_000, 50_000, 0),
        (60_000, 70_000, 50_000, 0),  # floor above target: the floor is the threshold
        (70_000, 70_000, 50_000, 10),
    ],
)
def test_pay_score_with_a_floor_at_or_above_the_target(annual, floor, target, expected):
    assert pay_score(Decimal(annual), floor=Decimal(floor), target=Decimal(target)) == expected


@FAST
@given(
    first=st.decimals(min_value=-1_000, max_value=500_000, places=2),
    second=st.decimals(min_value=-1_000, max_value=500_000, places=2),
    floor=st.decimals(min_value=0, max_value=200_000, places=0),
    span=st.decimals(min_value=-10_000, max_value=200_000, places=0),
)
def test_pay_score_is_bounded_and_monotonic(first, second, floor, span):
    target = floor + span
    low, high = sorted((first, second))
    low_score = pay_score(low, floor=floor, target=target)
    high_score = pay_score(high, floor=floor, target=target)
    assert 0 <= low_score <= high_score <= 10


def test_pay_score_rejects_what_is_not_a_number():
    with pytest.raises(PayInputError) as error:
        pay_score(Decimal("NaN"), floor=FLOOR, target=TARGET)
    assert error.value.field == "annual"


# --- arrangement_score -------------------------------------------------------------

PREFERENCES = {"contractor": 9, "employee": 4}


@pytest.mark.parametrize(
    ("arrangement", "expected"), [("contractor", 9), ("employee", 4), ("freelance", None)]
)
def test_arrangement_score_follows_the_stated_preference(arrangement, expected):
    assert arrangement_score(arrangement, preferences=PREFERENCES) == expected


def test_arrangement_score_keeps_a_preference_of_zero():
    assert arrangement_score("employee", preferences={"employee": 0}) == 0


@pytest.mark.parametrize(
    ("arrangement", "preferences", "field"),
    [
        ("intern", PREFERENCES, "arrangement"),
        ("employee", {"employee": 11}, "preferences"),
        ("employee", {"employee": -1}, "preferences"),
        ("employee", {"employee": 4.5}, "preferences"),
        ("employee", {"employee": True}, "preferences"),
    ],
)
def test_arrangement_score_rejects_bad_input(arrangement, preferences, field):
    with pytest.raises(PayInputError) as error:
        arrangement_score(arrangement, preferences=preferences)
    assert error.value.field == field


# --- bad input ---------------------------------------------------------------------

VALID = PayInputs(arrangement="employee", basis="annual", amount=Decimal(50_000))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"arrangement": "intern"}, "arrangement"),
        ({"basis": "weekly"}, "basis"),
        ({"amount": None}, "amount"),
        ({"amount": Decimal(-1)}, "amount"),
        ({"amount": "50000"}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"amount": Decimal("Infinity")}, "amount"),
        ({"hours_per_week": Decimal(0)}, "hours_per_week"),
        ({"hours_per_week": Decimal(-10)}, "hours_per_week"),
        ({"hours_per_week": Decimal("168.5")}, "hours_per_week"),
        ({"exchange_rate": Decimal(0)}, "exchange_rate"),
        ({"exchange_rate": Decimal("-1.1")}, "exchange_rate"),
        ({"paid_weeks_per_year": Decimal(0)}, "paid_weeks_per_year"),
        ({"paid_weeks_per_year": Decimal(53)}, "paid_weeks_per_year"),
        ({"paid_time_off_days": Decimal(-1)}, "paid_time_off_days"),
        ({"paid_time_off_days": Decimal(260)}, "paid_time_off_days"),  # 52 weeks off
        (
            {"paid_time_off_days": Decimal(50), "paid_weeks_per_year": Decimal(10)},
            ("paid_time_off_days"),
        ),
        ({"benefits_amount": Decimal(-1)}, "benefits_amount"),
        ({"benefits_percent": Decimal("-0.5")}, "benefits_percent"),
        ({"overhead_share": Decimal("-0.1")}, "overhead_share"),
        ({"overhead_share": Decimal(1)}, "overhead_share"),
        ({"overhead_share": Decimal(25)}, "overhead_share"),  # a percentage, not a share
        ({"utilisation": Decimal(0)}, "utilisation"),
        ({"utilisation": Decimal("1.1")}, "utilisation"),
        ({"utilisation": Decimal(80)}, "utilisation"),
        ({"basis": "project"}, "project_weeks"),
        ({"basis": "project", "project_weeks": Decimal(0)}, "project_weeks"),
    ],
)
def test_bad_input_names_the_field(changes, field):
    with pytest.raises(PayInputError) as error:
        comparable_annual_pay(replace(VALID, **changes))
    assert error.value.field == field
    assert str(error.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_time_hours_per_week": Decimal(0)}, "full_time_hours_per_week"),
        ({"weeks_per_year": Decimal(60)}, "weeks_per_year"),
        ({"billable_hours_per_year": Decimal(2_081)}, "billable_hours_per_year"),
        ({"billable_hours_per_year": Decimal(0)}, "billable_hours_per_year"),
        ({"contractor_overhead_share": Decimal(1)}, "contractor_overhead_share"),
        ({"employee_benefits_share": Decimal("-0.1")}, "employee_benefits_share"),
        ({"hours_per_day": Decimal(25)}, "hours_per_day"),
        ({"employee_paid_time_off_days": Decimal(-1)}, "employee_paid_time_off_days"),
    ],
)
def test_bad_assumptions_name_the_setting(changes, field):
    with pytest.raises(PayInputError) as error:
        comparable_annual_pay(VALID, assumptions=replace(PayAssumptions(), **changes))
    assert error.value.field == field


def test_plain_numbers_are_accepted_as_well_as_decimals():
    as_int = pay(arrangement="contractor", basis="hourly", amount=55, hours_per_week=20)
    as_float = pay(arrangement="contractor", basis="hourly", amount=55.0, hours_per_week=20.0)
    assert as_int == as_float
    assert as_int.annual == cents(Decimal(55) * 900 * (1 - OVERHEAD) * (1 + BENEFITS))


@FAST
@given(offer=offers(), hours_per_week=st.decimals(min_value=-100, max_value=0, places=1))
def test_no_valid_offer_accepts_hours_outside_a_week(offer, hours_per_week):
    with pytest.raises(PayInputError):
        comparable_annual_pay(replace(offer, hours_per_week=hours_per_week))
