"""Reads of questions to find out, each in one query: an opportunity's open questions
and the newest answered ones (its page), its open ones (its story), and how many are open
(the limit)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from opportunities.models import Opportunity, Question
from opportunities.models.limits import MAX_QUESTIONS

FOUND_OUT_ON_PAGE = 50
"""How many answered questions the opportunity's page lists; all of them are in its story."""


@dataclass(frozen=True, slots=True)
class QuestionsSection:
    """The questions on the opportunity's page: the open ones, newest first, and the
    newest answered ones."""

    open: list[Question]
    answered: list[Question]
    more_answered: bool

    @property
    def full(self) -> bool:
        """No room for another open question."""
        return len(self.open) >= MAX_QUESTIONS


def _with_criterion(opportunity: Opportunity | int) -> QuerySet[Question]:
    return Question.objects.filter(opportunity=opportunity).select_related("criterion")


def open_questions(opportunity: Opportunity | int) -> list[Question]:
    """The questions still to find out, newest first, each with its criterion."""
    return list(
        _with_criterion(opportunity).filter(answered_on__isnull=True).order_by("-asked_on", "-id")
    )


def questions_section(opportunity: Opportunity | int) -> QuestionsSection:
    """Every open question and the newest ``FOUND_OUT_ON_PAGE`` answered ones, in one
    query (open ones first; one more answered is read to know whether there are more)."""
    rows = list(
        _with_criterion(opportunity).order_by(
            F("answered_on").desc(nulls_first=True), "-asked_on", "-id"
        )[: MAX_QUESTIONS + FOUND_OUT_ON_PAGE + 1]
    )
    still_open = [q for q in rows if q.answered_on is None]
    answered = [q for q in rows if q.answered_on is not None]
    return QuestionsSection(
        open=still_open,
        answered=answered[:FOUND_OUT_ON_PAGE],
        more_answered=len(answered) > FOUND_OUT_ON_PAGE,
    )


def open_count(opportunity: Opportunity | int) -> int:
    return Question.objects.filter(opportunity=opportunity, answered_on__isnull=True).count()
