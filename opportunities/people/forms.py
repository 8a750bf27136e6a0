"""Someone in the story: their name, how you know them, how to reach them, and when to
check in with them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from opportunities.journal.core import EARLIEST_DAY
from opportunities.models import Person
from opportunities.models.limits import MAX_PEOPLE, at_limit
from opportunities.people.core import follow_up_problem, latest_follow_up
from opportunities.web.forms import ConflictCheckMixin
from opportunities.web.once import OnceFormMixin


def follow_up_input() -> forms.DateInput:
    """A date picker offering the days a follow-up may take."""
    return forms.DateInput(
        attrs={
            "type": "date",
            "min": EARLIEST_DAY.isoformat(),
            "max": latest_follow_up(timezone.localdate()).isoformat(),
        },
        format="%Y-%m-%d",
    )


class PersonForm(OnceFormMixin, ConflictCheckMixin, forms.ModelForm):
    """A person's details. A new person's form is sent once: see ``web.once``."""

    class Meta:
        model = Person
        fields = ["name", "relationship", "email", "notes", "follow_up_on"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"email": "Email (optional)", "notes": "Notes (optional)"}
        help_texts = {
            "name": "As you would write it in a note: “Ana”, “Ana Silva”, “Ana (Northwind)”.",
            "notes": "How you met, what you talked about, what they know.",
            "follow_up_on": "Optional. A day to check in with them; it shows with your "
            "revisits due on the dashboard.",
        }
        error_messages = {
            "name": {"required": "Give their name, as you would write it in a note."},
            "relationship": {"invalid_choice": "Choose one of the relationships in the list."},
            "email": {
                "invalid": "That does not look like an email address; check it, or leave it empty."
            },
            "follow_up_on": {"invalid": "Give the day as a date, e.g. 2026-03-03."},
        }

    def __init__(self, *args, owner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["follow_up_on"].widget = follow_up_input()
        self.add_version_field()
        if self.instance.pk is None:
            self.add_once_field()

    def clean_follow_up_on(self) -> date | None:
        day = self.cleaned_data["follow_up_on"]
        problem = follow_up_problem(day, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_version()
        if self.instance.pk is None and Person.objects.for_user(self.owner).count() >= MAX_PEOPLE:
            raise forms.ValidationError(at_limit("people", MAX_PEOPLE), code="limit")
        return self.cleaned_data
