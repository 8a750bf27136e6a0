"""Form fields for amounts as people type them, and currency codes."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms

from opportunities.pay.currencies import is_currency_code, normalise_code

_NUMBER = re.compile(r"[+-]?(\d+(?:\.\d*)?|\.\d+)")
r"""Digits with at most one point. Each digit can match in one place only: the looser
``\d+\.?\d*`` backtracks through every split of a run of digits, and 100,000 of them took
a worker past its 30-second timeout."""


_EXPONENT = re.compile(r"[+-]?(\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+")
"""``1e6``: refused rather than read as 1,000,000, which nobody types for a pay, hours or
a share on purpose (and which used to slip an absurd amount past the digit count)."""


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


_MAX_MONEY = Decimal("9999999999.99")
"""The largest amount an opportunity or a setting stores (12 digits, 2 of them decimals)."""


def _plain(value: Decimal) -> str:
    """A stored Decimal as a person would type it: 42000, 37.5, 0.92."""
    return f"{value.normalize():f}"


class NumberField(forms.Field):
    """A number as people type it (``42000``, ``42,000.50``, ``37.5``), with one clear message
    when it is out of range rather than Django's digit counts.

    The value is rounded half up to ``places`` (the decimals stored), and checked against
    ``minimum`` and ``maximum`` before and after rounding, so nothing out of range or
    unstorable gets through, however many digits were typed. Scientific notation
    (``1e6``) is refused with its own message.
    """

    default_error_messages = {
        "invalid": "Enter a number, such as 42000 or 37.5.",
        "exponent": "Write the number out in digits, such as 1000000 rather than 1e6.",
    }

    def __init__(
        self,
        *,
        places: int,
        minimum: Decimal,
        maximum: Decimal,
        too_low: str,
        too_high: str,
        above_minimum: bool = False,
        below_maximum: bool = False,
        **kwargs,
    ) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.step = Decimal(1).scaleb(-places)
        self.minimum, self.maximum = minimum, maximum
        self.above_minimum, self.below_maximum = above_minimum, below_maximum
        self.too_low, self.too_high = too_low, too_high

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(" ", "")
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        if _EXPONENT.fullmatch(text):
            raise forms.ValidationError(self.error_messages["exponent"], code="exponent")
        if not text.isascii() or not _NUMBER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text)

    def clean(self, value) -> Decimal | None:
        number = super().clean(value)
        if number is None:
            return None
        self._check_range(number)
        number = number.quantize(self.step, rounding=ROUND_HALF_UP) + 0  # + 0: no "-0"
        self._check_range(number)
        return self.scaled(number)

    def _check_range(self, number: Decimal) -> None:
        if number < self.minimum or (self.above_minimum and number == self.minimum):
            raise forms.ValidationError(self.too_low, code="min_value")
        if number > self.maximum or (self.below_maximum and number == self.maximum):
            raise forms.ValidationError(self.too_high, code="max_value")

    def scaled(self, number: Decimal) -> Decimal:
        return number

    def prepare_value(self, value):
        return _plain(value) if isinstance(value, Decimal) else value


class PercentField(NumberField):
    """A share typed as a percentage (25) and stored as a fraction (0.25)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("places", 1)
        super().__init__(**kwargs)

    def scaled(self, number: Decimal) -> Decimal:
        return number / 100

    def prepare_value(self, value):
        return _plain(value * 100) if isinstance(value, Decimal) else value


def _currency_code(text: str) -> str:
    code = normalise_code(text)
    if not is_currency_code(code):
        raise forms.ValidationError(
            "Enter a three-letter ISO 4217 currency code, such as EUR, USD or GBP."
        )
    return code


def describe_field(form: forms.BaseForm, name: str, css: str) -> None:
    """Point a field at its message and help slots (the template's ``pay-error-…`` and
    ``pay-help-…``); Django marks a field with errors aria-invalid="true"."""
    field = form.fields[name]
    html_name = form.add_prefix(name)
    described = f"pay-error-{html_name}" + (f" pay-help-{html_name}" if field.help_text else "")
    field.widget.attrs.update({"class": css, "aria-describedby": described})
