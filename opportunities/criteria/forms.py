"""A criterion's name, meaning, scale, weight and must-have minimum; a weight on its own."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from opportunities.models import Criterion
from opportunities.models.limits import MAX_CRITERIA, at_limit
from opportunities.web.forms import ConflictCheckMixin

MEANING_LENGTH = 190
"""Room for what an end of the scale means, leaving space in the stored 200 characters
for the "10 = " in front of it."""


def on_the_scale(end: int, text: str) -> str:
    """``text`` as the ``end`` of a 0–10 scale reads everywhere: "0 = an hour each way".

    The default criteria store their scale that way and the scoring panel prints it as
    it is, so what a user types ("an hour each way", "0: an hour", "0 - an hour") is
    given the same form. An empty result means nothing was said.
    """
    text = text.strip()
    said = re.match(rf"{end}\s*(?:=|:|-|–|—|means\b)\s*", text)
    if said:
        text = text[said.end() :].strip()
    return f"{end} = {text}" if text else ""


def _meaning_field(end: int, example: str) -> forms.CharField:
    return forms.CharField(
        label=f"What a {end} means",
        max_length=MEANING_LENGTH,
        help_text=f"In your own words, e.g. “{example}” for a commute.",
        error_messages={
            "required": f"Say what a score of {end} means for this criterion, "
            f"e.g. “{example}”: it keeps every score on the same scale.",
        },
    )


class CriterionForm(ConflictCheckMixin, forms.ModelForm):
    """Adding or editing a criterion asks what 0 and 10 mean on it, as the default
    criteria say, so a score means the same thing today as in a year."""

    low_meaning = _meaning_field(0, "over an hour each way")
    high_meaning = _meaning_field(10, "a short walk")

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

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.check_version()
        if self.instance.pk is None:
            count = Criterion.objects.for_user(self.owner).count()
            if count >= MAX_CRITERIA:
                raise forms.ValidationError(
                    at_limit(
                        "criteria (archived ones too)",
                        MAX_CRITERIA,
                        advice="restore an archived one and rename it instead",
                    ),
                    code="limit",
                )
        return cleaned

    def clean_low_meaning(self) -> str:
        return self._on_the_scale(0, "low_meaning")

    def clean_high_meaning(self) -> str:
        return self._on_the_scale(10, "high_meaning")

    def _on_the_scale(self, end: int, name: str) -> str:
        meaning = on_the_scale(end, self.cleaned_data[name])
        if not meaning:
            raise forms.ValidationError(self.fields[name].error_messages["required"])
        return meaning

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
