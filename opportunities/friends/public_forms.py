"""The friend's answer sheet: per opportunity of the round, a rating per criterion and a
gut answer, all sent at once.

The sheet is built from the round's opportunities and the owner's active criteria, and
its fields are named after them (``o<opportunity id>-c<criterion id>-value``,
``o<opportunity id>-gut``): a posted field naming anything else is never read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from opportunities.friends.services.answers import OpportunityAnswer, Rating
from opportunities.models import Criterion, FriendAnswer, FriendScore, GutCheck, Opportunity

SCORE_ERROR = "A rating is a whole number from 0 to 10, or empty."
BOTH_ERROR = (
    "You ticked “I can't say” and gave a rating too: keep one of them "
    "(empty the number, or untick “I can't say”)."
)
NOTHING_TO_SEND = (
    "Nothing to send yet: rate at least one criterion (or tick “I can't say”), or say "
    "whether you would take it in their place."
)
COMMENT_LIMIT = 500
WHY_LIMIT = 1000
GUT_CHOICES = (
    (GutCheck.YES.value, "Yes"),
    (GutCheck.UNSURE.value, "Unsure"),
    (GutCheck.NO.value, "No"),
    ("", "No answer"),
)
"""The gut question's answers as the page offers them, and a way to take one back."""


class RatingForm(forms.Form):
    """One criterion of one opportunity: a rating 0-10 (empty: not rated), "I can't
    say", and a comment."""

    value = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10,
        error_messages={
            "invalid": SCORE_ERROR,
            "min_value": SCORE_ERROR,
            "max_value": SCORE_ERROR,
        },
    )
    cant_say = forms.BooleanField(required=False, label="I can't say")
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_LIMIT,
        strip=True,
        label="Comment",
        error_messages={
            "max_length": "Keep the comment to %(limit_value)d characters; it has "
            "%(show_value)d. Nothing was cut: shorten it and send again."
        },
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("cant_say") and cleaned.get("value") is not None:
            self.add_error("value", forms.ValidationError(BOTH_ERROR, code="both"))
        return cleaned

    @property
    def said_something(self) -> bool:
        """A rating or "I can't say": what counts as answering."""
        data = self.cleaned_data
        return data.get("value") is not None or bool(data.get("cant_say"))

    @property
    def has_anything(self) -> bool:
        """Anything to keep: a rating, "I can't say", or a comment alone."""
        return self.said_something or bool(self.cleaned_data.get("comment"))


class GutForm(forms.Form):
    """ "Would you take it in my place?" and why."""

    gut = forms.ChoiceField(
        required=False,
        choices=GUT_CHOICES,
        widget=forms.RadioSelect,
        label="Would you take it in my place?",
        error_messages={"invalid_choice": "Choose yes, unsure or no (or leave it)."},
    )
    gut_reason = forms.CharField(
        required=False,
        max_length=WHY_LIMIT,
        strip=True,
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": "Keep this to %(limit_value)d characters; it has %(show_value)d. "
            "Nothing was cut: shorten it and send again."
        },
    )


@dataclass
class Row:
    """One criterion of one opportunity on the sheet."""

    criterion: Criterion
    form: RatingForm
    owner_score: int | None = None
    """The owner's live score, shown beside the friend's once they have answered (only
    when the round shares it)."""

    @property
    def typed(self) -> str:
        """The rating as in the number box: what was sent, or the earlier answer."""
        value = self.form["value"].value()
        return "" if value is None else str(value).strip()

    @property
    def unrated(self) -> bool:
        return self.typed == ""

    @property
    def slider_value(self) -> int:
        """Where the slider rests: on the rating, or (unrated, its thumb hidden) mid-way."""
        typed = self.typed
        if len(typed) <= 2 and typed.isascii() and typed.isdigit() and int(typed) <= 10:
            return int(typed)
        return 5


@dataclass
class Section:
    """One opportunity on the sheet: its rows, then the gut question."""

    opportunity: Opportunity
    rows: list[Row]
    gut: GutForm

    def forms(self) -> Iterator[forms.Form]:
        yield from (row.form for row in self.rows)
        yield self.gut


