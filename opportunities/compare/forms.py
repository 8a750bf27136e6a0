"""What-if weights, and the order of the options by feel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms

from opportunities.compare.core import Option
from opportunities.models import Criterion

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

    def __init__(self, *args, options: Sequence[Option], **kwargs) -> None:
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
    def field_name(option: Option) -> str:
        return f"place-{option.key}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        places = [cleaned.get(self.field_name(option)) for option in self.options]
        if None not in places and len(set(places)) != len(places):
            raise forms.ValidationError(
                "Two options share a place. Give each its own, from 1 (feels best) down."
            )
        return cleaned

    def order(self) -> list[int]:
        """The option ids, the one that feels best first (call after ``is_valid``)."""
        places = {option.key: self.cleaned_data[self.field_name(option)] for option in self.options}
        return sorted(places, key=places.__getitem__)

    def rows(self) -> list[tuple[Option, forms.BoundField]]:
        """Each option with its place field, in the order the form currently says."""
        rows = [(option, self[self.field_name(option)]) for option in self.options]

        def place(row: tuple[Option, forms.BoundField]) -> int:
            value = str(row[1].value())
            readable = value.isascii() and value.isdigit() and len(value) <= 4
            return int(value) if readable else len(rows) + 1

        return sorted(rows, key=place)
