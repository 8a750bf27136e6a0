"""Reads of the opportunities themselves."""

from __future__ import annotations

from django.db.models import Prefetch

from opportunities.models import Evaluation, Opportunity


def open_opportunities(user) -> list[Opportunity]:
    """The user's open opportunities, each with its live evaluation prefetched (``live``)."""
    return list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=True)
        .prefetch_related(
            Prefetch("evaluations", queryset=Evaluation.objects.live(), to_attr="live")
        )
    )


def archived_opportunities(user) -> list[Opportunity]:
    return list(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=False)
        .order_by("-archived_at", "-pk")
    )
