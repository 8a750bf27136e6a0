"""Form plumbing shared by the features."""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import timezone

from opportunities.curves.core import SCALE_LIMIT
from opportunities.journal.core import EARLIEST_DAY
from opportunities.models.limits import refuse_control_characters
from opportunities.timeline.core import happened_on_problem


class ConflictCheckMixin:
    """Refuse to overwrite changes saved elsewhere (another tab, another device).

    The form carries the version (``updated_at``) it was loaded with; if the row has
    been saved since, the user gets a clear conflict message with their own input
    kept, instead of silently overwriting the other edit.
    """

    conflict_message = (
        "This was changed in another tab or on another device after you opened this "
        "form. Your version is below and nothing was saved: reload the page to see the "
        "other changes, then make yours again."
    )

    # Provided by the ModelForm this is mixed into.
    fields: dict[str, forms.Field]
    initial: MutableMapping[str, Any]
    cleaned_data: dict[str, Any]
    instance: Any
    is_bound: bool

    def add_version_field(self) -> None:
        self.fields["loaded_version"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64
        )
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    def check_version(self) -> None:
        loaded = self.cleaned_data.get("loaded_version")
        if self.instance.pk and loaded and loaded != self.instance.updated_at.isoformat():
            raise forms.ValidationError(self.conflict_message, code="conflict")


class CountedBoundField(BoundField):
    """A length limit is counted and refused, never enforced by cutting; and text with
    control characters in it is refused, by every form of the app.

    A browser given ``maxlength`` cuts a longer paste without a word, so a note written
    elsewhere loses its end. The limit goes to ``data-maxlength`` instead: a counter
    (crossroads.js) shows it as the user types, and the form refuses over-long text
    with everything kept, as it refuses any other bad input.
    """

    too_long = (
        "Keep this to %(limit_value)d characters; it has %(show_value)d. Nothing was cut: "
        "shorten it and save again."
    )

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # The form's own wording wins; otherwise this, rather than "Ensure this value…".
        field.error_messages.setdefault("max_length", self.too_long)
        # Every text field refuses control characters, as an import does (models.limits).
        # Django's own NUL check gives way to it, so a NUL is not refused twice.
        if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ] + [refuse_control_characters]

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        limit = attrs.get("maxlength", widget.attrs.get("maxlength"))
        if limit not in (None, False) and not widget.is_hidden:
            attrs["maxlength"] = False  # Django leaves an attribute set to False out.
            attrs["data-maxlength"] = limit
        return attrs


class FormRenderer(DjangoTemplates):
    """Every form of the app renders its fields as ``CountedBoundField``s."""

    bound_field_class = CountedBoundField


class DayItHappenedField(forms.DateField):
    """ "When": the day something in an opportunity's story happened (an entry, a stage
    move, a checkpoint). Today when left empty; any day back to ``EARLIEST_DAY`` is
    accepted, none after today. The date picker offers the same range."""

    default_error_messages = {"invalid": "Give the day as a date, such as 2026-03-14."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "When")
        kwargs.setdefault("initial", timezone.localdate)
        kwargs.setdefault("help_text", "Today, or the day it happened.")
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> DayItHappenedField:
        # Each form gets its copy of the field: the picker's range is set for the day the
        # form is made, not the day the server started.
        field = super().__deepcopy__(memo)
        field.widget.attrs.update(
            min=EARLIEST_DAY.isoformat(), max=timezone.localdate().isoformat()
        )
        return field

    def clean(self, value: Any) -> date:
        day = super().clean(value)
        if day is None:
            return timezone.localdate()
        if problem := happened_on_problem(day, today=timezone.localdate()):
            raise forms.ValidationError(problem, code="out_of_range")
        return day


class AmountField(forms.DecimalField):
    """A number a criterion is measured in (35 minutes, 12.5 km): at most two decimals,
    and no further from zero than ``curves.core.SCALE_LIMIT``; empty for none. Each
    problem is said in words, and NaN, infinities and exponents are refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("decimal_places", 2)
        messages = {
            "invalid": "Type a number, like 35 or 12.5.",
            "max_decimal_places": "Use at most 2 decimals.",
            "required": "Type a number.",
        }
        kwargs["error_messages"] = messages | kwargs.get("error_messages", {})
        super().__init__(**kwargs)
        self.widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        number = super().to_python(value)
        if number is None:
            return None
        if not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if number.copy_abs() > SCALE_LIMIT:
            raise forms.ValidationError(
                f"Use a number between -{SCALE_LIMIT:,} and {SCALE_LIMIT:,}.", code="limit"
            )
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and exponent > 0:  # "1e3": one thousand, written out
            number = number.quantize(Decimal(1))
        return number
