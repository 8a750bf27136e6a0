"""The pay forms and money formatting: numbers as people type them, one clear message per
field, and (property-tested) never a valid form that ``pay`` could not compute."""

import time
from decimal import Decimal

import pytest
from django import forms
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from opportunities.models import Opportunity, Profile
from opportunities.pay.core import BASES
from opportunities.pay.currencies import format_money, is_currency_code
from opportunities.pay.fields import NumberField
from opportunities.pay.forms import CONTRACT_ONLY, EMPLOYEE_ONLY, CompensationForm
from opportunities.pay.queries import comparable_pay, pay_examples, pay_profile
from opportunities.pay.settings_forms import PaySettingsForm

pytestmark = pytest.mark.django_db

FIELD_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def amount_field(**kwargs) -> NumberField:
    options = {
        "places": 2,
        "minimum": Decimal(0),
        "maximum": Decimal(1000),
        "too_low": "too low",
        "too_high": "too high",
    }
    return NumberField(**options | kwargs)


# --- Numbers as people type them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", Decimal(42)),
        (" 42.5 ", Decimal("42.5")),
        ("1,000", Decimal(1000)),
        ("1 000", Decimal(1000)),
        ("999.999", Decimal("1000.00")),  # rounded half up to the places stored
        ("0.004", Decimal("0.00")),
        ("-0", Decimal(0)),
        (".5", Decimal("0.5")),
        ("", None),
    ],
)
def test_number_field_reads_what_people_type(text, value):
    cleaned = amount_field().clean(text)
    assert cleaned == value
    if value is not None:
        assert not cleaned.is_signed()  # never "-0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("4,20", "Enter a number"),  # a decimal comma is not guessed at
        ("1,0000", "Enter a number"),
        ("١٢", "Enter a number"),  # digits, but not the ones the form shows
        ("NaN", "Enter a number"),
        ("inf", "Enter a number"),
        ("0x10", "Enter a number"),
        ("12 500 €", "Enter a number"),
        ("-0.01", "too low"),
        ("1000.01", "too high"),
        ("9" * 400, "too high"),  # checked before rounding, so no arithmetic overflow
        ("1e400", "in digits"),  # scientific notation is refused, never read
        ("1e2", "in digits"),
        ("2.5E-3", "in digits"),
    ],
)
def test_number_field_refuses_with_one_message(text, message):
    with pytest.raises(forms.ValidationError) as refused:
        amount_field().clean(text)
    assert len(refused.value.messages) == 1
    assert message in refused.value.messages[0]


@pytest.mark.parametrize("text", ["9" * 100_000, "9" * 100_000 + "x", "1." + "9" * 100_000 + "e"])
def test_a_number_of_a_hundred_thousand_digits_is_refused_at_once(text):
    """Reading it took minutes while the patterns backtracked through every split of the
    digits, and gunicorn killed the worker at 30 seconds (found by ``make fuzz``)."""
    started = time.perf_counter()
    with pytest.raises(forms.ValidationError):
        amount_field().clean(text)
    assert time.perf_counter() - started < 0.5


def test_an_exclusive_minimum_is_checked_after_rounding():
    rate = amount_field(places=6, above_minimum=True, too_low="more than 0")
    assert rate.clean("0.000001") == Decimal("0.000001")
    with pytest.raises(forms.ValidationError, match="more than 0"):
        rate.clean("0.0000004")  # rounds to 0


# --- Money --------------------------------------------------------------------------------------


def test_money_reads_with_its_code_and_thousands_separators():
    assert format_money(Decimal("96525.00"), "USD") == "USD 96,525"
    assert format_money(Decimal("53.625"), "EUR", places=2) == "EUR 53.63"  # half up
    assert format_money(Decimal("-24750"), "USD", places=2) == "\N{MINUS SIGN}USD 24,750.00"
    assert format_money(Decimal(22275), "USD", sign="always") == "+USD 22,275"
    assert format_money(Decimal(0), "USD", sign="always") == "USD 0"


