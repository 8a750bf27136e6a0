"""Writes of check-ins: answering one (how glad, how it goes, which forecasts came true,
which kill criteria were met, the chosen option re-scored against reality), with its
dated entry in the opportunity's story; and the reminders that one is due.

A check-in can be answered early or late, and answered again: saving it again edits it
and its entry (never a second entry)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from opportunities.learning.core import CHECK_IN_WHEN, check_in_title
from opportunities.learning.queries.checkins import due_for_reminder
from opportunities.models import (
    CheckIn,
    Decision,
    EntryKind,
    Forecast,
    KillCriterion,
    Resolution,
    Score,
    TimelineEntry,
)
from opportunities.models.limits import control_character_problem

HOW_IT_GOES_LENGTH = 500
"""``CheckIn.how_it_goes``: a sentence or two."""


def _check_glad(glad: int | None) -> None:
    if glad is not None and (
        isinstance(glad, bool) or not isinstance(glad, int) or not 0 <= glad <= 10
    ):
        raise ValueError(f"glad must be 0-10 or None, got {glad!r}")


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise ValueError("how it goes must be text")
    text = text.strip()
    if len(text) > HOW_IT_GOES_LENGTH:
        raise ValueError(f"how it goes holds at most {HOW_IT_GOES_LENGTH} characters")
    if problem := control_character_problem(text):
        raise ValueError(problem)
    return text


def _rescored(check_in: CheckIn, lived: Mapping[int, int]) -> dict[str, dict[str, object]]:
    """``CheckIn.rescored`` from the lived scores given: each criterion with its name and
    its score when deciding, read from the decision's checkpoint (never from the caller)."""
    for criterion_id, value in lived.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise ValueError(f"a lived score must be 0-10, got {value!r} for {criterion_id}")
    if not lived:
        return {}
    scores = Score.objects.filter(
        evaluation__decisions=check_in.decision_id,
        weight__isnull=False,
        value__isnull=False,
        criterion_id__in=list(lived),
    ).values_list("criterion_id", "criterion_name", "value", "criterion__name")
    frozen = {
        criterion_id: (name or fallback, value) for criterion_id, name, value, fallback in scores
    }
    if unknown := set(lived) - set(frozen):
        raise ValueError(f"not criteria scored when deciding: {sorted(unknown)}")
    return {
        str(criterion_id): {
            "name": frozen[criterion_id][0],
            "expected": frozen[criterion_id][1],
            "lived": value,
        }
        for criterion_id, value in sorted(lived.items())
    }


def _resolve_forecasts(
    check_in: CheckIn,
    resolutions: Mapping[int, str],
    done_on: date,
    known: Sequence[Forecast] | None,
) -> None:
    if not resolutions:
        return
    if bad := {r for r in resolutions.values() if r not in Resolution.values and r != ""}:
        raise ValueError(f"not resolutions: {sorted(bad)}")
    read = (
        Forecast.objects.filter(decision_id=check_in.decision_id, pk__in=list(resolutions))
        if known is None
        else known
    )
    forecasts = {
        f.pk: f for f in read if f.decision_id == check_in.decision_id and f.pk in resolutions
    }
    if unknown := set(resolutions) - set(forecasts):
        raise ValueError(f"not forecasts of this decision: {sorted(unknown)}")
    changed = []
    for pk, resolution in resolutions.items():
        forecast = forecasts[pk]
        if forecast.resolution == resolution:
            continue  # unchanged: it keeps the day it was resolved
        forecast.resolution = resolution
        forecast.resolved_on = (
            done_on if resolution in (Resolution.TRUE, Resolution.FALSE) else None
        )
        changed.append(forecast)
    Forecast.objects.bulk_update(changed, ["resolution", "resolved_on"])  # one UPDATE


def _check_kill_criteria(
    check_in: CheckIn, kill_triggers: Mapping[int, bool | None], done_on: date
) -> None:
    if not kill_triggers:
        return
    if bad := [t for t in kill_triggers.values() if t not in (True, False, None)]:
        raise ValueError(f"a kill criterion is triggered (True), not (False) or unchecked: {bad}")
    criteria = {
        k.pk: k
        for k in KillCriterion.objects.filter(
            decision_id=check_in.decision_id, pk__in=list(kill_triggers)
        )
    }
    if unknown := set(kill_triggers) - set(criteria):
        raise ValueError(f"not kill criteria of this decision: {sorted(unknown)}")
    changed = []
    for pk, triggered in kill_triggers.items():
        criterion = criteria[pk]
        if criterion.triggered is triggered:
            continue
        criterion.triggered = triggered
        criterion.checked_on = None if triggered is None else done_on
        changed.append(criterion)
    KillCriterion.objects.bulk_update(changed, ["triggered", "checked_on"])  # one UPDATE


