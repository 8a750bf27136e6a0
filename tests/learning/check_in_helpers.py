"""A decision ready to be checked in on: two criteria scored, a forecast, a kill
criterion, and its check-ins (3, 6, 12 months and the kill criterion's), made as the app
makes them; ``check_in`` is the 3-month one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from opportunities.learning.core import months_after
from opportunities.learning.services.commit import schedule_check_ins
from opportunities.models import (
    CheckIn,
    CheckInKind,
    Criterion,
    Decision,
    Forecast,
    KillCriterion,
)
from opportunities.scoring.services import save_score
from tests.factories import DecisionFactory, ForecastFactory, OpportunityFactory


@dataclass
class Decided:
    decision: Decision
    daily: Criterion
    growth: Criterion
    forecast: Forecast
    kill: KillCriterion
    check_in: CheckIn

    @property
    def url(self) -> str:
        return check_in_url(self.check_in)


def check_in_url(check_in: CheckIn) -> str:
    return reverse("opportunities:check_in", args=[check_in.decision_id, check_in.pk])


def decided(user, *, months_ago: int = 4, title: str = "Part-time strategist") -> Decided:
    """A decision taken ``months_ago`` months ago (its 3-month check-in due by now)."""
    today = timezone.localdate()
    decided_on = today - timedelta(days=31 * months_ago)
    opportunity = OpportunityFactory(owner=user, title=title)
    daily = Criterion.objects.for_user(user).get(name="Daily & weekly life")
    growth = Criterion.objects.for_user(user).get(name="Personal growth")
    save_score(opportunity=opportunity, criterion=daily, value=8)
    save_score(opportunity=opportunity, criterion=growth, value=7)
    decision = DecisionFactory(opportunity=opportunity, decided_on=decided_on)
    forecast = ForecastFactory(
        decision=decision, statement="I'm still glad at 6 months", probability=80
    )
    kill = KillCriterion.objects.create(
        owner=user,
        decision=decision,
        condition="I work more than 25 hours a week",
        check_on=months_after(decided_on, 3),
    )
    schedule_check_ins(decision)  # the kill criterion's own check-in
    check_in = CheckIn.objects.get(decision=decision, kind=CheckInKind.MONTHS_3)
    return Decided(decision, daily, growth, forecast, kill, check_in)