@pytest.mark.parametrize(
    ("code", "known"),
    [("EUR", True), ("JPY", True), ("eur", False), ("XYZ", False), ("€€€", False), ("", False)],
)
def test_currency_codes_are_iso_4217(code, known):
    assert is_currency_code(code) is known


# --- Properties ---------------------------------------------------------------------------------

NUMBERISH = st.one_of(
    st.just(""),
    st.decimals(min_value=-10, max_value=10**11, allow_nan=False, places=3).map(str),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["0", "0.5", "1e20", "NaN", "-0", "1,000", "abc", "9" * 40]),
)


def typed(low: int, high: int) -> st.SearchStrategy[str]:
    """Mostly left empty or within ``low``-``high``, sometimes anything at all."""
    within = st.decimals(min_value=low, max_value=high, places=2).map(str)
    return st.one_of(st.just(""), within, within, NUMBERISH)


PAY_FORMS = st.fixed_dictionaries(
    {
        "arrangement": st.sampled_from(["employee", "contractor", "freelance"]),
        "schedule": st.sampled_from(["full_time", "part_time"]),
        "pay_basis": st.sampled_from(["", *BASES]),
        "currency": st.sampled_from(["", "USD", "EUR", "eur", "€€€€", "<b>"]),
        "hours_per_week": typed(1, 100),
        "pay_amount": typed(0, 1_000_000),
        "exchange_rate": typed(1, 10),
        "paid_weeks_per_year": typed(1, 52),
        "paid_time_off_days": typed(0, 30),
        "benefits_amount": typed(0, 20_000),
        "benefits_percent": typed(0, 100),
        "overhead_share": typed(0, 99),
        "utilisation": typed(1, 100),
        "project_weeks": typed(1, 52),
    }
)


def pay_form(user, data) -> CompensationForm:
    return CompensationForm(data, instance=Opportunity(owner=user), profile=pay_profile(user))


def test_the_form_property_below_is_not_vacuous(user):
    valid = find(
        PAY_FORMS,
        lambda data: data["pay_basis"] != "" and pay_form(user, data).is_valid(),
        settings=settings(database=None, max_examples=2000),
    )
    assert valid["pay_amount"] != ""


@FIELD_SETTINGS
@given(data=PAY_FORMS)
def test_a_valid_pay_form_always_makes_comparable_pay(user, data):
    form = pay_form(user, data)
    if not form.is_valid():
        assert set(form.errors) <= set(form.fields)  # each message on its field
        assert all(form.errors.values())
        return
    pay = comparable_pay(form.instance, form.profile)
    assert pay.problem == ""
    if data["pay_basis"]:
        assert pay.breakdown.annual >= 0
        assert pay.breakdown.hourly >= 0
    ignored = CONTRACT_ONLY if data["arrangement"] == "employee" else EMPLOYEE_ONLY
    assert all(form.cleaned_data[name] is None for name in ignored)


@FIELD_SETTINGS
@given(
    data=st.fixed_dictionaries(
        {
            "currency": st.sampled_from(["USD", "gbp", "", "DOLLARS"]),
            "pay_floor": NUMBERISH,
            "pay_target": NUMBERISH,
            "full_time_hours_per_week": NUMBERISH,
            "hours_per_day": NUMBERISH,
            "billable_hours_per_year": NUMBERISH,
            "contractor_overhead_share": NUMBERISH,
            "employee_benefits_share": NUMBERISH,
            "employee_paid_time_off_days": NUMBERISH,
            "employee_preference": st.sampled_from(["", "0", "10", "11", "-1", "x"]),
        }
    )
)
def test_valid_settings_always_work_out(user, data):
    form = PaySettingsForm(data, instance=Profile(owner=user))
    if not form.is_valid():
        assert set(form.errors) <= set(form.fields)
        return
    for _, breakdown in pay_examples(form.instance):
        assert breakdown.annual >= 0
    floor, target = form.cleaned_data["pay_floor"], form.cleaned_data["pay_target"]
    assert (floor is None) == (target is None)
    assert floor is None or floor < target
