"""Writes of questions to find out: asking one (from the opportunity's page or the
comparison's "Add as a question"), answering it, deleting it. Each question leaves its
entries in the opportunity's story ("Asked: …" the day it was asked, "Found out: …" with
the answer the day it was answered); they go with it when it is deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from opportunities.models import Criterion, EntryKind, Opportunity, Question, TimelineEntry
from opportunities.questions.core import asked_title, found_out_title, same_question


@dataclass(frozen=True, slots=True)
class Asked:
    """What asking gave: the question, and whether it is new (an open question with the
    same words about the same criterion is not asked twice)."""

    question: Question
    added: bool


def _open_twin(opportunity: Opportunity, text: str, criterion: Criterion | None) -> Question | None:
    wanted = same_question(text)
    candidates = Question.objects.filter(
        opportunity=opportunity, criterion=criterion, answered_on__isnull=True
    ).only("id", "text", "opportunity_id", "criterion_id", "asked_on")
    return next((q for q in candidates if same_question(q.text) == wanted), None)


@transaction.atomic
def ask_question(
    *,
    opportunity: Opportunity,
    text: str,
    criterion: Criterion | None = None,
    asked_on: date | None = None,
) -> Asked:
    """Ask ``text`` about ``opportunity`` (and ``criterion``, if it is about one), with its
    entry in the story; or give back the open question that already asks it."""
    if criterion is not None and criterion.owner_id != opportunity.owner_id:
        raise ValueError("a question is about one of its owner's criteria")
    # The opportunity's row is locked, so two tabs sending the same question add one.
    Opportunity.objects.select_for_update().filter(pk=opportunity.pk).values_list("pk").first()
    twin = _open_twin(opportunity, text, criterion)
    if twin is not None:
        return Asked(question=twin, added=False)
    question = Question.objects.create(
        owner_id=opportunity.owner_id,
        opportunity=opportunity,
        criterion=criterion,
        text=text,
        asked_on=asked_on or timezone.localdate(),
    )
    TimelineEntry.objects.create(
        owner_id=opportunity.owner_id,
        opportunity=opportunity,
        kind=EntryKind.QUESTION,
        happened_on=question.asked_on,
        title=asked_title(text),
        question=question,
    )
    return Asked(question=question, added=True)


@transaction.atomic
def answer_question(*, question: Question, answer: str, answered_on: date) -> Question:
    """Record what was found out, the day it was found out, with its entry in the story
    ("Found out: …", the answer as its words). Answering again edits both."""
    question.answer = answer
    question.answered_on = answered_on
    question.save(update_fields=["answer", "answered_on", "updated_at"])
    # The first entry is its asking; one after it, its finding out.
    found = (
        TimelineEntry.objects.filter(question=question, kind=EntryKind.QUESTION)
        .order_by("id")
        .values_list("id", flat=True)[1:2]
    )
    updated = TimelineEntry.objects.filter(pk__in=list(found)).update(
        happened_on=answered_on, body=answer, updated_at=timezone.now()
    )
    if not updated:
        TimelineEntry.objects.create(
            owner_id=question.owner_id,
            opportunity_id=question.opportunity_id,
            kind=EntryKind.QUESTION,
            happened_on=answered_on,
            title=found_out_title(question.text),
            body=answer,
            question=question,
        )
    return question


def delete_question(*, question: Question) -> None:
    """Delete a question; its entries in the story go with it (TimelineEntry.question
    cascades)."""
    question.delete()
