"""An opportunity's details, and a move along its pipeline."""

from __future__ import annotations

from typing import Any

from django import forms

from opportunities.models import Opportunity, Stage
from opportunities.models.limits import MAX_OPPORTUNITIES, at_limit
from opportunities.pipeline.core import (
    FULL_TIME_MIN_HOURS,
    PART_TIME_MAX_HOURS,
    schedule_hours_problem,
)
from opportunities.web.forms import ConflictCheckMixin
from opportunities.web.once import OnceFormMixin


class OpportunityForm(OnceFormMixin, ConflictCheckMixin, forms.ModelForm):
    """An opportunity's details. A new one's form is sent once: see ``web.once``."""

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
            "hours_per_week": (
                f"Leave empty for an ordinary full-time week. Full-time is "
                f"{FULL_TIME_MIN_HOURS} hours a week or more; part-time, under "
                f"{PART_TIME_MAX_HOURS}."
            ),
        }

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.add_version_field()
        if self.instance.pk is None:
            self.add_once_field()

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
        if self.instance.pk is None:
            count = Opportunity.objects.for_user(self.owner).count()
            if count >= MAX_OPPORTUNITIES:
                raise forms.ValidationError(
                    at_limit("opportunities (archived ones too)", MAX_OPPORTUNITIES),
                    code="limit",
                )
        if "schedule" in cleaned and "hours_per_week" in cleaned:
            hours = cleaned["hours_per_week"]
            problem = schedule_hours_problem(cleaned["schedule"], hours)
            if problem:
                self.add_error("hours_per_week" if hours is None else "schedule", problem)
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
