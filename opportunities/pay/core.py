"""Compensation made comparable: one annual figure for any job, employee or contractor.

A salaried job, a day rate and a fixed-price project cannot be compared by their
headline numbers. This module turns any of them into the same three things:

* a **comparable annual value** (total compensation, in the user's currency, for
  the hours actually worked),
* an **effective hourly value** (that annual value per hour actually worked),
* a **breakdown** the user can read line by line, plus the same value expressed
  both "as a full-time salary" and "as an hourly contract rate".

It is plain Python over ``Decimal``: no Django, no ORM. Money is quantized to
cents only when a figure leaves the module, never in the middle of a calculation.

The model, and why
==================

The common footing is *total compensation*: what the work is worth per year
including the benefits that come with it, because that is what an employer
spends and what a contractor has to pay for themselves.

Employee
    salary + benefits. The salary is the annual figure (monthly x 12; an hourly
    or daily rate x the hours or days of a paid week x paid weeks a year, so
    paid time off is paid). Benefits are what the offer states (an amount per
    year and/or a percentage of salary; both add up, e.g. health insurance as an
    amount plus a pension match as a percentage). When the offer states none,
    the user's ``employee_benefits_share`` is assumed for a job of at least
    three quarters of a full-time week, and none for a shorter, part-time one
    (see :data:`BENEFITS_ASSUMED_FROM` for why); an explicit zero means "no
    benefits" and is respected. A part-time salary is already a part-time
    salary, so annual and monthly figures are taken as they are.

Contractor / freelance
    Contract pay is only earned for time that is billed: holidays, sickness,
    admin and the gaps between contracts are unpaid. So every basis is turned
    into what it pays per contracted hour and multiplied by the *billable* hours
    of a year, never by 52 x 40 = 2,080 (the classic mistake, which overstates a
    contract by about 15%). Billable hours are the user's
    ``billable_hours_per_year`` scaled by hours per week / full-time week, or
    ``hours_per_week x weeks_per_year x utilisation`` when the offer states a
    utilisation. A monthly, annual or fixed-price amount is first annualised as
    if every week were billed (x 12, as is, x weeks_per_year / project_weeks)
    and then scaled by the share of contracted hours actually billed, so a
    fixed-price project and the hourly rate it works out to compare equal.

    The **overhead share** is then taken off: what a contractor pays out of
    revenue for what an employer would otherwise pay on top of a salary
    (social-security contributions, health insurance, pension, other insurance)
    and the costs of running a one-person business (equipment, software,
    accounting). What remains is comparable to a *salary*, the contractor having
    already bought the equivalent of a benefits package with the overhead. To
    put it on the same total-compensation footing as an employee's salary plus
    benefits, the user's ``employee_benefits_share`` is added back as the
    **benefits equivalent**. Stated benefits are not used for contract work.

    Why add it back: subtracting the overhead *and* adding benefits only on the
    employee's side would count health insurance, pension and payroll tax twice
    against the contractor (once as their cost, once as the employee's gain),
    with the default assumptions about 23% too low. With the add-back, a
    contractor whose net after overhead equals a salary compares equal to that
    salary with the standard benefits, whatever the defaults are set to.

In transition / between things
    Not a job: what one lives on between two (savings drawn, a benefit, odd jobs), so it
    is taken as stated, annualised like a salary over every week of the year, with
    nothing added (no benefits assumed or stated) and nothing taken off (no overhead).
    Zero is a valid amount, and compares as zero; a figure too variable to state is left
    empty, and then there is no comparable pay, as for any option without one. Its hours
    are the week's own (a full-time week when not stated), behind the effective hourly
    value. No preference is kept for it, so the arrangement criterion is scored by hand
    (:func:`arrangement_score` gives None).

Consequences worth knowing (and pinned by the tests), with the defaults:

* The same hourly rate is worth more as an employee, by
  (40 x 52) / (1,800 x (1 - 0.25)) = 2,080 / 1,350, about 1.54 times: the
  contractor is unpaid for time off and pays the overhead.
* A contractor's "full-time salary" equivalent is their revenue after overhead:
  55/h x 1,800 h x 0.75 = 74,250.
* A 60,000 salary with standard benefits is matched by a contract rate of
  60,000 x 1.30 / (1,800 x 0.75 x 1.30) = 44.44/h.

Hours actually worked (for the effective hourly value)
    Employee: hours per week x (paid weeks - weeks of paid time off). Days off
    are counted as weeks of the person's own schedule (a day is a fifth of a
    week with the defaults: full-time week / hours per day), so 25 days off is
    5 weeks off whether the job is full- or part-time; public holidays belong in
    the days off. When the offer states no paid time off, the user's
    ``employee_paid_time_off_days`` is assumed, pro-rated to the paid weeks.
    Contractor: the billable hours. Unbilled admin time is left out on purpose:
    it is already taken out of the billable hours, so counting it again as hours
    worked would charge for it twice.

Full-time and contract-rate equivalents
    "As a full-time salary" and "as an hourly contract rate" translate the
    comparable value with the *user's* default assumptions (not the offer's own
    overhead or utilisation), so that the translations of different offers stay
    comparable with each other: the annual value is first pro-rated to a
    full-time week (x full-time hours / hours per week), then divided by
    (1 + benefits share) for the salary, or by billable hours x (1 - overhead)
    x (1 + benefits share) for the contract rate.

What was assumed
    Whatever the figure rests on that the offer did not state (a full-time week,
    52 paid weeks, the benefits share, the default overhead...) is listed in
    :attr:`PayBreakdown.assumed`, each with the field that would state it, so a
    page can show the assumptions right next to the number and link to them.

Plausible amounts
    An amount can be storable and still absurd: an hourly rate of 1,000,000,000
    is a typo, not an offer. :func:`check_plausible_pay` is the one rule every
    amount goes through (the pay form and its live preview, stated benefits, the
    pay floor and target, and pay already stored): at most
    :data:`PLAUSIBLE_MAXIMUM` for its basis, in US dollars or, for a currency of
    smaller units, as many more as its units to the dollar (to the next power of
    ten, :func:`~opportunities.pay.currencies.dollar_magnitude`).

Inputs the function cannot interpret raise :class:`PayInputError` naming the
field, so a form can put the message next to it. The Django form validates
first; this is the last line of defence, not the user interface.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Final, Literal

from opportunities.pay.currencies import dollar_magnitude, format_money

EMPLOYEE: Final = "employee"
CONTRACTOR: Final = "contractor"
FREELANCE: Final = "freelance"
TRANSITION: Final = "transition"
"""In transition / between things: see the module docstring."""
ARRANGEMENTS: Final = (EMPLOYEE, CONTRACTOR, FREELANCE, TRANSITION)
CONTRACT_ARRANGEMENTS: Final = frozenset({CONTRACTOR, FREELANCE})
"""Arrangements paid for billed time, with an overhead and no employer benefits."""

ANNUAL: Final = "annual"
MONTHLY: Final = "monthly"
HOURLY: Final = "hourly"
DAILY: Final = "daily"
PROJECT: Final = "project"
BASES: Final = (ANNUAL, MONTHLY, HOURLY, DAILY, PROJECT)

ARRANGEMENT_CHOICES: Final = (
    (EMPLOYEE, "Employee"),
    (CONTRACTOR, "Subcontractor / contractor"),
    (FREELANCE, "Freelance"),
    (TRANSITION, "In transition / between things"),
)
BASIS_CHOICES: Final = (
    (ANNUAL, "Annual salary"),
    (MONTHLY, "Monthly"),
    (HOURLY, "Hourly rate"),
    (DAILY, "Daily rate"),
    (PROJECT, "Fixed price per project"),
)

MAX_HOURS_PER_WEEK: Final = Decimal(168)
"""Every hour of a week; anything above cannot be a weekly schedule."""

BENEFITS_ASSUMED_FROM: Final = Decimal("0.75")
"""Share of a full-time week from which an employee is assumed to get benefits when
the offer states none: 30 of 40 hours.

