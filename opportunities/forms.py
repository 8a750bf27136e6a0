from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.formats import date_format

from opportunities import services
from opportunities.journal import PENDING_OUTCOME
from opportunities.models import (
    Arrangement,
    Criterion,
    Decision,
    DecisionChoice,
    GutCheck,
    Opportunity,
    Outcome,
    PayBasis,
    Profile,
    Schedule,
    Stage,
)
from opportunities.pay.core import (
    ANNUAL,
    ASSUMPTION_HELP,
    EMPLOYEE,
    PayInputError,
    PayInputs,
    comparable_annual_pay,
)
from opportunities.pay.currencies import is_currency_code, normalise_code
from opportunities.portability import MAX_IMPORT_BYTES


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


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


class OpportunityForm(ConflictCheckMixin, forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = [
            "title",
            "organisation",
            "contact",
            "source",
            "arrangement",
            "schedule",
            "hours_per_week",
            "location",
            "workplace",
            "stage",
            "notes",
            "is_status_quo",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "100"}),
        }
        help_texts = {
            "hours_per_week": "Leave empty for an ordinary full-time week.",
        }

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.add_version_field()

    def clean_is_status_quo(self) -> bool:
        flagged = self.cleaned_data["is_status_quo"]
        if flagged:
            current = (
                Opportunity.objects.for_user(self.owner)
                .filter(is_status_quo=True)
                .exclude(pk=self.instance.pk)
                .only("title")
                .first()
            )
            if current is not None:
                raise forms.ValidationError(
                    f"“{current.title}” is already your status quo. "
                    "Untick it there first: only one option can be how things are now."
                )
        return flagged

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_version()
        if cleaned.get("schedule") == Schedule.PART_TIME and not cleaned.get("hours_per_week"):
            self.add_error("hours_per_week", "How many hours a week would this part-time role be?")
        return cleaned


class ScoreForm(forms.Form):
    """One criterion's score; an empty value means "not scored yet"."""

    value = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10,
        error_messages={
            "invalid": "A score is a whole number from 0 to 10.",
            "min_value": "A score is a whole number from 0 to 10.",
            "max_value": "A score is a whole number from 0 to 10.",
        },
    )
    note = forms.CharField(required=False, max_length=500, strip=True)


