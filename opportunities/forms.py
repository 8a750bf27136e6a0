from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm

from opportunities.models import Criterion, Opportunity, Schedule


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class OpportunityForm(forms.ModelForm):
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


class CriterionForm(forms.ModelForm):
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
