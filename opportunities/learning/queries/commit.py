"""Reads of the commit step: whether it is still open, what it holds for the decision page
and its own page, and what the matrix, the gut and friends foresaw (``foreseen``).

The commit step is open the day the decision was recorded (the user's local date): what
was expected is written down then, and afterwards kept as it was written, so the later
check-ins and "How well I judge" hold the outcome against what was really expected, not
against what hindsight would like to have expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from opportunities.learning.core import (
    QUALITY_QUESTIONS,
    forecast_template,
    weakest_sentence,
)
from opportunities.models import (
    Commitment,
    Decision,
    Forecast,
    KillCriterion,
    PremortemReason,
)

CLOSED_REASON = (
    "The commit step could be filled in on the day the decision was recorded; what you "
    "expected is kept as you wrote it."
)


def recorded_on(decision: Decision) -> date:
    return timezone.localdate(decision.created_at)


def is_open(decision: Decision, *, today: date | None = None) -> bool:
    """Whether ``decision``'s commit step can still be filled in or changed: on the day
    it was recorded (a decision recorded late, dated earlier, still gets its day)."""
    return (today or timezone.localdate()) <= recorded_on(decision)


@dataclass(frozen=True, slots=True)
class Foreseen:
    """What the predictors said when deciding, read back from ``Commitment.predictors``
    (see ``learning.services.commit``); a part is None when it said nothing."""

    score: float | None = None
    rank: int | None = None
    of: int | None = None
    p_first: float | None = None
    gut: str = ""
    gut_value: float | None = None
    friends_take_it: int | None = None
    friends_answered: int | None = None
    friends_share: float | None = None

    @property
    def any(self) -> bool:
        return self.score is not None or bool(self.gut) or self.friends_answered is not None

    @property
    def predictions(self) -> dict[str, float | None]:
        """As ``learning.core.Case`` takes them: the matrix's score, the gut's value, the
        friends' share."""
        return {"matrix": self.score, "gut": self.gut_value, "friends": self.friends_share}


def _number(value: Any, *, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if low <= value <= high else None


def _whole(value: Any, *, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _part(data: dict[str, Any], key: str) -> dict[str, Any]:
    part = data.get(key)
    return part if isinstance(part, dict) else {}


def quality_label(question: str) -> str:
    """The question as the form asks it ("The information that matters?")."""
    return str(getattr(Commitment._meta.get_field(question), "verbose_name", question))


def foreseen(predictors: Any) -> Foreseen:
    """``predictors`` (a ``Commitment.predictors``) read back; whatever is missing or not
    shaped as it is frozen reads as not said (an import may carry anything)."""
    data: dict[str, Any] = predictors if isinstance(predictors, dict) else {}
    matrix, gut, friends = (_part(data, key) for key in ("matrix", "gut", "friends"))
    answered = _whole(friends.get("answered"), low=1, high=1_000_000)
    take_it = _whole(friends.get("take_it"), low=0, high=answered or 0)
    answer = gut.get("answer") if gut.get("answer") in ("yes", "unsure", "no") else ""
    return Foreseen(
        score=_number(matrix.get("score"), low=0, high=100),
        rank=_whole(matrix.get("rank"), low=1, high=10_000),
        of=_whole(matrix.get("of"), low=1, high=10_000),
        p_first=_number(matrix.get("p_first"), low=0, high=1),
        gut=str(answer),
        gut_value=_number(gut.get("value"), low=0, high=1) if answer else None,
        friends_take_it=take_it if answered else None,
        friends_answered=answered if take_it is not None else None,
        friends_share=take_it / answered if answered and take_it is not None else None,
    )


@dataclass(frozen=True, slots=True)
class QualityAnswer:
    question: str
    label: str
    answer: str
    display: str


@dataclass(frozen=True, slots=True)
class CommitStepRead:
    """A decision's commit step as the pages show it."""

    commitment: Commitment | None
    premortem: list[PremortemReason]
    kill_criteria: list[KillCriterion]
    forecasts: list[Forecast]
    open: bool
    foreseen: Foreseen

    @property
    def answers(self) -> dict[str, str]:
        if self.commitment is None:
            return {}
        return {q: getattr(self.commitment, q) for q, _ in QUALITY_QUESTIONS}

    @property
    def quality(self) -> list[QualityAnswer]:
        """The questions answered, in order."""
        if self.commitment is None:
            return []
        return [
            QualityAnswer(
                question=q,
                label=quality_label(q),
                answer=answer,
                display=getattr(self.commitment, f"get_{q}_display")(),
            )
            for q, _ in QUALITY_QUESTIONS
            if (answer := getattr(self.commitment, q))
        ]

    @property
    def weakest(self) -> str:
        return weakest_sentence(self.answers)

    @property
    def filled(self) -> bool:
        """Whether anything of the commit step was written (the predictors aside)."""
        commitment = self.commitment
        return bool(
            self.premortem
            or self.kill_criteria
            or self.forecasts
            or (
                commitment
                and (commitment.door or commitment.change_cost or any(self.answers.values()))
            )
        )


def template_statement(key: str) -> str:
    found = forecast_template(key)
    return found.statement if found else ""


def commit_step_of(decision: Decision, *, today: date | None = None) -> CommitStepRead:
    """``decision``'s commit step, in three queries (the premortem, the kill criteria,
    the forecasts); its ``Commitment`` comes with the decision when it was fetched with
    ``select_related("commitment")``, else in a fourth."""
    try:
        commitment: Commitment | None = decision.commitment
    except Commitment.DoesNotExist:
        commitment = None
    return CommitStepRead(
        commitment=commitment,
        premortem=list(PremortemReason.objects.filter(decision=decision)),
        kill_criteria=list(KillCriterion.objects.filter(decision=decision).order_by("pk")),
        forecasts=list(Forecast.objects.filter(decision=decision)),
        open=is_open(decision, today=today),
        foreseen=foreseen(commitment.predictors if commitment else {}),
    )
