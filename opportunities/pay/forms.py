"""An opportunity's compensation, checked by ``pay.core`` itself so that a valid form is
always one it can compute (the pay settings' forms are in ``settings_forms``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from opportunities.models import Arrangement, Opportunity, PayBasis, Profile, Schedule
from opportunities.pay.core import (
    PayInputError,
)
from opportunities.pay.currencies import normalise_code
from opportunities.pay.fields import (
    _MAX_MONEY,
    NumberField,
    PercentField,
    _currency_code,
    _plain,
    describe_field,
)
from opportunities.pay.queries import (
    COMPENSATION_FIELDS,
    check_offer,
)
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
        help_text=(
            "Empty for all 52: time off is paid, so it counts. Paid by the hour with unpaid "
            "time off? Enter the weeks you would work."
        ),
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
            describe_field(self, name, css)

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
        elif arrangement == Arrangement.IN_TRANSITION:  # no employer, no clients
            names += EMPLOYEE_ONLY + CONTRACT_ONLY
        if basis != PayBasis.PROJECT:
            names += PROJECT_ONLY
        return names

    def _check_with_pay(self, cleaned: dict[str, Any]) -> None:
        """Let ``pay`` judge the combination (days off longer than the paid weeks...) and
        whether the amounts are plausible at all (an hourly rate of a billion...)."""
        values = {name: cleaned.get(name) for name in COMPENSATION_FIELDS}
        try:
            check_offer(Opportunity(**values), self.profile)
        except PayInputError as error:
            field = _PAY_FIELDS.get(error.field, error.field)
            if field in self.fields:
                self.add_error(field, str(error))
            else:
                self.add_error(None, f"Your pay settings need a look first: {error}")


# The pay settings' forms live in their own module; importable from here as before.
from opportunities.pay.settings_forms import FirstPaySettingsForm, PaySettingsForm  # noqa: E402

__all__ = ["CompensationForm", "FirstPaySettingsForm", "PaySettingsForm"]
