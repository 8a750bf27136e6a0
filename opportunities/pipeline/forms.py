"""An opportunity's details, and a move along its pipeline."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils import timezone

from opportunities.journal.core import EARLIEST_DAY
from opportunities.models import Opportunity, Source
from opportunities.models.limits import MAX_OPPORTUNITIES, at_limit
from opportunities.people.core import follow_up_problem, is_row_id, latest_follow_up, would_loop
from opportunities.people.queries import opportunity_parents, people_for
from opportunities.pipeline.core import (
    FULL_TIME_MIN_HOURS,
    PART_TIME_MAX_HOURS,
    schedule_hours_problem,
)
from opportunities.pipeline.queries import MOVE_STAGES, OPEN_STAGES
from opportunities.web.forms import ConflictCheckMixin, DayItHappenedField
from opportunities.web.once import OnceFormMixin


class OwnedChoiceField(forms.ModelChoiceField):
    """One of the user's rows (its queryset is theirs): any other id, or anything that
    cannot be an id at all, is refused as not in the list before a query is made."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not is_row_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class OwnedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Some of the user's rows, refused as ``OwnedChoiceField`` refuses one."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and not all(is_row_id(item) for item in value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().clean(value)


NOT_ONE_OF_MY_PEOPLE = "Choose people from your own list; one of those sent is not."


class PeopleAndLineageMixin:
    """The people in an opportunity, what it arose from and when to follow it up. Only the
    user's own people and other opportunities are offered (an id of anyone else's is
    refused as not in the list), and an opportunity never arises from itself, even through
    others."""

    fields: dict[str, Any]
    instance: Opportunity
    owner: Any
    cleaned_data: dict[str, Any]

    def add_people_and_lineage(self) -> None:
        people = people_for(self.owner)
        has_people = people.exists()
        if has_people:
            self.fields["contacts"] = OwnedMultipleChoiceField(
                queryset=people,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label="People in it",
                help_text="Who you are in touch with about it.",
                error_messages={
                    "invalid_choice": NOT_ONE_OF_MY_PEOPLE,
                    "invalid_pk_value": NOT_ONE_OF_MY_PEOPLE,
                    "invalid_list": NOT_ONE_OF_MY_PEOPLE,
                },
            )
        else:  # nothing to tick (and nowhere to show an error): the people page comes first
            del self.fields["contacts"]
        self.fields["arose_from"] = OwnedChoiceField(
            queryset=Opportunity.objects.for_user(self.owner)
            .exclude(pk=self.instance.pk)
            .only("pk", "title", "organisation")
            .order_by("title", "pk"),
            required=False,
            label="Arose from another opportunity",
            empty_label="— none —",
            help_text="The informational interview, or the role, it grew out of.",
            error_messages={
                "invalid_choice": "Choose one of your other opportunities in the list, or none."
            },
        )
        self.fields["arose_from_person"] = OwnedChoiceField(
            queryset=people,
            required=False,
            label="Arose from a person",
            empty_label="— none —",
            help_text="Whoever it came through: a mention, an introduction, a referral."
            + ("" if has_people else " Add people on the People page to name them here."),
            error_messages={"invalid_choice": "Choose one of your people in the list, or none."},
        )
        follow_up = self.fields["follow_up_on"]
        follow_up.widget = forms.DateInput(
            attrs={
                "type": "date",
                "min": EARLIEST_DAY.isoformat(),
                "max": latest_follow_up(timezone.localdate()).isoformat(),
            },
            format="%Y-%m-%d",
        )
        follow_up.help_text = (
            "Optional. A day to chase it up; it shows with your revisits due on the dashboard."
        )
        follow_up.error_messages["invalid"] = "Give the day as a date, e.g. 2026-03-03."

    def clean_arose_from(self) -> Opportunity | None:
        origin = self.cleaned_data["arose_from"]
        looping = (
            origin is not None
            and self.instance.pk is not None
            and would_loop(self.instance.pk, origin.pk, opportunity_parents(self.owner))
        )
        if looping:
            raise forms.ValidationError(
                f"“{origin.title}” arose from this one (or from one that did), so this "
                "one cannot arise from it. Choose another, or none."
            )
        return origin

    def clean_follow_up_on(self) -> date | None:
        day = self.cleaned_data["follow_up_on"]
        problem = follow_up_problem(day, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return day


class OpportunityForm(PeopleAndLineageMixin, OnceFormMixin, ConflictCheckMixin, forms.ModelForm):
    """An opportunity's details. A new one's form is sent once: see ``web.once``."""

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "organisation",
            "contact",
            "contacts",
            "arose_from",
            "arose_from_person",
            "source",
            "arrangement",
            "schedule",
            "hours_per_week",
            "location",
            "workplace",
            "stage",
            "notes",
            "follow_up_on",
            "is_status_quo",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "hours_per_week": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "100"}),
        }
        help_texts = {
            "hours_per_week": (
                f"Leave empty for an ordinary full-time week. Full-time is "
                f"{FULL_TIME_MIN_HOURS} hours a week or more; part-time, under "
                f"{PART_TIME_MAX_HOURS}."
            ),
        }

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.add_people_and_lineage()
        self.fit_to_status_quo()
        self.add_version_field()
        if self.instance.pk is None:
            self.add_once_field()
            # Where its story starts: an opportunity recorded today may have begun earlier.
            self.fields["started_on"] = DayItHappenedField(
                label="Since when",
                help_text="The day it began (a first contact, an ad seen); today if empty.",
            )

    def fit_to_status_quo(self) -> None:
        """The status quo is its own kind: its form asks for no stage or source (its stage
        is "now", which nothing else is offered), and a form that ticks "status quo" has
        them hidden (crossroads.css) and ignored. Unticked, it starts again as a lead."""
        stage, source = self.fields["stage"], self.fields["source"]
        cast(forms.ChoiceField, stage).choices = MOVE_STAGES
        stage.required = source.required = False
        stage.help_text = "Not asked for the status quo: it is how things are now."
        if self.is_bound:
            return
        if self.initial.get("is_status_quo") or self.instance.is_status_quo:
            del self.fields["stage"], self.fields["source"]

    def clean_source(self) -> str:
        return self.cleaned_data["source"] or self.instance.source or Source.OTHER

    def clean_is_status_quo(self) -> bool:
        flagged = self.cleaned_data["is_status_quo"]
        if flagged:
            current = (
                Opportunity.objects.for_user(self.owner)
                .filter(is_status_quo=True)
                .exclude(pk=self.instance.pk)
                .only("title")
                .first()
            )
            if current is not None:
                raise forms.ValidationError(
                    f"“{current.title}” is already your status quo. "
                    "Untick it there first: only one option can be how things are now."
                )
        return flagged

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.check_version()
        if self.instance.pk is None:
            count = Opportunity.objects.for_user(self.owner).count()
            if count >= MAX_OPPORTUNITIES:
                raise forms.ValidationError(
                    at_limit("opportunities (archived ones too)", MAX_OPPORTUNITIES),
                    code="limit",
                )
        if "schedule" in cleaned and "hours_per_week" in cleaned:
            hours = cleaned["hours_per_week"]
            problem = schedule_hours_problem(cleaned["schedule"], hours)
            if problem:
                self.add_error("hours_per_week" if hours is None else "schedule", problem)
        return cleaned


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label="Move to stage",
        choices=MOVE_STAGES,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Choose the stage it has reached.",
            "invalid_choice": "Choose one of the stages in the list.",
        },
    )
    happened_on = DayItHappenedField(
        help_text="Today, or the day it happened: the move goes into the story on that day."
    )


class ReopenForm(forms.Form):
    """Where a closed opportunity goes back to: any open stage (the page offers the one it
    left to close first)."""

    stage = forms.ChoiceField(
        label="Reopen at",
        choices=OPEN_STAGES,
        error_messages={
            "required": "Choose the stage to reopen it at.",
            "invalid_choice": "Choose one of the open stages in the list: a closed stage "
            "would leave it closed.",
        },
    )
