"""A check-in, answered in under a minute: how glad (0-10, unset until chosen) and a
sentence; each forecast true, false or "can't tell yet"; each kill criterion due met or
not; and the chosen option's criteria re-scored against reality, each optional.

The questions about forecasts, kill criteria and criteria are fields named after the
row they are about (``forecast-12``, ``kill-3``, ``lived-7``), made from the rows of
this decision only, so a posted id of anything else is no field at all."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from opportunities.learning.queries.checkins import CheckInQuestions
from opportunities.models import CheckIn, Resolution
from opportunities.web.forms import DayItHappenedField

GLAD_CHOICES = [(str(n), str(n)) for n in range(11)]
KILL_CHOICES = [("yes", "Yes: it came true"), ("no", "No")]
NOTHING_ANSWERED = (
    "Answer at least one question: how glad you are, a sentence, a forecast, a kill "
    "criterion or a score."
)


class CheckInForm(forms.Form):
    glad = forms.TypedChoiceField(
        label="Glad I did it?",
        choices=GLAD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        help_text="0: I regret it · 5: neither · 10: very glad.",
        error_messages={"invalid_choice": "Choose a number from 0 to 10."},
    )
    how_it_goes = forms.CharField(
        label="How is it going?",
        max_length=500,  # CheckIn.how_it_goes
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A sentence is enough.",
    )
    done_on = DayItHappenedField(label="Checked in on", help_text="Today, or the day you did.")

    def __init__(
        self,
        *args: Any,
        check_in: CheckIn,
        questions: CheckInQuestions,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "check_in_%s")
        super().__init__(*args, **kwargs)
        self.check_in = check_in
        self.questions = questions
        self.decided_on: date = check_in.decision.decided_on
        if check_in.done_on is not None:
            self.initial.update(
                glad=None if check_in.glad is None else str(check_in.glad),
                how_it_goes=check_in.how_it_goes,
                done_on=check_in.done_on,
            )
        for forecast in questions.forecasts:
            self.fields[f"forecast-{forecast.pk}"] = forms.ChoiceField(
                label=forecast.statement,
                choices=Resolution.choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose true, false or can't tell yet."},
            )
            self.initial[f"forecast-{forecast.pk}"] = forecast.resolution
        for kill in questions.kill_criteria:
            self.fields[f"kill-{kill.pk}"] = forms.ChoiceField(
                label=kill.condition,
                choices=KILL_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose yes or no."},
            )
            if kill.triggered is not None:
                self.initial[f"kill-{kill.pk}"] = "yes" if kill.triggered else "no"
        for row in questions.rescore:
            self.fields[f"lived-{row.criterion_id}"] = forms.IntegerField(
                label=f"{row.name}, as lived",
                min_value=0,
                max_value=10,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "lived-input"}),
                error_messages={
                    "invalid": "Type a whole number from 0 to 10, or leave it empty.",
                    "min_value": "Type a whole number from 0 to 10, or leave it empty.",
                    "max_value": "Type a whole number from 0 to 10, or leave it empty.",
                },
            )
            self.initial[f"lived-{row.criterion_id}"] = row.lived

    # Rows of the page: each question beside its bound field.

    def forecast_rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(f, self[f"forecast-{f.pk}"]) for f in self.questions.forecasts]

    def kill_rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(k, self[f"kill-{k.pk}"]) for k in self.questions.kill_criteria]

    def rescore_rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(r, self[f"lived-{r.criterion_id}"]) for r in self.questions.rescore]

    def clean_how_it_goes(self) -> str:
        return " ".join(self.cleaned_data["how_it_goes"].split())

    def clean_done_on(self) -> date:
        day: date = self.cleaned_data["done_on"]
        if day < self.decided_on:
            raise forms.ValidationError(
                f"A check-in comes after the decision: give a day from "
                f"{self.decided_on:%d %B %Y} on.",
                code="before_decision",
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not self.errors and not any(
            value not in (None, "") for name, value in data.items() if name != "done_on"
        ):
            raise forms.ValidationError(NOTHING_ANSWERED, code="empty")
        return data

    # What the service is given.

    def resolutions(self) -> dict[int, str]:
        """The forecasts answered (one left unanswered stays as it was)."""
        return {
            f.pk: value
            for f in self.questions.forecasts
            if (value := self.cleaned_data.get(f"forecast-{f.pk}"))
        }

    def kill_triggers(self) -> dict[int, bool | None]:
        return {
            k.pk: value == "yes"
            for k in self.questions.kill_criteria
            if (value := self.cleaned_data.get(f"kill-{k.pk}"))
        }

    def rescored(self) -> dict[int, int]:
        return {
            r.criterion_id: value
            for r in self.questions.rescore
            if (value := self.cleaned_data.get(f"lived-{r.criterion_id}")) is not None
        }
