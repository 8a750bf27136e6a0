"""The swing weighting's answers: the order of the swings, most wanted first, and each
swing's rating from 0 to 100 relative to the first (the reference, always 100)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.http import QueryDict

from opportunities.weights.core import RATING_MAX, order_by_rating, rated_out_of_order

RATING_ERROR = f"A rating is a whole number from 0 to {RATING_MAX}."
OUT_OF_ORDER = "Rated higher than a swing you put before it: reorder or lower it."
MOVES = ("up", "down")


def _ids(values: Sequence[str], known: Sequence[int]) -> tuple[list[int], bool]:
    """The known criterion ids among ``values`` in their order, without repeats, and
    whether anything else was sent (an id archived since, or not one at all)."""
    found: list[int] = []
    strange = False
    allowed = set(known)
    for value in values:
        token = value.strip()
        number = int(token) if token.isascii() and token.isdigit() and len(token) <= 19 else None
        if number in allowed and number not in found:
            found.append(number)
        else:
            strange = True
    return found, strange


class SwingForm(forms.Form):
    """``order`` (criterion ids, most wanted swing first) and a ``r<id>`` rating per swing.

    Unbound, it starts from ``ratings`` (the current weights as ratings) in the order
    they imply. Bound, the order is what was sent; a swing sent that is not on the page
    any more, or one on the page that was not sent, makes the form ``stale`` (the
    criteria or scores changed since the page was read): it is shown again, not saved.
    """

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        keys: Sequence[int],
        names: Mapping[int, str],
        ratings: Mapping[int, int],
    ) -> None:
        self.keys = list(keys)
        self.stale = False
        self.moved: int | None = None
        if data is None:
            self.order = order_by_rating(ratings, self.keys)
            initial = {self.field_name(key): ratings[key] for key in self.keys}
            if self.order:
                initial[self.field_name(self.order[0])] = RATING_MAX
            super().__init__(initial=initial)
        else:
            self.order, strange = _ids(data.getlist("order"), self.keys)
            missing = [key for key in self.keys if key not in self.order]
            self.stale = strange or bool(missing)
            self.order += missing
            data = data.copy()
            for key in missing:
                data[self.field_name(key)] = str(ratings.get(key, 0))
            self._move(data.get("move", ""))
            if self.order:
                data[self.field_name(self.order[0])] = str(RATING_MAX)
            super().__init__(data)
        for place, key in enumerate(self.order):
            self.fields[self.field_name(key)] = forms.IntegerField(
                min_value=0,
                max_value=RATING_MAX,
                label=f"Rating of {names[key]}",
                required=place > 0,
                error_messages=dict.fromkeys(
                    ("required", "invalid", "min_value", "max_value"), RATING_ERROR
                ),
            )

    @staticmethod
    def field_name(key: int) -> str:
        return f"r{key}"

    def _move(self, value: str) -> None:
        """Apply a move button ("up:12", "down:12"): the no-JavaScript reordering."""
        direction, _, raw = value.partition(":")
        if direction not in MOVES or not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
            return
        key = int(raw)
        if key not in self.order:
            return
        index = self.order.index(key)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(self.order):
            self.order[index], self.order[target] = self.order[target], self.order[index]
            self.moved = key

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        ratings = self._ratings(cleaned)
        for key in rated_out_of_order(self.order, ratings):
            self.add_error(self.field_name(key), OUT_OF_ORDER)
        return cleaned

    def _ratings(self, cleaned: Mapping[str, Any]) -> dict[int, int]:
        ratings = {}
        for place, key in enumerate(self.order):
            value = RATING_MAX if place == 0 else cleaned.get(self.field_name(key))
            if value is not None:
                ratings[key] = value
        return ratings

    def ratings(self) -> dict[int, int]:
        """Each swing's rating, the first 100: as sent (call after ``is_valid``), or as
        the form starts when it is not bound."""
        if not self.is_bound:
            return self._ratings(
                {name: value for name, value in self.initial.items() if isinstance(value, int)}
            )
        return self._ratings(self.cleaned_data)

    def rows(self) -> list[tuple[int, forms.BoundField]]:
        """Each swing's criterion id with its rating field, in the form's order."""
        return [(key, self[self.field_name(key)]) for key in self.order]