Below it (a part-time job) no benefits are assumed, because most part-time jobs come
without them: in the US, the BLS National Compensation Survey (March 2013) found
employer health insurance open to 24% of part-time private-industry workers against
85% of full-time ones, retirement plans to 37% against 74%. 30 hours is the line the
US Affordable Care Act draws for the employees a large employer must offer health
coverage to. Where part-timers are owed benefits pro rata (the EU Part-time Work
Directive 97/81/EC), the offer says so and the user enters them; the page shows the
assumption next to the figure either way.
"""

PLAUSIBLE_MAXIMUM: Final[Mapping[str, Decimal]] = MappingProxyType(
    {
        HOURLY: Decimal(5_000),
        DAILY: Decimal(40_000),
        MONTHLY: Decimal(1_000_000),
        ANNUAL: Decimal(10_000_000),
        PROJECT: Decimal(10_000_000),
    }
)
"""The most an amount can plausibly be, by basis, in US dollars.

Each is about ten million dollars a year (5,000 x 2,080 hours, 40,000 x 260 days,
1,000,000 x 12 months): more than any job offer Crossroads is for, yet a top
lawyer's hourly rate (about 2,500) or an executive's salary still fits. It is there
to catch extra zeros and a misplaced exponent, not to judge a generous offer.
"""

_PER_BASIS: Final[Mapping[str, str]] = MappingProxyType(
    {
        ANNUAL: "a year",
        MONTHLY: "a month",
        HOURLY: "an hour",
        DAILY: "a day",
        PROJECT: "for a project",
    }
)

type LineKind = Literal["base", "add", "subtract", "total", "note"]

_CENT = Decimal("0.01")
_MONTHS = Decimal(12)
_HUNDRED = Decimal(100)
_TIMES = "\N{MULTIPLICATION SIGN}"
_DIVIDED = "\N{DIVISION SIGN}"
_MINUS = "\N{MINUS SIGN}"


class PayInputError(ValueError):
    """An input :func:`comparable_annual_pay` cannot interpret, with the field it concerns."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class PayAssumptions:
    """The user's editable defaults, each a documented, sourced rule of thumb.

    ``full_time_hours_per_week`` (40)
        The US Fair Labor Standards Act counts hours beyond 40 a week as
        overtime, and 40 is the usual full-time contract in much of Europe
        (the EU Working Time Directive 2003/88/EC caps the average at 48).
    ``weeks_per_year`` (52)
        Calendar weeks; time off is subtracted explicitly, never hidden here.
    ``billable_hours_per_year`` (1,800, full-time contract work)
        The rule of thumb of freelancer rate calculators: 52 x 40 = 2,080 hours
        less about 35 days (280 h) of holidays and public holidays, sick days,
        admin and gaps between contracts. It is 225 eight-hour days, within the
        220-230 billable days UK contractor day-rate calculators typically use.
    ``contractor_overhead_share`` (0.25 of contract revenue)
        What a contractor pays for that an employer would otherwise pay on top
        of a salary, plus running costs. In the US, self-employment tax is 15.3%
        (12.4% social security + 2.9% Medicare, on 92.35% of net earnings; IRS
        Topic No. 554); an employee pays half of that too, so the employer's
        half, about 7% of revenue, is the extra. Health insurance and retirement
        contributions an employer would have paid are about 12% of compensation
        (BLS "Employer Costs for Employee Compensation": insurance about 8%,
        retirement and savings about 4%). Equipment, software, professional
        insurance and accounting add about 5%: roughly 25% in all.
    ``employee_benefits_share`` (0.30 of salary; used when an offer for at least
    :data:`BENEFITS_ASSUMED_FROM` of a full-time week states none)
        BLS "Employer Costs for Employee Compensation" (ECEC): benefits are
        about 30% of what employers spend on compensation, wages about 70%.
        Paid leave (about 7%) is already inside a salary here, so the rest
        (supplemental pay, insurance, retirement, legally required
        contributions; about 22%) over wages plus paid leave (about 77%) is
        about 29%, rounded to 30% of salary.
    ``hours_per_day`` (8)
        A 40-hour week over 5 days; converts daily rates and days off.
    ``employee_paid_time_off_days`` (25; used when an offer states none)
        Vacation plus public holidays. The EU Working Time Directive
        2003/88/EC (article 7) guarantees four weeks' paid annual leave before
        public holidays; in the US the BLS National Compensation Survey finds
        most private-industry workers get 5 to 14 vacation days after a year,
        plus paid holidays (about 8) and sick leave. 25 days is five weeks.
        It only affects the effective hourly value, never the annual one.
    """

    full_time_hours_per_week: Decimal = Decimal(40)
    weeks_per_year: Decimal = Decimal(52)
    billable_hours_per_year: Decimal = Decimal(1800)
    contractor_overhead_share: Decimal = Decimal("0.25")
    employee_benefits_share: Decimal = Decimal("0.30")
    hours_per_day: Decimal = Decimal(8)
    employee_paid_time_off_days: Decimal = Decimal(25)


