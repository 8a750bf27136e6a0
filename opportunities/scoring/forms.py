"""One criterion's score, and the label of a checkpoint."""

from __future__ import annotations

from django import forms


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
