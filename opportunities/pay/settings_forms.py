"""The user's pay settings: the whole page of them, and the few asked on the first pay
entry (the floor and target and the arrangement preferences) so that pay is scored at
once. Both are checked by ``pay.core`` itself."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from opportunities.models import Profile
from opportunities.pay.core import (
    ANNUAL,
    ASSUMPTION_HELP,
    PayInputError,
    check_plausible_pay,
)
from opportunities.pay.fields import (
    _MAX_MONEY,
    NumberField,
    PercentField,
    _currency_code,
    describe_field,
)
from opportunities.pay.queries import PREFERENCE_FIELDS, check_settings


def _floor_or_target(label: str, which: str) -> NumberField:
    return NumberField(
        label=label,
        places=2,
        minimum=Decimal(0),
        maximum=_MAX_MONEY,
        too_low=f"The {which} cannot be negative.",
        too_high="That is more than 9,999,999,999: check for extra zeros.",
    )


class _ScoringSettings(forms.ModelForm):
    """What derives the Pay and arrangement scores: the pay floor and target, and a 0-10
    preference for each arrangement. Shared by the pay settings and the first pay entry."""

    pay_floor = _floor_or_target("Pay floor (Pay scores 0)", "floor")
    pay_target = _floor_or_target("Pay target (Pay scores 10)", "target")

    class Meta:
        model = Profile
        fields = ["pay_floor", "pay_target", *PREFERENCE_FIELDS]
        labels = {
            "employee_preference": "Employee",
            "contractor_preference": "Subcontractor",
            "freelance_preference": "Freelance",
        }
        # Text, not type="number": a browser sends a number box holding "1e" or "--" as
        # empty, which would clear a preference without a word.
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            for name in PREFERENCE_FIELDS
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in PREFERENCE_FIELDS:
            field = self.fields[name]
            field.help_text = "0 to 10; empty to score that arrangement by hand."
            field.error_messages.update(
                dict.fromkeys(
                    ("invalid", "min_value", "max_value"), "A preference is a whole number 0-10."
                )
            )
        self.fields["pay_floor"].help_text = "At or below it, Pay scores 0."
        self.fields["pay_target"].help_text = "At or above it, Pay scores 10."

    def scoring_currency(self) -> str:
        return self.instance.currency

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "pay_floor" in self.errors or "pay_target" in self.errors:
            return cleaned
        floor, target = cleaned.get("pay_floor"), cleaned.get("pay_target")
        if (floor is None) != (target is None):
            missing = "pay_target" if target is None else "pay_floor"
            self.add_error(missing, "Set both a floor and a target, or neither.")
            return cleaned
        if floor is None or target is None:
            return cleaned
        try:
            for name in ("pay_floor", "pay_target"):
                check_plausible_pay(
                    cleaned[name], basis=ANNUAL, currency=self.scoring_currency(), field=name
                )
        except PayInputError as error:
            self.add_error(error.field, str(error))
            return cleaned
        if target <= floor:
            self.add_error("pay_target", "The target must be above the floor.")
        return cleaned


class FirstPaySettingsForm(_ScoringSettings):
    """The pay floor and target and the arrangement preferences, asked on the pay page
    while no floor and target are set, so that the first pay entered is scored at once.

    Saved with the pay, into the user's pay settings."""

    prefix = "settings"

    @staticmethod
    def wanted(profile: Profile) -> bool:
        return profile.pay_floor is None or profile.pay_target is None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        currency = self.instance.currency
        self.fields["pay_floor"].label = f"Pay floor, {currency} a year"
        self.fields["pay_target"].label = f"Pay target, {currency} a year"
        for name in PREFERENCE_FIELDS:
            self.fields[name].help_text = ""  # said once, above the three
        for name in self.fields:
            describe_field(self, name, "form-control")


class PaySettingsForm(_ScoringSettings):
    """The user's currency, pay floor and target, arrangement preferences and assumptions."""

    currency = forms.CharField(
        label="Your currency",
        strip=True,
        help_text="ISO 4217 code. Amounts are not converted when you change it.",
        error_messages={"required": "Enter your currency, such as EUR, USD or GBP."},
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

    class Meta(_ScoringSettings.Meta):
        fields = [
            "currency",
            "pay_floor",
            "pay_target",
            *PREFERENCE_FIELDS,
            "full_time_hours_per_week",
            "hours_per_day",
            "billable_hours_per_year",
            "contractor_overhead_share",
            "employee_benefits_share",
            "employee_paid_time_off_days",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs.update({"maxlength": 3, "list": "currencies"})

    def clean_currency(self) -> str:
        return _currency_code(self.cleaned_data["currency"])

    def scoring_currency(self) -> str:
        """The floor and target are in the currency typed with them."""
        return self.cleaned_data.get("currency") or self.instance.currency

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            self._check_with_pay(cleaned)
        return cleaned

    def _check_with_pay(self, cleaned: dict[str, Any]) -> None:
        """``pay`` checks its assumptions together (billable hours within the year...)."""
        values = {name: cleaned[name] for name in self.Meta.fields}
        values["pay_floor"] = values["pay_target"] = None  # checked by clean() above
        try:
            check_settings(Profile(**values))
        except PayInputError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
