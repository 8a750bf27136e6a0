"""An opportunity's compensation, and the user's pay settings, both checked by
``pay.core`` itself so that a valid form is always one it can compute."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from opportunities.models import Arrangement, Opportunity, PayBasis, Profile, Schedule
from opportunities.pay.core import (
    ANNUAL,
    ASSUMPTION_HELP,
    EMPLOYEE,
    PayInputError,
    PayInputs,
    comparable_annual_pay,
)
from opportunities.pay.currencies import normalise_code
from opportunities.pay.fields import (
    _MAX_MONEY,
    NumberField,
    PercentField,
    _currency_code,
    _plain,
)
from opportunities.pay.queries import COMPENSATION_FIELDS, pay_assumptions, pay_inputs
from opportunities.web.forms import ConflictCheckMixin

EMPLOYEE_ONLY = ("paid_weeks_per_year", "paid_time_off_days", "benefits_amount", "benefits_percent")


CONTRACT_ONLY = ("overhead_share", "utilisation")


PROJECT_ONLY = ("project_weeks",)


_PAY_FIELDS = {"amount": "pay_amount", "basis": "pay_basis"}
"""``PayInputError.field`` names that differ from the form's."""


class CompensationForm(ConflictCheckMixin, forms.ModelForm):
    """An opportunity's arrangement, hours and pay, validated through ``pay`` itself.

    Fields that do not apply to the chosen arrangement or basis (employee benefits for a
    contract, the project length of a salary...) are cleared rather than checked: the
    page hides them, so an error there could not be seen, let alone fixed.
    """

    hours_per_week = NumberField(
        label="Hours per week",
        places=2,
        minimum=Decimal("0.5"),
        maximum=Decimal(100),
        too_low="Enter at least half an hour a week.",
        too_high="Enter at most 100 hours a week.",
    )
    pay_amount = NumberField(
        label="Amount",
        places=2,
        minimum=Decimal(0),
        maximum=_MAX_MONEY,
        too_low="Pay cannot be negative.",
        too_high="That is more than 9,999,999,999: check for extra zeros.",
    )
    currency = forms.CharField(label="Currency", required=False, strip=True)
    exchange_rate = NumberField(
        label="Exchange rate",
        places=6,
        minimum=Decimal(0),
        maximum=Decimal("999999.999999"),
        above_minimum=True,
        too_low="The exchange rate must be more than 0 (at least 0.000001).",
        too_high="An exchange rate must be below 1,000,000.",
    )
    paid_weeks_per_year = NumberField(
        label="Paid weeks a year",
        places=1,
        minimum=Decimal(1),
        maximum=Decimal(52),
        too_low="Enter from 1 to 52 paid weeks.",
        too_high="Enter from 1 to 52 paid weeks.",
        help_text="Empty for all 52. Paid time off is paid, so it counts.",
    )
    paid_time_off_days = NumberField(
        label="Paid days off a year",
        places=1,
        minimum=Decimal(0),
        maximum=Decimal(365),
        too_low="Paid time off cannot be negative.",
        too_high="A year has 365 days.",
        help_text="Vacation and public holidays. Empty for your default.",
    )
    benefits_amount = NumberField(
        label="Benefits, amount a year",
        places=2,
        minimum=Decimal(0),
        maximum=_MAX_MONEY,
        too_low="Benefits cannot be negative.",
        too_high="That is more than 9,999,999,999: check for extra zeros.",
        help_text="Health insurance and the like, in the offer's currency.",
    )
    benefits_percent = NumberField(
        label="Benefits, % of salary",
        places=2,
        minimum=Decimal(0),
        maximum=Decimal(100),
        too_low="Benefits cannot be negative.",
        too_high="Enter at most 100% of salary.",
        help_text="A pension match, say. With an amount too, both count.",
    )
    overhead_share = PercentField(
        label="Overhead, % of revenue",
        minimum=Decimal(0),
        maximum=Decimal(100),
        below_maximum=True,
        too_low="Overhead cannot be negative.",
        too_high="Overhead must be below 100% of what you bill.",
    )
    utilisation = PercentField(
        label="Utilisation, % of hours billed",
        minimum=Decimal(0),
        maximum=Decimal(100),
        above_minimum=True,
        too_low="Utilisation must be more than 0%.",
        too_high="Utilisation is at most 100%.",
    )
    project_weeks = NumberField(
        label="Project length in weeks",
        places=1,
        minimum=Decimal(0),
        maximum=Decimal(520),
        above_minimum=True,
        too_low="The project must last more than 0 weeks.",
        too_high="Enter at most 520 weeks (ten years).",
    )

    class Meta:
        model = Opportunity
        fields = COMPENSATION_FIELDS
        labels = {"schedule": "Full- or part-time", "pay_basis": "Paid"}

    def __init__(self, *args, profile: Profile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.add_version_field()
        currency = profile.currency
        full_time = _plain(profile.full_time_hours_per_week)
        cast(forms.ChoiceField, self.fields["pay_basis"]).choices = [
            ("", "Not known yet"),
            *PayBasis.choices,
        ]
        currency_help = f"Empty for your currency, {currency}. Another needs an exchange rate."
        self.fields["currency"].help_text = currency_help
        self.fields["currency"].widget.attrs.update(
            {"placeholder": currency, "maxlength": 3, "autocomplete": "off", "list": "currencies"}
        )
        rate_help = f"How many {currency} one unit of the offer's currency is worth."
        self.fields["exchange_rate"].help_text = rate_help
        self.fields["hours_per_week"].help_text = f"Empty for a full-time week ({full_time} h)."
        self.fields["overhead_share"].help_text = (
            "Self-employment tax, insurance, pension, equipment, unbilled admin. Empty for "
            f"your default ({_plain(profile.contractor_overhead_share * 100)}%)."
        )
        self.fields["utilisation"].help_text = (
            "Share of the contracted hours you expect to bill. Empty for your default "
            f"({profile.billable_hours_per_year.normalize():,f} billable hours a full-time year)."
        )
        if not self.is_bound and not self.instance.currency:
            self.initial["exchange_rate"] = None
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            # Django marks a field with errors aria-invalid="true"; the CSS styles that.
            described = f"pay-error-{name}" + (f" pay-help-{name}" if field.help_text else "")
            widget.attrs.update({"class": css, "aria-describedby": described})

    def clean_currency(self) -> str:
        text = self.cleaned_data["currency"]
        if not text or normalise_code(text) == self.profile.currency:
            return ""
        return _currency_code(text)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.check_version()
        for name in self._not_applicable(cleaned.get("arrangement"), cleaned.get("pay_basis")):
            self._ignore(name, cleaned, None)
        self._require_what_belongs_together(cleaned)
        if not self.errors:
            self._check_with_pay(cleaned)
        return cleaned

    def _ignore(self, name: str, cleaned: dict[str, Any], value: Decimal | None) -> None:
        self.errors.pop(name, None)
        cleaned[name] = value

    def _require_what_belongs_together(self, cleaned: dict[str, Any]) -> None:
        def missing(name: str) -> bool:
            return name not in self.errors and cleaned.get(name) is None

        currency = cleaned.get("currency")
        if currency and missing("exchange_rate"):
            own = self.profile.currency
            self.add_error(
                "exchange_rate", f"How many {own} is one {currency}? Enter the exchange rate."
            )
        elif not currency:
            self._ignore("exchange_rate", cleaned, Decimal(1))
        if cleaned.get("schedule") == Schedule.PART_TIME and missing("hours_per_week"):
            self.add_error("hours_per_week", "How many hours a week would this part-time role be?")
        basis = cleaned.get("pay_basis")
        if basis and missing("pay_amount"):
            self.add_error("pay_amount", "Enter the amount paid.")
        if not basis and "pay_basis" not in self.errors and cleaned.get("pay_amount") is not None:
            self.add_error("pay_basis", "Choose what the amount pays for: a year, an hour...")

    @staticmethod
    def _not_applicable(arrangement: str | None, basis: str | None) -> list[str]:
        names: list[str] = []
        if arrangement == Arrangement.EMPLOYEE:
            names += CONTRACT_ONLY
        elif arrangement in (Arrangement.CONTRACTOR, Arrangement.FREELANCE):
            names += EMPLOYEE_ONLY
        if basis != PayBasis.PROJECT:
            names += PROJECT_ONLY
        return names

    def _check_with_pay(self, cleaned: dict[str, Any]) -> None:
        """Let ``pay`` judge the combination (days off longer than the paid weeks...)."""
        values = {name: cleaned.get(name) for name in COMPENSATION_FIELDS}
        inputs = pay_inputs(Opportunity(**values), currency=self.profile.currency)
        if inputs is None:
            return
        try:
            comparable_annual_pay(inputs, assumptions=pay_assumptions(self.profile))
        except PayInputError as error:
            field = _PAY_FIELDS.get(error.field, error.field)
            if field in self.fields:
                self.add_error(field, str(error))
            else:
                self.add_error(None, f"Your pay settings need a look first: {error}")


class PaySettingsForm(forms.ModelForm):
    """The user's currency, pay floor and target, arrangement preferences and assumptions."""

    currency = forms.CharField(
        label="Your currency",
        strip=True,
        help_text="ISO 4217 code. Amounts are not converted when you change it.",
        error_messages={"required": "Enter your currency, such as EUR, USD or GBP."},
    )
    pay_floor = NumberField(
        label="Pay floor (Pay scores 0)",
        places=2,
        minimum=Decimal(0),
        maximum=_MAX_MONEY,
        too_low="The floor cannot be negative.",
        too_high="That is more than 9,999,999,999: check for extra zeros.",
    )
    pay_target = NumberField(
        label="Pay target (Pay scores 10)",
        places=2,
        minimum=Decimal(0),
        maximum=_MAX_MONEY,
        too_low="The target cannot be negative.",
        too_high="That is more than 9,999,999,999: check for extra zeros.",
    )
    full_time_hours_per_week = NumberField(
        label="Hours in a full-time week",
        required=True,
        places=2,
        minimum=Decimal(1),
        maximum=Decimal(100),
        too_low="Enter from 1 to 100 hours.",
        too_high="Enter from 1 to 100 hours.",
        help_text=ASSUMPTION_HELP["full_time_hours_per_week"],
    )
    hours_per_day = NumberField(
        label="Hours in a working day",
        required=True,
        places=2,
        minimum=Decimal(1),
        maximum=Decimal(24),
        too_low="Enter from 1 to 24 hours.",
        too_high="Enter from 1 to 24 hours.",
        help_text=ASSUMPTION_HELP["hours_per_day"],
    )
    billable_hours_per_year = NumberField(
        label="Billable hours in a full-time contract year",
        required=True,
        places=1,
        minimum=Decimal(0),
        maximum=Decimal(8760),
        above_minimum=True,
        too_low="Enter more than 0 hours.",
        too_high="A year has 8,760 hours.",
        help_text=ASSUMPTION_HELP["billable_hours_per_year"],
    )
    contractor_overhead_share = PercentField(
        label="Contractor overhead, % of revenue",
        required=True,
        minimum=Decimal(0),
        maximum=Decimal(100),
        below_maximum=True,
        too_low="Overhead cannot be negative.",
        too_high="Overhead must be below 100% of revenue.",
        help_text=ASSUMPTION_HELP["contractor_overhead_share"],
    )
    employee_benefits_share = PercentField(
        label="Employee benefits, % of salary",
        required=True,
        minimum=Decimal(0),
        maximum=Decimal(100),
        too_low="Benefits cannot be negative.",
        too_high="Enter at most 100% of salary.",
        help_text=ASSUMPTION_HELP["employee_benefits_share"],
    )
    employee_paid_time_off_days = NumberField(
        label="Employee paid days off a year",
        required=True,
        places=1,
        minimum=Decimal(0),
        maximum=Decimal(365),
        too_low="Paid time off cannot be negative.",
        too_high="A year has 365 days.",
        help_text=ASSUMPTION_HELP["employee_paid_time_off_days"],
    )

    class Meta:
        model = Profile
        fields = [
            "currency",
            "pay_floor",
            "pay_target",
            "employee_preference",
            "contractor_preference",
            "freelance_preference",
            "full_time_hours_per_week",
            "hours_per_day",
            "billable_hours_per_year",
            "contractor_overhead_share",
            "employee_benefits_share",
            "employee_paid_time_off_days",
        ]
        labels = {
            "employee_preference": "Employee",
            "contractor_preference": "Subcontractor",
            "freelance_preference": "Freelance",
        }
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1})
            for name in ("employee_preference", "contractor_preference", "freelance_preference")
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("employee_preference", "contractor_preference", "freelance_preference"):
            field = self.fields[name]
            field.help_text = "0 to 10; empty to score that arrangement by hand."
            field.error_messages.update(
                dict.fromkeys(
                    ("invalid", "min_value", "max_value"), "A preference is a whole number 0-10."
                )
            )
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "list": "currencies"})
        self.fields["pay_floor"].help_text = "At or below it, Pay scores 0."
        self.fields["pay_target"].help_text = "At or above it, Pay scores 10."

    def clean_currency(self) -> str:
        return _currency_code(self.cleaned_data["currency"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        floor, target = cleaned.get("pay_floor"), cleaned.get("pay_target")
        if "pay_floor" not in self.errors and "pay_target" not in self.errors:
            if (floor is None) != (target is None):
                missing = "pay_target" if target is None else "pay_floor"
                self.add_error(missing, "Set both a floor and a target, or neither.")
            elif floor is not None and target <= floor:
                self.add_error("pay_target", "The target must be above the floor.")
        if not self.errors:
            self._check_with_pay(cleaned)
        return cleaned

    def _check_with_pay(self, cleaned: dict[str, Any]) -> None:
        """``pay`` checks its assumptions together (billable hours within the year...)
        whenever it computes, so run it once on a plain salary."""
        assumptions = pay_assumptions(Profile(**{name: cleaned[name] for name in self.Meta.fields}))
        try:
            comparable_annual_pay(
                PayInputs(arrangement=EMPLOYEE, basis=ANNUAL, amount=Decimal(1)),
                assumptions=assumptions,
            )
        except PayInputError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
