"""An opportunity's details, and a move along its pipeline."""

from __future__ import annotations

from typing import Any

from django import forms

from opportunities.models import Opportunity, Schedule, Stage
from opportunities.web.forms import ConflictCheckMixin


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

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.check_version()
        if cleaned.get("schedule") == Schedule.PART_TIME and not cleaned.get("hours_per_week"):
            self.add_error("hours_per_week", "How many hours a week would this part-time role be?")
        return cleaned


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