@transaction.atomic
def record_check_in(
    check_in: CheckIn,
    *,
    glad: int | None,
    how_it_goes: str,
    resolutions: Mapping[int, str],
    kill_triggers: Mapping[int, bool | None],
    rescored: Mapping[int, int],
    done_on: date,
    forecasts: Sequence[Forecast] | None = None,
) -> CheckIn:
    """Answer ``check_in`` (or answer it again) on ``done_on``.

    ``resolutions`` maps the decision's forecasts to a :class:`Resolution` (true and false
    are dated ``done_on``, "can't tell yet" is not resolved); ``kill_triggers`` maps its
    kill criteria to whether they came true; ``rescored`` maps criteria of the decision's
    checkpoint to the score they turned out to deserve. What is left out stays as it was
    (a forecast, a kill criterion); ``rescored`` replaces the check-in's re-scores. The
    check-in's entry in the story, dated ``done_on``, is written once and edited after.
    Anything not of this decision, or out of range, is refused with ``ValueError``.
    ``forecasts``: the decision's forecasts when the caller has just read them (the
    check-in's page does), so that they are not read again.
    """
    _check_glad(glad)
    text = _check_text(how_it_goes)
    if done_on > timezone.localdate():
        raise ValueError("a check-in cannot be done after today")
    check_in.rescored = _rescored(check_in, rescored)
    _resolve_forecasts(check_in, resolutions, done_on, forecasts)
    _check_kill_criteria(check_in, kill_triggers, done_on)
    check_in.glad = glad
    check_in.how_it_goes = text
    check_in.done_on = done_on
    check_in.save(update_fields=["glad", "how_it_goes", "done_on", "rescored", "updated_at"])
    _write_entry(check_in)
    return check_in


def _write_entry(check_in: CheckIn) -> None:
    """The check-in's entry in the story of the decision's opportunity, one per check-in:
    edited in one UPDATE when it is there, else written."""
    title = check_in_title(check_in.kind, check_in.glad)
    assert check_in.done_on is not None
    edited = TimelineEntry.objects.filter(check_in=check_in).update(
        happened_on=check_in.done_on,
        title=title,
        body=check_in.how_it_goes,
        updated_at=timezone.now(),
    )
    if edited:
        return
    opportunity_id = (
        check_in.decision.opportunity_id
        if CheckIn.decision.is_cached(check_in)
        else Decision.objects.filter(pk=check_in.decision_id)
        .values_list("opportunity_id", flat=True)
        .get()
    )
    TimelineEntry.objects.create(
        owner_id=check_in.owner_id,
        opportunity_id=opportunity_id,
        kind=EntryKind.CHECK_IN,
        happened_on=check_in.done_on,
        title=title,
        body=check_in.how_it_goes,
        check_in=check_in,
        decision_id=check_in.decision_id,
    )


# --- Reminders ------------------------------------------------------------------------------------


def claim_check_in_reminder(check_in: CheckIn, *, today: date) -> bool:
    """Record that ``check_in`` is being reminded of. False when it already was (an
    earlier run, or another server at the same moment): the conditional update lets
    exactly one claim win."""
    claimed = CheckIn.objects.filter(pk=check_in.pk, reminded_on__isnull=True).update(
        reminded_on=today
    )
    return claimed == 1


def send_check_in_reminders(*, today: date) -> int:
    """Remind the owner of every check-in whose day has come and that is not done: one
    email per check-in (where the owner has an address), once however often this runs,
    because the reminder is claimed before its email is sent. The dashboard lists due
    check-ins either way. Returns how many reminders were sent."""
    sent = 0
    for check_in in due_for_reminder(today):
        with transaction.atomic():
            if not claim_check_in_reminder(check_in, today=today):
                continue
            sent += 1
            if not check_in.owner.email:
                continue
            decision = check_in.decision
            title = decision.opportunity.title
            when = CHECK_IN_WHEN.get(check_in.kind, "")
            path = reverse("opportunities:check_in", args=[decision.pk, check_in.pk])
            send_mail(
                subject=f"Time for a check-in on {title}",
                message=(
                    f"On {decision.decided_on:%d %B %Y} you decided: "
                    f"{decision.get_choice_display().lower()}, “{title}”. It is time for the "
                    f"check-in {when}, due {check_in.due_on:%d %B %Y}: are you glad you did "
                    "it, and did what you expected come true? It takes under a minute."
                    f"\n\n{settings.SITE_URL}{path}"
                ),
                from_email=None,
                recipient_list=[check_in.owner.email],
            )
    return sent
