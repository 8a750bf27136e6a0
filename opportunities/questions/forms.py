"""Asking a question about an opportunity (its words, and the criterion it is about if
any) and answering it (what was found out, and when)."""

from __future__ import annotations

from typing import Any

from django import forms

from opportunities.criteria.queries import active_criteria
from opportunities.models import Question
from opportunities.models.limits import MAX_QUESTIONS, at_limit
from opportunities.questions.core import answered_on_problem
from opportunities.web.forms import DayItHappenedField


class QuestionForm(forms.ModelForm):
    """A new question. ``criterion`` is one of the owner's active criteria, or none."""

    class Meta:
        model = Question
        fields = ["text", "criterion"]
        labels = {"text": "What to find out", "criterion": "About"}
        help_texts = {
            "text": "E.g. “How fast do people grow there?”",
            "criterion": "Optional: the criterion whose score it would settle.",
        }
        error_messages = {
            "text": {"required": "Write the question: what do you want to find out?"},
            "criterion": {"invalid_choice": "Choose one of your criteria from the list."},
        }

    def __init__(self, *args: Any, owner: Any, full: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "question_%s")
        super().__init__(*args, **kwargs)
        self.full = full
        criterion = self.fields["criterion"]
        assert isinstance(criterion, forms.ModelChoiceField)
        criterion.queryset = active_criteria(owner).only("id", "name", "owner_id")
        criterion.empty_label = "No criterion in particular"
        self.fields["text"].strip = True  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(
                "Write the question: what do you want to find out?", code="required"
            )
        return " ".join(text.split())

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.full:
            raise forms.ValidationError(
                at_limit(
                    "open questions",
                    MAX_QUESTIONS,
                    of="an opportunity",
                    advice="answer or delete one to make room",
                ),
                code="limit",
            )
        return self.cleaned_data


class AnswerForm(forms.ModelForm):
    """What was found out, and the day (today by default, never before it was asked)."""

    answered_on = DayItHappenedField(
        label="When did you find out?", help_text="Today, or the day you found out."
    )

    class Meta:
        model = Question
        fields = ["answer", "answered_on"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 4, "autofocus": True})}
        labels = {"answer": "What I found out"}
        help_texts = {"answer": "In your words: what you learnt, and from whom."}
        error_messages = {"answer": {"required": "Write what you found out."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        self.asked_on = self.instance.asked_on

    def clean_answer(self) -> str:
        answer: str = self.cleaned_data["answer"]
        if not answer.strip():
            raise forms.ValidationError("Write what you found out.", code="required")
        return answer.strip()

    def clean_answered_on(self) -> Any:
        day = self.cleaned_data["answered_on"]
        if problem := answered_on_problem(day, asked_on=self.asked_on):
            raise forms.ValidationError(problem, code="before_asked")
        return day