def rating_prefix(opportunity_id: int, criterion_id: int) -> str:
    return f"o{opportunity_id}-c{criterion_id}"


def gut_prefix(opportunity_id: int) -> str:
    return f"o{opportunity_id}"


def _rating_initial(score: FriendScore | None) -> dict[str, Any]:
    if score is None:
        return {}
    return {"value": score.value, "cant_say": score.cant_say, "comment": score.comment}


def _gut_initial(answer: FriendAnswer | None) -> dict[str, Any]:
    if answer is None:
        return {}
    return {"gut": answer.gut, "gut_reason": answer.gut_reason}


class AnswerSheet:
    """Every form of the friend's page, bound to what was posted or filled in from the
    friend's earlier answer."""

    def __init__(
        self,
        data: Any,
        *,
        opportunities: Sequence[Opportunity],
        criteria: Sequence[Criterion],
        answers: dict[int, FriendAnswer],
        owner_scores: dict[tuple[int, int], int | None] | None = None,
    ) -> None:
        self.is_bound = data is not None
        self.nothing_to_send = False
        self.sections: list[Section] = []
        for opportunity in opportunities:
            answer = answers.get(opportunity.pk)
            earlier = {score.criterion_id: score for score in answer.scores.all()} if answer else {}
            rows = [
                Row(
                    criterion=criterion,
                    form=RatingForm(
                        data,
                        prefix=rating_prefix(opportunity.pk, criterion.pk),
                        initial=_rating_initial(earlier.get(criterion.pk)),
                    ),
                    owner_score=(
                        owner_scores.get((opportunity.pk, criterion.pk))
                        if owner_scores is not None
                        else None
                    ),
                )
                for criterion in criteria
            ]
            gut = GutForm(data, prefix=gut_prefix(opportunity.pk), initial=_gut_initial(answer))
            self.sections.append(Section(opportunity=opportunity, rows=rows, gut=gut))

    def all_forms(self) -> Iterator[forms.Form]:
        for section in self.sections:
            yield from section.forms()

    def is_valid(self) -> bool:
        if not self.is_bound:
            return False
        checked = [form.is_valid() for form in self.all_forms()]  # each, for all the errors
        if not all(checked):
            return False
        said = any(
            row.form.said_something for section in self.sections for row in section.rows
        ) or any(section.gut.cleaned_data.get("gut") for section in self.sections)
        self.nothing_to_send = not said
        return said

    def errors(self) -> list[SheetError]:
        """Every error on the sheet, in page order, for the summary at its top."""
        found: list[SheetError] = []
        for section in self.sections:
            title = section.opportunity.title
            for row in section.rows:
                for name, messages in row.form.errors.items():
                    target = row.form[name].auto_id if name in row.form.fields else ""
                    where = f"{row.criterion.name} ({title})"
                    found += [SheetError(target, where, str(m)) for m in messages]
            for name, messages in section.gut.errors.items():
                target = section.gut[name].auto_id if name in section.gut.fields else ""
                target += "_0" if name == "gut" else ""
                label = "Would you take it" if name == "gut" else "Why"
                found += [SheetError(target, f"{label} ({title})", str(m)) for m in messages]
        return found


@dataclass(frozen=True, slots=True)
class SheetError:
    """One error, for the summary: the id of the field it is about, which field, what."""

    field_id: str
    where: str
    message: str


def answers_of(sheet: AnswerSheet) -> list[OpportunityAnswer]:
    """What a valid sheet says, as the service keeps it: every opportunity of the round,
    every criterion (an empty one clears what was said before)."""
    return [
        OpportunityAnswer(
            opportunity_id=section.opportunity.pk,
            gut=section.gut.cleaned_data["gut"],
            gut_reason=section.gut.cleaned_data["gut_reason"],
            ratings=tuple(
                Rating(
                    criterion_id=row.criterion.pk,
                    value=row.form.cleaned_data["value"],
                    cant_say=row.form.cleaned_data["cant_say"],
                    comment=row.form.cleaned_data["comment"],
                )
                for row in section.rows
            ),
        )
        for section in sheet.sections
    ]