DEFAULT_ASSUMPTIONS: Final = PayAssumptions()
"""The defaults above, written once: the pay settings' model fields, their help texts
(:data:`ASSUMPTION_HELP`) and the README's table read them or are tested against them."""


@dataclass(frozen=True, slots=True)
class PayInputs:
    """One offer's compensation, as the user entered it.

    Shares (``overhead_share``, ``utilisation``) are fractions: 0.25 is 25%.
    ``benefits_percent`` is a percentage of salary: 5 is 5%. Fields that do not
    apply to the arrangement are ignored: paid weeks, paid time off and stated
    benefits for contract work, overhead and utilisation for employees.
    """

    arrangement: str
    basis: str
    amount: Decimal
    hours_per_week: Decimal | None = None
    """None means full time (``PayAssumptions.full_time_hours_per_week``)."""
    exchange_rate: Decimal = Decimal(1)
    """Units of the user's currency per unit of the offer's currency."""
    paid_weeks_per_year: Decimal | None = None
    """Employees: weeks a year that are paid, paid time off included. None: all."""
    paid_time_off_days: Decimal | None = None
    """Employees: paid days off a year, public holidays included. None: assumed."""
    benefits_amount: Decimal | None = None
    """Employees: benefits per year, in the offer's currency."""
    benefits_percent: Decimal | None = None
    """Employees: benefits as a percentage of salary."""
    overhead_share: Decimal | None = None
    """Contract work: share of revenue spent on overhead. None: the user's default."""
    utilisation: Decimal | None = None
    """Contract work: share of hours_per_week x weeks_per_year actually billed.

    None derives it from ``billable_hours_per_year``: 1,800 / 2,080 by default.
    """
    project_weeks: Decimal | None = None
    """Length of a fixed-price project, in weeks; required for that basis."""


@dataclass(frozen=True, slots=True)
class BreakdownLine:
    """One readable step of the calculation.

    ``label`` is plain language with currency-neutral numbers ("55.00 an hour x
    1,800 billable hours"); the view adds currency symbols to ``amount``, which
    is always in the user's currency. A ``base`` line states the starting value,
    ``add`` and ``subtract`` lines carry their signed effect, the ``total``
    states the result (base plus effects, to the cent) and a ``note`` states a
    value derived from it.
    """

    label: str
    amount: Decimal
    kind: LineKind


@dataclass(frozen=True, slots=True)
class Assumed:
    """Something the comparable value rests on that the offer did not state."""

    text: str
    """In plain words: "52 paid weeks a year (time off paid)"."""
    field: str
    """What would state it: a :class:`PayInputs` field of the offer or, when
    ``setting``, a :class:`PayAssumptions` field of the user's settings."""
    setting: bool = False


@dataclass(frozen=True, slots=True)
class PayBreakdown:
    """The comparable figures for one offer, in the user's currency."""

    annual: Decimal
    """Comparable annual value (total compensation) for the hours actually worked."""
    hourly: Decimal
    """Effective value per hour actually worked."""
    full_time_salary: Decimal
    """What this would be as a full-time salary with the standard benefits share."""
    contract_rate: Decimal
    """The hourly rate a full-time contractor would need to bill to match it."""
    lines: tuple[BreakdownLine, ...]
    hours_worked_per_year: Decimal
    """Hours actually worked a year, behind the effective hourly value."""
    full_time_annual: Decimal
    """The annual value pro-rated to a full-time week."""
    assumed: tuple[Assumed, ...] = ()
    """What the annual value assumed, the offer not stating it, in the order used."""


@dataclass(frozen=True, slots=True)
class ComparablePay:
    """One opportunity's pay on the common footing, or why it is not there."""

    arrangement: str
    """The arrangement, as people read it ("Subcontractor / contractor")."""
    currency: str
    """The user's currency: every figure of the breakdown is in it."""
    breakdown: PayBreakdown | None = None
    problem: str = ""
    """Why the pay entered cannot be compared (the settings changed since it was saved, or
    it was stored before :func:`check_plausible_pay` and is beyond it)."""

    @property
    def entered(self) -> bool:
        return self.breakdown is not None or bool(self.problem)


