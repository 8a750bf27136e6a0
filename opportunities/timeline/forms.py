"""An entry in an opportunity's story: what happened, when, with whom, and in a few words.

A new entry is one of the kinds written by hand (a note, a conversation, a meeting or
interview, a message, a reflection). An entry the app wrote (a stage move, a checkpoint,
a decision, its outcome) keeps its kind: only its date, title and words can be edited.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms

from opportunities.models import WRITTEN_BY_HAND, Person, TimelineEntry
from opportunities.models.limits import MAX_TIMELINE_ENTRIES, at_limit
from opportunities.web.forms import ConflictCheckMixin, DayItHappenedField


class EntryForm(ConflictCheckMixin, forms.ModelForm):
    happened_on = DayItHappenedField()

    class Meta:
        model = TimelineEntry
        fields = ["kind", "happened_on", "title", "person", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "kind": "What it was",
            "title": "In a few words",
            "person": "With whom",
            "body": "More about it",
        }
        help_texts = {
            "title": "E.g. “Call with Ana about the part-time role”.",
            "person": "Optional: someone from your people.",
            "body": "Optional: what was said, how it felt, what you want to remember.",
        }
        error_messages = {
            "kind": {
                "required": "Choose what kind of thing happened.",
                "invalid_choice": "Choose one of the kinds in the list.",
            },
            "title": {"required": "Say in a few words what happened."},
            "person": {"invalid_choice": "Choose one of your people from the list."},
        }

    def __init__(self, *args: Any, owner: Any, full: bool = False, **kwargs: Any) -> None:
        # Its own ids: it opens on the opportunity's page beside other forms' fields.
        kwargs.setdefault("auto_id", "story_%s")
        super().__init__(*args, **kwargs)
        self.full = full
        self.add_version_field()
        if self.instance.pk is not None and not self.instance.is_written_by_hand:
            # The app's entry keeps what it records: its kind, and nobody in particular.
            del self.fields["kind"]
            del self.fields["person"]
            return
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [(choice.value, choice.label) for choice in WRITTEN_BY_HAND]
        if self.instance.pk is None:
            # Opened in place on the opportunity's page, the form takes the focus (htmx
            # focuses what is swapped in with autofocus), and so does its own page.
            kind.widget.attrs["autofocus"] = True
        person = cast(forms.ModelChoiceField, self.fields["person"])
        person.queryset = Person.objects.for_user(owner).only("id", "name")
        person.empty_label = "Nobody in particular"

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_version()
        if self.full:
            raise forms.ValidationError(
                at_limit("entries in its story", MAX_TIMELINE_ENTRIES, of="an opportunity"),
                code="limit",
            )
        return self.cleaned_data
