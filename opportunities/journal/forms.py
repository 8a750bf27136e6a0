"""Recording a decision and its outcome, and the journal's filters.

Every date here has a sensible range, so a slip of the keyboard (1900, 0202, 2206) is
refused with a message instead of landing in the journal:

* a decision and its outcome happen between ``EARLIEST_DAY`` and today;
* an outcome comes on or after the decision it follows;
* a revisit date lies after today and at most ``REVISIT_YEARS_AHEAD`` years ahead.

The date inputs carry the same range as ``min`` and ``max``, so the browser's date
picker offers only days the form accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.journal.core import EARLIEST_DAY, REVISIT_YEARS_AHEAD, years_after
from opportunities.journal.queries import PENDING_OUTCOME, AlternativeOption, checkpoint_counts
from opportunities.models import Decision, DecisionChoice, GutCheck, Opportunity, Outcome
from opportunities.models.limits import MAX_ALTERNATIVES, MAX_CHECKPOINTS
from opportunities.web.quick_fields import QuickRenderer


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _limit_picker(field: forms.Field, *, earliest: date, latest: date) -> None:
    field.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())


def _in_the_past(day: date | None, *, future_message: str) -> None:
    """A day that has happened: not after today, not before ``EARLIEST_DAY``."""
    if day is None:
        return
    if day > timezone.localdate():
        raise forms.ValidationError(future_message)
    if day < EARLIEST_DAY:
        raise forms.ValidationError(
            "Check the year: the journal goes back to "
            f"{date_format(EARLIEST_DAY, 'j F Y')}, no further."
        )


def _revisit_ahead(day: date | None) -> None:
    if day is None:
        return
    today = timezone.localdate()
    if day <= today:
        raise forms.ValidationError(
            "Pick a day after today to look back on this, or leave it empty."
        )
    latest = years_after(today, REVISIT_YEARS_AHEAD)
    if day > latest:
        raise forms.ValidationError(
            f"Pick a day within the next {REVISIT_YEARS_AHEAD} years (by "
            f"{date_format(latest, 'j F Y')}), or leave it empty."
        )


def _limit_revisit_picker(field: forms.Field) -> None:
    today = timezone.localdate()
    _limit_picker(
        field,
        earliest=today + timedelta(days=1),
        latest=years_after(today, REVISIT_YEARS_AHEAD),
    )


def _option_label(option: AlternativeOption) -> str:
    total = "not scored" if option.total is None else f"{option.total:.1f}"
    if option.opportunity.is_status_quo:
        return f"Staying as you are: {option.opportunity} · {total}"
    if option.is_variant:
        return f"{option.opportunity} (a variant of this one) · {total}"
    return f"{option.opportunity} · {total}"


class DecisionForm(forms.ModelForm):
    """What was decided, how sure, and why, and what it was weighed against. The
    evaluations it rests on are frozen by the service, not chosen here."""

    alternatives = forms.TypedMultipleChoiceField(
        label="Weighed against",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="The other options you weighed this against. Their scores are frozen with "
        "the decision too, so your journal can say what you chose over what, and by how "
        "much. Staying as you are and this job's variants start ticked.",
        error_messages={
            "invalid_choice": "Tick only options listed here: one of those ticked is not one "
            "of your open opportunities (it may have been archived or closed since).",
        },
    )
    field_order = ["choice", "alternatives"]

    class Meta:
        model = Decision
        fields = [
            "choice",
            "decided_on",
            "confidence",
            "rationale",
            "gut_check",
            "gut_check_reason",
            "revisit_on",
        ]
        widgets = {
            "choice": forms.RadioSelect,
            "decided_on": _date_input(),
            "confidence": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "gut_check": forms.RadioSelect,
            "gut_check_reason": forms.Textarea(attrs={"rows": 2}),
            "revisit_on": _date_input(),
        }
        labels = {
            "decided_on": "Decided on",
            "rationale": "Why I decided this",
            "revisit_on": "Revisit on",
        }
        help_texts = {
            "choice": "Accepting, declining or withdrawing also moves the opportunity to that "
            "stage.",
            "confidence": "0 = a coin toss I might regret, 100 = certain.",
            "gut_check_reason": "Especially when the answer is no: it is what you will most "
            "want to read later.",
            "revisit_on": "Optional. The day to look back on how it turned out; your "
            "dashboard will remind you.",
        }
        error_messages = {
            "choice": {"required": "Choose what you decided."},
            "confidence": dict.fromkeys(
                ("required", "invalid", "min_value", "max_value"),
                "Confidence is a whole number from 0 to 100.",
            ),
            "decided_on": {"required": "Give the day you decided."},
        }

    def __init__(
        self,
        *args,
        reminder_email: str = "",
        full: str = "",
        options: Sequence[AlternativeOption] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.full = full
        """Why the opportunity can take no more decisions, or empty."""
        self.options = {option.opportunity.pk: option.opportunity for option in options}
        """What the decision can be weighed against, by id, in the order offered."""
        if options:
            alternatives = cast(forms.TypedMultipleChoiceField, self.fields["alternatives"])
            alternatives.choices = [(str(o.opportunity.pk), _option_label(o)) for o in options]
            self.initial.setdefault(
                "alternatives", [str(o.opportunity.pk) for o in options if o.ticked]
            )
        else:
            del self.fields["alternatives"]
        self.fields["revisit_on"].help_text += (
            f" An email goes to {reminder_email} too."
            if reminder_email
            else " Give an email address on your account page to be emailed as well."
        )
        _limit_picker(self.fields["decided_on"], earliest=EARLIEST_DAY, latest=timezone.localdate())
        _limit_revisit_picker(self.fields["revisit_on"])
        cast(forms.ChoiceField, self.fields["choice"]).choices = DecisionChoice.choices
        gut_check = cast(forms.ChoiceField, self.fields["gut_check"])
        gut_check.choices = GutCheck.choices
        gut_check.required = True
        gut_check.error_messages["required"] = "Does the result feel right? Yes, no or unsure."

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        _in_the_past(
            day,
            future_message="Record a decision once it is made: the date can’t be in the future.",
        )
        return day

    def clean_revisit_on(self):
        day = self.cleaned_data["revisit_on"]
        _revisit_ahead(day)
        return day

    def clean_alternatives(self) -> list[Opportunity]:
        """The options ticked, in the order offered; each must have room for the
        checkpoint frozen with the decision."""
        ticked = set(self.cleaned_data["alternatives"])
        chosen = [opportunity for pk, opportunity in self.options.items() if pk in ticked]
        if len(chosen) > MAX_ALTERNATIVES:
            raise forms.ValidationError(
                f"A decision is weighed against at most {MAX_ALTERNATIVES} options: "
                "tick the ones you really weighed."
            )
        counts = checkpoint_counts(opportunity.pk for opportunity in chosen) if chosen else {}
        full = [o for o in chosen if counts.get(o.pk, 0) >= MAX_CHECKPOINTS]
        if full:
            raise forms.ValidationError(
                f"“{full[0].title}” already holds {MAX_CHECKPOINTS:,} checkpoints, the most "
                "an opportunity holds, so its scores cannot be frozen with this decision: "
                "untick it."
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.full:
            raise forms.ValidationError(self.full, code="limit")
        if cleaned.get("gut_check") == GutCheck.NO and not cleaned.get("gut_check_reason"):
            self.add_error(
                "gut_check_reason",
                "The result doesn’t feel right: say why, while you still know.",
            )
        return cleaned


class OutcomeForm(forms.ModelForm):
    """What happened after a decision, and what was learned. Added later, edited freely."""

    class Meta:
        model = Decision
        fields = ["outcome", "outcome_on", "reflection", "revisit_on"]
        widgets = {
            "outcome_on": _date_input(),
            "reflection": forms.Textarea(attrs={"rows": 5}),
            "revisit_on": _date_input(),
        }
        labels = {"outcome": "What happened", "outcome_on": "When", "revisit_on": "Revisit on"}
        help_texts = {
            "outcome_on": "Leave empty for today.",
            "revisit_on": "Optional. Set a later day to look back again; leave empty when "
            "this revisit is done.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", "Not known yet"),
            *Outcome.choices,
        ]
        _limit_picker(
            self.fields["outcome_on"],
            earliest=max(EARLIEST_DAY, self.instance.decided_on),
            latest=timezone.localdate(),
        )
        _limit_revisit_picker(self.fields["revisit_on"])
        revisit_on = self.instance.revisit_on
        if not self.is_bound and revisit_on is not None and revisit_on <= timezone.localdate():
            # Opening the form for a revisit that has come due is the revisit: saving it
            # takes the decision off the dashboard unless a new date is set.
            self.initial["revisit_on"] = None

    def clean_outcome_on(self):
        day = self.cleaned_data["outcome_on"]
        _in_the_past(
            day,
            future_message="Record what happened once it has: the date can’t be in the future.",
        )
        return day

    def clean_revisit_on(self):
        day = self.cleaned_data["revisit_on"]
        _revisit_ahead(day)
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        outcome, day = cleaned.get("outcome"), cleaned.get("outcome_on")
        if "outcome_on" in self.errors:
            return cleaned
        if not outcome and day is not None:
            self.add_error("outcome_on", "Choose what happened, or leave the date empty.")
        elif outcome and day is None:
            cleaned["outcome_on"] = timezone.localdate()
        elif day is not None and day < self.instance.decided_on:
            self.add_error(
                "outcome_on",
                "The outcome comes after the decision, taken on "
                f"{date_format(self.instance.decided_on)}.",
            )
        return cleaned


class JournalFilterForm(forms.Form):
    """The journal's filters (GET). An unusable value is reported and ignored.

    Its three selects are written in Python (``web.quick_fields``): through Django's
    widget templates they were a tenth of the journal's time."""

    default_renderer = QuickRenderer

    year = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    decision = forms.ChoiceField(
        required=False,
        choices=[("", "Any decision"), *DecisionChoice.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    outcome = forms.ChoiceField(
        required=False,
        choices=[("", "Any outcome"), (PENDING_OUTCOME, "No outcome yet"), *Outcome.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years: Iterable[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            ("", "Any year"),
            *((str(y), str(y)) for y in years),
        ]
