from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.journal import PENDING_OUTCOME
from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    GutCheck,
    Opportunity,
    Outcome,
    Schedule,
    Stage,
)
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
