"""The owner's forms for asking friends: a round (what friends may see, and a note to
them), a personal link for one friend, and a new link for the same friend."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from opportunities.friends.core import DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS, MAX_ROUNDS
from opportunities.friends.queries import people_to_invite
from opportunities.friends.services import FriendsProblem, duplicate_problem
from opportunities.models import FriendInvitation, FriendRound, Owner, Person
from opportunities.models.limits import at_limit
from opportunities.people.core import is_row_id
from opportunities.web.once import OnceFormMixin
from opportunities.web.quick_fields import QuickRenderer, crispy_cell

DAYS_MESSAGE = f"Give the number of days as a whole number, from 1 to {MAX_EXPIRY_DAYS}."
NOT_ONE_OF_MY_PEOPLE = "Choose one of your people from the list, or just type a name."


class RoundForm(OnceFormMixin, forms.ModelForm):
    """A new round: a note to the friends, and what they may see. Sent once (``web.once``)."""

    class Meta:
        model = FriendRound
        fields = ["message", "share_description", "share_meanings", "share_pay", "share_scores"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        labels = {"message": "A note to your friends (optional)"}
        help_texts = {
            "share_description": "What you wrote about it, and the notes in its story "
            "(not your private notes on people).",
            "share_meanings": "So that a 3 means to them what it means to you.",
            "share_pay": "Hidden unless you tick it.",
            "share_scores": "Your scores are never shown before they have answered: a "
            "friend who sees your scores first tends to echo them. Tick this to show them "
            "afterwards.",
        }

    def __init__(self, *args: Any, owner: Owner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.add_once_field()

    def clean(self) -> dict[str, Any]:
        super().clean()
        if FriendRound.objects.for_user(self.owner).count() >= MAX_ROUNDS:
            raise forms.ValidationError(
                at_limit("rounds of asking friends", MAX_ROUNDS, advice="delete old rounds"),
                code="limit",
            )
        return self.cleaned_data


class PersonChoiceField(forms.ModelChoiceField):
    """One of the owner's people: any other id, or anything that cannot be an id, is
    refused as not in the list before a query is made."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not is_row_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.email})" if obj.email else str(obj.name)


def days_field(*, required: bool, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label="Works for (days)",
        required=required,
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        error_messages={
            "required": DAYS_MESSAGE,
            "invalid": DAYS_MESSAGE,
            "min_value": DAYS_MESSAGE,
            "max_value": DAYS_MESSAGE,
            "max_digits": DAYS_MESSAGE,
        },
    )


class InviteForm(forms.Form):
    """A personal link for one friend: one of the owner's people, or just a name."""

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="One of your people",
        empty_label="Someone else (type the name)",
        error_messages={"invalid_choice": NOT_ONE_OF_MY_PEOPLE},
    )
    name = forms.CharField(
        label="Their name",
        required=False,
        max_length=FriendInvitation._meta.get_field("name").max_length,
        help_text="As they should see it on their page. Left empty, the person's name.",
    )
    email = forms.EmailField(
        label="Their email (optional)",
        required=False,
        max_length=254,
        help_text="Left empty, the person's own address, if you have one.",
        error_messages={
            "invalid": "That does not look like an email address; check it, or leave it empty."
        },
    )
    days = days_field(
        required=True,
        help_text=f"From 1 to {MAX_EXPIRY_DAYS} days. You can revoke it, or make a new "
        "one, at any time.",
    )
    send_email = forms.BooleanField(
        label="Email them the link",
        required=False,
        initial=True,
        help_text="When there is an address. The email leaves in the background.",
    )

    default_renderer = QuickRenderer

    def __init__(self, *args: Any, owner: Owner, friend_round: FriendRound, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite_%s")
        kwargs.setdefault("initial", {"days": DEFAULT_EXPIRY_DAYS, "send_email": True})
        super().__init__(*args, **kwargs)
        self.friend_round = friend_round
        person = self.fields["person"]
        assert isinstance(person, PersonChoiceField)
        person.queryset = people_to_invite(owner)
        # Read once, for the list shown (a sent id is still looked up in the queryset).
        people = list(person.queryset)
        if not people and not (self.is_bound and self.data.get("person")):
            del self.fields["person"]  # nobody to pick: the name is all there is
        else:
            person.choices = [
                ("", person.empty_label),
                *((one.pk, person.label_from_instance(one)) for one in people),
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "person" not in self.fields:
            data["person"] = None
        person: Person | None = data.get("person")
        if "name" in data and "person" in data:
            name = (data["name"] or (person.name if person is not None else "")).strip()
            if not name:
                self.add_error("name", "Give their name, or choose them from your people.")
            else:
                data["name"] = name
                problem = duplicate_problem(
                    friend_round=self.friend_round, person=person, name=name
                )
                if problem is not None:
                    self.add_problem(problem)
        if "email" in data and not data["email"] and person is not None:
            data["email"] = person.email
        return data

    @cached_property
    def cells(self) -> dict[str, SafeString]:
        """Each field as crispy writes it (``web.quick_fields``), by name."""
        return {name: crispy_cell(self[name]) for name in self.fields}

    def add_problem(self, problem: FriendsProblem) -> None:
        """Say what the service refused, beside the field it is about."""
        field = problem.field if problem.field in self.fields else None
        if field is not None and field in self.errors:
            return
        self.add_error(field, problem.message)


class ReissueForm(forms.Form):
    """A new link for the same friend; empty days: as long as the old one was made to last."""

    days = days_field(
        required=False,
        help_text="Empty: as long as the old link was made to last.",
    )
    send_email = forms.BooleanField(label="Email it to them", required=False, initial=True)