class CriterionForm(ConflictCheckMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "low_meaning", "high_meaning", "weight", "minimum"]
        widgets = {
            "weight": forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}),
            "minimum": forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}),
        }
        help_texts = {"weight": "How much this matters to you, from 0 (not at all) to 10."}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.add_version_field()

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_version()
        return cleaned

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = (
            Criterion.objects.for_user(self.owner)
            .filter(archived_at__isnull=True, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if clash:
            raise forms.ValidationError("You already have a criterion with this name.")
        return name


class WeightForm(forms.Form):
    weight = forms.IntegerField(
        min_value=0,
        max_value=10,
        error_messages={
            "required": "Give a weight from 0 to 10.",
            "invalid": "A weight is a whole number from 0 to 10.",
            "min_value": "A weight is a whole number from 0 to 10.",
            "max_value": "A weight is a whole number from 0 to 10.",
        },
    )


# --- The decision journal --------------------------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(day, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(message)


def _revisit_in_future(day) -> None:
    if day is not None and day <= timezone.localdate():
        raise forms.ValidationError(
            "Pick a day after today to look back on this, or leave it empty."
        )


class CheckpointForm(forms.Form):
    label = forms.CharField(
        label="Checkpoint label",
        max_length=120,
        strip=True,
        help_text="What has happened since, e.g. “after the interview”.",
        error_messages={
            "required": "Give the checkpoint a label, such as “after the interview”.",
            "max_length": "Keep the label to %(limit_value)d characters (it has %(show_value)d).",
        },
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label="Move to stage",
        choices=Stage.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Choose the stage it has reached.",
            "invalid_choice": "Choose one of the stages in the list.",
        },
    )


class DecisionForm(forms.ModelForm):
    """What was decided, how sure, and why. The evaluation it rests on is frozen by the
    service, not chosen here."""

    class Meta:
        model = Decision
        fields = [
            "choice",
            "decided_on",
            "confidence",
            "rationale",
            "gut_check",
            "gut_check_reason",
            "revisit_on",
        ]
        widgets = {
            "choice": forms.RadioSelect,
            "decided_on": _date_input(),
            "confidence": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "gut_check": forms.RadioSelect,
            "gut_check_reason": forms.Textarea(attrs={"rows": 2}),
            "revisit_on": _date_input(),
        }
        labels = {
            "decided_on": "Decided on",
            "rationale": "Why I decided this",
            "revisit_on": "Revisit on",
        }
        help_texts = {
            "choice": "Accepting, declining or withdrawing also moves the opportunity to that "
            "stage.",
            "confidence": "0 = a coin toss I might regret, 100 = certain.",
            "gut_check_reason": "Especially when the answer is no: it is what you will most "
            "want to read later.",
            "revisit_on": "Optional. The day to look back on how it turned out; your "
            "dashboard will remind you.",
        }
        error_messages = {
            "choice": {"required": "Choose what you decided."},
            "confidence": dict.fromkeys(
                ("required", "invalid", "min_value", "max_value"),
                "Confidence is a whole number from 0 to 100.",
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = DecisionChoice.choices
        gut_check = self.fields["gut_check"]
        gut_check.choices = GutCheck.choices
        gut_check.required = True
        gut_check.error_messages["required"] = "Does the result feel right? Yes, no or unsure."

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        _not_in_future(day, "Record a decision once it is made: the date can’t be in the future.")
        return day

    def clean_revisit_on(self):
        day = self.cleaned_data["revisit_on"]
        _revisit_in_future(day)
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("gut_check") == GutCheck.NO and not cleaned.get("gut_check_reason"):
            self.add_error(
                "gut_check_reason",
                "The result doesn’t feel right: say why, while you still know.",
            )
        return cleaned


class OutcomeForm(forms.ModelForm):
    """What happened after a decision, and what was learned. Added later, edited freely."""

    class Meta:
        model = Decision
        fields = ["outcome", "outcome_on", "reflection", "revisit_on"]
        widgets = {
            "outcome_on": _date_input(),
            "reflection": forms.Textarea(attrs={"rows": 5}),
            "revisit_on": _date_input(),
        }
        labels = {"outcome": "What happened", "outcome_on": "When", "revisit_on": "Revisit on"}
        help_texts = {
            "outcome_on": "Leave empty for today.",
            "revisit_on": "Optional. Set a later day to look back again; leave empty when "
            "this revisit is done.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "Not known yet"), *Outcome.choices]
        revisit_on = self.instance.revisit_on
        if not self.is_bound and revisit_on is not None and revisit_on <= timezone.localdate():
            # Opening the form for a revisit that has come due is the revisit: saving it
            # takes the decision off the dashboard unless a new date is set.
            self.initial["revisit_on"] = None

    def clean_outcome_on(self):
        day = self.cleaned_data["outcome_on"]
        _not_in_future(day, "Record what happened once it has: the date can’t be in the future.")
        return day

    def clean_revisit_on(self):
        day = self.cleaned_data["revisit_on"]
        _revisit_in_future(day)
        return day

    def clean(self) -> dict:
        cleaned = super().clean()
        outcome, day = cleaned.get("outcome"), cleaned.get("outcome_on")
        if "outcome_on" in self.errors:
            return cleaned
        if not outcome and day is not None:
            self.add_error("outcome_on", "Choose what happened, or leave the date empty.")
        elif outcome and day is None:
            cleaned["outcome_on"] = timezone.localdate()
        elif day is not None and day < self.instance.decided_on:
            self.add_error(
                "outcome_on",
                "The outcome comes after the decision, taken on "
                f"{date_format(self.instance.decided_on)}.",
            )
        return cleaned


class JournalFilterForm(forms.Form):
    """The journal's filters (GET). An unusable value is reported and ignored."""

    year = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    decision = forms.ChoiceField(
        required=False,
        choices=[("", "Any decision"), *DecisionChoice.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "Any outcome"), (PENDING_OUTCOME, "No outcome yet"), *Outcome.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years: Iterable[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *((str(y), str(y)) for y in years)]


# --- Comparison ------------------------------------------------------------------------------

WHAT_IF_WEIGHT_ERROR = "A weight is a whole number from 0 to 10."


class WhatIfWeightsForm(forms.Form):
    """Weights to try on the comparison page: a ``w<criterion id>`` field per active criterion.

    A field left out means "as saved". Reading a link, an unreadable value falls back to
    the saved weight so the comparison still shows; saving requires every value valid.
    """

    def __init__(self, *args, criteria: Iterable[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.field_name(criterion)] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=10,
                label=criterion.name,
                error_messages=dict.fromkeys(
                    ("invalid", "min_value", "max_value"), WHAT_IF_WEIGHT_ERROR
                ),
            )

    @staticmethod
    def field_name(criterion: Criterion) -> str:
        return f"w{criterion.pk}"

    def weights(self) -> dict[int, int]:
        """The weight to use per criterion id: the one sent when valid, else the saved one."""
        self.is_valid()
        weights = {}
        for criterion in self.criteria:
            sent = self.cleaned_data.get(self.field_name(criterion))
            weights[criterion.pk] = criterion.weight if sent is None else sent
        return weights

    def unreadable(self) -> list[tuple[Criterion, str]]:
        """The criteria whose weight was sent but is not a whole number from 0 to 10."""
        return [
            (criterion, str(self.data.get(self.field_name(criterion)))[:20])
            for criterion in self.criteria
            if self.field_name(criterion) in self.errors
        ]


class GutRankingForm(forms.Form):
    """The compared options in the order the user feels they rank: a place (1, 2, ...) each."""

    def __init__(self, *args, options: Sequence[Opportunity], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.options = list(options)
        count = len(self.options)
        message = f"Give each option a place from 1 to {count}."
        for place, option in enumerate(self.options, start=1):
            self.fields[self.field_name(option)] = forms.IntegerField(
                min_value=1,
                max_value=count,
                initial=place,
                label=f"Place of “{option.title}”",
                error_messages=dict.fromkeys(
                    ("required", "invalid", "min_value", "max_value"), message
                ),
            )

    @staticmethod
    def field_name(option: Opportunity) -> str:
        return f"place-{option.pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        places = [cleaned.get(self.field_name(option)) for option in self.options]
        if None not in places and len(set(places)) != len(places):
            raise forms.ValidationError(
                "Two options share a place. Give each its own, from 1 (feels best) down."
            )
        return cleaned

    def order(self) -> list[int]:
        """The option ids, the one that feels best first (call after ``is_valid``)."""
        places = {option.pk: self.cleaned_data[self.field_name(option)] for option in self.options}
        return sorted(places, key=places.__getitem__)

    def rows(self) -> list[tuple[Opportunity, forms.BoundField]]:
        """Each option with its place field, in the order the form currently says."""
        rows = [(option, self[self.field_name(option)]) for option in self.options]

        def place(row: tuple[Opportunity, forms.BoundField]) -> int:
            value = str(row[1].value())
            return int(value) if value.isascii() and value.isdigit() else len(rows) + 1

        return sorted(rows, key=place)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Crossroads export (.json)",
        help_text="A file from “Export all my data”. Imports only into an empty account.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("That file is larger than 5 MB; it is not an export.")
        try:
            self.cleaned_data["data"] = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError("That file is not readable JSON.") from exc
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput, strip=False, max_length=4096
    )
    confirm = forms.CharField(
        label="Type DELETE to confirm", max_length=10, help_text="This cannot be undone."
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_confirm(self) -> str:
        confirm = self.cleaned_data["confirm"]
        if confirm.strip() != "DELETE":
            raise forms.ValidationError("Type DELETE in capitals to confirm.")
        return confirm


# --- Comparable pay --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
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
    unstorable gets through, however many digits or whatever exponent was typed.
    """

    default_error_messages = {"invalid": "Enter a number, such as 42000 or 37.5."}

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
        fields = services.COMPENSATION_FIELDS
        labels = {"schedule": "Full- or part-time", "pay_basis": "Paid"}

    def __init__(self, *args, profile: Profile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.add_version_field()
        currency = profile.currency
        full_time = _plain(profile.full_time_hours_per_week)
        self.fields["pay_basis"].choices = [("", "Not known yet"), *PayBasis.choices]
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

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_version()
        for name in self._not_applicable(cleaned.get("arrangement"), cleaned.get("pay_basis")):
            self._ignore(name, cleaned, None)
        self._require_what_belongs_together(cleaned)
        if not self.errors:
            self._check_with_pay(cleaned)
        return cleaned

    def _ignore(self, name: str, cleaned: dict, value: Decimal | None) -> None:
        self.errors.pop(name, None)
        cleaned[name] = value

    def _require_what_belongs_together(self, cleaned: dict) -> None:
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
        names = []
        if arrangement == Arrangement.EMPLOYEE:
            names += CONTRACT_ONLY
        elif arrangement in (Arrangement.CONTRACTOR, Arrangement.FREELANCE):
            names += EMPLOYEE_ONLY
        if basis != PayBasis.PROJECT:
            names += PROJECT_ONLY
        return names

    def _check_with_pay(self, cleaned: dict) -> None:
        """Let ``pay`` judge the combination (days off longer than the paid weeks...)."""
        values = {name: cleaned.get(name) for name in services.COMPENSATION_FIELDS}
        inputs = services.pay_inputs(Opportunity(**values), currency=self.profile.currency)
        if inputs is None:
            return
        try:
            comparable_annual_pay(inputs, assumptions=services.pay_assumptions(self.profile))
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

    def clean(self) -> dict:
        cleaned = super().clean()
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

    def _check_with_pay(self, cleaned: dict) -> None:
        """``pay`` checks its assumptions together (billable hours within the year...)
        whenever it computes, so run it once on a plain salary."""
        assumptions = services.pay_assumptions(
            Profile(**{name: cleaned[name] for name in self._meta.fields})
        )
        try:
            comparable_annual_pay(
                PayInputs(arrangement=EMPLOYEE, basis=ANNUAL, amount=Decimal(1)),
                assumptions=assumptions,
            )
        except PayInputError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
