"""A criterion's name, meaning, scale, weight and must-have minimum; a weight on its own."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from opportunities.curves.core import check_scale
from opportunities.models import Criterion, CriterionKind, Score
from opportunities.models.limits import MAX_CRITERIA, at_limit
from opportunities.web.forms import AmountField, ConflictCheckMixin

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


BY_HAND, AS_NUMBER = "hand", "number"
NUMBER_FIELDS = ("unit", "worst", "best")
"""What a criterion measured as a number is asked besides (only when it is one)."""


class CriterionForm(ConflictCheckMixin, forms.ModelForm):
    """Adding or editing a criterion asks what 0 and 10 mean on it, as the default
    criteria say, so a score means the same thing today as in a year.

    It also asks how it is scored: by hand on a slider, or as a number (minutes of
    commute a day) with the number that scores 0 and the one that scores 10, the score
    following from the number typed on each opportunity. Pay and the arrangement are
    scored from the offer and are not asked. A criterion already scored by hand on an
    open opportunity does not become a number: those scores would be replaced.
    """

    low_meaning = _meaning_field(0, "over an hour each way")
    high_meaning = _meaning_field(10, "a short walk")
    scored_as = forms.ChoiceField(
        label="How is it scored?",
        choices=[
            (BY_HAND, "By hand, 0 to 10 on a slider"),
            (AS_NUMBER, "As a number (minutes, hours, km…), scored on a scale you set"),
        ],
        initial=BY_HAND,
        required=False,
        widget=forms.RadioSelect(attrs={"data-scored-as": ""}),
        error_messages={"invalid_choice": "Choose by hand or as a number."},
    )
    unit = forms.CharField(
        label="Measured in",
        required=False,
        max_length=24,
        help_text="e.g. “minutes a day”.",
        error_messages={
            "max_length": "Keep the unit to %(limit_value)d characters; it has %(show_value)d."
        },
    )
    worst = AmountField(
        label="The number that scores 0",
        help_text="e.g. 90 for a commute of 90 minutes a day.",
    )
    best = AmountField(
        label="The number that scores 10",
        help_text="e.g. 10: fewer minutes score higher when this is the smaller number.",
    )

    class Meta:
        model = Criterion
        fields = [
            "name",
            "description",
            "low_meaning",
            "high_meaning",
            "weight",
            "minimum",
            *NUMBER_FIELDS,
        ]
        widgets = {
            "weight": forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}),
            "minimum": forms.NumberInput(attrs={"min": 0, "max": 10, "step": 1}),
        }
        help_texts = {"weight": "How much this matters to you, from 0 (not at all) to 10."}

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.add_version_field()
        if self.instance.derived_from_offer:
            for name in ("scored_as", *NUMBER_FIELDS):
                del self.fields[name]
        elif self.instance.is_number and not self.is_bound:
            self.initial["scored_as"] = AS_NUMBER

    @property
    def asks_how_scored(self) -> bool:
        return "scored_as" in self.fields

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.check_version()
        if self.asks_how_scored:
            self._clean_how_scored()
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

    def _clean_how_scored(self) -> None:
        """As a number: a sound scale, and no hand scores on open opportunities to lose.
        By hand: the number fields are not looked at (nor their mistakes). Not said (a
        form that does not ask, as the weight's plain save): nothing changes."""
        scored_as = self.cleaned_data.get("scored_as")
        if scored_as != AS_NUMBER:
            for name in NUMBER_FIELDS:
                self.cleaned_data.pop(name, None)
                self.errors.pop(name, None)
            if scored_as == BY_HAND:
                self.instance.kind = CriterionKind.MANUAL
            return
        if self.instance.pk is not None and not self.instance.is_number:
            scored = (
                Score.objects.filter(
                    criterion=self.instance,
                    evaluation__frozen_at__isnull=True,
                    value__isnull=False,
                )
                .values("evaluation__opportunity")
                .distinct()
                .count()
            )
            if scored:
                self.add_error(
                    "scored_as",
                    f"It is scored by hand on {scored} opportunit"
                    f"{'y' if scored == 1 else 'ies'} already: as a number, those scores "
                    "would be replaced by what the numbers score. Add a new criterion "
                    "measured as a number instead (and archive this one when it has "
                    "taken over).",
                )
                return
        worst, best = self.cleaned_data.get("worst"), self.cleaned_data.get("best")
        if "worst" in self.errors or "best" in self.errors:
            return
        if worst is None or best is None:
            for name, end in (("worst", worst), ("best", best)):
                if end is None:
                    score = 0 if name == "worst" else 10
                    self.add_error(name, f"Say which number scores {score}.")
            return
        problem = check_scale(worst, best)
        if problem:
            self.add_error("best", problem)
            return
        self.instance.kind = CriterionKind.NUMBER

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
