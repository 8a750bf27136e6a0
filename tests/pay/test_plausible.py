"""Issue 14, item 2: one plausibility rule for every amount, per basis, and every number
box of the pay forms refusing what it cannot mean with a message on its field.

An hourly rate of 1000000000 (or 1e6) used to be stored, because the only bound was
what the database column holds (9,999,999,999.99) and ``1e6`` was read as a number.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from opportunities.models import Opportunity, Profile
from opportunities.pay.core import (
    BASES,
    PLAUSIBLE_MAXIMUM,
    PayInputError,
    PayInputs,
    check_plausible_offer,
    check_plausible_pay,
    plausible_maximum,
)
from opportunities.pay.currencies import DOLLAR_MAGNITUDE, ISO_4217, dollar_magnitude
from opportunities.pay.forms import CompensationForm
from opportunities.pay.queries import comparable_pay, pay_profile
from opportunities.pay.services import save_pay_settings
from opportunities.pay.settings_forms import FirstPaySettingsForm, PaySettingsForm
from tests.factories import OpportunityFactory

# --- the rule, pure ------------------------------------------------------------------------------

PERIODS_A_YEAR = {"hourly": 2_080, "daily": 260, "monthly": 12, "annual": 1, "project": 1}


def test_every_basis_has_a_bound_of_about_ten_million_dollars_a_year():
    assert set(PLAUSIBLE_MAXIMUM) == set(BASES)
    for basis, maximum in PLAUSIBLE_MAXIMUM.items():
        assert 10_000_000 <= maximum * PERIODS_A_YEAR[basis] <= 12_500_000, basis


@pytest.mark.parametrize(
    ("amount", "basis"),
    [
        ("1000000000", "hourly"),  # the two examples
        ("1e6", "hourly"),
        ("5000.01", "hourly"),
        ("40000.01", "daily"),
        ("1000000.01", "monthly"),
        ("10000000.01", "annual"),
        ("10000000.01", "project"),
    ],
)
def test_an_amount_beyond_its_basis_is_refused_with_a_clear_message(amount, basis):
    with pytest.raises(PayInputError) as refused:
        check_plausible_pay(Decimal(amount), basis=basis, currency="USD")
    assert refused.value.field == "amount"
    assert str(refused.value).endswith("check for extra zeros.")
    assert f"more than USD {PLAUSIBLE_MAXIMUM[basis]:,.0f}" in str(refused.value)


@given(
    basis=st.sampled_from(BASES),
    currency=st.sampled_from(sorted(ISO_4217)),
    fraction=st.decimals(min_value=0, max_value=1, places=4),
)
def test_anything_up_to_the_bound_passes_and_a_cent_more_does_not(basis, currency, fraction):
    maximum = plausible_maximum(basis, currency=currency)
    check_plausible_pay(maximum * fraction, basis=basis, currency=currency)
    with pytest.raises(PayInputError):
        check_plausible_pay(maximum + Decimal("0.01"), basis=basis, currency=currency)


@pytest.mark.parametrize(
    ("currency", "real_hourly_pay"),
    [("JPY", 3_000), ("KRW", 30_000), ("IDR", 150_000), ("VND", 1_000_000), ("INR", 2_500)],
)
def test_a_currency_of_small_units_keeps_its_real_pay(currency, real_hourly_pay):
    check_plausible_pay(Decimal(real_hourly_pay), basis="hourly", currency=currency)
    with pytest.raises(PayInputError):
        check_plausible_pay(Decimal(real_hourly_pay) * 10_000, basis="hourly", currency=currency)


def test_every_currency_has_a_magnitude_or_is_worth_a_dollar_or_more():
    assert set(DOLLAR_MAGNITUDE) <= ISO_4217
    worth_a_dollar = {"BHD", "BMD", "BSD", "CHF", "EUR", "FKP", "GBP", "GIP", "JOD", "KWD"}
    worth_a_dollar |= {"KYD", "OMR", "PAB", "SHP", "USD"}
    assert ISO_4217 - set(DOLLAR_MAGNITUDE) == worth_a_dollar
    assert dollar_magnitude("JPY") == 3
    assert dollar_magnitude("USD") == 0


def test_a_rate_the_wrong_way_round_is_caught_on_the_rate():
    offer = PayInputs(
        arrangement="contractor", basis="hourly", amount=Decimal(3000), exchange_rate=Decimal(150)
    )
    with pytest.raises(PayInputError) as refused:
        check_plausible_offer(offer, offer_currency="JPY", currency="USD")
    assert refused.value.field == "exchange_rate"
    assert "USD 450,000 an hour" in str(refused.value)
    assert "how many USD one JPY is worth" in str(refused.value)
    check_plausible_offer(
        PayInputs(
            arrangement="contractor",
            basis="hourly",
            amount=Decimal(3000),
            exchange_rate=Decimal("0.0067"),
        ),
        offer_currency="JPY",
        currency="USD",
    )


def test_stated_benefits_are_held_to_the_yearly_bound():
    offer = PayInputs(
        arrangement="employee",
        basis="annual",
        amount=Decimal(50_000),
        benefits_amount=Decimal(50_000_000),
    )
    with pytest.raises(PayInputError) as refused:
        check_plausible_offer(offer, offer_currency="USD", currency="USD")
    assert refused.value.field == "benefits_amount"


# --- the forms -----------------------------------------------------------------------------------


CONTRACT = {
    "arrangement": "contractor",
    "schedule": "full_time",
    "pay_basis": "hourly",
    "pay_amount": "55",
}


def compensation_form(user, data) -> CompensationForm:
    return CompensationForm(data, instance=Opportunity(owner=user), profile=pay_profile(user))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pay_amount": "1000000000"}, "pay_amount", "more than USD 5,000 an hour"),
        ({"pay_amount": "1e6"}, "pay_amount", "in digits"),
        ({"pay_basis": "daily", "pay_amount": "50000"}, "pay_amount", "USD 40,000 a day"),
        ({"pay_basis": "monthly", "pay_amount": "2000000"}, "pay_amount", "a month"),
        ({"pay_basis": "annual", "pay_amount": "99000000"}, "pay_amount", "a year"),
        (
            {"pay_basis": "project", "pay_amount": "50000000", "project_weeks": "10"},
            "pay_amount",
            "USD 10,000,000 for a project",
        ),
        (
            {"arrangement": "employee", "pay_basis": "annual", "benefits_amount": "20000000"},
            "benefits_amount",
            "USD 10,000,000 a year",
        ),
        (
            {
                "arrangement": "employee",
                "pay_basis": "",
                "pay_amount": "",
                "benefits_amount": "2e7",
            },
            "benefits_amount",
            "in digits",
        ),
        (
            {
                "arrangement": "employee",
                "pay_basis": "",
                "pay_amount": "",
                "benefits_amount": "2" + "0" * 7,
            },
            "benefits_amount",
            "check for extra zeros",
        ),
        (
            {"currency": "JPY", "exchange_rate": "0.0067", "pay_amount": "9000000"},
            "pay_amount",
            "JPY 5,000,000 an hour",
        ),
        ({"currency": "EUR", "exchange_rate": "1000", "pay_amount": "60"}, "exchange_rate", "rate"),
    ],
)
def test_the_pay_form_puts_the_rule_on_the_field(user, changes, field, message):
    form = compensation_form(user, CONTRACT | changes)
    assert not form.is_valid()
    assert list(form.errors) == [field], form.errors
    assert message in form.errors[field][0]


@pytest.mark.django_db
def test_a_plausible_foreign_offer_still_passes(user):
    form = compensation_form(
        user, CONTRACT | {"currency": "JPY", "pay_amount": "9000", "exchange_rate": "0.0067"}
    )
    assert form.is_valid(), form.errors


NUMBER_BOXES = [
    "hours_per_week",
    "pay_amount",
    "exchange_rate",
    "paid_weeks_per_year",
    "paid_time_off_days",
    "benefits_amount",
    "benefits_percent",
    "overhead_share",
    "utilisation",
    "project_weeks",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NUMBER_BOXES)
@pytest.mark.parametrize("typed", ["1e6", "abc", "-5", "9" * 30])
def test_every_number_box_of_the_pay_form_refuses_nonsense_on_its_own_field(user, name, typed):
    applies = {"currency": "EUR", "exchange_rate": "1.1"}
    if name in {"paid_weeks_per_year", "paid_time_off_days", "benefits_amount", "benefits_percent"}:
        applies |= {"arrangement": "employee", "pay_basis": "annual", "pay_amount": "40000"}
    if name == "project_weeks":
        applies |= {"pay_basis": "project", "pay_amount": "20000"}
    form = compensation_form(user, CONTRACT | applies | {name: typed})
    assert not form.is_valid()
    assert name in form.errors, form.errors
    assert form[name].value() == typed  # kept for the user to correct


SETTINGS = {
    "currency": "USD",
    "pay_floor": "30000",
    "pay_target": "110000",
    "employee_preference": "4",
    "contractor_preference": "9",
    "freelance_preference": "",
    "full_time_hours_per_week": "40",
    "hours_per_day": "8",
    "billable_hours_per_year": "1800",
    "contractor_overhead_share": "25",
    "employee_benefits_share": "30",
    "employee_paid_time_off_days": "25",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "pay_floor",
        "pay_target",
        "full_time_hours_per_week",
        "hours_per_day",
        "billable_hours_per_year",
        "contractor_overhead_share",
        "employee_benefits_share",
        "employee_paid_time_off_days",
        "employee_preference",
    ],
)
@pytest.mark.parametrize("typed", ["1e6", "abc", "-5", "9" * 30, "1e"])
def test_every_number_box_of_the_settings_refuses_nonsense_on_its_own_field(user, name, typed):
    form = PaySettingsForm(SETTINGS | {name: typed}, instance=Profile(owner=user))
    assert not form.is_valid()
    assert name in form.errors, form.errors
    assert form[name].value() == typed


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pay_target": "200000000"}, "pay_target", "more than USD 10,000,000 a year"),
        ({"pay_floor": "99000000", "pay_target": "100000000"}, "pay_floor", "extra zeros"),
        (
            {"currency": "INR", "pay_floor": "4000000", "pay_target": "2000000000"},
            "pay_target",
            "INR 1,000,000,000 a year",
        ),
    ],
)
def test_the_floor_and_target_are_held_to_the_yearly_bound(user, changes, field, message):
    form = PaySettingsForm(SETTINGS | changes, instance=Profile(owner=user))
    assert not form.is_valid()
    assert message in form.errors[field][0]


@pytest.mark.django_db
def test_a_yen_floor_and_target_pass(user):
    form = PaySettingsForm(
        SETTINGS | {"currency": "JPY", "pay_floor": "4000000", "pay_target": "9000000"},
        instance=Profile(owner=user),
    )
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_preferences_are_text_boxes_so_a_browser_never_sends_bad_input_as_empty(user):
    for form in (PaySettingsForm(), FirstPaySettingsForm(instance=Profile(owner=user))):
        widget = form.fields["employee_preference"].widget
        assert widget.input_type == "text"
        assert widget.attrs["inputmode"] == "numeric"


# --- pay stored before the rule ------------------------------------------------------------------


@pytest.mark.django_db
def test_absurd_pay_already_stored_is_not_compared(client_in, user):
    absurd = OpportunityFactory(
        owner=user, arrangement="employee", pay_basis="hourly", pay_amount=Decimal(1_000_000_000)
    )
    save_pay_settings(
        profile=Profile(owner=user, pay_floor=Decimal(30_000), pay_target=Decimal(110_000))
    )
    pay = comparable_pay(absurd, pay_profile(user))
    assert pay.breakdown is None
    assert "check for extra zeros" in pay.problem
    page = client_in.get(reverse("opportunities:opportunity_detail", args=[absurd.pk])).text
    assert 'data-testid="pay-problem"' in page
    assert "1,352,000,000,000" not in page
    assert "2,704,000,000,000" not in page
