"""One criterion's score, and the label of a checkpoint."""

from __future__ import annotations

from typing import Any

from django import forms

from opportunities.models.limits import MAX_CHECKPOINTS, at_limit
from opportunities.web.forms import AmountField, DayItHappenedField


class AmountForm(forms.Form):
    """A number criterion's amount on one opportunity ("35" minutes a day); empty clears
    it, and its score with it."""

    amount = AmountField()
    note = forms.CharField(
        required=False,
        max_length=500,
        strip=True,
        error_messages={
            "max_length": "Keep the note to %(limit_value)d characters; it has %(show_value)d. "
            "Nothing was cut: shorten it and it saves."
        },
    )


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
    note = forms.CharField(
        required=False,
        max_length=500,
        strip=True,
        error_messages={
            "max_length": "Keep the note to %(limit_value)d characters; it has %(show_value)d. "
            "Nothing was cut: shorten it and it saves."
        },
    )
    low = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10,
        error_messages={
            "invalid": "The low end of the range is a whole number from 0 to 10.",
            "min_value": "The low end of the range is a whole number from 0 to 10.",
            "max_value": "The low end of the range is a whole number from 0 to 10.",
        },
    )
    high = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10,
        error_messages={
            "invalid": "The high end of the range is a whole number from 0 to 10.",
            "min_value": "The high end of the range is a whole number from 0 to 10.",
            "max_value": "The high end of the range is a whole number from 0 to 10.",
        },
    )

    def clean(self) -> dict[str, Any]:
        """ "I'm unsure": a low and a high around the score, both or neither, and the
        score inside them (the database refuses anything else; this says why first)."""
        super().clean()
        data = self.cleaned_data
        if any(name in self.errors for name in ("value", "low", "high")):
            return data
        value, low, high = data.get("value"), data.get("low"), data.get("high")
        if low is None and high is None:
            return data
        if value is None:
            self.add_error(
                "low" if low is not None else "high",
                "A range needs a score: give the score, or empty the low and high boxes.",
            )
        elif high is None:
            self.add_error(
                "high", "The high end of the range is empty: give both ends, or neither."
            )
        elif low is None:
            self.add_error("low", "The low end of the range is empty: give both ends, or neither.")
        elif low > value:
            self.add_error("low", f"The low end ({low}) is above the score ({value}).")
        elif high < value:
            self.add_error("high", f"The high end ({high}) is below the score ({value}).")
        return data

    @property
    def score_range(self) -> tuple[int, int] | None:
        """The valid range, or None for none (call after ``is_valid``)."""
        low, high = self.cleaned_data.get("low"), self.cleaned_data.get("high")
        return None if low is None or high is None else (low, high)


class CheckpointForm(forms.Form):
    """The label of a checkpoint. A checkpoint freezes scores, so one is refused while
    nothing is scored: ``nothing_scored`` says so (the view reads it from the live
    evaluation when the form is posted)."""

    nothing_scored_message = (
        "Nothing is scored yet, so this checkpoint would freeze nothing. Score at least "
        "one criterion, then save it."
    )

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
    happened_on = DayItHappenedField(
        help_text="Today, or the day it happened: the checkpoint goes into the story on that day."
    )

    def __init__(self, *args, nothing_scored: bool = False, full: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nothing_scored = nothing_scored
        self.full = full

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.nothing_scored:
            raise forms.ValidationError(self.nothing_scored_message, code="nothing_scored")
        if self.full:
            raise forms.ValidationError(
                at_limit("checkpoints (decisions' included)", MAX_CHECKPOINTS, of="an opportunity"),
                code="limit",
            )
        return self.cleaned_data
