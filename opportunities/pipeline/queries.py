"""Reads of the opportunities themselves."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from opportunities.models import Evaluation, Opportunity, Owner
from opportunities.pay.core import ComparablePay
from opportunities.pay.queries import comparable_pay_by_opportunity


@dataclass(frozen=True, slots=True)
class OpenOpportunity:
    """One line of the dashboard: an open opportunity, its live evaluation (the stored
    total and counts) and its comparable pay."""

    opportunity: Opportunity
    evaluation: Evaluation | None
    pay: ComparablePay


def open_opportunities(user: Owner) -> list[OpenOpportunity]:
    """The user's open opportunities, in three queries however many there are."""
    opportunities = list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=True)
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.live()))
    )
    pay = comparable_pay_by_opportunity(user, opportunities)
    return [
        OpenOpportunity(
            opportunity=opportunity,
            evaluation=next(iter(opportunity.evaluations.all()), None),
            pay=pay[opportunity.pk],
        )
        for opportunity in opportunities
    ]


def archived_opportunities(user: Owner) -> list[Opportunity]:
    return list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=False)
        .order_by("-archived_at", "-pk")
    )