def comparable_annual_pay(
    inputs: PayInputs, *, assumptions: PayAssumptions = PayAssumptions()
) -> PayBreakdown:
    """Turn any compensation into a comparable annual and effective hourly value.

    See the module docstring for the model. Raises :class:`PayInputError` for
    inputs it cannot interpret.
    """
    assumptions = _check_assumptions(assumptions)
    offer = _check_inputs(inputs, assumptions)
    ledger = _Ledger()
    if offer.exchange_rate != 1:
        ledger.note(
            f"{_money(offer.offer_amount)} {_per(offer)} in the offer's currency "
            f"{_TIMES} {_number(offer.exchange_rate, places=6)} exchange rate",
            offer.amount,
        )
    if offer.arrangement in CONTRACT_ARRANGEMENTS:
        hours_worked, hours_label = _contract_value(ledger, offer, assumptions)
    elif offer.arrangement == TRANSITION:
        hours_worked, hours_label = _transition_value(ledger, offer, assumptions)
    else:
        hours_worked, hours_label = _employee_value(ledger, offer, assumptions)
    annual = ledger.total("Comparable annual value")
    return _with_equivalents(
        ledger,
        annual=annual,
        hours_worked=hours_worked,
        hours_label=hours_label,
        hours_per_week=offer.hours_per_week,
        assumptions=assumptions,
    )


