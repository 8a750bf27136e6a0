"""The commit step as one form: the decision-quality check, the door, up to five premortem
reasons, three kill criteria and five forecasts, in fixed rows (an empty row is ignored).

Every part is optional. A row half filled in is refused with what is missing, and
everything typed is kept; ``learning.services.commit`` checks it all again."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from opportunities.learning.core import FORECAST_TEMPLATES, QUALITY_QUESTIONS, resolves_on
from opportunities.learning.queries.commit import CommitStepRead, quality_label
from opportunities.learning.services.commit import (
    MAX_FORECASTS,
    MAX_KILL_CRITERIA,
    MAX_PREMORTEM,
    TEXT_LENGTH,
    CommitStep,
    ForecastItem,
    KillItem,
    PremortemItem,
    latest_day,
)
from opportunities.models import Decision, Door, Quality
from opportunities.web.quick_fields import QuickRenderer, Radio, crispy_cell, radios

QUALITY_CHOICES = [("", "Not said"), *Quality.choices]
TEMPLATE_CHOICES = [("", "In my own words"), *((t.key, t.statement) for t in FORECAST_TEMPLATES)]


def _date_input(decision: Decision) -> forms.DateInput:
    return forms.DateInput(
        attrs={
            "type": "date",
            "min": (decision.decided_on + timedelta(days=1)).isoformat(),
            "max": latest_day(decision).isoformat(),
        },
        format="%Y-%m-%d",
    )


class CommitStepForm(forms.Form):
    """All of the commit step. The ``*_rows`` group the premortem, kill-criteria and
    forecast fields per row for the template, each ready to write out (``fields``)."""

    default_renderer = QuickRenderer

    door = forms.ChoiceField(
        label="Reversibility",
        choices=[("", "Not said"), *Door.choices],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "Choose a one-way or a two-way door, or neither."},
    )
    change_cost = forms.CharField(
        label="The cost of changing course",
        max_length=TEXT_LENGTH,
        required=False,
        help_text="E.g. “a notice period of three months, and the clients I would let go”.",
    )

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "commit_%s")
        super().__init__(*args, **kwargs)
        self.decision = decision
        for question, _ in QUALITY_QUESTIONS:
            self.fields[question] = forms.ChoiceField(
                label=quality_label(question),
                choices=QUALITY_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"invalid_choice": "Answer weak, OK or strong, or leave it."},
            )
        for n in range(1, MAX_PREMORTEM + 1):
            self.fields[f"premortem_{n}_reason"] = forms.CharField(
                label=f"Reason {n}", max_length=TEXT_LENGTH, required=False
            )
            self.fields[f"premortem_{n}_mine"] = forms.BooleanField(
                label="Mine to control", required=False
            )
        for n in range(1, MAX_KILL_CRITERIA + 1):
            self.fields[f"kill_{n}_by"] = forms.DateField(
                label=f"If by (criterion {n})",
                required=False,
                widget=_date_input(decision),
                error_messages={"invalid": "Give the date as a day, e.g. 2027-06-30."},
            )
            self.fields[f"kill_{n}_condition"] = forms.CharField(
                label=f"Condition {n}, then I reconsider",
                max_length=TEXT_LENGTH,
                required=False,
            )
        for n in range(1, MAX_FORECASTS + 1):
            self.fields[f"forecast_{n}_template"] = forms.ChoiceField(
                label=f"Forecast {n}: suggestion",
                choices=TEMPLATE_CHOICES,
                required=False,
                widget=forms.Select(attrs={"data-forecast-template": str(n)}),
                error_messages={"invalid_choice": "Choose one of the suggestions, or none."},
            )
            self.fields[f"forecast_{n}_statement"] = forms.CharField(
                label=f"Forecast {n}: in my words",
                max_length=TEXT_LENGTH,
                required=False,
                widget=forms.TextInput(attrs={"data-forecast-statement": str(n)}),
            )
            self.fields[f"forecast_{n}_probability"] = forms.IntegerField(
                label=f"Forecast {n}: probability (%)",
                min_value=0,
                max_value=100,
                required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
                error_messages=dict.fromkeys(
                    ("invalid", "min_value", "max_value"),
                    "A probability is a whole number from 0 to 100.",
                ),
            )
            self.fields[f"forecast_{n}_resolves_on"] = forms.DateField(
                label=f"Forecast {n}: resolves on",
                required=False,
                widget=_date_input(decision),
                help_text="Empty: 6 or 12 months on, as the suggestion says (12 for your words).",
                error_messages={"invalid": "Give the date as a day, e.g. 2027-06-30."},
            )

    @classmethod
    def initial_from(cls, read: CommitStepRead) -> dict[str, Any]:
        """The form's initial values from what is saved."""
        initial: dict[str, Any] = dict(read.answers)
        if read.commitment is not None:
            initial.update(door=read.commitment.door, change_cost=read.commitment.change_cost)
        for n, reason in enumerate(read.premortem, start=1):
            initial.update(
                {
                    f"premortem_{n}_reason": reason.reason,
                    f"premortem_{n}_mine": reason.in_my_control,
                }
            )
        for n, kill in enumerate(read.kill_criteria, start=1):
            initial.update({f"kill_{n}_by": kill.check_on, f"kill_{n}_condition": kill.condition})
        for n, forecast in enumerate(read.forecasts, start=1):
            initial.update(
                {
                    f"forecast_{n}_template": forecast.template,
                    f"forecast_{n}_statement": forecast.statement,
                    f"forecast_{n}_probability": forecast.probability,
                    f"forecast_{n}_resolves_on": forecast.resolves_on,
                }
            )
        return initial

    @property
    def quality_fields(self) -> list[tuple[forms.BoundField, list[Radio]]]:
        return [(self[question], radios(self[question])) for question, _ in QUALITY_QUESTIONS]

    @property
    def door_radios(self) -> list[Radio]:
        return radios(self["door"])

    @property
    def change_cost_cell(self) -> SafeString:
        return crispy_cell(self["change_cost"])

    def _rows(self, prefix: str, count: int, names: tuple[str, ...]) -> list[list[SafeString]]:
        return [
            [crispy_cell(self[f"{prefix}_{n}_{name}"]) for name in names]
            for n in range(1, count + 1)
        ]

    @property
    def premortem_rows(self) -> list[list[SafeString]]:
        return self._rows("premortem", MAX_PREMORTEM, ("reason", "mine"))

    @property
    def kill_rows(self) -> list[list[SafeString]]:
        return self._rows("kill", MAX_KILL_CRITERIA, ("by", "condition"))

    @property
    def forecast_rows(self) -> list[list[SafeString]]:
        return self._rows(
            "forecast", MAX_FORECASTS, ("template", "statement", "probability", "resolves_on")
        )

    def _day_after_decision(self, name: str, day: date | None) -> None:
        decision = self.decision
        if day is None or name in self.errors:
            return
        if day <= decision.decided_on:
            self.add_error(
                name,
                f"Pick a day after the decision ({date_format(decision.decided_on, 'j F Y')}).",
            )
        elif day > (latest := latest_day(decision)):
            self.add_error(
                name,
                f"Pick a day within 5 years of the decision (by {date_format(latest, 'j F Y')}).",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        premortem: list[PremortemItem] = []
        for n in range(1, MAX_PREMORTEM + 1):
            reason = (cleaned.get(f"premortem_{n}_reason") or "").strip()
            if reason:
                premortem.append(PremortemItem(reason, bool(cleaned.get(f"premortem_{n}_mine"))))
        kills: list[KillItem] = []
        for n in range(1, MAX_KILL_CRITERIA + 1):
            by, condition = f"kill_{n}_by", f"kill_{n}_condition"
            day, words = cleaned.get(by), (cleaned.get(condition) or "").strip()
            self._day_after_decision(by, day)
            if words and day is None and by not in self.errors:
                self.add_error(by, "Give the day by which it would show, or clear the condition.")
            elif day is not None and not words and condition not in self.errors:
                self.add_error(condition, "Say what would make you reconsider, or clear the date.")
            elif words and day is not None:
                kills.append(KillItem(words, day))
        forecasts: list[ForecastItem] = []
        for n in range(1, MAX_FORECASTS + 1):
            forecasts.extend(self._forecast(n, cleaned))
        cleaned["step"] = CommitStep(
            answers={q: cleaned.get(q) or "" for q, _ in QUALITY_QUESTIONS},
            door=cleaned.get("door") or "",
            change_cost=(cleaned.get("change_cost") or "").strip(),
            premortem=premortem,
            kill_criteria=kills,
            forecasts=forecasts,
        )
        return cleaned

    def _forecast(self, n: int, cleaned: dict[str, Any]) -> list[ForecastItem]:
        names = {
            part: f"forecast_{n}_{part}"
            for part in ("template", "statement", "probability", "resolves_on")
        }
        template = cleaned.get(names["template"]) or ""
        words = (cleaned.get(names["statement"]) or "").strip()
        probability = cleaned.get(names["probability"])
        day = cleaned.get(names["resolves_on"])
        self._day_after_decision(names["resolves_on"], day)
        statement = (words or dict(TEMPLATE_CHOICES).get(template, "")) if template else words
        if not (template or words or probability is not None or day is not None):
            return []
        if any(name in self.errors for name in names.values()):
            return []
        if not statement:
            self.add_error(names["statement"], "Write the forecast, or pick a suggestion.")
            return []
        if probability is None:
            self.add_error(names["probability"], "How likely is it, from 0 to 100 %?")
            return []
        return [
            ForecastItem(
                statement=statement,
                probability=probability,
                template=template,
                resolves_on=day or resolves_on(self.decision.decided_on, template),
            )
        ]
