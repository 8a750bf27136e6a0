"""The curve page's form: the shape in plain words, how soon it levels off, where
"enough" starts, and for a number criterion its scale (the numbers scoring 0 and 10)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from opportunities.curves.core import (
    BEND_MAX,
    BEND_MIN,
    LINEAR,
    SATURATING,
    SCALE_LIMIT,
    THRESHOLD,
    Curve,
    CurveError,
    check_scale,
    number_curve,
    pay_curve,
)
from opportunities.models import Criterion, CriterionKind, Profile
from opportunities.models.limits import control_character_problem
from opportunities.pay.currencies import format_money

SHAPE_CHOICES = [
    (LINEAR, "A straight line: every step up counts the same"),
    (SATURATING, "Levels off: past a point, more adds little"),
    (THRESHOLD, "Enough or not: full marks from a number on, nothing short of it"),
]


def _number(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=-SCALE_LIMIT,
        max_value=SCALE_LIMIT,
        **kwargs,
    )


class CurveForm(forms.Form):
    shape = forms.ChoiceField(
        label="How the score rises",
        choices=SHAPE_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    bend = forms.IntegerField(
        label="How soon it levels off",
        min_value=BEND_MIN,
        max_value=BEND_MAX,
        required=False,
        help_text="1 levels off gently, 9 almost at once. Only for “levels off”.",
        widget=forms.NumberInput(attrs={"type": "range", "step": 1}),
    )
    threshold = _number(
        "Enough from",
        required=False,
        help_text="The number from which it scores 10. Only for “enough or not”.",
    )
    unit = forms.CharField(
        label="Unit",
        max_length=24,
        required=False,
        help_text="What the numbers count, e.g. “minutes a day”.",
    )
    worst = _number("Scores 0 at", required=False)
    best = _number("Scores 10 at", required=False)

    def __init__(self, *args: Any, criterion: Criterion, profile: Profile, **kwargs: Any) -> None:
        self.criterion, self.profile = criterion, profile
        self.is_pay = criterion.kind == CriterionKind.PAY
        kwargs.setdefault(
            "initial",
            {
                "shape": criterion.curve,
                "bend": criterion.curve_bend,
                "threshold": criterion.curve_threshold,
                "unit": criterion.unit,
                "worst": criterion.worst,
                "best": criterion.best,
            },
        )
        super().__init__(*args, **kwargs)
        if self.is_pay:
            for name in ("unit", "worst", "best"):
                del self.fields[name]
            self.fields["threshold"].label = f"Enough from ({profile.currency} a year)"
        else:
            self.fields["worst"].required = self.fields["best"].required = True
            self.fields["worst"].error_messages["required"] = "Say which number scores 0."
            self.fields["best"].error_messages["required"] = "Say which number scores 10."

    def clean_unit(self) -> str:
        unit = self.cleaned_data.get("unit", "").strip()
        if problem := control_character_problem(unit):
            raise forms.ValidationError(problem)
        return unit

    def clean_bend(self) -> int:
        bend = self.cleaned_data.get("bend")
        return self.criterion.curve_bend if bend is None else bend

    def scale(self) -> tuple[Decimal, Decimal] | None:
        """The ends of the scale the curve runs on: the pay floor and target, or the
        number criterion's worst and best as typed."""
        if self.is_pay:
            floor, target = self.profile.pay_floor, self.profile.pay_target
            return None if floor is None or target is None else (floor, target)
        worst, best = self.cleaned_data.get("worst"), self.cleaned_data.get("best")
        return None if worst is None or best is None else (worst, best)

    def said(self, value: Decimal) -> str:
        if self.is_pay:
            return format_money(value, self.profile.currency)
        unit = self.cleaned_data.get("unit") or self.criterion.unit
        return f"{value.normalize():,f} {unit}".strip()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (
            not self.is_pay
            and "worst" in data
            and "best" in data
            and (problem := check_scale(data["worst"], data["best"]))
        ):
            self.add_error("best", problem)
        scale = self.scale()
        if self.is_pay and scale is None:
            raise forms.ValidationError(
                "Set your pay floor and target first: Pay's curve runs from one to the other."
            )
        threshold = data.get("threshold")
        if data.get("shape") != THRESHOLD or "threshold" in self.errors:
            return data  # a threshold kept for later is not checked against today's scale
        if threshold is None:
            self.add_error("threshold", "Say from which number it is enough.")
        elif scale is not None:
            low, high = sorted(scale)
            if not low <= threshold <= high:
                self.add_error(
                    "threshold",
                    f"“Enough” has to lie on the scale, from {self.said(low)} "
                    f"to {self.said(high)}.",
                )
        return data

    def curve(self) -> Curve | None:
        """The candidate curve, once the form is valid (None while it is not drawable)."""
        scale = self.scale()
        if scale is None:
            return None
        data = self.cleaned_data
        try:
            if self.is_pay:
                return pay_curve(
                    floor=scale[0],
                    target=scale[1],
                    shape=data["shape"],
                    bend=data["bend"],
                    threshold=data.get("threshold"),
                )
        except CurveError:
            return None
        return number_curve(
            worst=scale[0],
            best=scale[1],
            shape=data["shape"],
            bend=data["bend"],
            threshold=data.get("threshold"),
        )

    def saved_fields(self) -> dict[str, Any]:
        """What ``curves.services.save_curve`` takes, from the cleaned form."""
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "shape": data["shape"],
            "bend": data["bend"],
            "threshold": data.get("threshold"),
        }
        if not self.is_pay:
            fields |= {"unit": data["unit"], "worst": data["worst"], "best": data["best"]}
        return fields