def pay_score(annual: Decimal, *, floor: Decimal, target: Decimal) -> int:
    """Score pay 0-10: 0 at or below the floor, 10 at or above the target, linear between.

    ``floor`` and ``target`` are in the units of :attr:`PayBreakdown.annual`.
    Rounded half up, so a value exactly halfway between two points gets the
    higher one. A floor at or above the target leaves no range to interpolate
    over; it then acts as a single threshold at the floor (below it 0, at or
    above it 10) rather than raising, so a misconfigured setting cannot break a
    page.
    """
    annual = _decimal(annual, field="annual")
    floor = _decimal(floor, field="floor")
    target = _decimal(target, field="target")
    if target <= floor:
        return 10 if annual >= floor else 0
    if annual <= floor:
        return 0
    if annual >= target:
        return 10
    fraction = (annual - floor) / (target - floor)
    return int((fraction * 10).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def arrangement_score(arrangement: str, *, preferences: Mapping[str, int]) -> int | None:
    """Score the arrangement criterion from the user's stated preference for it.

    ``preferences`` maps an arrangement to 0-10 (e.g. contractor 9, employee 4).
    No stated preference for this arrangement (there is none to state for being in
    transition) gives None: the criterion stays
    unscored rather than guessed, and the user can score it by hand.
    """
    if arrangement not in ARRANGEMENTS:
        raise PayInputError(f"Unknown arrangement {arrangement!r}.", field="arrangement")
    preference = preferences.get(arrangement)
    if preference is None:
        return None
    if isinstance(preference, bool) or not isinstance(preference, int):
        raise PayInputError("A preference must be a whole number 0-10.", field="preferences")
    if not 0 <= preference <= 10:
        raise PayInputError("A preference must be between 0 and 10.", field="preferences")
    return preference


# --- plausible amounts ------------------------------------------------------------


def plausible_maximum(basis: str, *, currency: str) -> Decimal:
    """The most an amount paid on ``basis`` can plausibly be in ``currency``.

    :data:`PLAUSIBLE_MAXIMUM` (dollars) times the currency's units to the dollar,
    rounded up to a power of ten, so that no currency's real pay is refused.
    """
    _require(basis in PLAUSIBLE_MAXIMUM, f"Choose a pay basis: {', '.join(BASES)}.", field="basis")
    return PLAUSIBLE_MAXIMUM[basis].scaleb(dollar_magnitude(currency))


def check_plausible_pay(
    amount: Decimal, *, basis: str, currency: str, field: str = "amount"
) -> None:
    """The one plausibility rule for every amount: raise :class:`PayInputError` on
    ``field`` when ``amount`` (in ``currency``, paid on ``basis``) is beyond
    :func:`plausible_maximum`."""
    maximum = plausible_maximum(basis, currency=currency)
    _require(
        _decimal(amount, field=field) <= maximum,
        f"That is more than {format_money(maximum, currency)} {_PER_BASIS[basis]}: "
        "check for extra zeros.",
        field=field,
    )


def check_plausible_offer(inputs: PayInputs, *, offer_currency: str, currency: str) -> None:
    """:func:`check_plausible_pay` for an offer's amount and stated benefits, as typed (in
    ``offer_currency``) and once converted to the user's ``currency``, where a rate the
    wrong way round (150 instead of 1/150) shows."""
    stated = [(inputs.amount, inputs.basis, "amount")]
    if inputs.benefits_amount is not None:
        stated.append((inputs.benefits_amount, ANNUAL, "benefits_amount"))
    for amount, basis, field in stated:
        check_plausible_pay(amount, basis=basis, currency=offer_currency, field=field)
    rate = _decimal(inputs.exchange_rate, field="exchange_rate")
    if offer_currency == currency or rate == 1:
        return
    for amount, basis, _ in stated:
        converted = _decimal(amount, field="amount") * rate
        maximum = plausible_maximum(basis, currency=currency)
        _require(
            converted <= maximum,
            f"At this exchange rate that is {format_money(converted, currency)} "
            f"{_PER_BASIS[basis]}, more than {format_money(maximum, currency)}: check the "
            f"rate (how many {currency} one {offer_currency} is worth).",
            field="exchange_rate",
        )


# --- validation -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Offer:
    """Validated inputs, with defaults resolved and the amount in the user's currency."""

    arrangement: str
    basis: str
    offer_amount: Decimal
    amount: Decimal
    hours_per_week: Decimal
    hours_stated: bool
    exchange_rate: Decimal
    paid_weeks_per_year: Decimal | None
    paid_time_off_days: Decimal | None
    benefits_amount: Decimal | None
    benefits_percent: Decimal | None
    overhead_share: Decimal | None
    utilisation: Decimal | None
    project_weeks: Decimal | None


def _decimal(value: object, *, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise PayInputError("Enter a number.", field=field)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise PayInputError("Enter a finite number.", field=field)
    return number


def _optional(value: object, *, field: str) -> Decimal | None:
    return None if value is None else _decimal(value, field=field)


def _require(condition: bool, message: str, *, field: str) -> None:
    if not condition:
        raise PayInputError(message, field=field)


def _check_assumptions(assumptions: PayAssumptions) -> PayAssumptions:
    """The assumptions as Decimals, or PayInputError naming the setting that is off."""
    values = {
        f.name: _decimal(getattr(assumptions, f.name), field=f.name) for f in fields(assumptions)
    }
    a = PayAssumptions(**values)
    full_time = values["full_time_hours_per_week"]
    weeks = values["weeks_per_year"]
    _require(
        0 < full_time <= MAX_HOURS_PER_WEEK,
        "A full-time week must be more than 0 and at most 168 hours.",
        field="full_time_hours_per_week",
    )
    _require(0 < weeks <= 53, "Weeks per year must be 1-53.", field="weeks_per_year")
    _require(
        0 < values["billable_hours_per_year"] <= full_time * weeks,
        "Billable hours must be more than 0 and at most a full-time week every week.",
        field="billable_hours_per_year",
    )
    _require(
        0 <= values["contractor_overhead_share"] < 1,
        "The overhead share must be at least 0 and below 1 (e.g. 0.25 for 25%).",
        field="contractor_overhead_share",
    )
    _require(
        values["employee_benefits_share"] >= 0,
        "The benefits share cannot be negative.",
        field="employee_benefits_share",
    )
    _require(
        0 < values["hours_per_day"] <= 24,
        "Hours per day must be more than 0 and at most 24.",
        field="hours_per_day",
    )
    _require(
        0 <= _weeks_off(values["employee_paid_time_off_days"], a) < weeks,
        "Paid time off must be at least 0 and shorter than the year.",
        field="employee_paid_time_off_days",
    )
    return a


def _check_inputs(inputs: PayInputs, a: PayAssumptions) -> _Offer:
    _require(
        inputs.arrangement in ARRANGEMENTS,
        f"Choose an arrangement: {', '.join(ARRANGEMENTS)}.",
        field="arrangement",
    )
    _require(inputs.basis in BASES, f"Choose a pay basis: {', '.join(BASES)}.", field="basis")
    _require(inputs.amount is not None, "Enter the amount of pay.", field="amount")
    amount = _decimal(inputs.amount, field="amount")
    _require(amount >= 0, "Pay cannot be negative.", field="amount")

    hours = _optional(inputs.hours_per_week, field="hours_per_week")
    if hours is None:
        hours = a.full_time_hours_per_week
    _require(
        0 < hours <= MAX_HOURS_PER_WEEK,
        "Hours per week must be more than 0 and at most 168.",
        field="hours_per_week",
    )
    rate = _decimal(inputs.exchange_rate, field="exchange_rate")
    _require(rate > 0, "The exchange rate must be more than 0.", field="exchange_rate")

    paid_weeks = _optional(inputs.paid_weeks_per_year, field="paid_weeks_per_year")
    _require(
        paid_weeks is None or 0 < paid_weeks <= a.weeks_per_year,
        f"Paid weeks must be more than 0 and at most {_number(a.weeks_per_year)}.",
        field="paid_weeks_per_year",
    )
    days_off = _optional(inputs.paid_time_off_days, field="paid_time_off_days")
    _require(
        days_off is None or days_off >= 0,
        "Paid time off cannot be negative.",
        field="paid_time_off_days",
    )
    benefits_amount = _optional(inputs.benefits_amount, field="benefits_amount")
    _require(
        benefits_amount is None or benefits_amount >= 0,
        "Benefits cannot be negative.",
        field="benefits_amount",
    )
    benefits_percent = _optional(inputs.benefits_percent, field="benefits_percent")
    _require(
        benefits_percent is None or benefits_percent >= 0,
        "Benefits cannot be negative.",
        field="benefits_percent",
    )
    overhead = _optional(inputs.overhead_share, field="overhead_share")
    _require(
        overhead is None or 0 <= overhead < 1,
        "The overhead share must be at least 0 and below 1 (e.g. 0.25 for 25%).",
        field="overhead_share",
    )
    utilisation = _optional(inputs.utilisation, field="utilisation")
    _require(
        utilisation is None or 0 < utilisation <= 1,
        "Utilisation must be more than 0 and at most 1 (e.g. 0.8 for 80%).",
        field="utilisation",
    )
    project_weeks = _optional(inputs.project_weeks, field="project_weeks")
    _require(
        project_weeks is not None or inputs.basis != PROJECT,
        "Enter how many weeks the project lasts.",
        field="project_weeks",
    )
    _require(
        project_weeks is None or project_weeks > 0,
        "The project must last more than 0 weeks.",
        field="project_weeks",
    )
    if inputs.arrangement == EMPLOYEE and days_off is not None:
        _require(
            _weeks_off(days_off, a) < (paid_weeks or a.weeks_per_year),
            "Paid time off must be shorter than the paid weeks of the year.",
            field="paid_time_off_days",
        )
    return _Offer(
        arrangement=inputs.arrangement,
        basis=inputs.basis,
        offer_amount=amount,
        amount=amount * rate,
        hours_per_week=hours,
        hours_stated=inputs.hours_per_week is not None,
        exchange_rate=rate,
        paid_weeks_per_year=paid_weeks,
        paid_time_off_days=days_off,
        benefits_amount=benefits_amount,
        benefits_percent=benefits_percent,
        overhead_share=overhead,
        utilisation=utilisation,
        project_weeks=project_weeks,
    )


def _weeks_off(days: Decimal, a: PayAssumptions) -> Decimal:
    """Days off as weeks of the person's own schedule (a day is 1/5 week by default)."""
    return days * a.hours_per_day / a.full_time_hours_per_week


# --- the two arrangements ---------------------------------------------------------


class _Ledger:
    """Collects breakdown lines and keeps their cents adding up to the total.

    The running value stays exact; each effect is the difference between the
    rounded running values before and after it, so base + effects equals the
    rounded total to the cent, and no line is more than a cent off its own
    exact value.
    """

    def __init__(self) -> None:
        self.lines: list[BreakdownLine] = []
        self.value = Decimal(0)
        self.assumed: list[Assumed] = []

    def assume(self, text: str, field: str, *, setting: bool = False) -> None:
        self.assumed.append(Assumed(text, field, setting))

    def note(self, label: str, amount: Decimal) -> None:
        self.lines.append(BreakdownLine(label, _cents(amount), "note"))

    def base(self, label: str, value: Decimal) -> None:
        self.value = value
        self.lines.append(BreakdownLine(label, _cents(value), "base"))

    def change(self, label: str, value: Decimal, kind: Literal["add", "subtract"]) -> None:
        effect = _cents(value) - _cents(self.value)
        self.value = value
        self.lines.append(BreakdownLine(label, effect, kind))

    def total(self, label: str) -> Decimal:
        self.lines.append(BreakdownLine(label, _cents(self.value), "total"))
        return self.value


def _employee_value(ledger: _Ledger, offer: _Offer, a: PayAssumptions) -> tuple[Decimal, str]:
    """Salary plus benefits; returns the hours worked a year and how they were counted."""
    hours = offer.hours_per_week
    paid_weeks = offer.paid_weeks_per_year or a.weeks_per_year
    amount = _money(offer.amount)
    match offer.basis:
        case "annual":
            salary, label = offer.amount, f"Salary: {amount} a year"
        case "monthly":
            salary = offer.amount * _MONTHS
            label = f"{amount} a month {_TIMES} 12 months"
        case "hourly":
            salary = offer.amount * hours * paid_weeks
            label = (
                f"{amount} an hour {_TIMES} {_number(hours)} h a week "
                f"{_TIMES} {_number(paid_weeks)} paid weeks"
            )
        case "daily":
            days = hours / a.hours_per_day
            salary = offer.amount * days * paid_weeks
            label = (
                f"{amount} a day {_TIMES} {_number(days)} days a week "
                f"({_number(hours)} h {_DIVIDED} {_number(a.hours_per_day)} h a day) "
                f"{_TIMES} {_number(paid_weeks)} paid weeks"
            )
        case _:  # project
            project_weeks = _present(offer.project_weeks)
            salary = offer.amount * paid_weeks / project_weeks
            label = (
                f"{amount} for {_number(project_weeks)} weeks, annualised "
                f"{_TIMES} {_number(paid_weeks)}/{_number(project_weeks)} paid weeks"
            )
    ledger.base(label, salary)
    if offer.basis in (HOURLY, DAILY) and not offer.hours_stated:
        ledger.assume(f"a full-time week of {_number(hours)} h", "hours_per_week")
    if offer.basis in (HOURLY, DAILY, PROJECT) and offer.paid_weeks_per_year is None:
        ledger.assume(
            f"{_number(paid_weeks)} paid weeks a year (time off paid)", "paid_weeks_per_year"
        )

    if offer.benefits_amount is None and offer.benefits_percent is None:
        if hours >= a.full_time_hours_per_week * BENEFITS_ASSUMED_FROM:
            share = a.employee_benefits_share
            ledger.change(
                f"Benefits assumed at {_percent(share)} of salary (none stated; your default)",
                salary * (1 + share),
                "add",
            )
            ledger.assume(
                f"benefits at {_percent(share)} of salary (your default)", "benefits_percent"
            )
        else:
            ledger.change(
                "No benefits assumed: none stated, and most part-time jobs come without them",
                salary,
                "add",
            )
            ledger.assume("no benefits (none stated for a part-time job)", "benefits_percent")
    if offer.benefits_amount is not None:
        in_offer_currency = (
            f" ({_money(offer.benefits_amount)} {_TIMES} "
            f"{_number(offer.exchange_rate, places=6)} exchange rate)"
            if offer.exchange_rate != 1
            else ""
        )
        ledger.change(
            f"Benefits stated: {_money(offer.benefits_amount * offer.exchange_rate)} "
            f"a year{in_offer_currency}",
            ledger.value + offer.benefits_amount * offer.exchange_rate,
            "add",
        )
    if offer.benefits_percent is not None:
        ledger.change(
            f"Benefits stated: {_number(offer.benefits_percent)}% of salary",
            ledger.value + salary * offer.benefits_percent / _HUNDRED,
            "add",
        )

    if offer.paid_time_off_days is None:
        days_off = a.employee_paid_time_off_days * paid_weeks / a.weeks_per_year
        assumed = ", assumed"
    else:
        days_off, assumed = offer.paid_time_off_days, ""
    weeks_off = _weeks_off(days_off, a)
    weeks_worked = paid_weeks - weeks_off
    hours_label = (
        f"{_number(hours * weeks_worked)} hours worked ({_number(hours)} h a week "
        f"{_TIMES} {_number(weeks_worked)} weeks: {_number(paid_weeks)} paid "
        f"{_MINUS} {_number(weeks_off)} weeks off for {_number(days_off)} days{assumed})"
    )
    return hours * weeks_worked, hours_label


def _transition_value(ledger: _Ledger, offer: _Offer, a: PayAssumptions) -> tuple[Decimal, str]:
    """What one lives on between things, over every week of the year, nothing added or
    taken off; returns the hours of those weeks."""
    hours = offer.hours_per_week
    weeks = a.weeks_per_year
    amount = _money(offer.amount)
    match offer.basis:
        case "annual":
            income, label = offer.amount, f"{amount} a year"
        case "monthly":
            income = offer.amount * _MONTHS
            label = f"{amount} a month {_TIMES} 12 months"
        case "hourly":
            income = offer.amount * hours * weeks
            label = (
                f"{amount} an hour {_TIMES} {_number(hours)} h a week "
                f"{_TIMES} {_number(weeks)} weeks"
            )
        case "daily":
            days = hours / a.hours_per_day
            income = offer.amount * days * weeks
            label = (
                f"{amount} a day {_TIMES} {_number(days)} days a week "
                f"({_number(hours)} h {_DIVIDED} {_number(a.hours_per_day)} h a day) "
                f"{_TIMES} {_number(weeks)} weeks"
            )
        case _:  # project
            project_weeks = _present(offer.project_weeks)
            income = offer.amount * weeks / project_weeks
            label = (
                f"{amount} for {_number(project_weeks)} weeks, annualised "
                f"{_TIMES} {_number(weeks)}/{_number(project_weeks)} weeks"
            )
    ledger.base(label, income)
    if offer.basis in (HOURLY, DAILY) and not offer.hours_stated:
        ledger.assume(f"a full-time week of {_number(hours)} h", "hours_per_week")
    ledger.change(
        "Nothing added or taken off: in transition, what you live on is what counts",
        income,
        "add",
    )
    hours_label = (
        f"{_number(hours * weeks)} hours ({_number(hours)} h a week {_TIMES} "
        f"{_number(weeks)} weeks)"
    )
    return hours * weeks, hours_label


def _contract_value(ledger: _Ledger, offer: _Offer, a: PayAssumptions) -> tuple[Decimal, str]:
    """Billed revenue, less overhead, plus the benefits it buys; returns billable hours."""
    hours = offer.hours_per_week
    contracted = hours * a.weeks_per_year
    if offer.utilisation is None:
        billable = a.billable_hours_per_year * hours / a.full_time_hours_per_week
        how = (
            "your default for full-time contract work"
            if hours == a.full_time_hours_per_week
            else (
                f"{_number(a.billable_hours_per_year)} a year {_TIMES} "
                f"{_number(hours)}/{_number(a.full_time_hours_per_week)} h a week"
            )
        )
    else:
        billable = contracted * offer.utilisation
        how = (
            f"{_number(hours)} h a week {_TIMES} {_number(a.weeks_per_year)} weeks "
            f"{_TIMES} {_percent(offer.utilisation)} utilisation"
        )
    billable_label = f"{_number(billable)} billable hours ({how})"
    billed_share = f"{_number(billable)}/{_number(contracted)} contracted hours billed"
    amount = _money(offer.amount)
    match offer.basis:
        case "hourly":
            gross = offer.amount * billable
            label = f"{amount} an hour {_TIMES} {billable_label}"
        case "daily":
            days = billable / a.hours_per_day
            gross = offer.amount * days
            label = (
                f"{amount} a day {_TIMES} {_number(days)} billable days "
                f"({billable_label} {_DIVIDED} {_number(a.hours_per_day)} h a day)"
            )
        case "annual":
            gross = offer.amount * billable / contracted
            label = f"{amount} a year {_TIMES} {billed_share} ({how})"
        case _:  # monthly, project: annualise as if every week were billed, then bill
            if offer.basis == MONTHLY:
                every_week = offer.amount * _MONTHS
                annualised = f"{amount} a month {_TIMES} 12"
            else:
                project_weeks = _present(offer.project_weeks)
                every_week = offer.amount * a.weeks_per_year / project_weeks
                annualised = (
                    f"{amount} for {_number(project_weeks)} weeks {_TIMES} "
                    f"{_number(a.weeks_per_year)}/{_number(project_weeks)}"
                )
            ledger.note(f"{annualised}: a year if every week were billed", every_week)
            gross = every_week * billable / contracted
            label = f"{_money(every_week)} {_TIMES} {billed_share} ({how})"
    ledger.base(label, gross)
    if offer.basis in (HOURLY, DAILY) and not offer.hours_stated:
        ledger.assume(f"a full-time week of {_number(hours)} h", "hours_per_week")
    if offer.utilisation is None:
        ledger.assume(f"{_number(billable)} billable hours a year (your default)", "utilisation")

    if offer.overhead_share is None:
        overhead, source = a.contractor_overhead_share, "your default"
        ledger.assume(f"{_percent(overhead)} overhead (your default)", "overhead_share")
    else:
        overhead, source = offer.overhead_share, "stated for this offer"
    net = gross * (1 - overhead)
    ledger.change(
        f"Overhead at {_percent(overhead)} ({source}): self-employment tax, insurance, "
        "pension, equipment",
        net,
        "subtract",
    )
    share = a.employee_benefits_share
    ledger.change(
        f"Benefits equivalent at {_percent(share)} of the {_money(net)} left "
        "(the overhead bought what an employer's benefits would)",
        net * (1 + share),
        "add",
    )
    ledger.assume(
        f"a benefits equivalent of {_percent(share)} (your setting)",
        "employee_benefits_share",
        setting=True,
    )
    return billable, billable_label


def _with_equivalents(
    ledger: _Ledger,
    *,
    annual: Decimal,
    hours_worked: Decimal,
    hours_label: str,
    hours_per_week: Decimal,
    assumptions: PayAssumptions,
) -> PayBreakdown:
    a = assumptions
    hourly = annual / hours_worked
    ledger.note(f"Effective hourly: {_money(annual)} {_DIVIDED} {hours_label}", hourly)

    full_time = annual * a.full_time_hours_per_week / hours_per_week
    if hours_per_week != a.full_time_hours_per_week:
        direction = (
            "Part-time pro-rated to"
            if hours_per_week < a.full_time_hours_per_week
            else "Scaled down to"
        )
        ledger.note(
            f"{direction} full time: {_money(annual)} {_TIMES} "
            f"{_number(a.full_time_hours_per_week)}/{_number(hours_per_week)} h a week",
            full_time,
        )
    benefits = 1 + a.employee_benefits_share
    salary = full_time / benefits
    ledger.note(
        f"As a full-time salary: {_money(full_time)} {_DIVIDED} "
        f"(1 + {_percent(a.employee_benefits_share)} benefits)",
        salary,
    )
    overhead = a.contractor_overhead_share
    rate = full_time / (a.billable_hours_per_year * (1 - overhead) * benefits)
    ledger.note(
        f"As an hourly contract rate: {_money(full_time)} {_DIVIDED} "
        f"({_number(a.billable_hours_per_year)} billable hours {_TIMES} "
        f"(1 {_MINUS} {_percent(overhead)} overhead) {_TIMES} "
        f"(1 + {_percent(a.employee_benefits_share)} benefits))",
        rate,
    )
    return PayBreakdown(
        annual=_cents(annual),
        hourly=_cents(hourly),
        full_time_salary=_cents(salary),
        contract_rate=_cents(rate),
        lines=tuple(ledger.lines),
        hours_worked_per_year=_cents(hours_worked),
        full_time_annual=_cents(full_time),
        assumed=tuple(ledger.assumed),
    )


# --- formatting -------------------------------------------------------------------


def _present(value: Decimal | None) -> Decimal:
    if value is None:  # pragma: no cover - excluded by validation
        raise PayInputError("Missing value.", field="project_weeks")
    return value


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _money(value: Decimal) -> str:
    """A currency-neutral amount: 1,234.50 (the view adds the symbol)."""
    return f"{_cents(value):,.2f}"


def _number(value: Decimal, *, places: int = 2) -> str:
    """A quantity without trailing zeros: 1,800 or 37.5 or 0.92."""
    text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(share: Decimal) -> str:
    return f"{_number(share * _HUNDRED)}%"


def _per(offer: _Offer) -> str:
    if offer.basis == PROJECT:
        return f"for {_number(_present(offer.project_weeks))} weeks"
    return {ANNUAL: "a year", MONTHLY: "a month", HOURLY: "an hour", DAILY: "a day"}[offer.basis]


# --- Help texts ------------------------------------------------------------------------------

ASSUMPTION_HELP: Final[Mapping[str, str]] = {
    "full_time_hours_per_week": (
        "Hours in a full-time week; part-time offers are pro-rated against it. Default "
        f"{_number(DEFAULT_ASSUMPTIONS.full_time_hours_per_week)}: the US Fair Labor "
        "Standards Act counts hours beyond 40 as overtime."
    ),
    "weeks_per_year": (
        f"Calendar weeks in a year ({_number(DEFAULT_ASSUMPTIONS.weeks_per_year)}); "
        "time off is counted separately."
    ),
    "billable_hours_per_year": (
        "Hours a full-time contractor actually bills in a year. Default "
        f"{_number(DEFAULT_ASSUMPTIONS.billable_hours_per_year)}: the freelancer "
        "rate-calculator rule of thumb, 52 weeks x 40 h = 2,080 minus about 35 days of "
        "holidays, sick days, admin and gaps between contracts."
    ),
    "contractor_overhead_share": (
        "Share of contract revenue that pays for what an employer would otherwise pay "
        "on top of a salary (employer's half of social-security contributions, health "
        "insurance, pension) plus running costs (equipment, software, accounting). Default "
        f"{_percent(DEFAULT_ASSUMPTIONS.contractor_overhead_share)}: US self-employment "
        "tax is 15.3%, half of it the employer's share (IRS Topic No. 554); insurance and "
        "retirement about 12% (BLS ECEC); costs ~5%."
    ),
    "employee_benefits_share": (
        "Benefits as a share of salary, assumed when an employee offer for at least three "
        "quarters of a full-time week states none (a shorter, part-time one is assumed to "
        "have none, as most do). Default "
        f"{_percent(DEFAULT_ASSUMPTIONS.employee_benefits_share)}: benefits are about 30% "
        'of employer compensation costs in the BLS "Employer Costs for Employee '
        'Compensation" (paid leave, already in the salary, left out).'
    ),
    "hours_per_day": (
        "Hours in a working day, to convert day rates and days off. Default "
        f"{_number(DEFAULT_ASSUMPTIONS.hours_per_day)}."
    ),
    "employee_paid_time_off_days": (
        "Paid days off (vacation and public holidays) assumed when an employee offer "
        "states none; only the effective hourly value uses it. Default "
        f"{_number(DEFAULT_ASSUMPTIONS.employee_paid_time_off_days)}: four weeks' statutory "
        "leave in the EU (Working Time Directive 2003/88/EC) plus public holidays; US "
        "workers typically get 10-14 vacation days plus about 8 holidays and sick leave "
        "(BLS National Compensation Survey)."
    ),
}
"""Help text for a settings form, one entry per :class:`PayAssumptions` field."""
