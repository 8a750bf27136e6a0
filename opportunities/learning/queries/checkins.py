"""Reads of check-ins, each in a fixed number of queries: the ones due on the dashboard,
a decision's check-ins (its page and the journal), what one check-in asks about (its
page), and the ones the reminders still have to announce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from opportunities.models import (
    CheckIn,
    CheckInKind,
    Decision,
    Forecast,
    KillCriterion,
    Owner,
    Score,
)

CHECK_INS_ON_DASHBOARD = 20
"""How many due check-ins the dashboard lists (the oldest first); it says how many more."""


@dataclass(frozen=True, slots=True)
class DueCheckIns:
    """The check-ins whose day has come and that are not done yet, oldest first."""

    check_ins: list[CheckIn]
    more: int


ANSWERED_ELSEWHERE = Q(kind=CheckInKind.KILL, kill_criterion__triggered__isnull=False)
"""A kill criterion's own check-in once the criterion was answered at another check-in:
nothing is left to ask, so it is no longer due (nor reminded of)."""


def _due(check_ins: QuerySet[CheckIn], today: date) -> QuerySet[CheckIn]:
    return check_ins.filter(done_on__isnull=True, due_on__lte=today).exclude(ANSWERED_ELSEWHERE)


def check_ins_due(user: Owner, *, today: date | None = None) -> DueCheckIns:
    """The dashboard's "Check-ins due", in one query (one row more is read to know
    whether there are more)."""
    today = today or timezone.localdate()
    rows = list(
        _due(CheckIn.objects.for_user(user), today)
        .select_related("decision__opportunity", "kill_criterion")
        .order_by("due_on", "id")[: CHECK_INS_ON_DASHBOARD + 1]
    )
    more = 0
    if len(rows) > CHECK_INS_ON_DASHBOARD:
        more = _due(CheckIn.objects.for_user(user), today).count() - CHECK_INS_ON_DASHBOARD
    return DueCheckIns(check_ins=rows[:CHECK_INS_ON_DASHBOARD], more=more)


def owned_check_in(user: Owner) -> QuerySet[CheckIn]:
    """A user's check-ins, each with its decision, the decision's opportunity and
    checkpoint, and its kill criterion (what the check-in page needs of them)."""
    return CheckIn.objects.for_user(user).select_related(
        "decision__opportunity", "decision__evaluation", "kill_criterion"
    )


@dataclass(frozen=True, slots=True)
class RescoreRow:
    """A criterion of the chosen option as scored when deciding, and as lived."""

    criterion_id: int
    name: str
    expected: int
    lived: int | None


@dataclass(frozen=True, slots=True)
class CheckInQuestions:
    """What a check-in asks about: the decision's forecasts, the kill criteria due by
    then, and the chosen option's criteria as scored when deciding."""

    forecasts: list[Forecast]
    kill_criteria: list[KillCriterion]
    rescore: list[RescoreRow]


def check_in_questions(check_in: CheckIn, *, today: date | None = None) -> CheckInQuestions:
    """In three queries. A kill criterion is asked about once its day has come (by today,
    or by the check-in's own day when it is done early), and always at its own check-in.
    ``check_in.decision`` is expected to be loaded (``owned_check_in``)."""
    today = today or timezone.localdate()
    decision = check_in.decision
    horizon = max(today, check_in.due_on)
    kill_criteria = KillCriterion.objects.filter(decision=decision).filter(
        Q(check_on__lte=horizon) | Q(pk=check_in.kill_criterion_id)
    )
    lived = _lived(check_in.rescored)
    scores = (
        Score.objects.filter(
            evaluation_id=decision.evaluation_id, weight__isnull=False, value__isnull=False
        )
        .select_related("criterion")
        .only("criterion_id", "criterion_name", "value", "criterion__name")
        .order_by("criterion__position", "criterion_id")
    )
    return CheckInQuestions(
        forecasts=list(Forecast.objects.filter(decision=decision)),
        kill_criteria=list(kill_criteria),
        rescore=[
            RescoreRow(
                criterion_id=score.criterion_id,
                name=score.criterion_name or score.criterion.name,
                expected=score.value,
                lived=lived.get(score.criterion_id),
            )
            for score in scores
            if score.value is not None
        ],
    )


def _lived(rescored: object) -> dict[int, int]:
    """The lived scores kept in ``CheckIn.rescored``, by criterion id; anything
    malformed (an edited import) is left out rather than shown."""
    lived: dict[int, int] = {}
    if not isinstance(rescored, dict):
        return lived
    for key, row in rescored.items():
        value = row.get("lived") if isinstance(row, dict) else None
        if str(key).isdigit() and isinstance(value, int) and not isinstance(value, bool):
            lived[int(key)] = value
    return lived


@dataclass(frozen=True, slots=True)
class DecisionCheckIns:
    """A decision's check-ins in date order, and the kill criteria that came true."""

    check_ins: list[CheckIn]
    triggered: list[KillCriterion]


def decision_check_ins(decision: Decision) -> DecisionCheckIns:
    """The check-ins section of a decision's page, in one query: every kill criterion has
    its own check-in (``learning.services.commit.schedule_check_ins``), which brings it."""
    check_ins = list(
        CheckIn.objects.filter(decision=decision)
        .select_related("kill_criterion")
        .order_by("due_on", "id")
    )
    triggered = {
        c.kill_criterion.pk: c.kill_criterion
        for c in check_ins
        if c.kill_criterion is not None and c.kill_criterion.triggered
    }
    return DecisionCheckIns(check_ins=check_ins, triggered=list(triggered.values()))


def due_for_reminder(today: date) -> QuerySet[CheckIn]:
    """Every user's check-ins due by ``today``, not done and not reminded yet, with what
    the reminder says of them."""
    return (
        _due(CheckIn.objects.filter(reminded_on__isnull=True), today)
        .select_related("owner", "decision__opportunity")
        .order_by("due_on", "id")
    )
